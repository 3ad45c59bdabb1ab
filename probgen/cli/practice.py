from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import click

from ..errors import BadKnob
from ..core.model import DIFFICULTIES
from .options import SEED

QUIT = {"q", "quit", "exit"}
REFERENCE_DIGITS = 6  # as the worked solution prints them


def _choose_families(section: str | None, family: str | None, difficulty: str | None):
    from ..core.registry import families_in, get_family, load_all, sort_families

    if section and family:
        raise click.UsageError("give --section or --family, not both")
    if family:
        fam = get_family(family)
        if difficulty:
            fam.check_difficulty(difficulty)
        return [fam]
    fams = families_in(section) if section else sort_families(load_all().values())
    fams = [f for f in fams if difficulty is None or difficulty in f.difficulties]
    if not fams:
        raise BadKnob(f"no family in '{section or 'the course'}' has difficulty '{difficulty}'")
    return fams


def _read_line(stream) -> str | None:
    """One line of input; None at end of input."""
    line = stream.readline()
    if not line:
        return None
    return line.rstrip("\r\n")


def db_option(f):
    return click.option("--db", default=None, metavar="PATH",
                        help="The history database (default: $PROBGEN_HOME/history.sqlite3, else the user data "
                             "folder; see docs/history.md).")(f)


@click.command()
@click.option("--section", default=None, metavar="S", help="A section or topic id (e.g. fundamentals, optimization).")
@click.option("--family", default=None, metavar="F", help="A single family id (see `probgen list`).")
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), default=None,
              help="How much work each problem takes (default: medium with --section/--family; "
                   "otherwise chosen per topic, rising with success).")
@click.option("--seed", type=SEED, default=None,
              help="Repeat a session: the seed printed at the start (default: a new one).")
@click.option("--count", type=click.IntRange(1, 1000), default=None, help="Stop after this many problems.")
@click.option("--again", is_flag=True,
              help="Replay the problems with wrong parts, with new seeds of the same family and difficulty.")
@db_option
@click.option("--no-history", is_flag=True, help="Do not read or record the history.")
def practice(section, family, difficulty, seed, count, again, db, no_history) -> None:
    """Practise in the terminal: a problem, your answers part by part, feedback at once.

    Without --section or --family, practice chooses for you from your history: topics that are
    due (spaced repetition) or weak come first, then new ones, at a difficulty that rises with
    your success. Every answer is recorded (see `probgen progress`).

    Type each final answer and press Enter; an empty line skips the part; an answer that cannot
    be read is asked again; q (or Ctrl-C) ends the session with a summary, keeping the points
    of the problem in progress (so does the end of input, e.g. a piped file).

    \b
    Examples:
      probgen practice
      probgen practice --again
      probgen practice --section optimization --difficulty easy
      probgen practice --family dropout --seed 12 --count 2
      printf '[0, 1, 0, 0, 0]\\nq\\n' | probgen practice --family dropout --seed 12
    """
    from ..practice.session import Tracker
    from ..practice.store import History

    fams = _choose_families(section, family, difficulty)
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "big") % 100_000
    if sys.stdin is None:  # started with stdin closed (<&-): there is nothing to read answers from
        raise BadKnob("standard input is closed: practice reads the answers typed or piped into it")
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="replace")  # bad bytes become '�', which the parser refuses politely
    history = None if no_history else History(db, warn=lambda line: click.echo(f"probgen: {line}", err=True))
    tracker = Tracker(history)
    adaptive = not (section or family)
    if again:
        source = _AgainSource(tracker, fams if not adaptive else None, difficulty, seed)
        if not source.queue:
            click.echo("Nothing to practise again: no problem in your history has a wrong or skipped part"
                       + (" in this selection." if not adaptive else ".") + " Try `probgen practice`.")
            return
        where = f"again: {len(source.queue)} problem{'s' * (len(source.queue) != 1)} with wrong or skipped parts"
    elif adaptive:
        source = _AdaptiveSource(tracker, fams, difficulty, seed)
        where = "what you need (from your history)"
    else:
        source = _FixedSource(fams, difficulty or "medium", seed)
        where = (f"--section {section}" if section else f"--family {family}") + f", {difficulty or 'medium'}"
    click.echo(f"Practice: {where}, seed {seed} (repeat with --seed {seed}).")
    click.echo("Type each answer and press Enter; an empty line skips a part; q ends the session.\n")

    done: list[_Done] = []  # filled as the session goes
    try:
        _session(source, count, stdin, not stdin.isatty(), tracker, done)
    except KeyboardInterrupt:  # between problems: ends the session like q does
        click.echo("")
    _summary(done, history)


