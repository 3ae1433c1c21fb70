"""The starter profiles of `inaction init`: commented YAML files shipped inside the package.

Three are the bundled scenarios of `scenarios/` with comments that explain each key and cite
its figures (a test checks that each gives the same data as its scenario); `blank` writes out
every section, commented out. Reading one needs neither numpy nor pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from inaction_cli.errors import InputError


@dataclass(frozen=True)
class Starter:
    """One template of `inaction init`."""

    name: str
    description: str
    scenario: str | None
    """The file of `scenarios/` whose data it holds, or None."""


STARTERS = (
    Starter(
        "sme",
        "an industrial SME: productivity, lead scoring, e-mail, ads (default)",
        "sme.yaml",
    ),
    Starter(
        "ecommerce",
        "an e-commerce scale-up: product returns, retention, customer service",
        "ecommerce.yaml",
    ),
    Starter(
        "b2b-agency",
        "a B2B agency: more qualified meetings from one proven use case",
        "b2b-agency.yaml",
    ),
    Starter(
        "blank",
        "every section written out, commented out: fill in from scratch",
        None,
    ),
)
DEFAULT_STARTER = "sme"


def starter(name: str) -> Starter:
    """The template called `name` (any case), or InputError naming the ones there are."""
    wanted = name.strip().lower()
    for candidate in STARTERS:
        if candidate.name == wanted:
            return candidate
    from inaction_cli.messages import did_you_mean  # only now: it loads pydantic

    names = [candidate.name for candidate in STARTERS]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    raise InputError.single(
        "--template",
        f"there is no template {name!r}{did_you_mean(wanted, names) or '.'} The templates are "
        f"{listed} (inaction init --list describes each).",
    )


def starter_text(name: str) -> str:
    """The commented YAML of the template called `name`."""
    folder = resources.files("inaction_cli").joinpath("starters")
    return folder.joinpath(f"{starter(name).name}.yaml").read_text(encoding="utf-8")
