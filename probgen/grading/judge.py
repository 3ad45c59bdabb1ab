"""Judging a student's answers, part by part, against a regenerated problem.

Per kind: numbers within a relative tolerance (or rounded to 3 significant figures); vectors
and matrices entry by entry; shapes as tuples of dimensions; expressions by equivalence after
substituting the problem's definitions; choices by letter. A wrong answer that equals the
value of a known mistake is named. In multi-step traces a later part that is right given the
student's own earlier values earns its credit ("follows from your 2a", error carried forward).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..core import tolerance as tm
from ..core.model import Part, Problem
from . import choices
from . import expr as ex
from . import fastexpr as fx
from .numeric import read_numeric
from .parse import ReadError, check_length, parse_choice, parse_dimension, parse_expression, parse_shape, strip_assignment

CORRECT = "correct"
ROUNDED = "correct within rounding"
PARTLY = "partly correct"
WRONG = "wrong"
UNREADABLE = "could not read"
MISSING = "missing"
HAND = choices.HAND  # a short answer: a person grades it from the rubric
VERDICTS = (CORRECT, ROUNDED, PARTLY, WRONG, UNREADABLE, MISSING, HAND)

ROUNDING_FIGURES = 3
RULE = (
    "Numbers count as correct within the part's accepted range, shown in the key: the part's "
    "relative tolerance (1% unless the part says otherwise) around the reference, the reference "
    "rounded to 3 significant figures, and, where a part is computed in steps (within the part or "
    "from earlier results), every result reached by rounding those intermediate values to 3 "
    "significant figures (so a result that cancels to near 0 accepts 0). Parts marked 'exact' (counts, masks, shapes, choices) need the exact value. "
    "Vectors and matrices earn credit per entry. Expressions count when they equal the reference "
    "after its definitions are substituted. log and ln are natural logarithms. A part that is "
    "right given your own earlier wrong answer earns its credit (marked 'follows from your ...'). "
    + choices.MULTI_RULE + " " + choices.TF_RULE
)


def tolerance_note(part: Part) -> str:
    if part.kind in choices.KINDS:
        return {"multi": "partial credit per option", "truefalse": "T/F exact; justification by hand",
                "short": "graded by hand"}[part.kind]
    if part.kind in ("shape", "choice", "expression"):
        return "exact" if part.kind != "expression" else "equivalent expression"
    if part.tolerance == 0:
        return "exact"
    return tm.accepted_text(part) or f"within {part.tolerance * 100:g}%"


@dataclass
class PartResult:
    label: str  # "2a"
    key: str
    kind: str
    verdict: str
    points: float
    max_points: float
    answer: str | None  # what the student wrote
    message: str = ""  # why it could not be read, what is wrong with its shape, which entries are off
    mistake: str | None = None  # the named mistake the wrong answer matches
    mistake_explanation: str = ""
    also_mistakes: list[str] = field(default_factory=list)  # other mistakes giving the same value
    follows_from: list[str] = field(default_factory=list)  # labels of earlier parts (ECF)
    hand_points: float = 0  # points a person still awards from the rubric (truefalse, short)
    justification: str | None = None  # the text that goes to hand grading

    @property
    def full(self) -> bool:
        return self.verdict in (CORRECT, ROUNDED)


@dataclass
class ProblemResult:
    number: int
    problem: Problem
    parts: list[PartResult]

    @property
    def points(self) -> float:
        return round(sum(r.points for r in self.parts), 4)

    @property
    def max_points(self) -> float:
        return sum(r.max_points for r in self.parts)


# ----------------------------------------------------------------------------------- values

def match_number(value: float, ref: float, tol: float, accepted: list[float] | None = None) -> str | None:
    """CORRECT, ROUNDED or None. `tol`: relative; 0 = exact. `accepted`: the part's stored
    range for this entry (see probgen.core.tolerance), when judged against the reference."""
    verdict = tm.accepts(value, ref, tol, accepted)
    return CORRECT if verdict == "exact" else ROUNDED if verdict else None


def _shape_of(value) -> tuple[int, ...] | None:
    """(n,) for a flat list of numbers, (r, c) for a rectangular list of lists, else None."""
    if not isinstance(value, list):
        return ()
    if all(isinstance(v, (int, float)) for v in value):
        return (len(value),)
    if all(isinstance(v, list) and all(isinstance(x, (int, float)) for x in v) for v in value):
        widths = {len(v) for v in value}
        if len(widths) == 1:
            return (len(value), widths.pop())
    return None


def _dims(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape) if len(shape) == 2 else f"{shape[0]} entries"


def _flat(value) -> list[float]:
    return [x for row in value for x in row] if value and isinstance(value[0], list) else list(value)


def _entry_names(shape, indices) -> str:
    if len(shape) == 1:
        names = [str(i + 1) for i in indices]
    else:
        names = [f"({i // shape[1] + 1},{i % shape[1] + 1})" for i in indices]
    head = "entry" if len(names) == 1 else "entries"
    return f"{head} {', '.join(names[:8])}{', …' if len(names) > 8 else ''}"


@dataclass
class Judgement:
    verdict: str
    fraction: float  # of the part's points
    message: str = ""


def judge_value(part: Part, value: Any, ref: Any, near: dict[str, float] | None = None,
                accepted: Any = None) -> Judgement:
    """Compare a parsed student value with a reference value of the part's kind. `near`: the
    problem's values of an expression's free symbols (see `problem_point`). `accepted`: the
    part's accepted ranges, when `ref` is the part's own reference."""
    kind = part.kind
    if kind == "number":
        m = match_number(value, float(ref), part.tolerance, accepted)
        return Judgement(m or WRONG, 1.0 if m else 0.0)
    if kind in ("vector", "matrix"):
        want, got = _shape_of(ref), _shape_of(value)
        if got != want:
            if kind == "matrix" and got and len(got) == 2:
                message = f"expected a {_dims(want)} matrix, got {_dims(got)}"
                if got == want[::-1] and judge_value(part, [list(r) for r in zip(*value)], ref, None, accepted).fraction == 1:
                    message += " (its transpose would be right)"
                return Judgement(WRONG, 0.0, message)
            if kind == "vector" and got and len(got) == 1:
                return Judgement(WRONG, 0.0, f"expected {_dims(want)}, got {got[0]}")
            what = f"a {_dims(want)} matrix" if kind == "matrix" else f"a vector of {_dims(want)}"
            return Judgement(WRONG, 0.0, f"expected {what}")
        ranges = tm.flat_ranges(accepted) if accepted is not None else []
        ranges = ranges if len(ranges) == len(_flat(ref)) else [None] * len(_flat(ref))
        marks = [match_number(v, float(r), part.tolerance, a) for v, r, a in zip(_flat(value), _flat(ref), ranges)]
        ok = [m is not None for m in marks]
        if all(m == CORRECT for m in marks):
            return Judgement(CORRECT, 1.0)
        if all(ok):
            return Judgement(ROUNDED, 1.0)
        bad = [i for i, good in enumerate(ok) if not good]
        if any(ok):
            return Judgement(PARTLY, sum(ok) / len(ok), f"{sum(ok)} of {len(ok)} entries right; "
                             f"{_entry_names(want, bad)} wrong")
        return Judgement(WRONG, 0.0)
    if kind == "shape":
        want = [parse_dimension(str(d)) for d in ref]
        if len(value) != len(want):
            n = len(want)
            hint = (f" (separate the {n} dimensions with x or commas, as in {' x '.join('abcdefgh'[:n])})"
                    if len(value) == 1 and 1 < n <= 8 else "")
            return Judgement(WRONG, 0.0, f"expected {len(want)} dimensions, got {len(value)}{hint}")
        same = all(_same_dim(a, b) for a, b in zip(value, want))
        return Judgement(CORRECT if same else WRONG, 1.0 if same else 0.0)
    if kind == "expression":
        if isinstance(value, fx.FastExpr):  # read by `_grade` without SymPy (issue 14)
            same = fx.same(part, value, ref, near)
        else:
            same = ex.equivalent(value, _reference_expression(part, ref), near)
        return Judgement(CORRECT if same else WRONG, 1.0 if same else 0.0)
    if kind == "choice":
        return Judgement(CORRECT if value == ref else WRONG, 1.0 if value == ref else 0.0)
    if kind in choices.KINDS:
        j = choices.judge(part, value, ref)
        return Judgement(j.verdict, j.fraction, j.message)
    raise ValueError(f"unknown answer kind {kind!r}")


def _canonical_dim(d):
    from ..core.lazy import sympy as sp

    if isinstance(d, int):  # parse_dimension reads plain digits as an int
        return sp.Integer(d)
    return d.xreplace({s: sp.Symbol(s.name.upper()) for s in d.free_symbols})


def _same_dim(a, b) -> bool:
    if isinstance(a, int) and isinstance(b, int):  # whole numbers: no SymPy needed
        return a == b
    a, b = _canonical_dim(a), _canonical_dim(b)
    return a == b or ex.equivalent(a, b)  # 2*C vs C+C; never expand(): (N+1)^1000 would hang


def problem_point(part: Part, params: dict) -> dict[str, float]:
    """The problem's own value of each free symbol of an expression part (a definition of None),
    where its params hold a number under the same name (backprop-chain's u)."""
    point = {}
    for name, definition in (part.variables or {}).items():
        value = params.get(name) if isinstance(params, dict) else None
        if definition is None and isinstance(value, (int, float)) and not isinstance(value, bool):
            point[name] = float(value)
    return point


def _reference_expression(part: Part, ref: str):
    names = tuple(sorted(part.variables or {}))
    return ex.substitute(ex.trusted_expr(ref, names), ex.definitions(part.variables))


def read_answer(part: Part, text: str) -> Any:
    """The student's text as a value of the part's kind; raises ReadError."""
    check_length(text)
    kind = part.kind
    if kind in ("number", "vector", "matrix"):  # ln(9) ≈ 2.197, m = [1, 0], 19 200, 6.08%, [1, 2; 3, 4]
        return read_numeric(part, text)
    if kind != "choice":
        text = strip_assignment(text)  # ∂z/∂u = 2u is 2u
    if kind == "shape":
        dims = [str(d) for d in (part.answer or [])]
        return parse_shape(text, dims)
    if kind == "expression":
        value = parse_expression(text, sorted(part.variables or {}))
        return ex.substitute(value, ex.definitions(part.variables))
    if kind == "choice":
        return parse_choice(text, part.choices)
    if kind in choices.KINDS:
        return choices.read(part, text)
    raise ValueError(f"unknown answer kind {kind!r}")


def _distance(value, other) -> float:
    """How far a numeric answer is from a mistake's value (relative, summed over entries); 0
    for the other kinds."""
    a, b = tm._flat(value), tm._flat(other)
    if len(a) != len(b) or not all(isinstance(x, (int, float)) for x in a + b):
        return 0.0
    return sum(abs(x - y) / max(abs(y), 1e-12) for x, y in zip(a, b))


def _given_value(part: Part, value):
    """What follow_on receives: floats / lists for numbers, strings for the rest."""
    if part.kind == "shape":
        return [str(d) for d in value]
    if part.kind == "expression":
        return value if isinstance(value, fx.FastExpr) else str(value)  # str() when follow_on asks
    return value


def _float_like(value):
    if hasattr(value, "tolist"):  # a NumPy array or scalar from a family's follow_on
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_float_like(v) for v in value]
    if isinstance(value, str):
        return value
    return float(value)


