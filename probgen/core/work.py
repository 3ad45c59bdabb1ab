"""The work model: how many minutes a part takes a prepared student working by hand.

A part's work is counted in three kinds of elementary operation (`Part.ops`):

    arith   one calculator operation on decimals: a product, a sum of two terms, a division,
            writing down one entry of a result;
    int     one mental operation on small integers: a product, a sum, a comparison (max of two);
    lookup  a function key: exp, ln, sqrt, tanh, sigmoid, sin/cos, a power;
    step    recalling or setting up one formula (a named rule applied once).

A family states a part's counts where its solution does work its text does not spell out
(`ops=` of the helpers in `probgen.kit.solver`); otherwise they are counted from the part's
worked solution: every operator between numbers is one `arith`, every function of a number
one `lookup`, every worked step one `step`.

Minutes are then a fixed price per operation plus the time to read the prompt and write the
answer (`PART_OVERHEAD`). The prices were calibrated once against a hand-worked sample
(docs/work-model.md)."""

from __future__ import annotations

import math
import re

# seconds per elementary operation (docs/work-model.md, calibration table)
SECONDS = {"arith": 8.0, "int": 3.0, "lookup": 15.0, "step": 20.0}
PART_OVERHEAD = 30.0  # read the prompt, write the answer down
READING_MINUTES_PER_PROBLEM = 1.5  # an exam's reading time: each statement read once
READING_MINUTES_BASE = 5.0  # the cover page and instructions

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
_NUM = r"(?:\d+(?:\.\d+)?)"
# an operator with a number (or a bracketed/ braced number) on its left
_BINOP = re.compile(r"(?<=[\d)}\]])\s*(?:\+|-|−|\\cdot|\\times|/|\\div)\s*(?=[\d({\[\\-]|\\frac|\\left)")
_FRAC = re.compile(r"\\frac\s*\{\s*-?" + _NUM + r"[^{}]*\}\s*\{\s*" + _NUM)
_LOOKUP = re.compile(r"\\(?:ln|log|exp|sqrt|tanh|sin|cos)\b\s*(?:\\left)?\s*[({]?\s*-?\d|"
                     r"\\sigma\s*(?:\\left)?\s*\(\s*-?\d|e\^\{\s*-?\d|\^\{?\s*\d+(?:\.\d+)?\s*\}?(?!\s*\\times)")
_MATRIX_ENTRY = re.compile(r"&")


def _width(body: str) -> int:
    """How many entries an elementwise operation on the vectors written in `body` works on."""
    start = body.find(r"\left[")
    if start < 0:
        return 1
    end = body.find(r"\right]", start)
    return body.count(",", start, end) + 1 if end > 0 else 1


def count_ops(texts: list[str]) -> dict[str, int]:
    """Elementary operations written out in a part's worked solution (an operation on vectors
    counts once per entry)."""
    arith = lookup = 0
    for text in texts:
        for m in _MATH.finditer(text):
            body = m.group(1) or m.group(2) or ""
            width = _width(body)
            arith += width * (len(_BINOP.findall(body)) + len(_FRAC.findall(body)))
            lookup += width * len(_LOOKUP.findall(body))
    return {"arith": arith, "lookup": lookup, "step": max(1, len(texts))}


def minutes(ops: dict[str, int]) -> float:
    seconds = PART_OVERHEAD + sum(SECONDS[k] * v for k, v in ops.items() if k in SECONDS)
    return round(seconds / 60.0, 1)


def points_for(minutes_list: list[float]) -> list[int]:
    """Points that follow work within a problem: one point per started ~1.5 minutes, at least 1."""
    return [max(1, round(m / 1.5)) for m in minutes_list]


def reading_minutes(problems: int) -> float:
    return READING_MINUTES_BASE + READING_MINUTES_PER_PROBLEM * problems


def time_allowed(work_minutes: float, problems: int) -> int:
    """An exam's time allowed: the estimated work plus reading time, up to the next 5 minutes."""
    return int(5 * math.ceil((work_minutes + reading_minutes(problems)) / 5.0))
