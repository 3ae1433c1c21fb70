"""The bounds of every setting and input, in one light module the command line can load
without pydantic."""

SCHEMA_VERSION = 1

MAX_MONEY = 1e15
"""A thousand trillion: above any company's figures, far below where float64 loses cents."""
MAX_COUNT = 1e12
MAX_RATIO = 1_000.0
MAX_UPLIFT = 100.0
MAX_MONTHS = 120.0
MAX_HORIZON_MONTHS = 120
HORIZON_LIMIT_REASON = "the article's figures describe effects over months, not decades"
MIN_SAMPLES = 100
MAX_SAMPLES = 10_000_000
# Ten million samples put the net P50's Monte Carlo error far below a cent in a thousand, and
# keep a run's memory under 1 GiB.
SAMPLES_LIMIT_REASON = f"more than {MAX_SAMPLES:,} samples add no precision worth the memory"
MAX_SEED = 2**64 - 1
DEFAULT_HORIZON_MONTHS = 36
DEFAULT_DISCOUNT_RATE = 0.08
DEFAULT_SAMPLES = 20_000
DEFAULT_SEED = 42
MAX_CUSTOM_LEVERS = 50
MAX_FACTORS = 10
MAX_TEXT = 200
"""Names and labels: one line of a table."""
MAX_SOURCE_TEXT = 1_000
"""A source: a citation, a sentence or two."""
MAX_PERCENTILES = 9
MAX_MULTIPLIER = 10.0
"""A cost overrun: ten times the budget is beyond the worst IT overruns on record."""
MAX_COST_LINES = 50
DEFAULT_PILOT_MONTHS = 3
"""The end of the article's phase 1 (quick wins, 1-3 months): when a failed pilot is stopped."""
MAX_DELAYS = 12
"""Start delays in one run: a table of waiting, not a sweep."""
