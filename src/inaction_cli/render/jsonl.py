"""JSON Lines: one JSON object per line, for scripts that read a batch line by line."""

from __future__ import annotations

from inaction_cli.result import Batch, dump_json_line


def batch(run: Batch) -> str:
    """One line per profile, in the order given: the entries of the JSON's `profiles`, each
    with its rank within its currency, failures with their errors."""
    return "".join(dump_json_line(entry) for entry in run.to_dict()["profiles"])
