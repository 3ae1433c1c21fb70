"""inaction: put a defensible number on the cost of not adopting AI."""

# The one place the version is written: pyproject.toml reads it from here, and reading it
# back through importlib.metadata would cost a command 30 ms of start-up.
__version__ = "0.1.0"

TOOL_NAME = "inaction"
