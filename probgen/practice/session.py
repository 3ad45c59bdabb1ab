"""A practice session's bookkeeping, shared by the terminal (`probgen practice`), `probgen check
--record` and the web page: graded parts become attempts in the history, and the next problem
is chosen from the history plus what this session has done so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..core.rng import derive_seed
from .scheduler import Choice, again_queue, plan
from .stats import Sitting
from .store import SKIPPED, Attempt, History, new_session_id

SEED_RANGE = 100_000


def attempt_from(problem, number: int, result, *, seconds: float | None, source: str, session: str) -> Attempt:
    """One graded part (a `grading.judge.PartResult`) of `problem` as a history row. A part left
    empty (the judge's "missing") is stored as skipped: no evidence, not a wrong attempt."""
    from ..grading.judge import MISSING

    return Attempt(
        family=problem.family, version=problem.version, seed=problem.seed, difficulty=problem.difficulty,
        convention=problem.convention, topic=problem.topic, part=result.key, answer=result.answer,
        verdict=SKIPPED if result.verdict == MISSING else result.verdict, points=float(result.points), max_points=float(result.max_points),
        mistake=result.mistake, seconds=None if seconds is None else round(seconds, 2),
        source=source, session=session, problem_no=number,
    )


@dataclass
class Tracker:
    """The history as this session sees it: what was stored before it began, plus its own rows
    (kept in memory too, so the choice adapts even when the database fell back to a file)."""

    history: History | None
    source: str = "practice"
    session: str = field(default_factory=new_session_id)
    before: list[Attempt] = field(default_factory=list)
    mine: list[Attempt] = field(default_factory=list)
    read_history: bool = True

    def __post_init__(self):
        if self.history is not None and self.read_history:
            self.before = self.history.attempts()

    @property
    def attempts(self) -> list[Attempt]:
        return self.before + self.mine

    def record(self, problem, number: int, result, seconds: float | None = None) -> Attempt:
        attempt = attempt_from(problem, number, result, seconds=seconds, source=self.source, session=self.session)
        if self.history is not None:
            self.history.record(attempt)
        self.mine.append(attempt)
        return attempt


def choose_next(attempts: list[Attempt], families, *, avoid_topic: str | None = None,
                now: datetime | None = None) -> Choice:
    """The first topic of the plan ("what I need")."""
    return plan(attempts, families, now, avoid_topic=avoid_topic)[0]


def problem_seed(session_seed: int, purpose: str, number: int, avoid: int | None = None) -> int:
    seed = derive_seed(session_seed, purpose, number) % SEED_RANGE
    if avoid is not None and seed == avoid:
        seed = (seed + 1) % SEED_RANGE
    return seed


def again_list(attempts: list[Attempt], families: set[str] | None = None) -> list[Sitting]:
    queue = again_queue(attempts)
    return [s for s in queue if families is None or s.family in families]


def record_results(results, history: History, *, source: str = "check") -> tuple[int, int]:
    """The judged parts of graded problems (`grading.judge.ProblemResult`s) into the history:
    (rows stored, parts left out). Only a verdict on the skill is evidence: right, within
    rounding, partly right or wrong. A part left blank on a sheet, one that could not be read
    and one only graded by hand (a short answer) are left out, so they do not pull a topic's
    mastery down."""
    from ..grading.judge import CORRECT, PARTLY, ROUNDED, WRONG

    tracker = Tracker(history, source=source, read_history=False)
    count = skipped = 0
    for pr in results:
        for r in pr.parts:
            if r.verdict not in (CORRECT, ROUNDED, PARTLY, WRONG):
                skipped += 1
                continue
            tracker.record(pr.problem, pr.number, r)
            count += 1
    return count, skipped
