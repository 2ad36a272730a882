"""`python -m pillars.cli`: the same command line as the `pillars` script."""

from pillars.cli import main

main()
