"""What to practise next: spaced repetition per topic with FSRS (the `fsrs` package), weak and
new topics, and a difficulty that rises with success.

Each topic is one FSRS card. Every sitting in the topic is a review, rated from its share of the
points (below 50%: Again, below 80%: Hard, below 100%: Good, full marks: Easy). The cards are
rebuilt from the history each time (no state besides the attempts; fuzzing off, so the same
history gives the same plan).

Order of choice ("what I need"): topics due now (most overdue first), then weak topics (their
recency-weighted share of the points below 60%, weakest first; not within 30 minutes of their last sitting, when FSRS's own
learning steps decide), then topics never practised (course order; one whose problems were only
ever skipped after those never shown), then the topic due
soonest. The topic just practised is skipped while another one qualifies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from .stats import Sitting, parse_time, sittings, weighted_score
from .store import Attempt

LEVELS = ("easy", "medium", "hard")
WEAK = 0.6
RESTING = 1800  # seconds after a sitting during which a weak topic waits for its FSRS review
UP, DOWN = 0.8, 0.5  # a sitting at or above UP moves the topic a level up, below DOWN a level down


def _fsrs():
    import fsrs

    return fsrs


def rating(score: float):
    R = _fsrs().Rating
    if score < 0.5:
        return R.Again
    if score < 0.8:
        return R.Hard
    if score < 1 - 1e-9:
        return R.Good
    return R.Easy


def topic_cards(all_sittings: list[Sitting]) -> dict[str, object]:
    """topic -> its FSRS card after replaying the topic's sittings in time order."""
    fsrs = _fsrs()
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    cards: dict[str, object] = {}
    for s in sorted(all_sittings, key=lambda s: s.at):
        if s.max_points <= 0:
            continue
        card = cards.get(s.topic) or fsrs.Card(card_id=1)
        card, _ = scheduler.review_card(card, rating(s.score), review_datetime=_utc(s.when))
        cards[s.topic] = card
    return cards


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def next_difficulty(topic_sittings: list[Sitting], allowed: tuple[str, ...]) -> str:
    """Start easy; after each sitting, up a level at >= 80% of the points, down below 50%."""
    level = 0
    for s in topic_sittings:
        here = LEVELS.index(s.difficulty) if s.difficulty in LEVELS else level
        level = here + 1 if s.score >= UP else (here - 1 if s.score < DOWN else here)
        level = max(0, min(len(LEVELS) - 1, level))
    wanted = LEVELS[level]
    if wanted in allowed:
        return wanted
    return min(allowed, key=lambda d: abs(LEVELS.index(d) - level))


@dataclass
class Choice:
    topic: str
    family: str
    difficulty: str
    reason: str  # "due", "weak", "new", "next due"
    due: datetime | None


def plan(attempts: list[Attempt], families, now: datetime | None = None,
         avoid_topic: str | None = None, all_sittings: list[Sitting] | None = None) -> list[Choice]:
    """Every topic with its family and difficulty, in the order a student should take them.
    `families`: the registered families in course order; `all_sittings`: `sittings(attempts)`
    when already computed."""
    now = _utc(now or datetime.now(timezone.utc))
    if all_sittings is None:
        all_sittings = sittings(attempts)
    by_topic: dict[str, list[Sitting]] = {}
    for s in all_sittings:
        by_topic.setdefault(s.topic, []).append(s)
    cards = topic_cards(all_sittings)
    topics: dict[str, list] = {}
    for fam in families:
        topics.setdefault(fam.topic, []).append(fam)
    ranked: list[tuple[tuple, Choice]] = []
    for order, (topic, fams) in enumerate(topics.items()):
        seen = by_topic.get(topic, [])
        mine = [s for s in seen if s.answered]  # a problem skipped whole is no evidence
        card = cards.get(topic)
        due = _utc(card.due) if card is not None else None
        m = weighted_score([s.score for s in mine])
        if card is None:  # never answered; a topic only ever skipped comes after those never shown
            reason, rank = "new", (2, bool(seen), order)
        elif due <= now:
            reason, rank = "due", (0, due.timestamp())
        elif m < WEAK and (now - _utc(mine[-1].when)).total_seconds() > RESTING:
            reason, rank = "weak", (1, m)
        else:
            reason, rank = "next due", (3, due.timestamp())
        fam = _pick_family(fams, seen)
        choice = Choice(topic, fam.id, next_difficulty(mine, tuple(fam.difficulties)), reason, due)
        ranked.append(((topic == avoid_topic,) + rank, choice))
    return [c for _, c in sorted(ranked, key=lambda rc: rc[0])]


def _pick_family(fams, topic_sittings: list[Sitting]):
    """The topic's family practised least, then longest ago (course order breaks ties)."""
    count = {f.id: 0 for f in fams}
    latest = {f.id: "" for f in fams}
    for s in topic_sittings:
        if s.family in count:
            count[s.family] += 1
            latest[s.family] = max(latest[s.family], s.at)
    return min(fams, key=lambda f: (count[f.id], latest[f.id]))


def again_queue(attempts: list[Attempt]) -> list[Sitting]:
    """Sittings with a wrong or skipped part whose family and difficulty have had no full-marks
    sitting since, newest first; one per (family, difficulty, convention)."""
    out: list[Sitting] = []
    seen: set[tuple] = set()
    for s in reversed(sittings(attempts)):
        key = (s.family, s.difficulty, s.convention)
        if key in seen:
            continue
        seen.add(key)
        if s.wrong_parts or s.skipped_parts:
            out.append(s)
    return out


def due_text(due: datetime | None, now: datetime | None = None) -> str:
    """'now', 'in 3 h', 'in 2 d', '-' (never practised)."""
    if due is None:
        return "-"
    now = _utc(now or datetime.now(timezone.utc))
    seconds = (_utc(due) - now).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"in {round(seconds / 3600)} h"
    return f"in {round(seconds / 86400)} d"


def parse_due(text: str | None) -> datetime | None:
    return parse_time(text) if text else None
