from __future__ import annotations

import os
import sys

import click

from ..errors import BadKnob
from ..core.model import DIFFICULTIES
from ..core.rng import derive_seed

QUIT = {"q", "quit", "exit"}


def _choose_families(section: str | None, family: str | None, difficulty: str):
    from ..core.registry import families_in, get_family, load_all, sort_families

    if section and family:
        raise click.UsageError("give --section or --family, not both")
    if family:
        fam = get_family(family)
        fam.check_difficulty(difficulty)
        return [fam]
    fams = families_in(section) if section else sort_families(load_all().values())
    fams = [f for f in fams if difficulty in f.difficulties]
    if not fams:
        raise BadKnob(f"no family in '{section or 'the course'}' has difficulty '{difficulty}'")
    return fams


def _read_line(stream) -> str | None:
    """One line of input; None at end of input."""
    line = stream.readline()
    if not line:
        return None
    return line.rstrip("\r\n")


@click.command()
@click.option("--section", default=None, metavar="S", help="A section or topic id (e.g. fundamentals, optimization).")
@click.option("--family", default=None, metavar="F", help="A single family id (see `probgen list`).")
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="medium", show_default=True,
              help="How much work each problem takes.")
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Repeat a session: the seed printed at the start (default: a new one).")
@click.option("--count", type=click.IntRange(1, 1000), default=None, help="Stop after this many problems.")
def practice(section: str | None, family: str | None, difficulty: str, seed: int | None, count: int | None) -> None:
    """Practise in the terminal: a problem, your answers part by part, feedback at once.

    Type each final answer and press Enter; an empty line skips the part; q ends the session
    with a summary (so does the end of input, e.g. a piped file).

    \b
    Examples:
      probgen practice
      probgen practice --section optimization --difficulty easy
      probgen practice --family dropout --seed 12 --count 2
      printf '[1, 0, 1, 1, 0]\\nq\\n' | probgen practice --family dropout --seed 12
    """
    fams = _choose_families(section, family, difficulty)
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "big") % 100_000
    if sys.stdin is None:  # started with stdin closed (<&-): there is nothing to read answers from
        raise BadKnob("standard input is closed: practice reads the answers typed or piped into it")
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="replace")  # bad bytes become '�', which the parser refuses politely
    echo_input = not stdin.isatty()  # piped answers: show them, so the transcript reads well
    where = f"--section {section}" if section else (f"--family {family}" if family else "the whole course")
    click.echo(f"Practice: {where}, {difficulty}, seed {seed} (repeat with --seed {seed}).")
    click.echo("Type each answer and press Enter; an empty line skips a part; q ends the session.\n")

    done: list[tuple[str, float, float]] = []  # (title, points, max), filled as the session goes
    try:
        _session(fams, seed, difficulty, count, stdin, echo_input, done)
    except KeyboardInterrupt:  # Ctrl-C ends the session like q does
        click.echo("")
    _summary(done)


def _session(fams, seed, difficulty, count, stdin, echo_input, done) -> None:
    from ..core.build import build_problem
    from ..grading.judge import MISSING, ProblemGrader
    from ..grading.report import part_detail, pts, shown, verdict_text
    from ..render.text import render_problem

    number = 0
    while count is None or number < count:
        number += 1
        fam = fams[derive_seed(seed, "practice-family", number) % len(fams)]
        problem_seed = derive_seed(seed, "practice-seed", number) % 100_000
        problem = build_problem(fam.id, problem_seed, difficulty, None)
        click.echo(render_problem(problem, number=number))
        grader = ProblemGrader(problem, number, fam)
        max_points = sum(p.points for p in problem.parts)
        for part in problem.parts:
            click.echo(f"{number}{part.key}> ", nl=False)
            line = _read_line(stdin)
            if line is None:  # end of input
                click.echo("")
                break
            if echo_input:
                click.echo(shown(line))
            if line.strip().lower() in QUIT:
                break
            result = grader.grade(part, line)
            click.echo(f"    {verdict_text(result)}: {pts(result.points)} / {pts(result.max_points)}")
            for detail in part_detail(result, part, problem, indent="    "):
                click.echo(detail)
            if result.hand_points:  # a written answer: the student marks it against the rubric
                from ..grading.selfmark import self_mark

                def ask():
                    answer = _read_line(stdin)
                    if echo_input and answer is not None:
                        click.echo(shown(answer))
                    return answer
                self_mark(result, ask, lambda t: click.echo(t, nl=not t.endswith("? ")))
                click.echo(f"    with your marking: {pts(result.points)} / {pts(result.max_points)}")
        else:
            got = sum(r.points for r in grader.results.values())
            done.append((problem.title, got, max_points))
            click.echo(f"\nProblem {number}: {pts(got)} / {pts(max_points)} points\n" + "─" * 60 + "\n")
            continue
        # ended inside the problem: it counts if something was answered
        if any(r.verdict != MISSING for r in grader.results.values()):
            done.append((problem.title, sum(r.points for r in grader.results.values()), max_points))
        return


def _summary(done: list[tuple[str, float, float]]) -> None:
    from ..grading.report import pts

    if not done:
        click.echo("\nNo problems answered. Bye.")
        return
    total, best = sum(d[1] for d in done), sum(d[2] for d in done)
    click.echo(f"\nSummary: {len(done)} problem{'s' * (len(done) != 1)}, "
               f"{pts(total)} / {pts(best)} points ({100 * total / best:.0f}%)")
    for i, (title, got, max_points) in enumerate(done, start=1):
        click.echo(f"  {i}. {title}: {pts(got)} / {pts(max_points)}")
    sys.stdout.flush()