@dataclass
class _Done:
    """A problem of the session: points and maximum over the parts answered; skipped parts
    (an empty line) are not counted."""

    title: str
    points: float
    max_points: float
    skipped: int

    def score_text(self, unit: str = "") -> str:
        from ..grading.report import pts

        if not self.max_points:
            return "skipped"
        note = f" ({self.skipped} part{'s' * (self.skipped != 1)} skipped, not counted)" if self.skipped else ""
        return f"{pts(self.points)} / {pts(self.max_points)}{unit}{note}"


def _done(problem, results) -> _Done:
    from ..grading.judge import MISSING

    answered = [r for r in results.values() if r.verdict != MISSING]
    return _Done(problem.title, sum(r.points for r in answered), sum(r.max_points for r in answered),
                 len(results) - len(answered))


@dataclass
class _Next:
    family: str
    seed: int
    difficulty: str
    convention: str | None = None
    why: str = ""


class _FixedSource:
    """--section / --family: a family drawn from the selection for each problem."""

    def __init__(self, fams, difficulty, seed):
        self.fams, self.difficulty, self.seed = fams, difficulty, seed

    def next(self, number: int) -> _Next | None:
        from ..core.rng import derive_seed

        fam = self.fams[derive_seed(self.seed, "practice-family", number) % len(self.fams)]
        return _Next(fam.id, derive_seed(self.seed, "practice-seed", number) % 100_000, self.difficulty)


class _AdaptiveSource:
    """No selection: the scheduler's first topic, re-planned after every problem."""

    def __init__(self, tracker, fams, difficulty, seed):
        self.tracker, self.fams, self.difficulty, self.seed = tracker, fams, difficulty, seed
        self.last_topic: str | None = None

    def next(self, number: int) -> _Next | None:
        from ..core.registry import get_family
        from ..practice.session import choose_next, problem_seed

        choice = choose_next(self.tracker.attempts, self.fams, avoid_topic=self.last_topic)
        self.last_topic = choice.topic
        difficulty = choice.difficulty
        if self.difficulty and self.difficulty in get_family(choice.family).difficulties:
            difficulty = self.difficulty
        why = {"due": "due for review", "weak": "a weak topic", "new": "not practised yet",
               "next due": "due soonest"}.get(choice.reason, choice.reason)
        return _Next(choice.family, problem_seed(self.seed, "practice-seed", number), difficulty,
                     why=f"Topic {choice.topic}: {why}; {difficulty}.")


class _AgainSource:
    """--again: each sitting with wrong parts once, a new seed of the same family/difficulty."""

    def __init__(self, tracker, fams, difficulty, seed):
        from ..practice.session import again_list

        wanted = {f.id for f in fams} if fams else None
        self.queue = [s for s in again_list(tracker.attempts, wanted) if difficulty in (None, s.difficulty)]
        self.seed = seed

    def next(self, number: int) -> _Next | None:
        from ..practice.session import problem_seed

        if number > len(self.queue):
            return None
        s = self.queue[number - 1]
        what = [f"part{'s' * (len(keys) != 1)} {', '.join(keys)} {verb}"
                for keys, verb in ((s.wrong_parts, "went wrong"), (s.skipped_parts, "skipped")) if keys]
        return _Next(s.family, problem_seed(self.seed, "practice-again", number, avoid=s.seed), s.difficulty,
                     s.convention, why=f"Again: {s.family} ({s.difficulty}); last time {' and '.join(what)} "
                                       f"(seed {s.seed}).")


