"""How fast is inaction? Each measurement is a ratio against a plain baseline, with its target.

    python bench/run.py                          # everything (a few minutes)
    python bench/run.py engine cli sensitivity   # some of it: memory, engine, cli,
                                                 # sensitivity, batch

1. memory      — peak memory of a 10,000,000-sample estimate with two correlated pairs and
                 every figure of the JSON (target: under 1 GiB).
2. engine      — a 1,000,000-sample estimate, every figure of the JSON included, against a
                 plain numpy month loop of the net alone (the independent reference model of
                 tests/reference_model.py, fed the very same draws) (target: at most 0.5x).
                 The script also checks that both give the same net.
3. cli         — `inaction estimate scenarios/sme.yaml` as a whole process against
                 `python -c "import numpy, yaml"`, both with the single BLAS thread the tool
                 uses (target: at most 2.0x); `inaction --version` (target: under 1.0x).
4. sensitivity — `--sensitivity` against the same estimate without it at 1,000,000 samples
                 (target: at most 3x), and its cost per uncertain input for 4, 8 and 16 inputs
                 (linear: about the same for each).
5. batch       — `inaction batch` of 1,000 generated profiles: profiles a second with --jobs 1
                 (target: at least 250), and --jobs 2 against --jobs 1 (target: at least 1.6x).

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
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from generate import main as generate  # noqa: E402

import inaction_cli  # noqa: E402
import reference_model as ref  # noqa: E402
from crosscheck import reference_of  # noqa: E402
from inaction_cli.api import estimate_document, scenario_of  # noqa: E402
from inaction_cli.build_scenario import Overrides  # noqa: E402
from inaction_cli.engine import median  # noqa: E402
from inaction_cli.loader import parse  # noqa: E402

PROFILE = """
company: {name: Bench SME}
finance: {annual_revenue: 12000000, gross_margin: {low: 0.40, high: 0.48}}
operations: {headcount: {low: 35, high: 45}, loaded_cost_per_fte: {low: 52000, high: 58000}}
acquisition: {new_customers_per_year: {low: 700, high: 900}, cac: {low: 650, high: 850},
              targeted_share: 0.6}
email: {annual_revenue: {low: 800000, high: 1000000}}
advertising: {programmatic_spend: 200000, roas: {low: 2.5, high: 3.5}}
market: {erosion_per_year: {low: 0.01, high: 0.03}}
adoption:
  setup_cost: {low: 70000, high: 110000}
  annual_run_cost: 40000
  costs:
    bootcamps: {label: Bootcamps, monthly: {low: 3000, high: 5000}, from_month: 1, to_month: 9}
risk:
  success_probability: {low: 0.6, high: 0.8}
  realisation: {low: 0.6, high: 0.9}
  cost_overrun: {low: 1.0, high: 1.5, distribution: lognormal90}
"""
CORRELATED = (
    PROFILE
    + """
correlations:
  - {inputs: [finance.gross_margin, advertising.roas], rank_correlation: 0.5}
  - {inputs: [operations.loaded_cost_per_fte, adoption.setup_cost], rank_correlation: 0.3}
"""
)
SINGLE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


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


def verdict(ratio: float, target: float, *, at_most: bool = True) -> str:
    met = ratio <= target if at_most else ratio >= target
    return "met" if met else "MISSED"


def command() -> str:
    """The `inaction` script of the running Python's environment, activated or not."""
    beside = Path(sys.executable).with_name("inaction")
    return str(beside) if beside.exists() else shutil.which("inaction") or "inaction"


def run_process(*args: str) -> None:
    """A whole process, its output thrown away (never with `-o /dev/null`: a device is not a
    file to write a report to)."""
    subprocess.run(
        args,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **SINGLE_THREAD},
    )


# --- 1. memory at ten million samples ---------------------------------------------------------


