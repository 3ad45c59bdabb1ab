"""Options shared by several commands."""

from __future__ import annotations

import click

from ..core.model import DIFFICULTIES

seed_option = click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True,
                           help="Seed of the first problem; the same seed gives the same problems.")
count_option = click.option("--count", type=click.IntRange(1, 1000), default=1, show_default=True,
                            help="How many problems (seeds SEED, SEED+1, ...).")
difficulty_option = click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="medium",
                                 show_default=True, help="How much work each problem takes.")
convention_option = click.option("--convention", default=None, metavar="NAME",
                                 help="Formula convention (e.g. course, pytorch); default: the family's first.")
family_argument = click.argument("family", metavar="FAMILY")
