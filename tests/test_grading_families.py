"""The grader over every registered family and the seed sweep: the key's own answers earn full
marks (typed in full and rounded to 3 significant figures), a perturbed answer is wrong, each
listed mistake is recognised by name, and error carried forward works in every family that
implements `follow_on`."""

from __future__ import annotations

import itertools
import math

import pytest

from probgen.grading.judge import CORRECT, HAND, ROUNDED, WRONG, grade_problem
from probgen.core.registry import Family, load_all
from sweep import sweep, sweep_seeds

FAMILIES = sorted(load_all())
# The costlier checks (one grading per part and per mistake) use the first seeds of the sweep.
DETAIL_SEEDS = max(1, min(len(sweep_seeds()), 40))


def conventions(fid):
    return load_all()[fid].conventions or (None,)


def instances(fid, limit=None):
    for convention in conventions(fid):
        for difficulty, problem in sweep(fid, convention):
            if limit is None or problem.seed < limit:
                yield problem


# ---------------------------------------------------------------------------------- typing answers

def _num(x: float, sig: int | None) -> str:
    return repr(float(x)) if sig is None else f"{float(x):.{sig}g}"


def typed(kind: str, value, sig: int | None = None) -> str:
    """How a student would type a value of a part's kind (sig: round to that many figures)."""
    if kind == "number":
        return _num(value, sig)
    if kind == "vector":
        return "[" + ", ".join(_num(v, sig) for v in value) + "]"
    if kind == "matrix":
        return "[" + ", ".join("[" + ", ".join(_num(v, sig) for v in row) + "]" for row in value) + "]"
    if kind == "shape":
        return " x ".join(value)
    if kind == "multi":
        return ", ".join(value)
    return str(value)  # expression (SymPy syntax), choice letter, T/F, a short answer


def perturbed(part):
    """A value that is wrong for sure, of the same kind and size (every entry off by at least
    0.5 and 50%)."""
    value = part.answer
    off = lambda v: v + 0.5 * (abs(v) + 1)  # noqa: E731
    if part.kind == "number":
        return off(value)
    if part.kind == "vector":
        return [off(v) for v in value]
    if part.kind == "matrix":
        return [[off(v) for v in row] for row in value]
    if part.kind == "shape":
        return [*value, "7"]
    if part.kind == "expression":
        return f"({value}) + 1"
    if part.kind == "multi":  # every wrong option and no right one: no share survives
        return [c for c in sorted(part.choices) if c not in value]
    if part.kind == "truefalse":
        return "F" if value == "T" else "T"
    return next(c for c in sorted(part.choices) if c != value)


def correct_sheet(problem) -> dict[str, str]:
    """The key's answers as typed; a true/false part with its model justification."""
    return {p.key: typed(p.kind, p.answer) + (f" because {p.model_answer}" if p.kind == "truefalse" else "")
            for p in problem.parts}


def _auto_points(problem) -> int:
    """The points `check` awards itself (the rest waits for hand grading)."""
    return sum(p.points - p.hand_points for p in problem.parts)


# ---------------------------------------------------------------------------------- checks

@pytest.mark.parametrize("fid", FAMILIES)
def test_key_answers_earn_full_marks(fid):
    fam = load_all()[fid]
    for problem in instances(fid):
        where = f"{fid} {problem.difficulty} seed {problem.seed} {problem.convention}"
        result = grade_problem(problem, 1, correct_sheet(problem), fam)
        for r, part in zip(result.parts, problem.parts):
            want = HAND if part.kind == "short" else CORRECT
            assert r.verdict == want, f"{where} part {r.key}: {r.verdict} {r.message}"
            assert r.hand_points == part.hand_points, f"{where} part {r.key}"
        assert result.max_points == problem.points
        assert result.points == _auto_points(problem)


@pytest.mark.parametrize("fid", FAMILIES)
def test_answers_rounded_to_three_figures_earn_full_marks(fid):
    fam = load_all()[fid]
    for problem in instances(fid):
        sheet = {p.key: typed(p.kind, p.answer, sig=3 if p.tolerance > 0 else None) for p in problem.parts}
        result = grade_problem(problem, 1, sheet, fam)
        for r, part in zip(result.parts, problem.parts):
            if part.kind in ("short", "truefalse"):
                continue  # nothing numeric to round; full marks are checked above
            assert r.verdict in (CORRECT, ROUNDED), \
                f"{fid} seed {problem.seed} part {part.key}: {sheet[part.key]} -> {r.verdict} {r.message}"


