"""python -m checker: the greencheck command."""

from checker.cli import main

main()
