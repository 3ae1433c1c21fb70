"""The catalogue (`catalogue.yaml`): each lever declared once, with the article's figures.

A lever's declaration is data: its section, inputs, formula text, group, cap, evidence grade
and figures. Its value is one function in `levers.py`, joined here by id and checked against
the declaration when the catalogue is read, so that a misspelt input fails at once, never as a
KeyError in the middle of a run.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from inaction_cli.distributions import Uncertain, Values
from inaction_cli.text import placeholders, section_label

ARTICLE = "Ignorer l'IA : le coût de l'inaction (French)"
UNITS = ("money", "count", "share", "ratio")
UPLIFT = "u"
"""The uplift's name in formulas and in the parameters of a lever's function."""
MAX_UPLIFT = 100.0
DEFAULT_EVIDENCE = "claimed range"
DAYS_PER_MONTH = 365.25 / 12

LeverFunction = Callable[..., Values]


class CatalogueError(Exception):
    """The catalogue contradicts itself or its functions: a bug in the package, never input."""


@dataclass(frozen=True)
class InputSpec:
    """One input a lever's section holds."""

    name: str
    path: str
    unit: str
    description: str
    default: float | None = None
    """None: the key is required when the section is present."""


@dataclass(frozen=True)
class Shape:
    """A key of a lever's section that shapes its uplift as a PERT, by level or from 0 to 1."""

    key: str
    levels: Mapping[str, float]
    description: str


@dataclass(frozen=True)
class Figure:
    """A default range of the catalogue and where in the article it comes from."""

    value: Uncertain
    sections: tuple[int, ...]
    source: str

    @property
    def citation(self) -> str:
        """The source as one line: sections of the article, then the paraphrase."""
        return f"{section_label(self.sections)}: {self.source}"


@dataclass(frozen=True, eq=False)
class LeverSpec:
    """One lever of the catalogue: what turns it on, what it reads, what the article claims."""

    id: str
    label: str
    section: str
    about: str
    inputs: tuple[InputSpec, ...]
    """The inputs of its own section, in the order the formula and the audit trail show them."""
    reads: tuple[str, ...]
    """Paths of shared inputs it also reads, such as `finance.gross_margin`."""
    formula: str
    """`{name}` for each input (its last path part) and `{u}` for the uplift."""
    group: str | None
    max_uplift: float
    uplift: Uncertain
    time_to_value_months: Uncertain
    evidence: str
    sections: tuple[int, ...]
    source: str
    time_to_value_source: str
    function: LeverFunction
    shaped_by: Shape | None = None
    capped_when: str = ""
    """What it means when the lever's cap binds (retention past 100 %), or '' without a cap."""
    capped: LeverFunction | None = None
    """Which samples the cap binds in: a function of the same inputs, True where it binds."""

    @property
    def citation(self) -> str:
        """The source as one line: sections of the article, then the paraphrase."""
        return f"{section_label(self.sections)}: {self.source}"

    @property
    def parameters(self) -> dict[str, str]:
        """Parameter of the lever's function → input path, for every input but the uplift."""
        own = {spec.name: spec.path for spec in self.inputs}
        return {**own, **{path.rsplit(".", 1)[-1]: path for path in self.reads}}

    def reads_path(self, path: str) -> bool:
        """Whether the lever reads the input at `path`."""
        return path in self.parameters.values()


