"""How fast is inaction? Four measurements, each a ratio against a plain baseline.

    python bench/run.py             # everything (a few minutes)
    python bench/run.py engine cli  # some of it: engine, cli, batch, memory

1. engine  — the engine against a plain numpy implementation of the same model written here,
             month by month over sample vectors, at 1,000,000 samples (target: at most 0.5x).
             The baseline draws from the very same random streams, so the script also checks
             that both give the same numbers.
2. cli     — `inaction estimate` at default settings, as a whole process, against
             `python -c "import numpy, yaml"` (target: at most 2.0x).
3. batch   — `inaction batch` of 1,000 generated profiles, --jobs 1 against --jobs 2
             (target: --jobs 2 at least 1.6x faster).
4. memory  — peak memory of a 10,000,000-sample run (target: under 1 GiB).

Runs alternate between the two sides of each ratio, and medians are reported, so that a
passing load on the machine touches both alike. Nothing here is asserted in the test suite.
"""

from __future__ import annotations

import compileall
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import main as generate  # noqa: E402

import inaction_cli  # noqa: E402
from inaction_cli.api import scenario_of  # noqa: E402
from inaction_cli.build_scenario import Overrides  # noqa: E402
from inaction_cli.distributions import sample, stream  # noqa: E402
from inaction_cli.engine import simulate  # noqa: E402
from inaction_cli.loader import parse  # noqa: E402
from inaction_cli.scenario import Input, Scenario  # noqa: E402

PROFILE = """
company: {name: Bench SME}
finance: {annual_revenue: 12000000, gross_margin: {low: 0.40, high: 0.48}}
operations: {headcount: {low: 35, high: 45}, loaded_cost_per_fte: {low: 52000, high: 58000}}
acquisition: {new_customers_per_year: {low: 700, high: 900}, cac: {low: 650, high: 850},
              targeted_share: 0.6}
email: {annual_revenue: {low: 800000, high: 1000000}}
advertising: {programmatic_spend: 200000, roas: {low: 2.5, high: 3.5}}
market: {erosion_per_year: {low: 0.01, high: 0.03}}
adoption: {setup_cost: {low: 70000, high: 110000}, annual_run_cost: 40000}
"""
PERCENTILES = (5.0, 50.0, 95.0)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def alternate(*actions: Callable[[], object], rounds: int) -> list[float]:
    """Median times of actions run in turn, after one warm-up each."""
    for action in actions:
        action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(rounds):
        for action, spent in zip(actions, times, strict=True):
            spent.append(timed(action))
    return [statistics.median(spent) for spent in times]


# --- 1. the engine against a month loop -------------------------------------------------------


def draws(scenario: Scenario, item: Input) -> np.ndarray | float:
    """The input's samples from its own stream: the same ones the engine draws."""
    if item.value.is_point:
        return item.value.low
    return np.asarray(
        sample(item.value, stream(scenario.settings.seed, item.path), scenario.settings.samples)
    )


def month_loop(scenario: Scenario) -> dict[str, list[float]]:
    """DESIGN.md's model written plainly: for each month, vectors over all samples."""
    settings = scenario.settings
    rate, months = settings.discount_rate, settings.horizon_months
    diagnostic = draws(scenario, scenario.diagnostic_months)
    results: dict[str, np.ndarray] = {}
    annual_total = 0.0
    gross_now, gross_later = 0.0, 0.0
    for lever in scenario.levers:
        x = {item.path: draws(scenario, item) for item in (*lever.inputs, lever.uplift)}
        time_to_value = draws(scenario, lever.time_to_value)
        value = lever.annual_value(x)
        now = np.zeros(settings.samples)
        later = np.zeros(settings.samples)
        for month in range(1, months + 1):
            discount = (1 + rate) ** (-month / 12)
            now += value / 12 * np.clip((month - diagnostic) / time_to_value, 0, 1) * discount
            later += value / 12 * np.clip((month - 1 - diagnostic) / time_to_value, 0, 1) * discount
        results[f"{lever.id}.annual"] = np.broadcast_to(value, (settings.samples,))
        results[f"{lever.id}.horizon"] = now
        annual_total = annual_total + value
        gross_now = gross_now + now
        gross_later = gross_later + later
    market = scenario.market
    assert market is not None
    revenue = draws(scenario, market.annual_revenue)
    margin = draws(scenario, market.gross_margin)
    erosion = draws(scenario, market.erosion_per_year)
    market_share = np.zeros(settings.samples)
    for month in range(1, months + 1):
        market_share += (
            revenue
            * margin
            / 12
            * (1 - (1 - erosion) ** (month / 12))
            * (1 + rate) ** (-month / 12)
        )
    setup = draws(scenario, scenario.setup_cost[0])
    assert scenario.annual_run_cost is not None
    run = draws(scenario, scenario.annual_run_cost)
    cost_now = setup * (1 + rate) ** (-1 / 12) + sum(
        run / 12 * (1 + rate) ** (-month / 12) for month in range(1, months + 1)
    )
    cost_later = setup * (1 + rate) ** (-2 / 12) + sum(
        run / 12 * (1 + rate) ** (-month / 12) for month in range(2, months + 1)
    )
    net = gross_now + market_share - cost_now
    results.update(
        annual=np.broadcast_to(annual_total, (settings.samples,)),
        gross=gross_now,
        market_share=market_share,
        adoption_cost=np.broadcast_to(cost_now, (settings.samples,)),
        net=net,
        cost_of_delay=(gross_now - gross_later) - (cost_now - cost_later),
    )
    summary = {
        name: [float(values.mean()), *map(float, np.percentile(values, PERCENTILES))]
        for name, values in results.items()
    }
    summary["probability"] = [float(np.mean(net > 0))]
    return summary


