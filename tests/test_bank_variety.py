"""Every alternative a bank lists is drawn: a slot whose alternatives differ too much in work would
let the balanced draw pick only one of them (the core bank asked RMSProp in every exam until its
optimizer slot gave SGD and momentum more steps and Adam fewer). A bank that cannot draw an
alternative is refused, naming it; `difficulty_by_family` sets one alternative's difficulty."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from probgen.errors import BankError
from probgen.sheets.assemble import exam_sheet
from probgen.sheets.banks import bank_names, load_bank

OLD_CORE_OPTIMIZER_SLOT = """
[[slot]]
families = ["backprop-chain", "tiny-network"]

[[slot]]
families = ["sgd-trace", "momentum-trace", "adaptive-trace", "adam-trace"]
convention = "course"

[[slot]]
family = "cross-entropy"

[[slot]]
family = "normalization"

[[slot]]
family = "dropout"
"""


def _bank(tmp_path, text: str):
    path = tmp_path / "quiz.toml"
    path.write_text('title = "Q"\n' + text, encoding="utf-8")
    return load_bank(str(path))


def test_every_alternative_of_the_core_bank_is_drawn():
    bank = load_bank("core")
    drawn = Counter(p.family for seed in range(1, 41) for p in exam_sheet(bank, seed).problems)
    for slot in bank.slots:
        for fid in slot.families:
            # 40 exams: an alternative of a slot of k is expected 40/k times; at least a quarter of that
            assert drawn[fid] >= 40 / len(slot.families) / 4, (fid, dict(drawn))


@pytest.mark.parametrize("name", bank_names())
def test_no_shipped_bank_has_an_alternative_it_never_draws(name):
    exam_sheet(load_bank(name), 3)  # refuse_undrawable runs before every draw


def test_the_core_optimizer_slot_asks_each_alternative_at_its_own_difficulty():
    bank = load_bank("core")
    asked = {p.family: p.difficulty for seed in range(1, 41) for p in exam_sheet(bank, seed).problems[1:2]}
    assert asked == {"sgd-trace": "medium", "momentum-trace": "hard", "adaptive-trace": "medium",
                     "adam-trace": "easy"}


def test_versions_of_the_core_bank_stay_balanced():
    minutes = [sum(p.minutes for p in exam_sheet(load_bank("core"), seed).problems) for seed in range(1, 41)]
    mean = sum(minutes) / len(minutes)
    assert all(abs(m - mean) <= 0.10 * mean for m in minutes), (min(minutes), max(minutes))


def test_a_bank_that_never_draws_an_alternative_is_refused_naming_it(tmp_path):
    bank = _bank(tmp_path, OLD_CORE_OPTIMIZER_SLOT)
    with pytest.raises(BankError) as err:
        exam_sheet(bank, 1)
    message = str(err.value)
    # at one difficulty SGD (8 min, its solution works every residual) and momentum (6) are far
    # below RMSProp (11) and Adam (22); the first alternative found never drawn is named
    assert re.match(re.escape(f"{bank.path}: slot 2 (line 6): ") + r"'(sgd|momentum)-trace' \(\d+ min at medium\) "
                    r"is never drawn", message), message
    assert "difficulty_by_family" in message and "\n" not in message


def test_difficulty_by_family_makes_that_bank_drawable(tmp_path):
    text = OLD_CORE_OPTIMIZER_SLOT.replace(
        'convention = "course"',
        'convention = "course"\ndifficulty_by_family = { sgd-trace = "medium", momentum-trace = "hard", adam-trace = "easy" }')
    bank = _bank(tmp_path, text)
    assert {exam_sheet(bank, seed).problems[1].family for seed in range(1, 25)} == set(bank.slots[1].families)


@pytest.mark.parametrize("line, expected", [
    ('difficulty_by_family = { dropout = "hard" }',
     "difficulty_by_family names 'dropout', which is not one of this slot's families (sgd-trace, adam-trace)"),
    ('difficulty_by_family = { adam-trace = "extreme" }',
     "difficulty_by_family: 'adam-trace' = 'extreme' is not one of easy, medium, hard"),
    ('difficulty_by_family = "hard"', "difficulty_by_family must be a table"),
])
def test_difficulty_by_family_errors_name_the_slot(tmp_path, line, expected):
    path = tmp_path / "quiz.toml"
    path.write_text(f'title = "Q"\n\n[[slot]]\nfamilies = ["sgd-trace", "adam-trace"]\n{line}\n', encoding="utf-8")
    with pytest.raises(BankError) as err:
        load_bank(str(path))
    assert str(err.value).startswith(f"{path}: slot 1 (line 3): {expected}")
