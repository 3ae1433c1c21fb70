"""The use cases: what the command line and the Python API both call.

Each takes a profile as a path (`-` for stdin) or as a mapping shaped like the YAML, and returns
a value of `result.py`; bad input raises InputError with one located problem per line.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from inaction_cli import REPOSITORY_URL, assemble, decision, uncertainty
from inaction_cli import explain as audit
from inaction_cli.build_scenario import NO_OVERRIDES, Overrides, build_scenario, checked_overrides
from inaction_cli.catalogue import Catalogue, catalogue
from inaction_cli.compare import Pair
from inaction_cli.engine import Outcome, headline, simulate
from inaction_cli.errors import InputError, Problem
from inaction_cli.loader import Document, from_mapping, load, parse, read_source, source_label
from inaction_cli.messages import located
from inaction_cli.profile import validate as validate_profile
from inaction_cli.result import (
    Batch,
    BatchItem,
    BatchRow,
    BoardPack,
    CatalogueFigure,
    CatalogueLever,
    CatalogueListing,
    Diff,
    Explanation,
    FileValidation,
    FolderDiff,
    Report,
    Validation,
)
from inaction_cli.rules import correlation_problems
from inaction_cli.scenario import Scenario
from inaction_cli.text import quoted

ProfileSource = str | os.PathLike[str] | Mapping[str, Any]
"""A profile: a path to a YAML file (`-` for stdin), or a mapping shaped like the YAML."""


@dataclass(frozen=True)
class Extras:
    """Analyses beyond the estimate itself, on request."""

    sensitivity: bool = False
    histogram: bool = False


NO_EXTRAS = Extras()


def document_of(profile: ProfileSource | Document) -> Document:
    """The parsed profile: read from a file or stdin, or taken from a mapping."""
    if isinstance(profile, Document):
        return profile
    if isinstance(profile, Mapping):
        return from_mapping(profile)
    return load(os.fspath(profile))


def scenario_of(
    document: Document, overrides: Overrides = NO_OVERRIDES, book: Catalogue | None = None
) -> Scenario:
    """Validate a parsed profile and build what the engine runs, or raise InputError."""
    book = book or catalogue()
    profile = validate_profile(document, book)
    name = profile.company.name or default_name(document.source)
    scenario = build_scenario(profile, book, name, overrides)
    problems = correlation_problems(scenario)
    if problems:
        raise InputError(located(document, loc, message) for loc, message in problems)
    return scenario


def default_name(source: str) -> str:
    """A profile without `company.name` is named after its file."""
    return "profile" if source.startswith("<") else Path(source).stem


def estimate(
    profile: ProfileSource,
    *,
    samples: int | None = None,
    seed: int | None = None,
    horizon_months: int | None = None,
    discount_rate: float | None = None,
    percentiles: Sequence[float] | None = None,
    delays: Sequence[int] | None = None,
    sensitivity: bool = False,
    histogram: bool = False,
) -> Report:
    """Estimate the cost of inaction of a profile (a path, or a mapping shaped like the YAML).

    The keyword arguments override the profile's `analysis` as the command line's flags do;
    `Report.to_dict()` is exactly what `inaction estimate --format json` prints.
    """
    overrides = checked_overrides(
        samples=samples,
        seed=seed,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        percentiles=percentiles,
        delays=delays,
    )
    return estimate_document(document_of(profile), overrides, Extras(sensitivity, histogram))


def estimate_document(
    document: Document,
    overrides: Overrides = NO_OVERRIDES,
    extras: Extras = NO_EXTRAS,
    book: Catalogue | None = None,
) -> Report:
    """Estimate the cost of inaction of a parsed profile."""
    return _run(document, overrides, extras, book or catalogue())[0]


def estimate_row(
    document: Document, overrides: Overrides = NO_OVERRIDES, book: Catalogue | None = None
) -> BatchRow:
    """What a batch row shows of a parsed profile: the figures of its estimate of the same
    names, bit for bit, computed without the rest of the report."""
    book = book or catalogue()
    scenario = scenario_of(document, overrides, book)
    origin = assemble.provenance(scenario, document, book)
    return assemble.row(scenario, headline(scenario), origin)


def _run(
    document: Document,
    overrides: Overrides,
    extras: Extras,
    book: Catalogue,
    *,
    keep_claimed: bool = False,
) -> tuple[Report, Scenario, Outcome]:
    """The report of a parsed profile, with the scenario and the engine's outcome behind it."""
    scenario = scenario_of(document, overrides, book)
    outcome = simulate(scenario, keep_claimed=keep_claimed)
    result = assemble.report(scenario, outcome, assemble.provenance(scenario, document, book))
    percentiles = scenario.settings.percentiles
    result = replace(
        result,
        decision=decision.decide(scenario, outcome),
        timeline=outcome.timeline,
        sensitivity=uncertainty.sensitivity(scenario, outcome) if extras.sensitivity else None,
        histogram=uncertainty.histogram(outcome.net_samples, percentiles)
        if extras.histogram
        else None,
    )
    return result, scenario, outcome