def engine_summary(scenario: Scenario) -> dict[str, list[float]]:
    outcome = simulate(scenario)

    def stats(summary: object) -> list[float]:
        return [summary.mean, *summary.percentiles]  # type: ignore[attr-defined]

    found = {}
    for lever in outcome.levers:
        found[f"{lever.id}.annual"] = stats(lever.annual)
        found[f"{lever.id}.horizon"] = stats(lever.horizon)
    for name in ("annual", "gross", "market_share", "adoption_cost", "net"):
        found[name] = stats(getattr(outcome, name))
    found["cost_of_delay"] = stats(outcome.cost_of_delay_per_month)
    found["probability"] = [outcome.probability_net_positive]
    return found


def bench_engine(rounds: int) -> None:
    scenario = scenario_of(parse(PROFILE.encode(), "bench.yaml"), Overrides(samples=1_000_000))
    engine = engine_summary(scenario)
    baseline = month_loop(scenario)
    worst = max(
        abs(a - b) / max(abs(b), 1.0)
        for name in baseline
        for a, b in zip(engine[name], baseline[name], strict=True)
    )
    ours, plain = alternate(lambda: simulate(scenario), lambda: month_loop(scenario), rounds=rounds)
    print("1. engine, 1,000,000 samples, four core levers + market share + costs, 36 months")
    print(f"   inaction engine      {ours:8.3f} s  (median of {rounds})")
    print(f"   numpy month loop     {plain:8.3f} s")
    print(f"   ratio                {ours / plain:8.2f}x   target <= 0.50x")
    print(f"   largest relative difference of any statistic: {worst:.1e} (same streams)")


# --- 2. the command line against the bare imports ---------------------------------------------


def command() -> str:
    """The `inaction` script of the running Python's environment, activated or not."""
    beside = Path(sys.executable).with_name("inaction")
    return str(beside) if beside.exists() else shutil.which("inaction") or "inaction"


def run_process(*args: str) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


STACK = """
import numpy, yaml, typer

app = typer.Typer()

@app.command()
def estimate(path: str, samples: int | None = None) -> None:
    from pydantic import BaseModel
    from rich.console import Console
    from rich.table import Table

    class Profile(BaseModel):
        x: float = 1.0

    Profile.model_validate({"x": 2})
    table = Table()
    table.add_column("a")
    table.add_row(path)
    Console().print(table)

@app.command()
def other() -> None:
    pass

app()
"""
"""The same stack as inaction doing nothing of its own: where start-up cannot go below."""


def bench_cli(rounds: int) -> None:
    inaction = command()
    profile = str(ROOT / "scenarios" / "sme.yaml")
    # pip compiles a package's modules when it installs it; an editable install (or a
    # PYTHONDONTWRITEBYTECODE environment) would otherwise compile ours at every start.
    compileall.compile_dir(Path(inaction_cli.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        stack = Path(folder) / "stack.py"
        stack.write_text(STACK, encoding="utf-8")
        ours, floor, bare = alternate(
            lambda: run_process(inaction, "estimate", profile),
            lambda: run_process(sys.executable, "-c", "import numpy, yaml"),
            lambda: run_process(sys.executable, str(stack), "estimate", profile),
            rounds=rounds,
        )
    print("2. `inaction estimate scenarios/sme.yaml` (20,000 samples), whole process")
    print(f"   inaction estimate    {ours:8.3f} s  (median of {rounds})")
    print(f"   import numpy, yaml   {floor:8.3f} s")
    print(f"   ratio                {ours / floor:8.2f}x   target <= 2.00x")
    print("   for reference: a do-nothing typer command with numpy, yaml, one pydantic model")
    print(f"   and a rich table     {bare:8.3f} s  = {bare / floor:.2f}x the floor")


# --- 3. batch with one and two processes ------------------------------------------------------


def bench_batch(rounds: int, count: int = 1000) -> None:
    inaction = command()
    with tempfile.TemporaryDirectory() as folder:
        sys.argv = ["generate", str(count), folder]
        generate()
        one, two = alternate(
            lambda: run_process(inaction, "batch", folder, "--jobs", "1", "-q", "-f", "csv"),
            lambda: run_process(inaction, "batch", folder, "--jobs", "2", "-q", "-f", "csv"),
            rounds=rounds,
        )
    print(f"3. `inaction batch` of {count:,} generated profiles, default settings")
    print(f"   --jobs 1             {one:8.3f} s  (median of {rounds})")
    print(f"   --jobs 2             {two:8.3f} s")
    print(f"   speed-up             {one / two:8.2f}x   target >= 1.60x")


# --- 4. memory at ten million samples ---------------------------------------------------------


def bench_memory() -> None:
    inaction = command()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    run_process(
        inaction,
        "estimate",
        str(ROOT / "scenarios" / "sme.yaml"),
        "--samples",
        "10000000",
        "-f",
        "json",
        "-q",
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    note = "" if peak > before else " (an earlier child was larger: lower bound)"
    print("4. `inaction estimate scenarios/sme.yaml --samples 10000000`")
    print(f"   peak memory          {peak / 1024:8.0f} MiB{note}   target < 1024 MiB")
    print(f"   time                 {elapsed:8.1f} s")


def main() -> None:
    wanted = sys.argv[1:] or ["engine", "cli", "batch", "memory"]
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}\n"
    )
    if "memory" in wanted:  # first: ru_maxrss of children is a high-water mark
        bench_memory()
    if "engine" in wanted:
        bench_engine(rounds=5)
    if "cli" in wanted:
        bench_cli(rounds=15)
    if "batch" in wanted:
        bench_batch(rounds=3)


if __name__ == "__main__":
    main()
