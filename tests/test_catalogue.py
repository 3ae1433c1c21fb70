"""The benchmark catalogue holds the article's figures (BENCHMARKS.md), and nothing else."""

from __future__ import annotations

import pytest

from inaction_cli.benchmarks import catalogue
from inaction_cli.distributions import Uncertain
from inaction_cli.levers import LEVERS

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
    assert set(catalogue().levers) == set(LEVERS) == set(ARTICLE)


def test_mechanism_groups() -> None:
    assert catalogue().groups() == {
        "lead_scoring": ("cac", "meetings"),
        "programmatic": ("roas", "cpl"),
        "email_personalisation": ("ctr", "retention"),
    }


def test_timeline_and_cost_figures() -> None:
    book = catalogue()
    assert book.diagnostic_months.value == Uncertain(0.5, 1.0)
    assert book.initial_budget_share.value == Uncertain(0.05, 0.10)
    assert book.diagnostic_months.sections == book.initial_budget_share.sections == (5,)


def test_catalogue_is_paraphrased_not_copied() -> None:
    # The article is French; the catalogue speaks English.
    for lever in catalogue().levers.values():
        for word in (" des ", " les ", " une ", " sur "):
            assert word not in f" {lever.source} "