def bench_memory() -> None:
    inaction = command()
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "correlated.yaml"
        profile.write_text(CORRELATED, encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        elapsed = timed(
            lambda: run_process(
                inaction, "estimate", str(profile), "--samples", "10000000", "-f", "json", "-q"
            )
        )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    note = "" if peak * 1024 > before else " (an earlier child was larger: lower bound)"
    print("1. memory: `inaction estimate --samples 10000000 -f json`, two correlated pairs,")
    print("   every decision figure")
    met = verdict(peak, 1024)
    print(f"   peak memory          {peak:8.0f} MiB{note}   target < 1024 MiB  {met}")
    print(f"   time                 {elapsed:8.1f} s")


# --- 2. the engine against a month loop -------------------------------------------------------


def bench_engine(rounds: int) -> None:
    document = parse(PROFILE.encode(), "bench.yaml")
    overrides = Overrides(samples=1_000_000)
    scenario = scenario_of(document, overrides)

    def ours() -> dict[str, object]:
        return estimate_document(document, overrides).to_dict()

    def plain() -> np.ndarray:
        return ref.net(reference_of(scenario))

    found = ours()["totals"]["net"]["p50"]  # type: ignore[index]
    expected = round(median(plain()), 2)
    spent, baseline = alternate(ours, plain, rounds=rounds)
    ratio = spent / baseline
    print("2. engine: 1,000,000 samples, four levers + market + cost lines + risk, 36 months")
    print(f"   inaction, every figure of the JSON  {spent:8.3f} s  (median of {rounds})")
    print(f"   numpy month loop of the net alone  {baseline:8.3f} s  (same draws)")
    print(f"   ratio                {ratio:8.2f}x   target <= 0.50x  {verdict(ratio, 0.5)}")
    print(f"   net P50: inaction {found:,.2f}, month loop {expected:,.2f}")


# --- 3. the command line against the bare imports ---------------------------------------------


def bench_cli(rounds: int) -> None:
    inaction = command()
    profile = str(ROOT / "scenarios" / "sme.yaml")
    # pip compiles a package's modules when it installs it; an editable install (or a
    # PYTHONDONTWRITEBYTECODE environment) would otherwise compile ours at every start.
    compileall.compile_dir(Path(inaction_cli.__file__).parent, quiet=1)
    ours, version, floor = alternate(
        lambda: run_process(inaction, "estimate", profile),
        lambda: run_process(inaction, "--version"),
        lambda: run_process(sys.executable, "-c", "import numpy, yaml"),
        rounds=rounds,
    )
    print("3. command line, whole process, one BLAS thread on both sides")
    print(f"   inaction estimate scenarios/sme.yaml  {ours:6.3f} s  (median of {rounds})")
    print(f"   inaction --version                    {version:6.3f} s")
    print(f"   python -c 'import numpy, yaml'        {floor:6.3f} s")
    estimate_ratio, version_ratio = ours / floor, version / floor
    print(
        f"   estimate ratio       {estimate_ratio:8.2f}x   target <= 2.00x  "
        f"{verdict(estimate_ratio, 2.0)}"
    )
    print(
        f"   --version ratio      {version_ratio:8.2f}x   target <  1.00x  "
        f"{verdict(version_ratio, 0.999)}"
    )


# --- 4. the tornado ----------------------------------------------------------------------------


def custom_profile(inputs: int) -> str:
    """A profile whose only uncertainty is `inputs` ranged factors of custom levers (four
    factors a lever), so that the tornado's cost can be read per input."""
    levers = []
    for index in range(inputs // 4):
        factors = ", ".join(f"f{k}: {{low: {10 + k}, high: {20 + k}}}" for k in range(4))
        levers.append(
            f"  lever_{index}: {{label: Lever {index}, kind: saving, factors: {{{factors}}}, "
            "uplift: 0.2, time_to_value_months: 3, source: bench, evidence: claimed range}"
        )
    return (
        "company: {name: Tornado}\nadoption: {setup_cost: 10000, annual_run_cost: 1000, "
        "diagnostic_months: 0.5}\ncustom_levers:\n" + "\n".join(levers) + "\n"
    )


def bench_sensitivity(rounds: int) -> None:
    mapping = yaml.safe_load(PROFILE)
    count = len(scenario_of(parse(PROFILE.encode(), "bench.yaml")).uncertain_inputs())
    plain, tornado = alternate(
        lambda: inaction_cli.estimate(mapping, samples=1_000_000),
        lambda: inaction_cli.estimate(mapping, samples=1_000_000, sensitivity=True),
        rounds=rounds,
    )
    ratio = tornado / plain
    print(f"4. sensitivity: 1,000,000 samples, {count} uncertain inputs")
    print(f"   estimate                  {plain:8.3f} s  (median of {rounds})")
    print(f"   estimate --sensitivity    {tornado:8.3f} s")
    print(f"   ratio                {ratio:8.2f}x   target <= 3.00x  {verdict(ratio, 3.0)}")
    per_input = []
    for inputs in (4, 8, 16):
        profile = yaml.safe_load(custom_profile(inputs))
        without, with_tornado = alternate(
            lambda profile=profile: inaction_cli.estimate(profile, samples=200_000),
            lambda profile=profile: inaction_cli.estimate(
                profile, samples=200_000, sensitivity=True
            ),
            rounds=rounds,
        )
        per_input.append((with_tornado - without) / inputs)
        print(
            f"   {inputs:2d} inputs, 200,000 samples: tornado adds {with_tornado - without:6.3f} s,"
            f" {per_input[-1] * 1000:6.1f} ms an input"
        )
    growth = per_input[-1] / per_input[0]
    print(
        f"   cost an input, 16 against 4 inputs  {growth:5.2f}x   linear: about 1x  "
        f"{verdict(growth, 1.5)}"
    )


# --- 5. batch ---------------------------------------------------------------------------------


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
    rate, speedup = count / one, one / two
    print(f"5. `inaction batch` of {count:,} generated profiles, default settings")
    print(f"   --jobs 1             {one:8.3f} s  (median of {rounds})")
    print(f"   --jobs 2             {two:8.3f} s")
    print(
        f"   profiles a second    {rate:8.0f}     target >= 250    "
        f"{verdict(rate, 250, at_most=False)}"
    )
    print(
        f"   speed-up             {speedup:8.2f}x   target >= 1.60x  "
        f"{verdict(speedup, 1.6, at_most=False)}"
    )


def main() -> None:
    wanted = sys.argv[1:] or ["memory", "engine", "cli", "sensitivity", "batch"]
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}\n"
    )
    if "memory" in wanted:  # first: ru_maxrss of children is a high-water mark
        bench_memory()
    if "engine" in wanted:
        bench_engine(rounds=5)
    if "cli" in wanted:
        bench_cli(rounds=15)
    if "sensitivity" in wanted:
        bench_sensitivity(rounds=3)
    if "batch" in wanted:
        bench_batch(rounds=3)


if __name__ == "__main__":
    main()
