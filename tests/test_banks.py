"""The shipped banks: each loads and assembles into an exam; the midterm covers the five core
families; bad bank files name the file, the slot and its line."""

from __future__ import annotations

import pytest

from probgen.sheets.assemble import exam_sheet
from probgen.sheets.banks import bank_names, load_bank
from probgen.errors import BankError
from probgen.core.registry import load_all
from probgen.core.sections import SECTIONS

CORE_GROUPS = {
    "backprop": {"backprop-chain", "tiny-network"},
    "optimizers": {"sgd-trace", "momentum-trace", "adaptive-trace", "adam-trace"},
    "cross-entropy": {"cross-entropy"},
    "normalization": {"normalization"},
    "dropout": {"dropout"},
}


@pytest.mark.parametrize("name", bank_names())
def test_every_bank_assembles(name):
    bank = load_bank(name)
    sheet = exam_sheet(bank, 0)
    assert len(sheet.problems) == len(bank.slots)
    for slot, problem in zip(bank.slots, sheet.problems):
        assert problem.family in slot.families
        if slot.points is not None:
            assert problem.points == slot.points


def test_a_bank_for_every_section():
    assert set(SECTIONS) <= set(bank_names())


def test_midterm_covers_the_five_core_families():
    bank = load_bank("midterm")
    registered = set(load_all())
    slots = [set(s.families) for s in bank.slots]
    for group, members in CORE_GROUPS.items():
        # one slot draws from exactly this group, offering every member that exists
        matching = [s for s in slots if s <= members and s]
        assert len(matching) == 1, f"no single midterm slot for {group}"
        assert matching[0] == members & registered, f"{group}: offers {matching[0]}, registered {members & registered}"


def test_midterm_alternatives_vary_across_seeds():
    bank = load_bank("midterm")
    families = {exam_sheet(bank, seed).problems[1].family for seed in range(12)}
    assert len(families) >= 3  # the optimizer slot draws among its alternatives


def test_slot_errors_name_the_line(tmp_path):
    path = tmp_path / "quiz.toml"
    path.write_text('title = "Q"\n\n[[slot]]\nfamily = "dropout"\n\n[[slot]]\nfamily = "dropout"\ndifficulty = "extreme"\n')
    with pytest.raises(BankError) as err:
        load_bank(str(path))
    assert str(err.value).startswith(f"{path}: slot 2 (line 6): difficulty 'extreme'")


def test_unknown_part_letters_name_the_slot_line(tmp_path):
    path = tmp_path / "quiz.toml"
    path.write_text('title = "Q"\n\n[[slot]]\nfamily = "dropout"\n\n[[slot]]\nfamily = "dropout"\nparts = ["a", "z"]\n')
    with pytest.raises(BankError) as err:
        exam_sheet(load_bank(str(path)), 1)
    assert str(err.value).startswith(f"{path}: slot 2 (line 6): family 'dropout' at difficulty medium has no part(s) z")


def test_a_folder_is_not_a_bank(tmp_path):
    with pytest.raises(BankError, match="is a folder, not a bank file"):
        load_bank(str(tmp_path))
    with pytest.raises(BankError, match="bank file not found"):
        load_bank(str(tmp_path / "missing.toml"))


def _concept_topics() -> set[str]:
    return {fam.topic for fam in load_all().values() if getattr(fam, "style", "") == "concept"}


def _banks_with_concepts() -> list[str]:
    """The midterm, and every topic bank (and section bank) whose topics have a conceptual family."""
    topics = _concept_topics()
    sections = dict(SECTIONS)
    names = ["midterm"] + sorted(t for t in topics if t in bank_names())
    names += sorted(s for s, ts in sections.items() if s in bank_names() and set(ts) <= topics)
    return names


@pytest.mark.parametrize("name", _banks_with_concepts())
def test_conceptual_parts_earn_a_quarter_to_two_fifths_of_the_points(name):
    """Issue 11: a midterm on this deck is half ideas; each bank gives conceptual parts 25–40%."""
    families = load_all()
    bank = load_bank(name)
    concept = total = 0
    for seed in range(1, 11):
        for problem in exam_sheet(bank, seed).problems:
            total += problem.points
            if families[problem.family].style == "concept":
                concept += problem.points
    assert 0.25 <= concept / total <= 0.40, f"{name}: conceptual share {concept / total:.0%}"


@pytest.mark.parametrize("name", bank_names())
def test_the_calculator_named_is_one_the_problems_can_be_done_on(name):
    """Parts need exp, ln, tanh, sin and √ (lstm-step, rnn-forward, gan-losses, positional
    encoding): a sheet that allows only a basic calculator cannot be worked (TA defect 12)."""
    text = load_bank(name).instructions.lower()
    assert "basic" not in text
    if "calculator" in text:
        assert "scientific calculator" in text or "scientific (non-programmable) calculator" in text


def test_a_worksheet_without_a_bank_names_a_scientific_calculator():
    from probgen.sheets.assemble import worksheet_sheet

    sheet = worksheet_sheet("nlp", count=2, seed=1)
    assert "scientific calculator" in sheet.instructions and "basic" not in sheet.instructions
