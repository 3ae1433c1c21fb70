"""The figures a board decides on (DESIGN.md, "Decision figures"), from the run's samples.

The engine computes every per-sample figure (ROI, payback, cash flow, timeline, delays, each
lever's cost of delay); this module adds what needs the whole run: the break-even chance of
success, the order of the levers, and the value of information.
"""

from __future__ import annotations

import math

import numpy as np

from inaction_cli import parallel
from inaction_cli.correlation import stable_order
from inaction_cli.distributions import FloatArray
from inaction_cli.engine import Headline, Outcome, draw_input
from inaction_cli.result import Decision, InputValue, Priority, ValueOfInformation
from inaction_cli.scenario import SUCCESS, Scenario

CLEAR_DECISION = 0.01
"""Below 1 % of the mean net, perfect information would not change what the decision is
worth: "no input is worth measuring"."""
SUCCESS_LABEL = "whether the pilot succeeds"


def decide(scenario: Scenario, outcome: Outcome) -> Decision:
    """Every decision figure of a run."""
    return Decision(
        break_even_success_probability=break_even(outcome.headline),
        roi=outcome.roi,
        payback_month=outcome.payback,
        cash_flow_by_year=outcome.cash_flow,
        delays=outcome.delays,
        priority=priority(scenario, outcome),
        value_of_information=value_of_information(scenario, outcome),
    )


def break_even(outcome: Headline) -> float | None:
    """p* = E[C_f] / (E[N_s] + E[C_f]): adopting beats waiting in expectation while the chance
    of success is above it; None when even a certain success does not pay (E[N_s] ≤ 0)."""
    succeeding, failing = outcome.success_net_mean, outcome.failed_pilot_cost.mean
    if succeeding <= 0:
        return None
    return failing / (succeeding + failing)


def priority(scenario: Scenario, outcome: Outcome) -> tuple[Priority, ...]:
    """The levers by CD3 (cost of delay ÷ months to full effect), highest P50 first, ties by
    id: which use case first."""
    ranked = sorted(
        zip(scenario.levers, outcome.levers, strict=True),
        key=lambda pair: (-pair[1].cd3_median, pair[0].id),
    )
    return tuple(
        Priority(
            id=plan.id,
            label=plan.label,
            cost_of_delay_per_month=result.cost_of_delay_per_month,
            months_to_full_effect=result.months_to_full_effect,
            cd3=result.cd3,
        )
        for plan, result in ranked
    )


def value_of_information(scenario: Scenario, outcome: Outcome) -> ValueOfInformation:
    """EVPI, and each uncertain input's EVPPI by binning the net on the input's draws."""
    net = outcome.net_samples
    baseline = max(float(net.mean()), 0.0)
    evpi = max(float(np.maximum(net, 0.0).mean()) - baseline, 0.0)
    labels = {path: item.name for path, item in scenario.uncertain_inputs().items()}
    if not scenario.risk.certain_success:
        labels[SUCCESS] = SUCCESS_LABEL

    def value(item: tuple[str, str]) -> InputValue:
        path, label = item
        draws = outcome.draws.get(path)
        if draws is None:
            draws = draw_input(scenario, path)
        # EVPPI ≤ EVPI holds exactly; the bound keeps it so through rounding of the bin sums.
        return InputValue(path, label, min(evppi(net, draws, baseline, path == SUCCESS), evpi))

    # One sort of the samples by each input: on threads for a large run (numpy sorts without
    # the GIL), the same values in the same order.
    # Each call holds an order, the reordered net and, unless kept, the input's draws.
    inputs = parallel.mapped(value, list(labels.items()), net.size, arrays=3)
    inputs.sort(key=lambda item: (-item.evppi, item.input))
    worth = evpi > CLEAR_DECISION * abs(float(net.mean()))
    return ValueOfInformation(evpi, tuple(inputs), worth_measuring=worth)


def evppi(net: FloatArray, draws: FloatArray, baseline: float, by_value: bool = False) -> float:
    """Σ_b (n_b / n) max(mean of the net over bin b, 0) − max(E[net], 0): the samples sorted by
    the input's draw (a stable sort), split into ⌊√n⌋ consecutive bins; or, `by_value`, into
    groups of equal draws (the success S: 0 and 1)."""
    count = net.size
    if by_value:
        # The distinct values in increasing order, smallest first (S has two: np.unique would
        # sort them all, and import numpy.ma, ten milliseconds of a command line's start-up).
        values: list[float] = []
        rest = draws
        while rest.size:
            values.append(float(rest.min()))
            rest = rest[rest > values[-1]]
        total = sum(max(float(net[draws == value].sum()), 0.0) for value in values)
        return max(total / count - baseline, 0.0)
    ordered = net[stable_order(draws)]
    bins = math.isqrt(count)
    # numpy.array_split: the first count % bins bins hold one sample more.
    size, extra = divmod(count, bins)
    starts = np.arange(bins) * size + np.minimum(np.arange(bins), extra)
    sums = np.add.reduceat(ordered, starts)
    return max(float(np.maximum(sums, 0.0).sum()) / count - baseline, 0.0)