def _session(source, count, stdin, echo_input, tracker, done) -> None:
    from ..core.build import build_problem
    from ..core.registry import get_family
    from ..grading.judge import ProblemGrader
    from ..render.text import render_problem

    number = 0
    while count is None or number < count:
        number += 1
        pick = source.next(number)
        if pick is None:
            return
        fam = get_family(pick.family)
        problem = build_problem(fam.id, pick.seed, pick.difficulty, pick.convention)
        if pick.why:
            click.echo(pick.why)
        click.echo(render_problem(problem, number=number))
        grader = ProblemGrader(problem, number, fam)
        try:
            finished = _answer_parts(problem, number, grader, stdin, echo_input, tracker)
        except KeyboardInterrupt:  # Ctrl-C ends the session like q does, keeping this problem's points
            click.echo("")
            finished = False
        result = _done(problem, grader.results)
        if finished:
            done.append(result)
            click.echo(f"\nProblem {number}: {result.score_text(' points')}\n" + "─" * 60 + "\n")
            continue
        # ended inside the problem: it counts if something was answered
        if result.max_points:
            done.append(result)
        return


def _answer_parts(problem, number, grader, stdin, echo_input, tracker) -> bool:
    """Ask every part; False when the session ends inside the problem (q, end of input)."""
    from ..grading.judge import MISSING, UNREADABLE
    from ..grading.report import part_detail, pts, shown, verdict_text

    for part in problem.parts:
        started = time.monotonic()
        while True:
            click.echo(f"{number}{part.key}> ", nl=False)
            line = _read_line(stdin)
            if line is None:  # end of input
                click.echo("")
                return False
            if echo_input:
                click.echo(shown(line))
            if line.strip().lower() in QUIT:
                return False
            result = grader.grade(part, line)
            if result.verdict != UNREADABLE:
                break
            # not a verdict: the part is asked again and the reference stays hidden
            del grader.results[part.key]
            click.echo(f"    could not read it: {result.message}. Try again (an empty line skips the part).")
        if result.verdict == MISSING:  # an empty line: recorded as skipped, not as a wrong attempt
            click.echo("    skipped (not counted)")
        else:
            click.echo(f"    {verdict_text(result)}: {pts(result.points)} / {pts(result.max_points)}")
        for detail in part_detail(result, part, problem, indent="    ", digits=REFERENCE_DIGITS):
            click.echo(detail)
        if result.hand_points:  # a written answer: the student marks it against the rubric
            _self_mark(result, stdin, echo_input)
        tracker.record(problem, number, result, time.monotonic() - started)
    return True


def _self_mark(result, stdin, echo_input) -> None:
    from ..grading.report import pts, shown
    from ..grading.selfmark import self_mark

    def ask():
        answer = _read_line(stdin)
        if echo_input and answer is not None:
            click.echo(shown(answer))
        return answer

    self_mark(result, ask, lambda text: click.echo(text, nl=not text.endswith("? ")))
    click.echo(f"    with your marking: {pts(result.points)} / {pts(result.max_points)}")


def _summary(done: list[_Done], history) -> None:
    from ..grading.report import pts

    if not done:
        click.echo("\nNo problems answered. Bye.")
    else:
        total, best = sum(d.points for d in done), sum(d.max_points for d in done)
        skipped = sum(d.skipped for d in done)
        head = f"\nSummary: {len(done)} problem{'s' * (len(done) != 1)}, "
        if best:
            head += f"{pts(total)} / {pts(best)} points ({100 * total / best:.0f}%)"
            if skipped:
                head += f" on the parts answered; {skipped} part{'s' * (skipped != 1)} skipped, not counted"
        else:
            head += "every part skipped (nothing counted)"
        click.echo(head)
        for i, d in enumerate(done, start=1):
            click.echo(f"  {i}. {d.title}: {d.score_text()}")
    if history is not None:
        if history.fallback is not None and history.recorded:
            click.echo(f"Your answers are kept in {history.fallback} (the history could not be used).")
        elif history.recorded:
            click.echo(f"Recorded in {history.path}; see `probgen progress`.")
        history.close()
    sys.stdout.flush()
