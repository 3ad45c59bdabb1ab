from __future__ import annotations

import click

from ..core.build import build_problem
from ..core.registry import get_family
from ..render.text import render_problem
from .options import convention_option, count_option, difficulty_option, family_argument, seed_option


@click.command()
@family_argument
@seed_option
@count_option
@difficulty_option
@convention_option
@click.option("--answers", is_flag=True, help="Show the answers and worked solutions.")
def generate(family: str, seed: int, count: int, difficulty: str, convention: str | None, answers: bool) -> None:
    """Print problems of one FAMILY (ids from `probgen list`).

    \b
    Examples:
      probgen generate dropout
      probgen generate dropout --seed 42 --count 3 --difficulty hard
      probgen generate dropout --seed 42 --answers
    """
    fam = get_family(family)
    fam.check_difficulty(difficulty)
    convention = fam.check_convention(convention, strict=True)
    chunks = []
    for i in range(count):
        problem = build_problem(family, seed + i, difficulty, convention)
        chunks.append(render_problem(problem, number=i + 1, show_solution=answers))
    click.echo(("\n" + "─" * 60 + "\n\n").join(chunks), nl=False)
