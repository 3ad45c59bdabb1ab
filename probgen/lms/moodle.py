"""Moodle XML: one question category per family or bank slot, holding its N variants, each one
Cloze (Embedded Answers) question; a quiz's "random question" from a category then gives every
student a different variant.

    <quiz>
      <question type="category"> <category><text>$course$/top/probgen: SOURCE/01 dropout</text>...
      <question type="cloze">
        <name>, <questiontext format="html"> (the Cloze text; the figure as an embedded
        <file encoding="base64">, referenced as @@PLUGINFILE@@/figure.png), <generalfeedback>
        (the worked solution), <penalty>, <hidden>, <idnumber>
"""

from __future__ import annotations

import base64

from lxml import etree

from .cloze import subquestion
from .keys import partition, question_keys
from .question import (FIGURE_NAME, grader_html, make_variant, question_html, solution_html, written_html,
                       written_parts)
from .source import Export, variant_tag

PENALTY = "0.3333333"


def _text(parent, tag: str, value: str, fmt: str | None = None, cdata: bool = False):
    el = etree.SubElement(parent, tag)
    if fmt:
        el.set("format", fmt)
    t = etree.SubElement(el, "text")
    t.text = etree.CDATA(value) if cdata and "]]>" not in value else value
    return el


def _category_path(export: Export, name: str) -> str:
    # Moodle splits category paths at "/" (a literal slash is written "//")
    clean = lambda s: s.replace("/", "//")  # noqa: E731
    return f"$course$/top/probgen: {clean(export.source)}/{clean(name)}"


def moodle_xml(export: Export) -> bytes:
    quiz = etree.Element("quiz")
    quiz.append(etree.Comment(f" probgen: {export.title} - import in Moodle: Question bank > Import > Moodle XML "))
    for cat in export.categories:
        q = etree.SubElement(quiz, "question", type="category")
        _text(q, "category", _category_path(export, cat.name))
        _text(q, "info", f"<p>{cat.title}: {len(cat.problems)} variants from probgen. Add a random question "
                         f"from this category to a quiz.</p>", fmt="html")
        written: dict[tuple, list] = {}  # question key -> its essays (one per variant that asks it)
        where: dict[tuple, list[int]] = {}
        most = 0  # the most written answers one variant asks
        for problem in cat.problems:
            v = make_variant(problem, variant_tag(export, problem))
            if v.blanks:
                quiz.append(_question(problem, v))
            most = max(most, len(written_parts(v)))
            for n, (key, pb) in enumerate(zip(question_keys(problem), v.parts)):
                if pb.written:
                    where.setdefault(key, []).append(n)
                    written.setdefault(key, []).append(_essay(v, pb))
        # hand-graded parts: essay questions in subcategories that share no question, one random
        # question from each (as Canvas's written groups: keys.py)
        for n, keys in enumerate(partition(where, written, most), start=1):
            q = etree.SubElement(quiz, "question", type="category")
            _text(q, "category", _category_path(export, f"{cat.name} written answers") + f"/written answer {n}")
            _text(q, "info", f"<p>{cat.title}: written answers (true/false justifications, short answers), "
                             f"group {n} of {most}; one essay question each, graded by hand against the rubric in "
                             f"the grader information. Add one random question from each group: no question is in "
                             f"two groups, so none is asked twice.</p>", fmt="html")
            quiz.extend(e for k in keys for e in written[k])
    return etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def contents(data: bytes) -> tuple[int, int]:
    """(categories, questions) of a Moodle XML export, for the command's summary line."""
    questions = etree.fromstring(data).findall("question")
    categories = sum(q.get("type") == "category" for q in questions)
    return categories, len(questions) - categories


def _question(problem, v) -> etree._Element:
    q = etree.Element("question", type="cloze")
    conv = f", {problem.convention}" if problem.convention else ""
    _text(q, "name", f"{problem.title} ({problem.family}, {v.tag}, {problem.difficulty}{conv})")
    body = question_html(v, subquestion, f"@@PLUGINFILE@@/{FIGURE_NAME}")
    _figure(_text(q, "questiontext", body, fmt="html", cdata=True), v)
    _text(q, "generalfeedback", solution_html(v), fmt="html", cdata=True)
    etree.SubElement(q, "penalty").text = PENALTY
    etree.SubElement(q, "hidden").text = "0"
    etree.SubElement(q, "idnumber").text = f"probgen-{problem.family}-{v.tag}"
    return q


def _figure(questiontext, v) -> None:
    if v.figure_png:
        f = etree.SubElement(questiontext, "file", name=FIGURE_NAME, path="/", encoding="base64")
        f.text = base64.b64encode(v.figure_png).decode("ascii")


def _essay(v, pb) -> etree._Element:
    """A written answer as a Moodle essay question: the rubric and model answer go in the
    grader information (shown to whoever grades it), the model answer also in general feedback."""
    problem, part = v.problem, pb.part
    q = etree.Element("question", type="essay")
    _text(q, "name", f"{problem.title} ({problem.family}, {v.tag}, {problem.difficulty}, "
                     f"part {part.key}, written)")
    _figure(_text(q, "questiontext", written_html(v, pb, f"@@PLUGINFILE@@/{FIGURE_NAME}"), fmt="html", cdata=True), v)
    _text(q, "generalfeedback", grader_html(pb), fmt="html", cdata=True)
    etree.SubElement(q, "defaultgrade").text = str(pb.written)
    etree.SubElement(q, "penalty").text = "0"
    etree.SubElement(q, "hidden").text = "0"
    etree.SubElement(q, "idnumber").text = f"probgen-{problem.family}-{v.tag}-{part.key}-written"
    etree.SubElement(q, "responseformat").text = "editor"
    etree.SubElement(q, "responserequired").text = "1"
    etree.SubElement(q, "responsefieldlines").text = "6"
    etree.SubElement(q, "attachments").text = "0"
    etree.SubElement(q, "attachmentsrequired").text = "0"
    _text(q, "graderinfo", grader_html(pb), fmt="html", cdata=True)
    _text(q, "responsetemplate", "", fmt="html")
    return q