@dataclass(frozen=True, eq=False)
class MarketSpec:
    """The market-share lever: an erosion rate, not an uplift."""

    label: str
    section: str
    about: str
    inputs: tuple[InputSpec, ...]
    reads: tuple[str, ...]
    formula: str
    sections: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Every lever and default figure the tool applies, with its version."""

    version: str
    section_titles: Mapping[int, str]
    evidence_grades: Mapping[str, str]
    levers: Mapping[str, LeverSpec]
    market_share: MarketSpec
    diagnostic_months: Figure
    initial_budget_share: Figure
    custom_time_to_value_months: Figure

    def groups(self) -> dict[str, tuple[str, ...]]:
        """Mechanism groups: levers that count one benefit, so one of each may be active."""
        members: dict[str, list[str]] = {}
        for lever in self.levers.values():
            if lever.group is not None:
                members.setdefault(lever.group, []).append(lever.id)
        return {group: tuple(ids) for group, ids in members.items()}

    def lever_sections(self) -> dict[str, str]:
        """Section → the lever it turns on, market share included."""
        sections = {lever.section: lever.id for lever in self.levers.values()}
        sections[self.market_share.section] = "market_share"
        return sections


def _uncertain(raw: Any) -> Uncertain:
    if isinstance(raw, dict):
        return Uncertain(float(raw["low"]), float(raw["high"]))
    return Uncertain.point(float(raw))


def _inputs(section: str, raw: Mapping[str, Any]) -> tuple[InputSpec, ...]:
    specs = []
    for name, entry in raw.items():
        if entry["unit"] not in UNITS:
            raise CatalogueError(f"{section}.{name}: unit {entry['unit']!r} is not one of {UNITS}")
        default = entry.get("default")
        specs.append(
            InputSpec(
                name=name,
                path=f"{section}.{name}",
                unit=entry["unit"],
                description=entry["description"],
                default=None if default is None else float(default),
            )
        )
    return tuple(specs)


def _check_function(lever: LeverSpec) -> None:
    """The function's parameters are the lever's inputs and `u`; its formula names the same."""
    expected = {*lever.parameters, UPLIFT}
    if len(lever.parameters) != len(lever.inputs) + len(lever.reads):
        raise CatalogueError(f"lever {lever.id!r}: two inputs share the name of a parameter")
    parameters = set(inspect.signature(lever.function).parameters)
    if parameters != expected:
        raise CatalogueError(
            f"lever {lever.id!r}: its function takes {sorted(parameters)}, but the catalogue "
            f"declares {sorted(expected)}"
        )
    named = set(placeholders(lever.formula))
    if named != expected:
        raise CatalogueError(
            f"lever {lever.id!r}: its formula names {sorted(named)}, but the catalogue "
            f"declares {sorted(expected)}"
        )


def build(
    raw: Mapping[str, Any],
    functions: Mapping[str, LeverFunction],
    caps: Mapping[str, LeverFunction] | None = None,
) -> Catalogue:
    """A catalogue from its parsed YAML and the lever functions, checked against each other."""
    grades = {str(grade): str(meaning) for grade, meaning in raw["evidence"].items()}
    levers: dict[str, LeverSpec] = {}
    for lever_id, entry in raw["levers"].items():
        if lever_id not in functions:
            raise CatalogueError(f"lever {lever_id!r} has no function in levers.py")
        shape = entry.get("shaped_by")
        lever = LeverSpec(
            id=lever_id,
            label=entry["label"],
            section=entry["section"],
            about=entry["about"],
            inputs=_inputs(entry["section"], entry["inputs"]),
            reads=tuple(entry.get("reads", ())),
            formula=" ".join(entry["formula"].split()),
            group=entry["group"],
            max_uplift=float(entry.get("max_uplift", MAX_UPLIFT)),
            uplift=_uncertain(entry["uplift"]),
            time_to_value_months=_uncertain(entry["time_to_value_months"]),
            evidence=entry["evidence"],
            sections=tuple(entry["sections"]),
            source=entry["source"],
            time_to_value_source=entry["time_to_value_source"],
            function=functions[lever_id],
            shaped_by=None
            if shape is None
            else Shape(shape["key"], dict(shape["levels"]), " ".join(shape["description"].split())),
            capped_when=entry.get("capped_when", ""),
            capped=(caps or {}).get(lever_id),
        )
        if bool(lever.capped_when) != (lever.capped is not None):
            raise CatalogueError(f"lever {lever_id!r}: a cap needs its text and its test")
        if lever.evidence not in grades:
            raise CatalogueError(f"lever {lever_id!r}: unknown evidence grade {lever.evidence!r}")
        _check_function(lever)
        levers[lever_id] = lever
    unknown = set(functions) - set(levers)
    if unknown:
        raise CatalogueError(f"functions without a catalogue entry: {sorted(unknown)}")
    market = raw["market_share"]

    def figure(key: str) -> Figure:
        entry = raw[key]
        if "range_days" in entry:  # days read exactly, in months of 365.25 / 12 days
            days = entry["range_days"]
            value = Uncertain(days["low"] / DAYS_PER_MONTH, days["high"] / DAYS_PER_MONTH)
        else:
            value = _uncertain(entry["range"])
        return Figure(value, tuple(entry["sections"]), entry["source"])

    return Catalogue(
        version=str(raw["version"]),
        section_titles={int(number): title for number, title in raw["sections"].items()},
        evidence_grades=grades,
        levers=levers,
        market_share=MarketSpec(
            label=market["label"],
            section=market["section"],
            about=market["about"],
            inputs=_inputs(market["section"], market["inputs"]),
            reads=tuple(market["reads"]),
            formula=" ".join(market["formula"].split()),
            sections=tuple(market["sections"]),
        ),
        diagnostic_months=figure("diagnostic_months"),
        initial_budget_share=figure("initial_budget_share"),
        custom_time_to_value_months=figure("custom_time_to_value_months"),
    )


def read_yaml(path: Path) -> Any:
    """A trusted YAML file shipped with the package (libyaml's loader when present)."""
    text = path.read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def catalogue() -> Catalogue:
    """The catalogue shipped inside the package (read once per process)."""
    from inaction_cli.levers import CAPS, FUNCTIONS

    # Beside this module, in the package (importlib.resources would cost start-up time).
    return build(read_yaml(Path(__file__).with_name("catalogue.yaml")), FUNCTIONS, CAPS)
