"""Choosing what to practise: FSRS per topic, weak and new topics, difficulty steps, --again."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import fsrs

from probgen.core.registry import load_all, sort_families
from probgen.practice import scheduler
from probgen.practice.scheduler import again_queue, next_difficulty, plan, rating
from probgen.practice.stats import Sitting, mastery, sittings
from probgen.practice.store import Attempt

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
FAMILIES = sort_families(load_all().values())
COURSE_TOPICS = list(dict.fromkeys(f.topic for f in FAMILIES))


def sitting_rows(family, score_parts, *, when, session="s", problem_no=1, difficulty="easy", seed=5,
                 convention=None, mistake=None):
    """Rows of one sitting: `score_parts` is a list of (points, max_points)."""
    topic = load_all()[family].topic
    return [Attempt(family=family, version=1, seed=seed, difficulty=difficulty, convention=convention, topic=topic,
                    part=chr(97 + i), answer="1", verdict="correct" if p == m else "wrong", points=p, max_points=m,
                    mistake=None if p == m else mistake, seconds=10.0, source="practice", session=session,
                    problem_no=problem_no, at=when.isoformat(timespec="seconds"))
            for i, (p, m) in enumerate(score_parts)]


def test_ratings_follow_the_share_of_points():
    R = fsrs.Rating
    assert [rating(s) for s in (0, 0.49, 0.5, 0.79, 0.8, 0.99, 1.0)] == [R.Again, R.Again, R.Hard, R.Hard, R.Good,
                                                                          R.Good, R.Easy]


def test_an_empty_history_starts_with_the_first_topic_at_easy():
    first = plan([], FAMILIES, NOW)
    assert [c.topic for c in first] == COURSE_TOPICS  # all new, course order
    assert first[0].reason == "new" and first[0].difficulty == "easy"
    assert first[0].family == next(f.id for f in FAMILIES if f.topic == COURSE_TOPICS[0])


def test_a_topic_whose_review_fell_due_comes_before_new_ones():
    rows = sitting_rows("dropout", [(2, 2), (3, 3)], when=NOW - timedelta(days=60))
    choice = plan(rows, FAMILIES, NOW)[0]
    assert (choice.topic, choice.reason) == ("regularization", "due")
    # within the topic, a family not yet practised
    assert choice.family != "dropout" and load_all()[choice.family].topic == "regularization"
    # the same sitting yesterday: not due yet, so new topics come first and it is "next due"
    fresh = plan(sitting_rows("dropout", [(2, 2), (3, 3)], when=NOW - timedelta(hours=1)), FAMILIES, NOW)
    assert fresh[0].reason == "new"
    reg = next(c for c in fresh if c.topic == "regularization")
    assert reg.reason == "next due" and reg.due > NOW


def test_fsrs_spaces_a_success_further_than_a_failure():
    good = scheduler.topic_cards(sittings(sitting_rows("dropout", [(3, 3)], when=NOW)))["regularization"]
    bad = scheduler.topic_cards(sittings(sitting_rows("dropout", [(0, 3)], when=NOW)))["regularization"]
    assert good.due - NOW >= timedelta(days=1) and bad.due - NOW <= timedelta(minutes=10)


def test_a_weak_topic_comes_before_new_ones_once_it_has_rested():
    # a failed sitting two hours ago, then reviewed right (so not due), still weak by mastery
    rows = sitting_rows("dropout", [(0, 3)], when=NOW - timedelta(hours=3), problem_no=1)
    rows += sitting_rows("dropout", [(1, 3)], when=NOW - timedelta(hours=2), problem_no=2)
    first = plan(rows, FAMILIES, NOW)[0]
    assert first.topic == "regularization" and first.reason in ("due", "weak")
    # the topic just practised is not offered again while another qualifies
    assert plan(rows, FAMILIES, NOW, avoid_topic="regularization")[0].topic != "regularization"


def test_difficulty_rises_with_success_and_falls_with_failure():
    def s(difficulty, score):
        return Sitting("s", 1, "practice", "dropout", 1, 1, difficulty, None, "regularization", "", score, 1.0)

    all_levels = ("easy", "medium", "hard")
    assert next_difficulty([], all_levels) == "easy"
    assert next_difficulty([s("easy", 1.0)], all_levels) == "medium"
    assert next_difficulty([s("easy", 1.0), s("medium", 0.8)], all_levels) == "hard"
    assert next_difficulty([s("easy", 1.0), s("medium", 0.8), s("hard", 1.0)], all_levels) == "hard"
    assert next_difficulty([s("medium", 0.6)], all_levels) == "medium"
    assert next_difficulty([s("medium", 0.4)], all_levels) == "easy"
    assert next_difficulty([s("easy", 0.0)], all_levels) == "easy"
    assert next_difficulty([s("easy", 1.0)], ("easy", "hard")) in ("easy", "hard")  # nearest allowed


def test_the_plan_follows_difficulty_from_the_history():
    rows = sitting_rows("dropout", [(3, 3)], when=NOW - timedelta(days=60), difficulty="easy")
    assert plan(rows, FAMILIES, NOW)[0].difficulty == "medium"


def test_again_lists_sittings_with_wrong_parts_not_fixed_since():
    rows = sitting_rows("dropout", [(0, 2), (3, 3)], when=NOW - timedelta(hours=5), problem_no=1, seed=11)
    rows += sitting_rows("pooling", [(1, 1)], when=NOW - timedelta(hours=4), problem_no=2)
    rows += sitting_rows("mse-loss", [(1, 2)], when=NOW - timedelta(hours=3), problem_no=3, difficulty="hard")
    rows += sitting_rows("mse-loss", [(2, 2)], when=NOW - timedelta(hours=2), problem_no=4, difficulty="hard")
    rows += sitting_rows("mse-loss", [(0, 2)], when=NOW - timedelta(hours=1), problem_no=5, difficulty="easy")
    queue = again_queue(rows)
    assert [(s.family, s.difficulty) for s in queue] == [("mse-loss", "easy"), ("dropout", "easy")]
    assert queue[1].wrong_parts == ["a"] and queue[1].seed == 11


def test_the_same_history_gives_the_same_plan():
    rows = sitting_rows("dropout", [(1, 3)], when=NOW - timedelta(days=3))
    rows += sitting_rows("attention", [(3, 3)], when=NOW - timedelta(days=9), session="t")
    assert plan(rows, FAMILIES, NOW) == plan(list(rows), FAMILIES, NOW)


def test_mastery_by_hand():
    assert mastery([]) == 0
    assert mastery([1.0]) == 0.5
    weights = [1, 0.85, 0.85 ** 2]
    assert abs(mastery([0.0, 1.0, 0.5]) - (0.5 * weights[0] + 1.0 * weights[1]) / (sum(weights) + 1)) < 1e-12


def test_a_part_answered_twice_counts_once_with_its_last_answer():
    rows = sitting_rows("dropout", [(0, 2)], when=NOW - timedelta(minutes=3))
    rows += sitting_rows("dropout", [(2, 2)], when=NOW - timedelta(minutes=2))  # same session, problem, part a
    s, = sittings(rows)
    assert (s.points, s.max_points, s.wrong_parts) == (2, 2, [])
