"""Write N valid, varied profiles into a folder, for timing `inaction batch`.

    python bench/generate.py 200 /tmp/profiles

The profiles are drawn from a seeded generator: the same N gives the same files.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

GROUPS = [("acquisition", "sales"), ("advertising", "leads"), ("email", "retention")]


def amount(rng: random.Random, low: float, high: float) -> str:
    """A number, or a uniform range around it one time in two."""
    value = rng.uniform(low, high)
    if rng.random() < 0.5:
        return f"{value:.0f}"
    return f"{{low: {value * 0.8:.0f}, high: {value * 1.2:.0f}}}"


def profile(index: int, rng: random.Random) -> str:
    """One profile: a few levers of the catalogue, shared finance figures, adoption costs."""
    sections = {
        "operations": f"{{headcount: {amount(rng, 5, 500)}, "
        f"loaded_cost_per_fte: {amount(rng, 35_000, 90_000)}}}",
        "acquisition": f"{{new_customers_per_year: {amount(rng, 50, 5000)}, "
        f"cac: {amount(rng, 100, 3000)}, targeted_share: {rng.uniform(0.2, 1):.2f}}}",
        "sales": f"{{qualified_meetings_per_year: {amount(rng, 50, 3000)}, "
        f"close_rate: {rng.uniform(0.05, 0.4):.2f}, average_deal_value: {amount(rng, 1e3, 5e4)}}}",
        "email": f"{{annual_revenue: {amount(rng, 1e4, 5e6)}}}",
        "retention": f"{{new_customers_per_year: {amount(rng, 100, 50_000)}, "
        f"retention_90d: {rng.uniform(0.2, 0.8):.2f}, "
        f"annual_revenue_per_customer: {amount(rng, 50, 5000)}}}",
        "advertising": f"{{programmatic_spend: {amount(rng, 1e4, 2e6)}, "
        f"roas: {rng.uniform(1, 6):.1f}}}",
        "leads": f"{{leads_per_year: {amount(rng, 500, 50_000)}, cpl: {amount(rng, 10, 200)}}}",
        "ecommerce": f"{{orders_per_year: {amount(rng, 1e3, 5e5)}, "
        f"return_rate: {rng.uniform(0.05, 0.3):.2f}, cost_per_return: {amount(rng, 5, 30)}}}",
    }
    chosen = ["operations"] if rng.random() < 0.8 else []
    chosen += [rng.choice(group) for group in GROUPS if rng.random() < 0.7]
    if rng.random() < 0.3:
        chosen.append("ecommerce")
    revenue = rng.uniform(1e6, 2e8)
    lines = [
        f"company: {{name: Generated {index:04d}, currency: EUR}}",
        f"finance: {{annual_revenue: {revenue:.0f}, "
        f"gross_margin: {{low: {rng.uniform(0.2, 0.4):.2f}, high: {rng.uniform(0.45, 0.7):.2f}}}, "
        f"dev_budget: {revenue * rng.uniform(0.02, 0.1):.0f}}}",
        *(f"{section}: {sections[section]}" for section in chosen or ["operations"]),
    ]
    if rng.random() < 0.5:
        lines.append(
            f"market: {{erosion_per_year: {{low: 0.005, high: {rng.uniform(0.01, 0.05):.3f}}}}}"
        )
    if rng.random() < 0.5:
        lines.append(
            f"adoption: {{setup_cost: {amount(rng, 2e4, 5e5)}, "
            f"annual_run_cost: {amount(rng, 5e3, 2e5)}}}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261129)
    for index in range(count):
        (folder / f"profile-{index:04d}.yaml").write_text(profile(index, rng), encoding="utf-8")


if __name__ == "__main__":
    main()
