"""Moodle's Embedded Answers (Cloze) syntax for one blank.

    {WEIGHT:NUMERICAL:=VALUE:MARGIN~%0%WRONG:MARGIN#FEEDBACK}
    {WEIGHT:NUMERICAL:=VALUE:MARGIN~=MIDDLE:HALF-WIDTH~...}   (a wider accepted range, blanks.py)
    {WEIGHT:SHORTANSWER:=SPELLING~=SPELLING~%0%WRONG#FEEDBACK}
    {WEIGHT:MULTICHOICE_V:=RIGHT OPTION~OTHER OPTION#FEEDBACK~...}
    {WEIGHT:MULTIRESPONSE:=RIGHT OPTION#FEEDBACK~WRONG OPTION#FEEDBACK~...}

MULTIRESPONSE (select all that apply) is written with '=' on every right option and no %fraction%
anywhere: Moodle's importer then gives each right option 1/n of the subquestion (n right
options) and each wrong one -1/n, and its multiple-answer grading adds the marked options'
fractions and keeps the sum between 0 and 1: probgen's partial-credit rule (docs/lms.md).

Escaping. Moodle's documentation asks for a backslash before the characters that Cloze syntax
uses, } # ~ / " \\ , inside answers and feedback. Its importer
(question/type/multianswer/questiontype.php, qtype_multianswer_extract_question) ends an
answer at an unescaped ~ # or }, ends a feedback at an unescaped ~ or }, then decodes HTML
entities once and turns \\} and \\# back into } and #. So } and # are written \\} and \\#, and the
other four as the numeric entities the importer decodes (&#126; &#47; &quot; &#92;): a backslash
left before ~ / " or \\ would reach the student. & is written &amp; so every entity already in the
HTML survives that one decoding. Numbers need no escaping.
"""

from __future__ import annotations

from .blanks import Blank, number_text, option_feedback, option_label

_ESCAPES = {"&": "&amp;", "}": "\\}", "#": "\\#", "~": "&#126;", "/": "&#47;", '"': "&quot;", "\\": "&#92;"}


def escape(text: str) -> str:
    """An answer or feedback (HTML) as Cloze text: one pass, so no escape is escaped again."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def subquestion(blank: Blank, weight: int) -> str:
    if blank.kind == "numerical":
        alts = [f"={number_text(value)}:{number_text(margin)}" for value, margin in blank.right_answers]
        alts += [f"%0%{number_text(w.value)}:{number_text(w.tolerance)}#{escape(w.feedback_html())}"
                 for w in blank.wrong]
        return "{" + f"{weight}:NUMERICAL:" + "~".join(alts) + "}"
    if blank.kind == "shortanswer":
        alts = [f"={escape(_literal(s))}" for s in blank.accepted]
        alts += [f"%0%{escape(_literal(w.value))}#{escape(w.feedback_html())}" for w in blank.wrong]
        return "{" + f"{weight}:SHORTANSWER:" + "~".join(alts) + "}"
    if blank.kind in ("multichoice", "multiresponse"):
        right = blank.value if blank.kind == "multiresponse" else [blank.value]
        alts = []
        for letter, text in blank.options:
            feedback = option_feedback(blank, letter)
            note = f"#{escape(feedback)}" if feedback else ""
            alts.append(f"{'=' if letter in right else ''}{escape(option_label(blank, letter, text))}{note}")
        kind = "MULTIRESPONSE" if blank.kind == "multiresponse" else "MULTICHOICE_V"
        return "{" + f"{weight}:{kind}:" + "~".join(alts) + "}"
    raise ValueError(f"unknown blank kind {blank.kind!r}")


def _literal(spelling: str) -> str:
    """A short answer matched literally: Moodle reads * as a wildcard unless written \\*."""
    return spelling.replace("*", "\\*")
