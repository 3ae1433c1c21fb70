"""inaction: put a defensible number on the cost of not adopting AI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("inaction")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

TOOL_NAME = "inaction"
