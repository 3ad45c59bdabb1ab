"""Self-marking in practice: after a true/false justification or a short answer, the student sees
the model answer and the rubric (printed with the verdict) and awards themself points from it.

`practice` calls `self_mark` for a result with `hand_points`; the awarded points are added to the
part's score and the result says they were self-marked."""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from .judge import PartResult

ATTEMPTS = 3


def read_points(text: str, most: float) -> float | None:
    """A self-awarded score: a whole or half number from 0 to `most`; None if it is not one."""
    text = text.strip().replace(",", ".")
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None
    if value < 0 or value > Fraction(str(most)) or (2 * value).denominator != 1:
        return None
    return float(value)


def self_mark(result: PartResult, read_line: Callable[[], str | None], echo: Callable[[str], None],
              indent: str = "    ") -> PartResult:
    """Ask for the points the student awards themself against the rubric; add them to `result`.
    End of input or an empty line awards 0; a bad number is asked again (up to 3 times)."""
    most = result.hand_points
    if not most:
        return result
    for _ in range(ATTEMPTS):
        echo(f"{indent}Mark yourself against the rubric above: points for your written answer (0-{most:g})? ")
        line = read_line()
        if line is None or not line.strip():
            awarded = 0.0
            break
        awarded = read_points(line, most)
        if awarded is not None:
            break
        echo(f"{indent}'{line.strip()[:20]}' is not a whole or half number from 0 to {most:g}")
    else:
        awarded = 0.0
    result.points = round(result.points + awarded, 4)
    result.hand_points = 0
    result.message = (result.message + "; " if result.message else "") + f"self-marked {awarded:g} of {most:g}"
    return result
