"""Invariants of the model, over generated profiles (hypothesis)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import example, given, note
from hypothesis import strategies as st

from inaction_cli.result import Summary
from strategies import MONEY, SECTIONS, money_paths, profiles, scaled
from support import estimate


def all_summaries(report: Any) -> list[tuple[str, Summary]]:
    found = [(f"{item.id}.annual", item.annual) for item in report.levers]
    found += [(f"{item.id}.horizon", item.horizon) for item in report.levers]
    totals = report.totals
    found += [
        ("annual", totals.annual),
        ("gross", totals.gross),
        ("market_share", totals.market_share),
        ("adoption_cost", totals.adoption_cost),
        ("net", totals.net),
        ("cost_of_delay_per_month", totals.cost_of_delay_per_month),
    ]
    return found


@given(profiles(), st.lists(st.floats(0, 100), min_size=1, max_size=6))
def test_percentiles_are_ordered_everywhere(profile: dict[str, Any], wanted: list[float]) -> None:
    percentiles = tuple(sorted(set(wanted)))
    report = estimate(profile, percentiles=percentiles)
    for name, summary in all_summaries(report):
        note(f"{name}: {summary}")
        assert list(summary.percentiles) == sorted(summary.percentiles), name
    assert 0.0 <= report.totals.probability_net_positive <= 1.0


@given(profiles(), st.data(), st.floats(1.0, 10.0))
@example(
    profile={
        "analysis": {"samples": 200},
        "finance": {"gross_margin": 0.5},
        "email": {"annual_revenue": {"low": 0.0, "high": 1e6}},
    },
    data=None,
    factor=3.0,
).via("a range of money scaled up")
def test_raising_a_money_input_never_lowers_the_gross(
    profile: dict[str, Any], data: st.DataObject | None, factor: float
) -> None:
    paths = money_paths(profile)
    if not paths:
        return
    section, field = paths[0] if data is None else data.draw(st.sampled_from(paths))
    raised = copy.deepcopy(profile)
    raised[section][field] = scaled(raised[section][field], factor)
    note(f"raised {section}.{field} by {factor}")
    before, after = estimate(profile).totals.gross, estimate(raised).totals.gross
    tolerance = 1e-9 * max(1.0, abs(before.mean))
    assert after.mean >= before.mean - tolerance
    for low, high in zip(before.percentiles, after.percentiles, strict=True):
        assert high >= low - tolerance


@given(profiles())
def test_same_seed_gives_the_same_bytes(profile: dict[str, Any]) -> None:
    assert estimate(profile).to_json() == estimate(profile).to_json()


@given(profiles())
def test_zero_money_gives_zero_value(profile: dict[str, Any]) -> None:
    for section, fields in SECTIONS.items():
        if section in profile:
            for field, kind in fields.items():
                if kind == MONEY:
                    profile[section][field] = 0
    report = estimate(profile)
    for item in report.levers:
        assert item.annual == Summary(0.0, (0.0,) * 3), item.id
        assert item.horizon == Summary(0.0, (0.0,) * 3), item.id
    assert report.totals.gross == Summary(0.0, (0.0,) * 3)
    assert report.totals.annual == Summary(0.0, (0.0,) * 3)


@given(profiles(samples=100))
def test_zero_erosion_loses_no_market_share(profile: dict[str, Any]) -> None:
    profile["market"] = {"erosion_per_year": 0}
    assert estimate(profile).totals.market_share == Summary(0.0, (0.0,) * 3)
