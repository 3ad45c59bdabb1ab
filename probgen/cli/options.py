"""Options shared by several commands."""

from __future__ import annotations

import click

from ..core.model import DIFFICULTIES

MAX_SEED = 2 ** 63 - 1


class Seed(click.ParamType):
    """A seed: a whole number from 0 to 2**63 - 1. Longer ones are refused in one short line (a
    file name holds at most about 80 characters of it, so two long seeds could share a file)."""

    name = "integer"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not text.isascii() or not text.isdigit() or len(text) > 19:
                number = None
            else:
                number = int(text)
        if number is None or not 0 <= number <= MAX_SEED:
            shown = str(value) if len(str(value)) <= 24 else str(value)[:20] + "..."
            self.fail(f"{shown!r} is not a seed: give a whole number from 0 to {MAX_SEED} (2**63 - 1)", param, ctx)
        return number


SEED = Seed()
seed_option = click.option("--seed", type=SEED, default=1, show_default=True,
                           help="Seed of the first problem; the same seed gives the same problems.")
count_option = click.option("--count", type=click.IntRange(1, 1000), default=1, show_default=True,
                            help="How many problems (seeds SEED, SEED+1, ...).")
difficulty_option = click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="medium",
                                 show_default=True, help="How much work each problem takes.")
convention_option = click.option("--convention", default=None, metavar="NAME",
                                 help="Formula convention (e.g. course, pytorch); default: the family's first.")
family_argument = click.argument("family", metavar="FAMILY")
