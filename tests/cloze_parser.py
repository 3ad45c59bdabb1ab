"""A parser for Moodle's Embedded Answers (Cloze) syntax, written for the tests from Moodle's
published description (docs.moodle.org, "Embedded Answers (Cloze) question type") and the
grammar its importer applies (question/type/multianswer/questiontype.php): it shares no code
with probgen.lms.

    {WEIGHT:TYPE:ALT~ALT~...}      WEIGHT: digits, may be empty (then 1)
    TYPE: NUMERICAL, SHORTANSWER, MULTICHOICE, MULTIRESPONSE and their variants
    ALT = [= | %PERCENT%] ANSWER [#FEEDBACK]
    NUMERICAL answers: NUMBER[:MARGIN]

Inside answers and feedback, a backslash makes the next of } # ~ / " \\ an ordinary character;
HTML entities are decoded (Moodle decodes them once). A '#' right after '&' belongs to an entity
(&#126;) and does not start feedback. Anything malformed raises ClozeError.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

TYPES = {
    "NUMERICAL": "numerical", "NM": "numerical",
    "SHORTANSWER": "shortanswer", "SA": "shortanswer", "MW": "shortanswer",
    "SHORTANSWER_C": "shortanswer", "SAC": "shortanswer", "MWC": "shortanswer",
    "MULTICHOICE": "multichoice", "MC": "multichoice", "MULTICHOICE_V": "multichoice", "MCV": "multichoice",
    "MULTICHOICE_H": "multichoice", "MCH": "multichoice", "MULTICHOICE_S": "multichoice", "MCS": "multichoice",
    "MULTICHOICE_VS": "multichoice", "MCVS": "multichoice", "MULTICHOICE_HS": "multichoice", "MCHS": "multichoice",
    "MULTIRESPONSE": "multiresponse", "MR": "multiresponse", "MULTIRESPONSE_H": "multiresponse", "MRH": "multiresponse",
    "MULTIRESPONSE_S": "multiresponse", "MRS": "multiresponse", "MULTIRESPONSE_HS": "multiresponse",
    "MRHS": "multiresponse",
}
ESCAPABLE = set('}#~/"\\')
NUMBER = re.compile(r"-?(\d+[.,]?\d*|[.,]\d+)([eE][-+]?\d+)?\Z")
START = re.compile(r"\{(\d*):([A-Z_]+):")


class ClozeError(ValueError):
    pass


@dataclass
class Alternative:
    fraction: float  # 1.0 for '=', PERCENT/100, else 0
    answer: str  # decoded text
    feedback: str  # decoded HTML
    value: float | None = None  # numerical
    margin: float | None = None  # numerical
    percent: bool = False  # written as %PERCENT% (not '=' or nothing)


@dataclass
class Subquestion:
    weight: int
    type: str  # the type as written
    kind: str  # numerical | shortanswer | multichoice
    alternatives: list[Alternative] = field(default_factory=list)
    start: int = 0  # offset in the text

    @property
    def right(self) -> list[Alternative]:
        return [a for a in self.alternatives if a.fraction == 1.0]

    @property
    def wrong(self) -> list[Alternative]:
        return [a for a in self.alternatives if a.fraction == 0.0]

    def response_fractions(self) -> list[float]:
        """MULTIRESPONSE: each option's fraction as Moodle's importer stores it. The positive
        fractions are scaled to add up to 1; when no option has a %fraction%, every other
        option gets -1/(sum of the positive ones) ("each cancels out one correct answer")."""
        written = [a.fraction for a in self.alternatives]
        specific = any(a.percent for a in self.alternatives)
        total = sum(f for f in written if f > 0)
        return [f / total if f > 0 else (f if specific else -1.0 / total) for f in written]

    def response_grade(self, marked: list[int]) -> float:
        """Moodle's multiple-answer grade of marking the options at `marked`: the marked
        options' fractions added, kept between 0 and 1."""
        fractions = self.response_fractions()
        return min(1.0, max(0.0, sum(fractions[i] for i in marked)))


def parse(text: str) -> list[Subquestion]:
    """Every subquestion of a Cloze question text, in order."""
    out = []
    pos = 0
    while True:
        m = START.search(text, pos)
        if m is None:
            break
        if m.group(2) not in TYPES:
            raise ClozeError(f"unknown subquestion type {m.group(2)!r} at {m.start()}")
        sub, pos = _subquestion(text, m)
        out.append(sub)
    return out


def _subquestion(text: str, m: re.Match) -> tuple[Subquestion, int]:
    weight = int(m.group(1)) if m.group(1) else 1
    sub = Subquestion(weight, m.group(2), TYPES[m.group(2)], start=m.start())
    i = m.end()
    while True:
        alt, i, end = _alternative(text, i, sub.kind)
        sub.alternatives.append(alt)
        if end == "}":
            break
    if not sub.right:
        raise ClozeError(f"subquestion at {m.start()} has no 100% answer")
    if sub.kind in ("multichoice", "multiresponse") and len(sub.alternatives) < 2:
        raise ClozeError(f"multiple choice at {m.start()} needs two options")
    return sub, i


def _alternative(text: str, i: int, kind: str) -> tuple[Alternative, int, str]:
    fraction, percent = 0.0, False
    if text.startswith("=", i):
        fraction, i = 1.0, i + 1
    elif text.startswith("%", i):
        j = text.find("%", i + 1)
        if j < 0 or not re.fullmatch(r"-?\d+(?:[.,]\d*)?", text[i + 1:j]):
            raise ClozeError(f"bad %percent% at {i}")
        fraction, i, percent = float(text[i + 1:j].replace(",", ".")) / 100, j + 1, True
    answer, i, stop = _field(text, i, stops="~#}", entity_hash=True)
    if not answer.strip():
        raise ClozeError(f"empty answer at {i}")
    feedback = ""
    if stop == "#":
        feedback, i, stop = _field(text, i + 1, stops="~}", entity_hash=False)
    alt = Alternative(fraction, answer, feedback, percent=percent)
    if kind == "numerical":
        value, _, margin = answer.partition(":")
        if not NUMBER.match(value) or (margin and not NUMBER.match(margin)):
            raise ClozeError(f"numerical answer {answer!r} is not NUMBER[:MARGIN]")
        alt.value, alt.margin = float(value.replace(",", ".")), float(margin.replace(",", ".")) if margin else 0.0
    return alt, i + 1, stop


def _field(text: str, i: int, stops: str, entity_hash: bool) -> tuple[str, int, str]:
    """Read up to an unescaped stop character; return (decoded text, index of the stop, stop)."""
    raw = []
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE:
            raw.append(text[i + 1])
            i += 2
            continue
        if ch == "{" and START.match(text, i):
            raise ClozeError(f"a subquestion starts inside another at {i}")
        if ch in stops and not (ch == "#" and entity_hash and raw and raw[-1] == "&"):
            return html.unescape("".join(raw)), i, ch
        raw.append(ch)
        i += 1
    raise ClozeError("subquestion not closed with }")


def outside(text: str) -> str:
    """The question text with every subquestion cut out (to check that no stray syntax is left)."""
    pieces, pos = [], 0
    for sub in parse(text):
        pieces.append(text[pos:sub.start])
        _, pos = _subquestion(text, START.match(text, sub.start))
    pieces.append(text[pos:])
    return "".join(pieces)