REPORT_EXTRA = ("matplotlib", "jinja2", "xlsxwriter", "babel")
"""What `inaction report` draws with: the optional extra `report` (module and package names)."""

INSTALL_REPORT_EXTRA = (
    "in a clone, pip install '.[report]'; "
    f"else pip install 'inaction[report] @ git+{REPOSITORY_URL}'; "
    f"with pipx, pipx inject inaction {' '.join(REPORT_EXTRA)}"
)
"""How to install the extra: from a clone or from the repository, since the name `inaction` on
PyPI belongs to an unrelated project."""


def board_pack(
    profile: ProfileSource,
    *,
    samples: int | None = None,
    seed: int | None = None,
    horizon_months: int | None = None,
    discount_rate: float | None = None,
    percentiles: Sequence[float] | None = None,
    delays: Sequence[int] | None = None,
    locale: str = "en",
) -> BoardPack:
    """Everything `inaction report` draws: the estimate with its tornado and distributions,
    the audit trail, in a locale's words for numbers."""
    missing = [name for name in REPORT_EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        raise InputError.single(
            "inaction report",
            f"needs the optional extra 'report' ({', '.join(missing)} missing): "
            + INSTALL_REPORT_EXTRA,
        )
    language = _locale(locale)
    overrides = checked_overrides(
        samples=samples,
        seed=seed,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        percentiles=percentiles,
        delays=delays,
    )
    book = catalogue()
    document = document_of(profile)
    report, scenario, outcome = _run(
        document, overrides, Extras(sensitivity=True), book, keep_claimed=True
    )
    net, claimed = outcome.net_samples, outcome.claimed_samples
    shown = [net, claimed] if claimed is not None and scenario.risk.given else [net]
    span = uncertainty.histogram_span(*shown)
    percentiles = scenario.settings.percentiles
    report = replace(report, histogram=uncertainty.histogram(net, percentiles, span=span))
    claimed_histogram = None
    if claimed is not None and scenario.risk.given:
        claimed_histogram = uncertainty.histogram(claimed, percentiles, span=span)
    origin = report.provenance
    return BoardPack(
        report=report,
        explanation=audit.explain(scenario, origin),
        claimed_histogram=claimed_histogram,
        locale=language,
    )


def _locale(code: str) -> str:
    """A locale Babel knows, as its canonical code (`fr`, `de_CH`); else InputError."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(code.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InputError.single(
            "--locale",
            f"unknown locale {code!r}: give a language code such as en, fr, de or fr_CH",
        ) from None


def validate(profile: ProfileSource) -> list[Problem]:
    """Every problem of a profile (a path, or a mapping), one per line; empty when valid."""
    return list(check(profile).problems)


def check(profile: ProfileSource) -> FileValidation:
    """Check a profile without running it: every problem, or its active levers and warnings."""
    label = source_label(os.fspath(profile)) if not isinstance(profile, Mapping) else "<mapping>"
    try:
        scenario = scenario_of(document_of(profile))
    except InputError as error:
        return FileValidation(label, problems=tuple(error.problems))
    levers = tuple(lever.id for lever in scenario.levers)
    if scenario.market is not None:
        levers += ("market_share",)
    return FileValidation(label, levers, scenario.warnings)


def validation(paths: Sequence[str]) -> Validation:
    """`inaction validate`: every profile of files, folders and globs, checked."""
    from inaction_cli.batch import expand

    files, empty = expand(paths)
    items = [FileValidation(item.file, problems=item.problems) for item in empty]
    items += [check(file) for file in files]
    return Validation(tuple(items))


def explain(profile: ProfileSource, levers: Sequence[str] = ()) -> Explanation:
    """The audit trail of a profile: each formula with its numbers, the sources, the time line."""
    document = document_of(profile)
    book = catalogue()
    scenario = scenario_of(document, NO_OVERRIDES, book)
    active = [lever.id for lever in scenario.levers]
    unknown = [lever_id for lever_id in levers if lever_id not in active]
    if unknown:
        raise InputError.single(
            document.source,
            f"lever {', '.join(map(quoted, unknown))} is not active in this profile "
            f"(active: {', '.join(active) or 'none'})",
        )
    origin = assemble.provenance(scenario, document, book)
    return audit.explain(scenario, origin, tuple(levers))


def diff(
    old: ProfileSource,
    new: ProfileSource,
    *,
    samples: int | None = None,
    seed: int | None = None,
    fail_above: float | None = None,
) -> Diff:
    """Compare two estimates, P50 by P50: JSON results as they are, profiles estimated with the
    same seed and sample count (these, else those of a result given, else OLD's own).
    `fail_above` (a fraction: 0.05 for 5 %) adds the gate's verdict. Two folders: see
    `diff_folders`."""
    from inaction_cli.compare import diff_reports

    overrides = checked_overrides(samples=samples, seed=seed)
    # Both read and every result checked before any estimate runs: a result's samples and seed
    # drive the estimate of a profile beside it.
    inputs = [_diff_input(source) for source in (old, new)]
    before, after = _reports_of(inputs, overrides)
    files = (inputs[0][0].source, inputs[1][0].source)
    return diff_reports(before, after, threshold=fail_above, files=files)


def _reports_of(inputs: Sequence[tuple[Document, bool]], overrides: Overrides) -> list[Report]:
    """The reports of JSON results and profiles (each input: its document, and whether it is
    a result): the profiles estimated with the seed and sample count of the overrides, else of
    the first result given, else of the first one. Every result is read and checked first."""
    from inaction_cli.result_schema import read_result

    documents = [document for document, _ in inputs]
    reports: list[Report | None] = [
        read_result(document) if result else None for document, result in inputs
    ]
    reference = next((report for report in reports if report is not None), None)
    for index, document in enumerate(documents):
        if reports[index] is None:
            shared = overrides
            if reference is not None:
                settings = reference.settings
                shared = replace(
                    overrides,
                    seed=settings.seed if overrides.seed is None else overrides.seed,
                    samples=settings.samples if overrides.samples is None else overrides.samples,
                )
            reports[index] = estimate_document(document, shared)
            reference = reference or reports[index]
    return [report for report in reports if report is not None]


def _diff_input(source: ProfileSource) -> tuple[Document, bool]:
    """One side of a diff, parsed, and whether it is a result. A result is strict JSON
    (RFC 8259): a `.json` file, or anything else that holds a JSON object shaped like a result
    (one piped to stdin); the rest is a profile, read as YAML."""
    from inaction_cli.result_schema import looks_like_result
    from inaction_cli.strict_json import parse_json

    if isinstance(source, Mapping):
        document = from_mapping(source)
        return document, looks_like_result(document.data)
    path = os.fspath(source)
    raw, label = read_source(path)
    if Path(path).suffix.lower() == ".json":
        return parse_json(raw, label), True
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        try:
            document = parse_json(raw, label)
        except InputError as error:
            # Not strict JSON: a profile in YAML's flow style, or a result that is not JSON.
            profile = parse(raw, label)
            if looks_like_result(profile.data):
                raise error from None
            return profile, False
        return document, looks_like_result(document.data)
    document = parse(raw, label)
    if looks_like_result(document.data):
        return parse_json(raw, label), True  # refused: a result is JSON, as estimate writes it
    return document, False


SCENARIO_SUFFIXES = (".json", ".yaml", ".yml")
"""What a folder given to `diff` holds: results of `estimate --format json`, or profiles."""


def diff_folders(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    samples: int | None = None,
    seed: int | None = None,
    fail_above: float | None = None,
) -> FolderDiff:
    """Compare two folders of results or profiles, scenario by scenario: files are paired by
    stem (`sme.json` with `sme.yaml`); a scenario on one side only is added or removed, one
    that cannot be read is an error row (never an exception: the other rows still count).
    `fail_above` gates every scenario present on both sides."""
    from inaction_cli.compare import folder_diff

    overrides = checked_overrides(samples=samples, seed=seed)
    folders = (os.fspath(old), os.fspath(new))
    found = [_scenario_files(folder) for folder in folders]
    if not found[0] and not found[1]:
        raise InputError.single(
            folders[1],
            f"neither this folder nor {folders[0]} holds a result (.json) or a profile "
            "(.yaml, .yml)",
        )
    names = sorted(set(found[0]) | set(found[1]))
    return folder_diff(
        folders,
        [
            _scenario_change(name, found[0].get(name, []), found[1].get(name, []), overrides)
            for name in names
        ],
        fail_above,
    )


def _scenario_files(folder: str) -> dict[str, list[str]]:
    """The results and profiles of a folder (not hidden files), by stem."""
    if not os.path.isdir(folder):
        raise InputError.single(folder, "is not a folder")
    by_stem: dict[str, list[str]] = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith(".") or not name.endswith(SCENARIO_SUFFIXES):
            continue
        # Every entry named like a scenario: one that is no file to read is an error row.
        by_stem.setdefault(Path(name).stem, []).append(path)
    return by_stem


def _scenario_change(name: str, old: list[str], new: list[str], overrides: Overrides) -> Pair:
    """One scenario's files and their reports (one per side present), or why they failed."""
    files = (old[0] if old else None, new[0] if new else None)
    for given in (old, new):
        if len(given) > 1:
            listed = ", ".join(Path(file).name for file in given)
            problem = Problem(given[1], f"{listed} all hold the scenario {name!r}: keep one")
            return Pair(name, files, problems=(problem,))
    from inaction_cli.batch import not_a_profile

    for file in (*old, *new):
        why = not_a_profile(file)
        if why is not None:
            return _failed_pair(name, files, (Problem(file, why),), overrides)
    try:
        inputs = [_diff_input(file) for file in (*old, *new)]
        reports = iter(_reports_of(inputs, overrides))
    except InputError as error:
        return _failed_pair(name, files, tuple(error.problems), overrides)
    return Pair(name, files, (next(reports) if old else None, next(reports) if new else None))


def _failed_pair(
    name: str,
    files: tuple[str | None, str | None],
    problems: tuple[Problem, ...],
    overrides: Overrides,
) -> Pair:
    """A scenario one side of which could not be read, with the report of the side that
    could (its net P50 still shows in the summary row)."""
    from inaction_cli.batch import not_a_profile

    failed = {problem.path for problem in problems}
    found = list(problems)
    sides: list[Report | None] = []
    for file in files:
        report = None
        if file is not None and file not in failed and not_a_profile(file) is None:
            try:
                report = _reports_of([_diff_input(file)], overrides)[0]
            except InputError as error:  # broken too: its problems join the row's
                found += error.problems
        sides.append(report)
    return Pair(name, files, (sides[0], sides[1]), tuple(found))


def batch(
    paths: Sequence[str],
    *,
    samples: int | None = None,
    seed: int | None = None,
    horizon_months: int | None = None,
    discount_rate: float | None = None,
    percentiles: Sequence[float] | None = None,
    jobs: int = 1,
    on_done: Callable[[BatchItem], None] | None = None,
) -> Batch:
    """Estimate many profiles (files, folders, globs): one item each, failures included."""
    from inaction_cli import batch as batches

    overrides = checked_overrides(
        samples=samples,
        seed=seed,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        percentiles=percentiles,
    )
    return batches.run(paths, overrides, jobs=jobs, on_done=on_done)


def benchmarks() -> CatalogueListing:
    """The benchmark catalogue: every lever's figures and every default, with their sources."""
    book = catalogue()
    return CatalogueListing(
        version=book.version,
        section_titles=dict(book.section_titles),
        evidence_grades=dict(book.evidence_grades),
        levers=tuple(
            CatalogueLever(
                id=lever.id,
                label=lever.label,
                uplift=lever.uplift,
                time_to_value_months=lever.time_to_value_months,
                group=lever.group,
                evidence=lever.evidence,
                sections=lever.sections,
                source=lever.source,
                time_to_value_source=lever.time_to_value_source,
            )
            for lever in book.levers.values()
        ),
        figures=(
            CatalogueFigure(
                "diagnostic_months",
                "diagnostic",
                "months before any lever ramps",
                book.diagnostic_months.value,
                book.diagnostic_months.sections,
                book.diagnostic_months.source,
            ),
            CatalogueFigure(
                "initial_budget_share",
                "initial budget",
                "share of finance.dev_budget",
                book.initial_budget_share.value,
                book.initial_budget_share.sections,
                book.initial_budget_share.source,
            ),
        ),
    )


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a profile, for editors and other tools."""
    from inaction_cli.profile import profile_json_schema

    return profile_json_schema(catalogue())


def result_schema() -> dict[str, Any]:
    """The JSON Schema of `estimate --format json`."""
    from inaction_cli.result_schema import result_json_schema

    return result_json_schema()


def warm_up() -> None:
    """Build once what every estimate needs (the profile's validator, the catalogue, numpy's
    random module), so that processes forked from this one inherit it ready."""
    import numpy.random  # noqa: F401 - imported for its side effect: loaded once, here

    scenario_of(parse(b"operations: {headcount: 1, loaded_cost_per_fte: 1}", "warm-up"))
