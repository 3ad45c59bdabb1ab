"""The problem model: plain data that round-trips through JSON.

A `Problem` holds every given (`params`), the rendered statement and part prompts (template
markup, see `probgen.core.markup`), the reference answers, the worked solution and the values that
named mistakes produce. Nothing in it is a SymPy object: exact values are strings.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

DIFFICULTIES = ("easy", "medium", "hard")

# What a part's answer looks like, and so how it is parsed and judged.
#   number      float; `exact` a SymPy-syntax string ("3/4", "sqrt(2)/2"); tolerance 0 = exact count
#   vector      list of floats; `exact` list of strings
#   matrix      list of lists of floats; `exact` list of lists of strings
#   shape       list of dimension strings, e.g. ["1", "C", "1", "1"]
#   expression  SymPy-syntax string in the part's `variables`
#   choice      a letter, one of `choices`
#   multi       select all that apply: the sorted list of right letters of `choices`
#   truefalse   "T" or "F", graded automatically, plus a justification graded by hand against
#               `model_answer` and `rubric` (the rubric's points are part of `points`)
#   short       a one- or two-sentence answer or a short derivation, graded by hand:
#               `answer` and `model_answer` hold the model answer, `rubric` the points
# Choice kinds may carry `explanations`: option letter (or "T"/"F") -> why it is right or wrong.
ANSWER_KINDS = ("number", "vector", "matrix", "shape", "expression", "choice", "multi", "truefalse", "short")
HAND_GRADED_KINDS = ("truefalse", "short")  # kinds with points a person awards from the rubric

DEFAULT_TOLERANCE = 0.01  # relative; the grader also accepts rounding to 3 significant figures


@dataclass
class Misconception:
    """The answer a named mistake produces, e.g. 'Adam's step without bias correction'."""

    name: str
    value: Any  # same form as the part's answer
    explanation: str = ""


@dataclass
class Part:
    key: str  # "a", "b", ... (the exam renderer prefixes the problem number: 1a)
    kind: str
    answer: Any
    exact: Any = None
    latex: str | None = None  # display form of the exact answer (LaTeX subset, see markup)
    tolerance: float = DEFAULT_TOLERANCE
    points: int = 1
    prompt: str = ""  # markup, filled in from the family's template
    choices: dict[str, str] | None = None  # choice kind: letter -> option text (markup)
    # expression kind: symbol -> its definition in terms of the others (None = free variable),
    # e.g. {"u": None, "x": "u**2", "y": "sin(x)"} for "in terms of u, x and y".
    variables: dict[str, str | None] | None = None
    misconceptions: list[Misconception] = field(default_factory=list)
    # Earlier parts whose values this part is computed from (error carried forward).
    depends_on: list[str] = field(default_factory=list)
    # The work model (probgen.core.work): elementary operations the part's solution does
    # ({"arith", "lookup", "step"} counts) and the minutes they take by hand.
    ops: dict[str, int] | None = None
    minutes: float = 0.0
    # number/vector/matrix: every entry's accepted range [low, high], nested like the answer
    # (see probgen.core.tolerance); None for the other kinds.
    accepted: Any = None
    # Conceptual kinds only (left out of the JSON when unset, so other parts' keys are unchanged):
    explanations: dict[str, str] | None = None  # option letter / "T" / "F" -> why right or wrong
    model_answer: str | None = None  # truefalse justification or short answer, markup
    rubric: list[dict[str, Any]] | None = None  # [{"points": 1, "idea": "..."}]: hand-graded points

    @property
    def hand_points(self) -> int:
        """The points a person awards from the rubric (0 for automatically graded kinds)."""
        return sum(int(r["points"]) for r in self.rubric or ())


_CONCEPT_FIELDS = ("explanations", "model_answer", "rubric")


@dataclass
class Step:
    part: str | None  # the part this step works towards (None: general)
    text: str  # markup


@dataclass
class Problem:
    family: str
    version: int
    seed: int
    difficulty: str
    convention: str | None
    title: str
    section: str
    topic: str
    params: dict[str, Any]
    statement: str
    parts: list[Part]
    steps: list[Step] = field(default_factory=list)
    figure: dict[str, Any] | None = None  # structured drawing data (e.g. a computational graph)

    def part(self, key: str) -> Part:
        for p in self.parts:
            if p.key == key:
                return p
        raise KeyError(key)

    @property
    def points(self) -> int:
        return sum(p.points for p in self.parts)

    @property
    def minutes(self) -> float:
        """Estimated minutes of work by hand (the work model, docs/work-model.md)."""
        return round(sum(p.minutes for p in self.parts), 1)

    def to_dict(self) -> dict[str, Any]:
        try:
            data = _plain(self)
        except _Unusual:
            data = asdict(self)
        for part in data["parts"]:
            for name in _CONCEPT_FIELDS:
                if part.get(name) is None:
                    del part[name]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Problem":
        data = dict(data)
        data["parts"] = [
            Part(**{**p, "misconceptions": [Misconception(**m) for m in p.get("misconceptions", [])]})
            for p in data["parts"]
        ]
        data["steps"] = [Step(**s) for s in data.get("steps", [])]
        return cls(**data)


_SAME = {str, int, float, bool, type(None)}  # what copy.deepcopy hands back as it is


class _Unusual(Exception):
    pass


def _plain(o):
    """dataclasses.asdict(o), for the types a problem holds; asdict recurses through generic
    code and deep-copies every leaf, which made each class-set version's JSON key cost ~2 ms."""
    t = type(o)
    if t in _SAME:
        return o
    if t is list:
        return [_plain(v) for v in o]
    if t is dict:
        return {_plain(k): _plain(v) for k, v in o.items()}
    if t is tuple:
        return tuple(_plain(v) for v in o)
    if is_dataclass(o) and not isinstance(o, type):
        return {f.name: _plain(getattr(o, f.name)) for f in fields(o)}
    if isinstance(o, (list, tuple, dict)):
        raise _Unusual  # a subclass (a namedtuple...): asdict's own rules
    return copy.deepcopy(o)
