"""What an LMS shows, read back from the exports of several families in both formats: no text
holds TeX between single dollars (neither Moodle's MathJax filter nor Canvas typesets `$...$`:
the export writes math as \\( ... \\) and \\[ ... \\]), and no feedback says a sentence twice
(an option's explanation and its catalogue mistake's explanation are often one text)."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import Counter

import pytest
from lxml import etree

from cloze_parser import parse
from probgen.lms.canvas import canvas_zip
from probgen.lms.moodle import moodle_xml
from probgen.lms.source import resolve

SECRET = "fedcba9876543210fedcba9876543210"
# the conceptual families whose catalogue explanations hold math (the reviewer's three), a figure
# family, numeric families with vector/matrix mistakes and expression parts, and a bank
SOURCES = [("losses-concepts", 12, "hard"), ("transformers-concepts", 12, "hard"), ("regularization-concepts", 6, "medium"),
           ("dropout", 4, "medium"), ("backprop-chain", 4, "medium"), ("normalization", 4, "hard"),
           ("midterm", 3, None)]
PLACEHOLDERS = ("$IMS-CC-FILEBASE$", "$course$")  # Canvas's file base and Moodle's category root


@pytest.fixture(scope="module", params=SOURCES, ids=[s[0] for s in SOURCES])
def export(request):
    source, variants, difficulty = request.param
    return resolve(source, variants, 7, difficulty, None, SECRET)


def shown_texts(fmt: str, export) -> tuple[list[str], list[str]]:
    """(every text the LMS shows, HTML or not; the feedback texts, each one feedback a student gets)."""
    texts, feedback = [], []
    if fmt == "moodle":
        root = etree.fromstring(moodle_xml(export))
        for q in root.iter("question"):
            for el in q.iter("text"):
                texts.append(el.text or "")
            body = q.findtext("questiontext/text") or ""
            if q.get("type") == "cloze":
                for sub in parse(body):
                    feedback += [alt.feedback for alt in sub.alternatives if alt.feedback]
                    texts += [alt.answer for alt in sub.alternatives] + [alt.feedback for alt in sub.alternatives]
            feedback += [x for tag in ("generalfeedback", "graderinfo") for x in by_part(q.findtext(f"{tag}/text") or "")]
        return texts, feedback
    z = zipfile.ZipFile(io.BytesIO(canvas_zip(export)))
    for name in z.namelist():
        if not name.endswith(".xml"):
            continue
        root = etree.fromstring(z.read(name))
        for el in root.iter():
            if isinstance(el.tag, str):
                texts.append(el.text or "")
                texts += [el.get(a) for a in ("title",) if el.get(a)]
                if el.tag.endswith("itemfeedback"):
                    feedback += by_part("".join(el.itertext()))
    return texts, feedback


def by_part(solution: str) -> list[str]:
    """A worked solution part by part (a belief that two parts' options share is explained in
    both parts, as on the paper key); any other feedback whole."""
    return re.split(r"<p><b>\(\w+\)</b></p>", solution)


def sentences(feedback_html: str) -> list[str]:
    """The sentences of a feedback: split at line breaks, list items, paragraphs and full stops;
    words only (tags dropped, entities decoded, spaces collapsed); fragments under 25 characters
    (an "Answer: (b)") and displayed math (a result the solution restates as the answer) left out."""
    text = re.sub(r"<br\s*/?>|</li>|</p>|<li>|<p[^>]*>", "\n", feedback_html)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    out = []
    for line in text.split("\n"):
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", line):
            s = " ".join(s.split())
            if len(s) >= 25 and not s.startswith("\\["):  # a displayed result, restated as the answer
                out.append(s)
    return out


@pytest.mark.parametrize("fmt", ["moodle", "canvas"])
def test_no_text_holds_dollar_math(fmt, export):
    texts, _ = shown_texts(fmt, export)
    assert texts
    for text in texts:
        rest = text
        for placeholder in PLACEHOLDERS:
            rest = rest.replace(placeholder, "")
        assert "$" not in rest, rest[max(0, rest.index("$") - 80):rest.index("$") + 80]


@pytest.mark.parametrize("fmt", ["moodle", "canvas"])
def test_no_feedback_says_a_sentence_twice(fmt, export):
    _, feedback = shown_texts(fmt, export)
    assert feedback
    for text in feedback:
        twice = [s for s, n in Counter(sentences(text)).items() if n > 1]
        assert not twice, (twice, text[:600])


def test_a_known_mistake_keeps_its_explanation_where_the_option_has_another():
    """The explanation is left out only where it repeats the option's own: a catalogue belief
    behind an option that explains itself otherwise still says why."""
    from probgen.lms.blanks import Blank, Wrong, option_feedback

    blank = Blank("multichoice", "", 1, value="a", options=[("a", "x"), ("b", "y"), ("c", "z")],
                  explanations={"b": "Because $b$ is wrong - it is 1,000 times too big.", "c": "Its own reason."},
                  wrong=[Wrong("b", ["the b belief"], ["Because $b$ is wrong − it is 1\u202f000 times too big."]),
                         Wrong("c", ["the c belief"], ["The catalogue's reason, with $\\hat y$."])])
    b, c = option_feedback(blank, "b"), option_feedback(blank, "c")
    assert b == r"Because \(b\) is wrong - it is 1,000 times too big.<br>Known mistake: <i>the b belief</i>"
    assert c == r"Its own reason.<br>Known mistake: <i>the c belief</i> — The catalogue's reason, with \(\hat y\)."