# ----------------------------------------------------------------------------------- a problem

class ProblemGrader:
    """Grades the parts of one problem in order, remembering the student's parsed values so a
    later part can be judged against what follows from them (error carried forward).

    `problem` must come from `build_problem` (as `keyfile.load_key` and `practice` do), never
    straight from a file: expression references and misconceptions are SymPy strings that are
    parsed with `sympify`, which is only safe on text probgen itself wrote."""

    def __init__(self, problem: Problem, number: int, family=None):
        self.problem = problem
        self.number = number
        self.family = family
        self.given: dict[str, Any] = {}
        self.results: dict[str, PartResult] = {}

    def label(self, key: str) -> str:
        return f"{self.number}{key}"

    def grade(self, part: Part, text: str | None) -> PartResult:
        result = self._grade(part, text)
        self.results[part.key] = result
        return result

    def _grade(self, part: Part, text: str | None) -> PartResult:
        base = dict(label=self.label(part.key), key=part.key, kind=part.kind, max_points=part.points)
        if text is None or not text.strip():
            return PartResult(verdict=MISSING, points=0, answer=None, **base)
        if part.kind in choices.KINDS:
            return choices.grade_part(part, text, base)
        try:
            value = fx.read(part, text) if part.kind == "expression" else read_answer(part, text)
        except ReadError as exc:
            return PartResult(verdict=UNREADABLE, points=0, answer=text, message=str(exc), **base)
        near = problem_point(part, self.problem.params) if part.kind == "expression" else None
        judged = judge_value(part, value, part.answer, near, part.accepted)
        if part.kind not in ("vector", "matrix") or _shape_of(value) == _shape_of(part.answer):
            self.given[part.key] = _given_value(part, value)  # a mis-shaped answer carries nothing forward
        follows: list[str] = []
        if judged.fraction < 1 and part.depends_on:
            carried = self._follow_on(part, value, near)
            if carried is not None and carried.fraction == 1:  # right given the earlier answers
                judged = carried
                follows = self._shaky_dependencies(part)
        result = PartResult(verdict=judged.verdict, points=round(part.points * judged.fraction, 4),
                            answer=text, message=judged.message, follows_from=follows, **base)
        if not follows and judged.fraction < 1:
            matches = [m for m in part.misconceptions if judge_value(part, value, m.value, near).fraction == 1]
            matches.sort(key=lambda m: _distance(value, m.value))  # the closest first
            if matches:  # several when two mistakes give the same value in this instance
                result.mistake, result.mistake_explanation = matches[0].name, matches[0].explanation
                result.also_mistakes = [m.name for m in matches[1:]]
        return result

    def _follow_on(self, part: Part, value, near=None) -> Judgement | None:
        """Judge against the value the family recomputes from the student's earlier answers."""
        if self.family is None or not any(d in self.given for d in part.depends_on):
            return None
        try:  # an expression is handed over as SymPy's printing of it, built now
            earlier = {k: str(v) if isinstance(v, fx.FastExpr) else v for k, v in self.given.items() if k != part.key}
            recomputed = self.family.follow_on(self.problem.params, earlier)
            if part.key not in recomputed:
                return None
            return judge_value(part, value, _float_like(recomputed[part.key]), near)
        except Exception:  # noqa: BLE001 - odd earlier values must not crash grading; the family
            return None    # tests call follow_on directly, so its bugs still surface there

    def _shaky_dependencies(self, part: Part) -> list[str]:
        """The earlier parts whose (wrong or rounded) values this credit rests on."""
        deps = [d for d in part.depends_on if d in self.results]
        shaky = [d for d in deps if self.results[d].verdict != CORRECT or self.results[d].follows_from]
        return [self.label(d) for d in (shaky or deps)]


def grade_problem(problem: Problem, number: int, answers: dict[str, str | None], family=None) -> ProblemResult:
    """`answers`: part key -> the student's text (None: not answered)."""
    grader = ProblemGrader(problem, number, family)
    return ProblemResult(number, problem, [grader.grade(p, answers.get(p.key)) for p in problem.parts])