@pytest.mark.parametrize("fid", FAMILIES)
def test_perturbed_answers_are_wrong(fid):
    fam = load_all()[fid]
    for problem in instances(fid, DETAIL_SEEDS):
        for index, part in enumerate(problem.parts):
            if part.kind == "short":  # nothing automatic to be wrong: a person grades it
                r = grade_problem(problem, 1, {part.key: "some other idea"}, fam).parts[index]
                assert r.verdict == HAND and r.points == 0 and r.hand_points == part.points
                continue
            # the part alone: with no earlier answers nothing is carried forward
            sheet = {part.key: typed(part.kind, perturbed(part))}
            r = grade_problem(problem, 1, sheet, fam).parts[index]
            assert r.verdict == WRONG and r.points == 0, \
                f"{fid} seed {problem.seed} part {part.key}: {sheet[part.key]} -> {r.verdict}"


@pytest.mark.parametrize("fid", FAMILIES)
def test_each_mistake_is_recognised_by_name(fid):
    fam = load_all()[fid]
    for problem in instances(fid, DETAIL_SEEDS):
        for index, part in enumerate(problem.parts):
            for m in part.misconceptions:
                sheet = {part.key: typed(part.kind, m.value)}
                r = grade_problem(problem, 1, sheet, fam).parts[index]
                where = f"{fid} seed {problem.seed} part {part.key} mistake {m.name!r}"
                named = [r.mistake, *r.also_mistakes]
                assert m.name in named, f"{where}: got {r.verdict}, mistakes {named}"
                assert r.points < r.max_points, where


def _overrides_follow_on(fam) -> bool:
    return type(fam).follow_on is not Family.follow_on


def _inside_accepted(part, value) -> bool:
    """Whether every entry of `value` lies in the part's accepted range (the key's own verdict
    is then 'correct within rounding', whatever the earlier answer was)."""
    from probgen.core.tolerance import _flat, accepts, flat_ranges

    refs, ranges = _flat(part.answer), flat_ranges(part.accepted) if part.accepted is not None else None
    values = _flat(value)
    if ranges is None or len(values) != len(refs) or len(ranges) != len(refs):
        return False
    return all(accepts(float(v), float(a), part.tolerance, r) for v, a, r in zip(values, refs, ranges))


def _wrong_but_plausible(part):
    """An earlier answer a student might get wrong: a flipped 0/1 mask, a count off by one,
    other values 10% off."""
    def one(v):
        if part.tolerance == 0 and float(v).is_integer():
            if v in (0, 1) and part.kind != "number":
                return 1 - v  # a flipped mask entry
            return v + max(1, round(abs(v) * 0.1))  # a miscount
        return v * 1.1 if v != 0 else 0.1
    if part.kind == "number":
        return one(part.answer)
    if part.kind == "vector":
        return [one(v) for v in part.answer]
    if part.kind == "matrix":
        return [[one(v) for v in row] for row in part.answer]
    return None


def _differs(kind, a, b) -> bool:
    def flat(v):
        return list(itertools.chain.from_iterable(v)) if kind == "matrix" else (v if kind == "vector" else [v])
    fa, fb = flat(a), flat(b)
    return len(fa) != len(fb) or any(not math.isclose(x, y, rel_tol=0.02, abs_tol=1e-9) for x, y in zip(fa, fb))


@pytest.mark.parametrize("fid", [f for f in FAMILIES if _overrides_follow_on(load_all()[f])])
def test_error_carried_forward(fid):
    """A later part typed as it follows from a wrong earlier answer earns full credit, marked
    with the earlier part's label; the earlier part itself stays wrong."""
    fam = load_all()[fid]
    exercised = 0
    for problem in instances(fid, DETAIL_SEEDS):
        keys = [p.key for p in problem.parts]
        for index, part in enumerate(problem.parts):
            for dep in part.depends_on:
                wrong = _wrong_but_plausible(problem.part(dep))
                if wrong is None or not _differs(problem.part(dep).kind, wrong, problem.part(dep).answer):
                    continue
                given = {p.key: p.answer for p in problem.parts[:index]}
                given[dep] = wrong
                follow = fam.follow_on(problem.params, given)
                if part.key not in follow or part.kind not in ("number", "vector", "matrix"):
                    continue
                value = follow[part.key]
                if not _differs(part.kind, value, part.answer):
                    continue  # the mistake does not change this part
                if _inside_accepted(part, value):
                    continue  # the carried value is right on its own (inside the key's range)
                sheet = {k: typed(problem.part(k).kind, given[k]) for k in keys[:index]}
                sheet[part.key] = typed(part.kind, value)
                res = grade_problem(problem, 3, sheet, fam).parts
                where = f"{fid} seed {problem.seed} part {part.key} from {dep}"
                assert res[keys.index(dep)].points < res[keys.index(dep)].max_points, where
                assert res[index].verdict == CORRECT, f"{where}: {res[index].verdict} {res[index].message}"
                assert res[index].points == res[index].max_points, where
                assert f"3{dep}" in res[index].follows_from, where
                exercised += 1
    assert exercised > 0, f"{fid} implements follow_on but it never recomputed a later part"
