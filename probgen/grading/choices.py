"""Reading and judging the conceptual answer kinds: `multi` (select all that apply), `truefalse`
(T/F judged here, the justification left for hand grading with its rubric) and `short` (hand
grading only). `judge.ProblemGrader` hands these kinds to `grade_part`.

Answers as typed on a sheet or in practice:
    multi       b, d    (also "b d", "(b) (d)", "B,D", "bd", "(b)(d)"; "none" for no option)
    truefalse   T because the running averages ...   (T/F/true/false first, then the reasons;
                on an answer sheet the reasons may go on their own `2a why:` line)
    short       any text
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.model import Part
from .parse import ReadError, check_length

KINDS = ("multi", "truefalse", "short")
HAND = "for hand grading"

MULTI_RULE = ("Select-all-that-apply parts: each right option you mark earns an equal share of the "
              "points (the part's points divided by the number of right options), each wrong option "
              "you mark takes one share away, and a part never scores below 0.")
TF_RULE = ("True/false parts: the T or F (exactly one of them: an answer naming both, such as T/F, is not "
           "read) is graded at once; the justification is graded by hand "
           "against the model answer's rubric.")
SHEET_NOTE = {
    "multi": "select all that apply: letters separated by commas, e.g. b, d; "
             "each right letter earns a share, each wrong letter costs one, never below 0",
    "truefalse": "T or F, then your justification (here or on the 'why' line below)",
    "short": "your answer in one or two sentences (graded by hand)",
}

_LETTER = re.compile(r"\(?\s*([A-Za-z])\s*\)?")
# T, F, True, False in either case, maybe in brackets: (T); a justification may follow
_TF = re.compile(r"\s*(\()?\s*(true|false|t|f)(?![A-Za-z0-9])\s*(?(1)\))", re.I)
_SEPARATOR = re.compile(r"\s*[,;:.)\-\u2013\u2014]*\s*(?:because\b)?\s*", re.I)
# what makes a T/F answer hedged: "T/F", "T or F", "T? F?", "T, F", "TF"
_OTHER_AFTER_CONNECTOR = re.compile(r"\(?\s*(?:or\b|/|\|)\s*\(?\s*(true|false|t|f)(?![A-Za-z0-9])", re.I)
_OTHER_ALONE = re.compile(r"\(?\s*(true|false|t|f)\s*\)?[\s?.!]*", re.I)
_RUN_OF_TF = re.compile(r"[\s(]*(?:true|false|t|f){2,}[\s).?!]*", re.I)  # TF, tf, FT


def _show(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 20 else text[:20] + "…"


_BRACKETED_RUN = re.compile(r"(?:\(\s*[A-Za-z]\s*\))+")


def _letters_run(piece: str, options: list[str]) -> list[str] | None:
    """The letters of `bcd` or `(b)(c)(d)` when every one is an option (so `bad` with options a-d
    is b, a, d, but `all` is not read as letters); else None. A letter twice is refused."""
    if _BRACKETED_RUN.fullmatch(piece):
        run = re.findall(r"[A-Za-z]", piece)
    elif piece.isascii() and piece.isalpha() and len(piece) > 1:
        run = list(piece)
    else:
        return None
    lowered = [c.lower() for c in run]
    if not all(c in options for c in lowered):
        return None
    twice = next((c for i, c in enumerate(lowered) if c in lowered[:i]), None)
    if twice:
        raise ReadError(f"'{twice}' is listed twice")
    return run


def parse_multi(text: str, choices) -> list[str]:
    """The marked letters, sorted. Refuses a letter that is not an option and a letter twice."""
    check_length(text)
    options = sorted(choices or ())
    stripped = text.strip()
    if stripped.lower() in ("none", "-", "{}", "[]"):
        return []
    body = stripped.strip("[]{}")
    pieces = [p for p in re.split(r"[,;\s]+", body) if p]
    letters: list[str] = []
    for piece in pieces:
        m = _LETTER.fullmatch(piece)
        run = _letters_run(piece, options) if not m else None
        if run:  # bcd, (b)(c)(d): letters run together
            pieces_letters = run
        elif m:
            pieces_letters = [m.group(1)]
        else:
            raise ReadError(f"'{_show(piece)}' is not an option letter (write the letters separated "
                            f"by commas, e.g. {', '.join(options[:2])})")
        for letter in pieces_letters:
            letter = letter.lower()
            if letter not in options:
                raise ReadError(f"'{letter}' is not one of the choices {', '.join(options)}")
            if letter in letters:
                raise ReadError(f"'{letter}' is listed twice")
            letters.append(letter)
    if not letters:
        raise ReadError(f"no option letter found (write e.g. {', '.join(options[:2])})")
    return sorted(letters)


def parse_truefalse(text: str) -> tuple[str, str]:
    """("T" or "F", the justification, possibly empty). The verdict is exactly one of T, F, True,
    False in either case, maybe in brackets and with a period: (T), F.; a hedge that names both
    (T/F, T or F, T? F?, TF) or leaves it open with '?' is refused."""
    check_length(text)
    m = _TF.match(text)
    if not m:
        if _RUN_OF_TF.fullmatch(text) and {"t", "f"} <= set(text.lower()):
            raise ReadError(f"'{_show(text)}' names both T and F: write one of them, then your reasons")
        raise ReadError(f"'{_show(text)}' is not T, F, True or False (write e.g. 'T because ...')")
    letter = m.group(2)[0].upper()
    rest = text[m.end():]
    if rest.lstrip().startswith("?"):
        raise ReadError(f"'{_show(text)}' is not a plain T or F: the '?' leaves it open "
                        "(write T or F, then your reasons)")
    separator = _SEPARATOR.match(rest)
    after = rest[separator.end():]
    if "because" in separator.group().lower():  # what follows "because" is the reasoning (the web form's join)
        return letter, " ".join(after.split())
    alone = _OTHER_ALONE.fullmatch(after)
    if (rest.lstrip()[:1] in ("/", "|") or any(_OTHER_AFTER_CONNECTOR.match(r) for r in (rest.lstrip(), after))
            or (alone and alone.group(1)[0].upper() != letter)):
        raise ReadError(f"'{_show(text)}' names both T and F: write one of them, then your reasons")
    return letter, " ".join(after.split())


def read(part: Part, text: str):
    if part.kind == "multi":
        return parse_multi(text, part.choices)
    if part.kind == "truefalse":
        return parse_truefalse(text)
    if part.kind == "short":
        check_length(text)
        return " ".join(text.split())
    raise ValueError(f"not a conceptual kind: {part.kind!r}")


def multi_fraction(marked: list[str], right: list[str]) -> float:
    """The partial-credit rule (MULTI_RULE): (right marked − wrong marked) / number right, at least 0."""
    hits = len(set(marked) & set(right))
    false_marks = len(set(marked) - set(right))
    return max(0.0, (hits - false_marks) / len(right))


@dataclass
class Judged:
    verdict: str
    fraction: float  # of the automatically graded points
    message: str = ""


def judge(part: Part, value, ref) -> Judged:
    """A parsed value against a reference of the same kind (the answer or a mistake's value)."""
    from .judge import CORRECT, PARTLY, WRONG

    if part.kind == "multi":
        f = multi_fraction(value, ref)
        if sorted(value) == sorted(ref):
            return Judged(CORRECT, 1.0)
        return Judged(PARTLY if f > 0 else WRONG, f)
    if part.kind == "truefalse":
        letter = value[0] if isinstance(value, tuple) else value
        return Judged(CORRECT, 1.0) if letter == ref else Judged(WRONG, 0.0)
    return Judged(HAND, 0.0)


def _option_feedback(part: Part, marked: list[str]) -> str:
    """Which options were judged wrongly (the worked solution says why for each)."""
    missed = [f"({k})" for k in part.answer if k not in marked]
    extra = [f"({k})" for k in marked if k not in part.answer]
    notes = ([f"missed {', '.join(missed)}"] if missed else []) + ([f"wrongly marked {', '.join(extra)}"] if extra else [])
    return "; ".join(notes)


def grade_part(part: Part, text: str, base: dict):
    """A PartResult for a conceptual part with a non-empty answer."""
    from .judge import UNREADABLE, PartResult

    try:
        value = read(part, text)
    except ReadError as exc:
        return PartResult(verdict=UNREADABLE, points=0, answer=text, message=str(exc), **base)
    auto = part.points - part.hand_points
    if part.kind == "short":
        return PartResult(verdict=HAND, points=0, answer=text, hand_points=part.points,
                          justification=value, **base)
    judged = judge(part, value, part.answer)
    result = PartResult(verdict=judged.verdict, points=round(auto * judged.fraction, 4), answer=text,
                        message=judged.message, **base)
    if part.kind == "multi" and judged.fraction < 1:
        result.message = _option_feedback(part, value)
    if part.kind == "truefalse":
        result.justification = value[1]
        result.hand_points = part.hand_points if value[1] else 0
        if not value[1]:
            result.message = f"no justification written: 0 of its {part.hand_points} points"
    if judged.verdict != "correct":
        letter = value[0] if part.kind == "truefalse" else value
        matches = [m for m in part.misconceptions if judge(part, letter, m.value).fraction == 1]
        if matches:
            result.mistake, result.mistake_explanation = matches[0].name, matches[0].explanation
            result.also_mistakes = [m.name for m in matches[1:]]
    return result
