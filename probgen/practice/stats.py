"""From attempts (one row per part) to sittings (one problem answered once) and per-topic
figures: attempts, recent accuracy, mastery, frequent named mistakes. Pure functions of the
history, so the terminal, the JSON and the web page say the same."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from .store import Attempt

RECENT_PARTS = 20  # recent accuracy: full-credit share of the last 20 parts answered in a topic
MASTERY_DECAY = 0.85  # weight of a sitting one step further back
MASTERY_SITTINGS = 20


@dataclass
class Sitting:
    """One problem instance answered in one session (or one problem of a checked sheet)."""

    session: str
    problem_no: int
    source: str
    family: str
    version: int
    seed: int
    difficulty: str
    convention: str | None
    topic: str
    at: str  # time of its last answered part
    points: float = 0.0
    max_points: float = 0.0
    wrong_parts: list[str] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)
    skipped_parts: list[str] = field(default_factory=list)  # left empty: not in points, max_points

    @property
    def score(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def answered(self) -> bool:
        """Some part was answered: the sitting is evidence (a problem skipped whole is not)."""
        return self.max_points > 0

    @property
    def when(self) -> datetime:
        return parse_time(self.at)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def sittings(attempts: list[Attempt]) -> list[Sitting]:
    """Attempts grouped by (session, problem number), in the order of their last part. A part
    answered twice in a sitting (the web page allows it) counts with its last answer. A skipped
    part is listed in `skipped_parts` and left out of the points and the maximum."""
    by_key: dict[tuple[str, int], Sitting] = {}
    last: dict[tuple[str, int], dict[str, Attempt]] = {}
    for a in attempts:
        key = (a.session, a.problem_no)
        if key not in by_key:
            by_key[key] = Sitting(a.session, a.problem_no, a.source, a.family, a.version, a.seed, a.difficulty,
                                  a.convention, a.topic, a.at)
            last[key] = {}
        last[key][a.part] = a
        if a.at > by_key[key].at:
            by_key[key].at = a.at
    for key, s in by_key.items():
        for a in last[key].values():
            if a.skipped:
                s.skipped_parts.append(a.part)
                continue
            s.points += a.points
            s.max_points += a.max_points
            if not a.full:
                s.wrong_parts.append(a.part)
            if a.mistake:
                s.mistakes.append(a.mistake)
    return sorted(by_key.values(), key=lambda s: s.at)


def mastery(scores: list[float]) -> float:
    """A recency-weighted share of the points (newest sitting weight 1, then 0.85, 0.85², …),
    pulled towards 0 while there is little evidence (one more sitting's weight of 0 in the
    average): one perfect sitting gives 0.5, five give 0.79, many give 0.87."""
    recent = scores[-MASTERY_SITTINGS:][::-1]
    weights = [MASTERY_DECAY ** k for k in range(len(recent))]
    return sum(w * s for w, s in zip(weights, recent)) / (sum(weights) + 1.0)


def weighted_score(scores: list[float]) -> float:
    """The same recency-weighted share of the points without the pull towards 0 (1 when empty):
    what "weak" is judged on, so one perfect sitting is not weak."""
    recent = scores[-MASTERY_SITTINGS:][::-1]
    weights = [MASTERY_DECAY ** k for k in range(len(recent))]
    return sum(w * s for w, s in zip(weights, recent)) / sum(weights) if recent else 1.0


@dataclass
class TopicStats:
    topic: str
    section: str
    attempts: int  # parts answered (skipped ones are not attempts)
    problems: int  # sittings with a part answered
    recent_accuracy: float | None
    mastery: float
    mistakes: list[tuple[str, int]]  # most frequent first
    last: str | None


def topic_stats(attempts: list[Attempt], topic: str, section: str,
                topic_sittings: list[Sitting] | None = None) -> TopicStats:
    """`attempts` may hold other topics' rows too; `topic_sittings`: this topic's sittings when
    already computed. Skipped parts, and sittings with every part skipped, are left out."""
    mine = [a for a in attempts if a.topic == topic and not a.skipped]
    recent = mine[-RECENT_PARTS:]
    its = sittings(mine) if topic_sittings is None else [s for s in topic_sittings if s.answered]
    counts = Counter(a.mistake for a in mine if a.mistake)
    return TopicStats(
        topic=topic, section=section, attempts=len(mine), problems=len(its),
        recent_accuracy=(sum(a.full for a in recent) / len(recent)) if recent else None,
        mastery=mastery([s.score for s in its]),
        mistakes=counts.most_common(3),
        last=mine[-1].at if mine else None,
    )
