"""`python -m inaction_cli` runs the command line."""

from inaction_cli.cli import main

main()
