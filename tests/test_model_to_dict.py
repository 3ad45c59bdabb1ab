"""Problem.to_dict builds the dict itself (speed, issue 14): it must equal dataclasses.asdict's,
types and key order included, for every family, and keep asdict's rules for unusual values."""

from collections import namedtuple
from dataclasses import asdict
from fractions import Fraction

from probgen.core.build import build_problem
from probgen.core.model import Part, Problem
from probgen.core.registry import load_all


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _asdict_key(problem: Problem) -> dict:
    data = asdict(problem)
    for part in data["parts"]:
        for name in ("explanations", "model_answer", "rubric"):
            if part.get(name) is None:
                del part[name]
    return data


def test_every_family_as_asdict_makes_it():
    for fid, fam in sorted(load_all().items()):
        for diff in fam.difficulties:
            problem = build_problem(fid, 5, diff, (fam.conventions or (None,))[-1])
            assert _same(problem.to_dict(), _asdict_key(problem)), (fid, diff)


def test_unusual_values_follow_asdict():
    Pair = namedtuple("Pair", "a b")
    params = {"t": (1, [2.5, None]), "frac": Fraction(1, 3), "pair": Pair([1], "x"), "flag": True}
    problem = Problem(family="f", version=1, seed=0, difficulty="medium", convention=None, title="t",
                      section="s", topic="t", params=params, statement="",
                      parts=[Part(key="a", kind="number", answer=1.0, rubric=[{"points": 1, "idea": "i"}])])
    data = problem.to_dict()
    assert _same(data, _asdict_key(problem))
    assert data["params"]["t"] == (1, [2.5, None]) and type(data["params"]["pair"]) is Pair
    data["params"]["t"][1].append(3)  # a copy, as asdict's: the problem is unchanged
    assert problem.params["t"][1] == [2.5, None]
    assert data["parts"][0]["rubric"] == [{"points": 1, "idea": "i"}] and "explanations" not in data["parts"][0]
