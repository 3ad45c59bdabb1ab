"""Answers as students really type them, checked against the key of `probgen exam --seed 11`
(the review of 2026-12-02): hedged true/false answers, digit groups, other spellings of a power
of ten, select-all letters run together, shape messages. Each case goes through `probgen check`,
which shares its judge (`ProblemGrader`) with grade, practice and serve."""

from __future__ import annotations

import re

import pytest

from cli_run import run_main
from probgen.core.build import build_problem
from probgen.sheets.answer_key import dumps, make_key

EXAM_11 = [("tiny-network", 6675417, "medium"), ("momentum-trace", 938007089, "medium"),
           ("cross-entropy", 847549452, "medium"), ("normalization", 122204464, "medium"),
           ("dropout", 869698662, "medium"), ("rnn-forward", 321932401, "medium"),
           ("pooling", 622969623, "medium"), ("depthwise-separable", 46175039, "medium"),
           ("diffusion-forward", 19153824, "medium"), ("regularization-concepts", 39724560, "medium"),
           ("backprop-concepts", 637586642, "medium"), ("diffusion-concepts", 527988001, "easy")]


@pytest.fixture(scope="module")
def key11(tmp_path_factory):
    """The problems of `probgen exam --seed 11`, numbered as there (6e is the RNN's parameter
    count 19 200, 8a the convolution's 22 579 200 multiplies, 10d/10e true/false...)."""
    problems = [build_problem(f, s, d) for f, s, d in EXAM_11]
    path = tmp_path_factory.mktemp("key11") / "key.json"
    path.write_text(dumps(make_key(problems, kind="export", title="exam 11", seed=11)), encoding="utf-8")
    return path, problems


@pytest.fixture
def check(capsys, key11):
    """part label -> (verdict line, the lines under it) for a sheet typed on standard input."""
    def run(sheet: str, *extra):
        code, out, err = run_main(capsys, ["check", str(key11[0]), "-", *extra], sheet)
        assert code == 0, err
        return out
    return run


def verdict(out: str, label: str) -> str:
    """The report's line for one part: '<points>   <verdict>[: message]'."""
    m = re.search(rf"^  {label}\s+(\S+ / \S+)\s+(.*)$", out, re.M)
    assert m, out
    return m.group(2)


# ------------------------------------------------------------------------------ 1. true/false

def test_the_key_answers_of_the_true_false_parts_are_true(key11):
    """The cases below assume these references (10d, 10e, 11c, 11d, 12a are all True)."""
    problems = key11[1]
    assert [problems[n - 1].parts[ord(k) - 97].answer for n, k in
            ((10, "d"), (10, "e"), (11, "c"), (11, "d"), (12, "a"))] == ["T"] * 5


@pytest.mark.parametrize("typed, reason", [
    ("T/F", "names both T and F"), ("T or F", "names both T and F"), ("t/f", "names both T and F"),
    ("T? F?", "the '?' leaves it open"), ("TF", "names both T and F"), ("T?", "the '?' leaves it open"),
    ("T, F", "names both T and F"), ("T F", "names both T and F"), ("True/False", "names both T and F"),
    ("T (or F)", "names both T and F"), ("T / F because", "names both T and F"),
    ("yes", "is not T, F, True or False"), ("Tr", "is not T, F, True or False"),
])
def test_a_hedged_true_false_answer_earns_nothing(check, typed, reason):
    out = check(f"10d: {typed}\n")
    line = verdict(out, "10d")
    assert line.startswith("could not read: ") and reason in line, line
    assert "Total: 0 / " in out


@pytest.mark.parametrize("typed, why", [
    ("T", None), ("t", None), ("true", None), ("True.", None), ("(T)", None), ("( T ).", None),
    ("T because the test set then picks the epoch", "the test set then picks the epoch"),
    ("True, the test set is used once", "the test set is used once"),
    ("T: f is no longer an estimate", "f is no longer an estimate"),
    ("T. True: it picks the epoch", "True: it picks the epoch"),
])
def test_one_plain_true_earns_the_point(check, typed, why):
    out = check(f"10d: {typed}\n")
    assert verdict(out, "10d").startswith("correct"), out
    if why:
        assert f"for hand grading (2 pts): {why}" in out


def test_one_plain_false_is_wrong_not_unreadable(check):
    assert verdict(check("10d: F because it is fine\n"), "10d").startswith("wrong")
    assert verdict(check("10d: (f)\n"), "10d").startswith("wrong")
