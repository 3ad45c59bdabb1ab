"""The JSON key writer gives exactly json.dumps' text (indent 2, Unicode kept, no NaN)."""

import json

import pytest

from probgen.core.build import build_problem
from probgen.core.registry import load_all
from probgen.sheets.answer_key import dumps, make_key


def _reference(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def test_every_family_key_is_json_dumps_text():
    problems = []
    for fid in sorted(load_all()):
        for difficulty in ("easy", "medium", "hard"):
            try:
                problems.append(build_problem(fid, 8, difficulty))
            except ValueError:
                continue
    key = make_key(problems, kind="exam", title="Ünïcode — \"quoted\" \\ \u2028", seed=8,
                   student={"name": "Zoë 李", "id": "s-1"})
    assert dumps(key) == _reference(key)


@pytest.mark.parametrize("obj", [{}, [], {"a": {}, "b": [], "c": [[], {}]}, [1, -0.0, 1e-300, 2**70, True, None],
                                 {"k": (1, 2)}, {"tab\t": "\x00\x1f"}, {1: "int key"}, {"s": {1, 2}.__class__}])
def test_edge_cases_are_json_dumps_text(obj):
    try:
        expected = _reference(obj)
    except TypeError:
        with pytest.raises(TypeError):
            dumps(obj)
        return
    assert dumps(obj) == expected


def test_nan_is_refused_like_json():
    with pytest.raises(ValueError):
        dumps({"x": [float("nan")]})
    with pytest.raises(ValueError):
        dumps({"x": float("inf")})
