"""The article's benchmark catalogue (`benchmarks.yaml`), as frozen values."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from inaction_cli.distributions import Uncertain

ARTICLE = "Ignorer l'IA : le coût de l'inaction (French)"


@dataclass(frozen=True)
class Figure:
    """A default range of the catalogue and where in the article it comes from."""

    value: Uncertain
    sections: tuple[int, ...]
    source: str


@dataclass(frozen=True)
class LeverBenchmark:
    """What the article says one lever gains, and how fast."""

    id: str
    label: str
    uplift: Uncertain
    time_to_value_months: Uncertain
    group: str | None
    sections: tuple[int, ...]
    source: str
    time_to_value_source: str

    @property
    def citation(self) -> str:
        """The source as one line: sections of the article, then the paraphrase."""
        return f"{section_label(self.sections)}: {self.source}"


@dataclass(frozen=True)
class Catalogue:
    """Every default figure the tool applies, with its version."""

    version: str
    section_titles: dict[int, str]
    levers: dict[str, LeverBenchmark]
    diagnostic_months: Figure
    initial_budget_share: Figure

    def groups(self) -> dict[str, tuple[str, ...]]:
        """Mechanism groups: levers that count one benefit, so one of each may be active."""
        members: dict[str, list[str]] = {}
        for lever in self.levers.values():
            if lever.group is not None:
                members.setdefault(lever.group, []).append(lever.id)
        return {group: tuple(ids) for group, ids in members.items()}


def section_label(sections: tuple[int, ...]) -> str:
    """`article §2` or `article §1, §2, §3`."""
    return "article " + ", ".join(f"§{number}" for number in sections)


def _uncertain(raw: Any) -> Uncertain:
    if isinstance(raw, dict):
        return Uncertain(float(raw["low"]), float(raw["high"]))
    return Uncertain.point(float(raw))


@functools.cache
def catalogue() -> Catalogue:
    """Read the catalogue shipped inside the package (once per process)."""
    # Beside this module, in the package (importlib.resources would cost start-up time).
    text = Path(__file__).with_name("benchmarks.yaml").read_text(encoding="utf-8")
    # A trusted file shipped with the package: libyaml's loader, when present, is quicker.
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    levers = {
        lever_id: LeverBenchmark(
            id=lever_id,
            label=entry["label"],
            uplift=_uncertain(entry["uplift"]),
            time_to_value_months=_uncertain(entry["time_to_value_months"]),
            group=entry["group"],
            sections=tuple(entry["sections"]),
            source=entry["source"],
            time_to_value_source=entry["time_to_value_source"],
        )
        for lever_id, entry in raw["levers"].items()
    }

    def figure(key: str) -> Figure:
        entry = raw[key]
        return Figure(_uncertain(entry["range"]), tuple(entry["sections"]), entry["source"])

    return Catalogue(
        version=str(raw["version"]),
        section_titles={int(number): title for number, title in raw["sections"].items()},
        levers=levers,
        diagnostic_months=figure("diagnostic_months"),
        initial_budget_share=figure("initial_budget_share"),
    )
