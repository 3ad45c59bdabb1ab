"""Checks every registered family must pass over the seed sweep."""

import json
import math

import jsonschema
import pytest

from probgen.sheets.answer_key import schema
from probgen.core.model import Problem
from probgen.core.registry import load_all
from sweep import sweep

FAMILIES = sorted(load_all())
PROBLEM_VALIDATOR = jsonschema.Draft202012Validator(
    {"$defs": schema()["$defs"], "$ref": "#/$defs/problem"}
)


def _numbers(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def _conventions(fid):
    return load_all()[fid].conventions or (None,)


@pytest.mark.sweep
@pytest.mark.parametrize("fid", FAMILIES)
def test_sweep_is_well_formed(fid):
    for convention in _conventions(fid):
        for difficulty, problem in sweep(fid, convention):
            where = f"{fid} {difficulty} seed {problem.seed} {convention}"
            data = {"number": 1, **problem.to_dict()}
            errors = list(PROBLEM_VALIDATOR.iter_errors(data))
            assert not errors, f"{where}: {errors[0].message}"
            text = json.dumps(problem.to_dict(), allow_nan=False)
            assert Problem.from_dict(json.loads(text)).to_dict() == problem.to_dict(), where
            assert problem.statement.strip(), where
            for part in problem.parts:
                assert part.prompt.strip(), f"{where} part {part.key}"
                for x in _numbers(part.answer):
                    assert math.isfinite(x) and abs(x) < 1e9, f"{where} part {part.key}: {x}"
            # Params are what a student reads: short numbers, no float noise like 0.30000000000000004.
            for x in _numbers(problem.params):
                if isinstance(x, float):
                    assert len(repr(abs(x)).replace(".", "").lstrip("0")) <= 8 or "e" in repr(x), f"{where}: param {x!r}"


@pytest.mark.sweep
@pytest.mark.parametrize("fid", FAMILIES)
def test_not_degenerate(fid):
    """No instance whose numeric answers are all zero (nothing to compute)."""
    for convention in _conventions(fid):
        for difficulty, problem in sweep(fid, convention):
            values = [x for p in problem.parts if p.kind in ("number", "vector", "matrix") for x in _numbers(p.answer)]
            if values:
                assert any(v != 0 for v in values), f"{fid} {difficulty} seed {problem.seed}: all answers zero"


@pytest.mark.sweep
@pytest.mark.parametrize("fid", FAMILIES)
def test_misconceptions_differ_from_the_answer(fid):
    from probgen.core.build import same_value

    for convention in _conventions(fid):
        for difficulty, problem in sweep(fid, convention):
            for part in problem.parts:
                for m in part.misconceptions:
                    assert m.name
                    if part.kind in ("number", "vector", "matrix"):
                        assert not same_value(m.value, part.answer, part.tolerance), (fid, problem.seed, part.key, m.name)
