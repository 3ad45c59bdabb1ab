"""The work model (issue 10, §1): minutes per part from the operations its solution does, points
that follow them, difficulty tiers that add work, exam time allowed, and balanced class sets."""

import statistics

import pytest

from probgen.core.build import build_problem
from probgen.core.registry import load_all, sort_families
from probgen.core.work import count_ops, minutes, time_allowed
from probgen.errors import BankError
from probgen.sheets.assemble import (check_balance, check_key_balance, exam_sheet, expected_minutes,
                                     minutes_spread)
from probgen.sheets.banks import load_bank
from probgen.sheets.answer_key import make_key

TIER_SEEDS = 15
FAMILIES = [f for f in sort_families(load_all().values()) if len(f.difficulties) > 1]


def test_operations_are_counted_from_the_written_solution():
    # 3 products/sums between numbers, one function of a number, one step
    ops = count_ops([r"$0.9 \cdot 0.1 + 0.1 \cdot 2 = 0.29$ and $\sqrt{4} = 2$"])
    assert ops == {"arith": 3, "lookup": 1, "step": 1}
    # an operation on 3-vectors counts once per entry
    ops = count_ops([r"$0.5 \cdot \left[1,\ 2,\ 3\right] = \left[0.5,\ 1,\ 1.5\right]$"])
    assert ops["arith"] == 3
    # a formula in symbols only is no arithmetic
    assert count_ops([r"$L = \frac{1}{n} \sum_i (\hat{y}_i - y_i)$"])["arith"] == 0


def test_minutes_grow_with_every_kind_of_operation():
    base = minutes({"step": 1})
    for kind in ("arith", "int", "lookup", "step"):
        assert minutes({"step": 1, kind: 12 if kind != "step" else 2}) > base


@pytest.mark.parametrize("fam", FAMILIES, ids=lambda f: f.id)
def test_each_difficulty_tier_adds_work(fam):
    medians = [statistics.median(build_problem(fam.id, s, d).minutes for s in range(TIER_SEEDS))
               for d in fam.difficulties]
    assert all(a < b for a, b in zip(medians, medians[1:])), f"{fam.id}: median minutes {medians}"


@pytest.mark.parametrize("family_id,difficulty", [("conv2d-numeric", "hard"), ("pooling", "hard"),
                                                  ("gan-losses", "hard"), ("adam-trace", "medium")])
def test_points_follow_work_within_a_problem(family_id, difficulty):
    for seed in range(10):
        p = build_problem(family_id, seed, difficulty)
        for a in p.parts:
            assert a.minutes > 0 and a.ops
            for b in p.parts:
                if a.minutes > b.minutes * 1.5 + 0.5:
                    assert a.points > b.points, (family_id, seed, a.key, b.key)


def test_laborious_parts_are_priced_by_their_work():
    # conv2d: a 3×3 output of 3×3 windows is 81 products: far more than the shape part
    p = build_problem("conv2d-numeric", 1, "hard")
    assert p.part("b").minutes > 3 * p.part("a").minutes
    # pooling hard with stride 1 has more windows than with stride 2, so more minutes
    by_stride = {}
    for seed in range(30):
        q = build_problem("pooling", seed, "hard")
        if len(q.params["x"]) == 5:
            by_stride.setdefault(q.params["s"], []).append(q.minutes)
    assert min(by_stride[1]) > max(by_stride[2])


def test_minutes_are_in_the_json_key():
    key = make_key([build_problem("dropout", 1, "medium")], kind="export", title="t")
    for part in key["problems"][0]["parts"]:
        assert part["minutes"] > 0 and set(part["ops"]) >= {"arith", "lookup", "step"}


def test_exam_time_allowed_is_the_work_plus_reading_time():
    sheet = exam_sheet(load_bank("midterm"), 5)
    work = sum(p.minutes for p in sheet.problems)
    assert sheet.time_minutes == time_allowed(work, len(sheet.problems))
    assert work + 5 < sheet.time_minutes <= work + 5 + 1.5 * len(sheet.problems) + 5
    assert sheet.meta["estimated_minutes"] == pytest.approx(work, abs=0.05)


def test_class_set_versions_are_balanced():
    bank = load_bank("midterm")
    sheets = [exam_sheet(bank, seed) for seed in range(24)]
    low, mean, high = minutes_spread(sheets)
    assert high <= 1.10 * mean and low >= 0.90 * mean, (low, mean, high)
    assert abs(mean - expected_minutes(bank)) <= 0.05 * expected_minutes(bank)
    check_balance(sheets)
    # the alternatives really vary: the draws are not all one family per slot
    assert len({s.problems[1].family for s in sheets}) > 1


@pytest.mark.parametrize("name", ["midterm", "core"])
def test_every_version_of_a_class_set_prints_one_time_allowed(name):
    # a proctor gives a room one time limit: every version prints the time the heaviest version
    # the bank can draw needs, never less than its own work plus reading time
    bank = load_bank(name)
    versions = [exam_sheet(bank, seed, version=n) for n, seed in enumerate(range(100, 124), start=1)]
    assert len({v.time_minutes for v in versions}) == 1
    own = [time_allowed(sum(p.minutes for p in v.problems), len(v.problems)) for v in versions]
    assert len(set(own)) > 1 or name == "core"  # alone, the midterm's versions would print 115-125
    assert versions[0].time_minutes >= max(own)
    assert versions[0].time_minutes <= max(own) + 10


def test_an_unbalanced_set_is_refused_with_how_far_off_it_is():
    bank = load_bank("midterm")
    sheets = [exam_sheet(bank, seed) for seed in range(3)]
    heavy = exam_sheet(bank, 3)
    heavy.problems = heavy.problems + heavy.problems[:4]
    heavy.version = 4
    with pytest.raises(BankError, match=r"version 4 is \+\d+% from the mean work"):
        check_balance(sheets + [heavy])
    keys = [make_key(s.problems, kind="exam-version", title="t") for s in sheets + [heavy]]
    with pytest.raises(BankError, match="version 4"):
        check_key_balance(keys)
