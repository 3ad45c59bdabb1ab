from __future__ import annotations

import sys

import click

from ..sheets.answer_key import dumps, make_key
from ..core.build import build_problem
from ..fileio import write_output
from ..core.registry import get_family
from .options import convention_option, count_option, difficulty_option, family_argument, seed_option


@click.command()
@family_argument
@seed_option
@count_option
@difficulty_option
@convention_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the JSON answer key to this file (default: standard output).")
@click.option("--force", is_flag=True, help="Overwrite an existing file that holds something else.")
def export(family: str, seed: int, count: int, difficulty: str, convention: str | None, output: str | None,
           force: bool) -> None:
    """Write the machine-readable answer key (JSON) for problems of one FAMILY.

    The format: `probgen help-topic answer-key`.

    \b
    Examples:
      probgen export dropout --seed 3
      probgen export dropout --seed 3 --count 10 -o output/dropout-key.json
    """
    fam = get_family(family)
    fam.check_difficulty(difficulty)
    convention = fam.check_convention(convention, strict=True)
    problems = [build_problem(family, seed + i, difficulty, convention) for i in range(count)]
    key = make_key(problems, kind="export", title=f"{fam.title} ({count} problem{'s' * (count != 1)})",
                   seed=seed, family=family, difficulty=difficulty, convention=convention)
    text = dumps(key)
    if output:
        write_output(output, text, force)
        click.echo(output)
    else:
        sys.stdout.write(text)
