"""The benchmark catalogue holds the article's figures (BENCHMARKS.md), and nothing else."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from inaction_cli import catalogue as catalogue_module
from inaction_cli.api import estimate_document
from inaction_cli.catalogue import Catalogue, CatalogueError, build, catalogue, read_yaml
from inaction_cli.distributions import Uncertain
from inaction_cli.errors import InputError
from inaction_cli.levers import CAPS, FUNCTIONS
from inaction_cli.loader import parse

# lever: (uplift low, high, time to full effect low, high, sections)
ARTICLE = {
    "productivity": (0.15, 0.25, 3, 9, (2,)),
    "cac": (0.20, 0.35, 3, 3, (2,)),
    "ctr": (0.30, 0.60, 3, 9, (2,)),
    "roas": (0.30, 0.80, 3, 9, (1,)),
    "meetings": (0.40, 2.00, 1.5, 1.5, (1, 2, 3)),
    "cpl": (0.25, 0.25, 1, 1, (3,)),
    "retention": (0.25, 0.50, 3, 9, (3,)),
    "returns": (1 - 10 / 18, 1 - 10 / 18, 9, 9, (2,)),
}


@pytest.mark.parametrize("lever_id", sorted(ARTICLE))
def test_lever_figures_are_the_article_s(lever_id: str) -> None:
    low, high, ttv_low, ttv_high, sections = ARTICLE[lever_id]
    lever = catalogue().levers[lever_id]
    assert lever.uplift == Uncertain(pytest.approx(low), pytest.approx(high))  # type: ignore[arg-type]
    assert (lever.time_to_value_months.low, lever.time_to_value_months.high) == (
        ttv_low,
        ttv_high,
    )
    assert lever.sections == sections
    assert lever.source
    assert lever.label
    assert lever.time_to_value_source


def test_every_lever_of_the_model_is_in_the_catalogue_and_back() -> None:
    assert set(catalogue().levers) == set(FUNCTIONS) == set(ARTICLE)


def test_mechanism_groups() -> None:
    assert catalogue().groups() == {
        "lead_scoring": ("cac", "meetings"),
        "programmatic": ("roas", "cpl"),
        "email_personalisation": ("ctr", "retention"),
    }


def test_timeline_and_cost_figures() -> None:
    book = catalogue()
    # The article's 2-4 weeks read exactly: 14 and 28 days in months of 365.25 / 12 days.
    assert book.diagnostic_months.value == Uncertain(14 / (365.25 / 12), 28 / (365.25 / 12))
    assert round(book.diagnostic_months.value.low, 4) == 0.4600
    assert round(book.diagnostic_months.value.high, 4) == 0.9199
    assert book.initial_budget_share.value == Uncertain(0.05, 0.10)
    assert book.diagnostic_months.sections == book.initial_budget_share.sections == (5,)


def test_catalogue_is_paraphrased_not_copied() -> None:
    # The article is French; the catalogue speaks English.
    for lever in catalogue().levers.values():
        for word in (" des ", " les ", " une ", " sur "):
            assert word not in f" {lever.source} "


# --- a lever is data: one catalogue entry and one function ---------------------------------

TOY = {
    "label": "Invoice matching",
    "section": "invoices",
    "about": "Lever `toy`: AI matches supplier invoices to orders.",
    "inputs": {
        "invoices_per_year": {"unit": "count", "description": "Supplier invoices per year."},
        "minutes_per_invoice": {"unit": "ratio", "description": "Minutes spent on each."},
        "cost_per_minute": {"unit": "money", "description": "Loaded cost of a minute."},
    },
    "formula": "{invoices_per_year} × {minutes_per_invoice} × {cost_per_minute} × {u}",
    "group": None,
    "uplift": {"low": 0.5, "high": 0.5},
    "time_to_value_months": 2,
    "evidence": "anecdote",
    "sections": [2],
    "source": "A toy figure for a test.",
    "time_to_value_source": "A toy ramp.",
}


def toy(invoices_per_year: float, minutes_per_invoice: float, cost_per_minute: float, u: float):
    return invoices_per_year * minutes_per_invoice * cost_per_minute * u


def toy_catalogue(entry: dict[str, Any] = TOY, function: Any = toy) -> Catalogue:
    raw = read_yaml(Path(catalogue_module.__file__).with_name("catalogue.yaml"))
    raw["levers"]["toy"] = entry
    return build(raw, {**FUNCTIONS, "toy": function}, CAPS)


def test_a_lever_is_one_catalogue_entry_and_one_function() -> None:
    book = toy_catalogue()
    text = b"""
analysis: {horizon_months: 12, discount_rate: 0, samples: 100}
adoption: {diagnostic_months: 1}
invoices: {invoices_per_year: 12000, minutes_per_invoice: 10, cost_per_minute: 1}
"""
    report = estimate_document(parse(text, "toy.yaml"), book=book)
    (lever,) = report.levers
    assert lever.id == "toy"
    assert lever.label == "Invoice matching"
    # V = 12,000 × 10 × 1 × 0.5 = 60,000 a year; D = 1, T = 2: Σf = 10.5 over 12 months.
    assert lever.annual.mean == 60_000
    assert lever.horizon.mean == pytest.approx(5_000 * 10.5, rel=1e-12)
    assert "A toy figure" in lever.benchmark.source
    # The profile's model knows the new section: a misspelt key gets a "did you mean".
    with pytest.raises(InputError) as error:
        estimate_document(parse(b"invoices: {invoices_per_yaer: 1}", "toy.yaml"), book=book)
    assert "did you mean 'invoices_per_year'" in str(error.value)
    # And its uplift can be overridden like any catalogue lever's.
    overridden = text + b"benchmarks: {toy: {low: 0.25, high: 0.25}}\n"
    assert estimate_document(parse(overridden, "toy.yaml"), book=book).levers[0].annual.mean == (
        30_000
    )


def test_a_function_that_does_not_match_its_declaration_is_refused_at_once() -> None:
    def misnamed(invoices_per_year: float, minutes: float, cost_per_minute: float, u: float):
        return 0.0

    with pytest.raises(CatalogueError, match="minutes_per_invoice"):
        toy_catalogue(function=misnamed)
    with pytest.raises(CatalogueError, match="formula"):
        toy_catalogue({**TOY, "formula": "{invoices_per_year} × {u}"})
    with pytest.raises(CatalogueError, match="evidence"):
        toy_catalogue({**TOY, "evidence": "measured"})


def test_every_lever_function_is_named_after_its_inputs() -> None:
    for lever in catalogue().levers.values():
        assert set(inspect.signature(lever.function).parameters) == {*lever.parameters, "u"}


def test_every_lever_has_an_evidence_grade() -> None:
    grades = {lever_id: lever.evidence for lever_id, lever in catalogue().levers.items()}
    assert grades == {
        "productivity": "claimed range",
        "cac": "claimed range",
        "ctr": "claimed range",
        "roas": "claimed range",
        "meetings": "anecdote",
        "cpl": "anecdote",
        "retention": "claimed range",
        "returns": "anecdote",
    }
