"""`python -m probgen`: the same as the `probgen` command."""

from .cli import main

main()
