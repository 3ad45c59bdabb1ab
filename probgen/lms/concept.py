"""Canvas items for a conceptual problem (its parts are independent questions): one item per
part of each variant, in "pick 1" groups ("<title>, question n"), and the written answers in
"pick 1" groups of their own ("<title>, written answer n").

Canvas draws each group on its own, so one question in two groups could be asked twice (the same
pool item is part (c) of one variant and part (d) of another). So the groups are not part
letters: each question (a pool item, or its idea group, `question_keys`) is in exactly one
automatic group and one written group (`partition`), as many groups as the largest variant has
parts of that sort. Canvas classic quizzes cannot keep one variant's parts together (a group
draws single items; groups cannot nest), which is what Moodle's one Cloze per variant does.

    choice     multiple_choice_question   per-option feedback: its why, and a named belief
    multi      multiple_answers_question  the right options keyed; per-option feedback as above
    truefalse  true_false_question        the T/F's points; per-answer feedback
    written    essay_question             a T/F's justification or a short answer; the model
                                          answer and the rubric are the item's general feedback

A group's items can differ in points (one variant's (b) is a 2-point choice, another's a
3-point select-all); Canvas scores every item of a group at the group's "points per item",
written here as the largest of them (docs/lms.md).
"""

from __future__ import annotations

from lxml import etree

from .blanks import option_feedback, option_label
from .canvas import _feedback, _mattext, _meta, figure_src, ident, pick_one_group
from .keys import partition, question_keys
from .question import Variant, grader_html, make_variant, question_html, solution_html, written_html

NATIVE = {"choice": "multiple_choice_question", "multi": "multiple_answers_question",
          "truefalse": "true_false_question"}


def concept_groups(top, aid: str, cat, images: dict[str, bytes], tag) -> int:
    """Add the category's groups to `top`; return the points they are worth together. `tag`:
    problem -> its variant tag."""
    auto: dict[tuple, list] = {}
    written: dict[tuple, list] = {}
    where: dict[tuple, list[int]] = {}  # key -> the part positions it takes in the variants
    most = {"auto": 0, "written": 0}  # the most parts of each sort in one variant
    for problem in cat.problems:
        v = make_variant(problem, tag(problem))
        src = figure_src(v, images)
        most["auto"] = max(most["auto"], sum(1 for pb in v.parts if pb.blanks))
        most["written"] = max(most["written"], sum(1 for pb in v.parts if pb.written))
        for n, (key, pb) in enumerate(zip(question_keys(problem), v.parts)):
            where.setdefault(key, []).append(n)
            if pb.blanks:
                auto.setdefault(key, []).append((v, pb, src))
            if pb.written:
                written.setdefault(key, []).append((v, pb, src))
    total = 0
    for kind, found in (("auto", auto), ("written", written)):
        for n, keys in enumerate(partition(where, found, most[kind]), start=1):
            items = [x for k in keys for x in found[k]]
            if kind == "auto":
                points = max(pb.auto_points for _, pb, _ in items)
                group = pick_one_group(top, ident(aid, "group", cat.name, n), f"{cat.title}, question {n}", points)
                for v, pb, src in items:
                    _part_item(group, v, pb, src)
            else:
                points = max(pb.written for _, pb, _ in items)
                group = pick_one_group(top, ident(aid, "group", cat.name, n, "written"),
                                       f"{cat.title}, written answer {n}", points)
                for v, pb, src in items:
                    _essay_item(group, v, pb, src)
            total += points
    return total


def _head(group, v: Variant, pb, kind: str, points: int, suffix: str = ""):
    p = v.problem
    iid = ident("item", p.family, v.tag, pb.part.key, suffix)
    item = etree.SubElement(group, "item", ident=iid,
                            title=f"{p.title} ({v.tag}, part {pb.part.key}{', ' + suffix if suffix else ''})")
    meta = etree.SubElement(etree.SubElement(item, "itemmetadata"), "qtimetadata")
    _meta(meta, "question_type", kind)
    _meta(meta, "points_possible", points)
    return item, iid


def _outcomes(item):
    res = etree.SubElement(item, "resprocessing")
    out = etree.SubElement(res, "outcomes")
    etree.SubElement(out, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    general = etree.SubElement(res, "respcondition", attrib={"continue": "Yes"})
    etree.SubElement(etree.SubElement(general, "conditionvar"), "other")
    etree.SubElement(general, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    return res


def _part_item(group, v: Variant, pb, src: str) -> None:
    part, [blank] = pb.part, pb.blanks
    kind = NATIVE[part.kind]
    item, iid = _head(group, v, pb, kind, pb.auto_points)
    one = Variant(v.problem, [pb], v.figure_png, {id(blank): 1})
    pres = etree.SubElement(item, "presentation")
    _mattext(pres, question_html(one, lambda b, w: "<i>(choose below)</i>", src))
    multiple = part.kind == "multi"
    rl = etree.SubElement(pres, "response_lid", ident="response1", rcardinality="Multiple" if multiple else "Single")
    choice = etree.SubElement(rl, "render_choice")
    res = _outcomes(item)
    right = blank.value if multiple else [blank.value]
    ids = {}
    feedback = []
    for letter, text in blank.options:
        aid = ids[letter] = ident(iid, "choice", letter)
        _mattext(etree.SubElement(choice, "response_label", ident=aid), option_label(blank, letter, text))
        note = option_feedback(blank, letter)
        if note:
            feedback.append((aid, note))
            fc = etree.SubElement(res, "respcondition", attrib={"continue": "Yes"})
            etree.SubElement(etree.SubElement(fc, "conditionvar"), "varequal", respident="response1").text = aid
            etree.SubElement(fc, "displayfeedback", feedbacktype="Response", linkrefid=f"{aid}_fb")
    cond = etree.SubElement(res, "respcondition", attrib={"continue": "No"})
    var = etree.SubElement(cond, "conditionvar")
    if multiple:  # all the right options and none of the others (Canvas gives its partial credit itself)
        both = etree.SubElement(var, "and")
        for letter, _ in blank.options:
            target = both if letter in right else etree.SubElement(both, "not")
            etree.SubElement(target, "varequal", respident="response1").text = ids[letter]
    else:
        etree.SubElement(var, "varequal", respident="response1").text = ids[blank.value]
    etree.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
    _feedback(item, "general_fb", solution_html(one))
    for aid, text in feedback:
        _feedback(item, f"{aid}_fb", text)


def _essay_item(group, v: Variant, pb, src: str) -> None:
    item, _ = _head(group, v, pb, "essay_question", pb.written, "written")
    pres = etree.SubElement(item, "presentation")
    _mattext(pres, written_html(v, pb, src))
    rs = etree.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
    etree.SubElement(etree.SubElement(rs, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    res = _outcomes(item)
    cond = etree.SubElement(res, "respcondition", attrib={"continue": "No"})
    etree.SubElement(etree.SubElement(cond, "conditionvar"), "other")
    _feedback(item, "general_fb", grader_html(pb))
