"""Canvas: a QTI 1.2 zip (imsmanifest.xml + one assessment) for Canvas's "QTI .zip file" import.

The assessment holds one question group per family or bank slot: N variants with "pick 1"
(<section> with <selection_number>1</selection_number> and <points_per_item>), so each student
gets one variant. Canvas grades one item as a whole, so a variant is one item:
  - one numeric answer: numerical_question with the range reference ± margin;
  - one choice: multiple_choice_question, each named mistake's option with its feedback;
  - anything else: fill_in_multiple_blanks_question. Canvas matches blanks as text, not as
    numbers, so a numeric blank accepts a list of decimal spellings inside the judge's margin
    (numeric_spellings: rounded down and up at each number of places, trailing zeros, no
    leading zero), a shape its usual spellings, a choice its letter. Canvas shares the points
    equally over the blanks.
Named mistakes: per-option feedback on multiple choice; elsewhere Canvas has no wrong answers with
feedback, so the item's "incorrect" feedback lists each blank's known mistakes and their values.
The worked solution is the item's general feedback. Markup follows Canvas's own QTI exporter
(lib/cc/qti/qti_items.rb, qti_generator.rb).

A conceptual problem (parts of kind multi, truefalse, short) is split: its parts are independent
questions, and each becomes an item of its own (statement and figure repeated), in "pick 1"
groups that never share a question (concept.py): choice -> multiple_choice_question, multi ->
multiple_answers_question, truefalse -> true_false_question, and every written answer (a T/F's
justification, a short answer) -> essay_question in a "written" group, with the model answer
and rubric as the item's general feedback.
"""

from __future__ import annotations

import hashlib
import html
import io
import zipfile

from lxml import etree

from .blanks import Blank, Wrong, number_text
from .html import inline
from .question import Variant, make_variant, question_html, solution_html
from .source import Export, variant_tag

CONCEPT_KINDS = ("multi", "truefalse", "short")

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
FIXED_DATE = (2026, 1, 1, 0, 0, 0)  # zip entry times: the same input gives the same bytes


def ident(*parts: object) -> str:
    return "g" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:24]


def _meta(parent, label: str, entry) -> None:
    f = etree.SubElement(parent, "qtimetadatafield")
    etree.SubElement(f, "fieldlabel").text = label
    etree.SubElement(f, "fieldentry").text = str(entry)


def _mattext(parent, html_text: str) -> None:
    m = etree.SubElement(parent, "material")
    etree.SubElement(m, "mattext", texttype="text/html").text = html_text


def _feedback(item, fid: str, html_text: str) -> None:
    fb = etree.SubElement(item, "itemfeedback", ident=fid)
    _mattext(etree.SubElement(fb, "flow_mat"), html_text)


def numeric_spellings(blank: Blank) -> list[str]:
    """Texts a fill-in blank accepts for a number (Canvas matches blanks as text): the reference in
    full, then every decimal a student may type for it: rounded down and up at each number of
    decimal places (0.4845 -> 0.484 and 0.485, 0.48 and 0.49 when the margin holds them), with
    one or two trailing zeros (0.250, 0.2500) and without the leading zero (.25). Each is kept only
    if it lies inside the judge's margin. Fractions (1/4), e-notation and other spellings are not
    listed."""
    from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

    value = float(blank.value)
    low, high = blank.right_range
    exact = Decimal(number_text(value))
    if not exact.is_finite():
        return [number_text(value)]
    own = max(0, -exact.as_tuple().exponent)  # decimal places of the reference as written
    deepest = min(own, 6)  # nobody types 14 digits of 1/3
    pad = 1e-9 * (high - low)  # (the judge's edges count as inside)
    lo, hi = low - pad, high + pad
    found = [number_text(value)]
    for places in range(-max(exact.adjusted(), 0), deepest + 3):  # 25531.79: 25500 and 25530 too
        step = Decimal(1).scaleb(-places)
        for rounding in (ROUND_FLOOR, ROUND_CEILING):
            d = exact.quantize(step, rounding=rounding) if places >= 0 else \
                (exact / step).quantize(Decimal(1), rounding=rounding) * step
            if d == exact or lo <= float(d) <= hi:
                found.append(format(d, "f"))
    out = []
    for text in found:
        out.append(text)
        if text.startswith(("0.", "-0.")):
            out.append(text.replace("0.", ".", 1))
    return [t for t in dict.fromkeys(out) if t not in ("-0", "-.0", "-0.0") or value < 0]


def accepted_texts(blank: Blank) -> list[str]:
    if blank.kind == "numerical":
        return numeric_spellings(blank)
    if blank.kind == "shortanswer":
        return list(blank.accepted)
    return [blank.value, f"({blank.value})"]


def item_type(v: Variant) -> str:
    blanks = v.blanks
    if len(blanks) == 1 and blanks[0].kind == "numerical":
        return "numerical_question"
    if len(blanks) == 1 and blanks[0].kind == "multichoice":
        return "multiple_choice_question"
    return "fill_in_multiple_blanks_question"


def _mistakes_html(v: Variant) -> str:
    """The item's "incorrect" feedback: each known mistake once, after what it gives in each blank
    (a vector's mistake gives a value in every entry: one line, not one per entry)."""
    rows: dict[str, list[str]] = {}
    for pb in v.parts:
        for b in pb.blanks:
            where = f"({pb.part.key})" + (f" {b.label}" if b.label else "")
            for w in b.wrong:
                value = f"{float(w.value):.4g}" if b.kind == "numerical" else str(w.value)
                for name, why in zip(w.names, w.explanations):  # two mistakes giving one value: each says so
                    named = Wrong(w.value, [name], [why]).feedback_html()
                    rows.setdefault(named, []).append(f"{html.escape(where)}: {html.escape(value)}")
    items = "".join(f"<li>{'; '.join(gives)} — {named}</li>" for named, gives in rows.items())
    return f"<p>Answers that known mistakes give:</p><ul>{items}</ul>" if rows else ""


def pick_one_group(top, gid: str, title: str, points) -> etree._Element:
    """A question group from which Canvas draws one item per student, worth `points`."""
    group = etree.SubElement(top, "section", ident=gid, title=title)
    sel = etree.SubElement(etree.SubElement(group, "selection_ordering"), "selection")
    etree.SubElement(sel, "selection_number").text = "1"
    etree.SubElement(etree.SubElement(sel, "selection_extension"), "points_per_item").text = str(points)
    return group


def figure_src(v: Variant, images: dict[str, bytes]) -> str:
    if not v.figure_png:
        return ""
    name = f"images/{v.problem.family}-{v.tag}.png"
    images[name] = v.figure_png
    return f"$IMS-CC-FILEBASE$/{name}"


def _item(section, v: Variant, figure_src: str) -> None:
    p = v.problem
    kind = item_type(v)
    iid = ident("item", p.family, v.tag, [x.key for x in p.parts])
    names: dict[int, str] = {}

    def blank_text(b: Blank, weight: int) -> str:
        if kind == "fill_in_multiple_blanks_question":
            names[id(b)] = f"b{len(names) + 1}"
            return f"[{names[id(b)]}]"
        return "<i>(answer below)</i>"

    item = etree.SubElement(section, "item", ident=iid, title=f"{p.title} ({v.tag})")
    meta = etree.SubElement(etree.SubElement(item, "itemmetadata"), "qtimetadata")
    _meta(meta, "question_type", kind)
    _meta(meta, "points_possible", p.points)
    pres = etree.SubElement(item, "presentation")
    _mattext(pres, question_html(v, blank_text, figure_src, list_choices=kind == "fill_in_multiple_blanks_question"))
    res = etree.SubElement(item, "resprocessing")
    out = etree.SubElement(res, "outcomes")
    etree.SubElement(out, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    general = etree.SubElement(res, "respcondition", attrib={"continue": "Yes"})
    etree.SubElement(etree.SubElement(general, "conditionvar"), "other")
    etree.SubElement(general, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    answer_feedback: list[tuple[str, str]] = []
    if kind == "numerical_question":
        b = v.blanks[0]
        rl = etree.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        etree.SubElement(etree.SubElement(rl, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
        cond = etree.SubElement(res, "respcondition", attrib={"continue": "No"})
        either = etree.SubElement(etree.SubElement(cond, "conditionvar"), "or")
        etree.SubElement(either, "varequal", respident="response1").text = number_text(b.value)
        both = etree.SubElement(either, "and")
        low, high = b.right_range  # the judge's range (wider than ± margin where rounding propagates)
        etree.SubElement(both, "vargte", respident="response1").text = number_text(low)
        etree.SubElement(both, "varlte", respident="response1").text = number_text(high)
        etree.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
    elif kind == "multiple_choice_question":
        b = v.blanks[0]
        rl = etree.SubElement(pres, "response_lid", ident="response1", rcardinality="Single")
        choice = etree.SubElement(rl, "render_choice")
        wrong = {w.value: w.feedback_html() for w in b.wrong}
        for letter, text in b.options:
            aid = ident(iid, "choice", letter)
            _mattext(etree.SubElement(choice, "response_label", ident=aid), f"({letter}) {inline(text)}")
            if letter in wrong:
                answer_feedback.append((aid, wrong[letter]))
                fc = etree.SubElement(res, "respcondition", attrib={"continue": "Yes"})
                etree.SubElement(etree.SubElement(fc, "conditionvar"), "varequal", respident="response1").text = aid
                etree.SubElement(fc, "displayfeedback", feedbacktype="Response", linkrefid=f"{aid}_fb")
        cond = etree.SubElement(res, "respcondition", attrib={"continue": "No"})
        etree.SubElement(etree.SubElement(cond, "conditionvar"), "varequal",
                         respident="response1").text = ident(iid, "choice", b.value)
        etree.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
    else:
        share = f"{100 / len(names):.2f}"
        for b in v.blanks:
            name = names[id(b)]
            rl = etree.SubElement(pres, "response_lid", ident=f"response_{name}")
            _m = etree.SubElement(rl, "material")
            etree.SubElement(_m, "mattext").text = name
            choice = etree.SubElement(rl, "render_choice")
            ids = []
            for text in accepted_texts(b):
                aid = ident(iid, name, text)
                ids.append(aid)
                lab = etree.SubElement(choice, "response_label", ident=aid)
                etree.SubElement(etree.SubElement(lab, "material"), "mattext", texttype="text/plain").text = text
            for aid in ids:
                cond = etree.SubElement(res, "respcondition")
                etree.SubElement(etree.SubElement(cond, "conditionvar"), "varequal", respident=f"response_{name}").text = aid
                etree.SubElement(cond, "setvar", varname="SCORE", action="Add").text = share
    mistakes = _mistakes_html(v)
    if mistakes and kind != "multiple_choice_question":
        wrong_cond = etree.SubElement(res, "respcondition", attrib={"continue": "Yes"})
        etree.SubElement(etree.SubElement(wrong_cond, "conditionvar"), "other")
        etree.SubElement(wrong_cond, "displayfeedback", feedbacktype="Response", linkrefid="general_incorrect_fb")
    _feedback(item, "general_fb", solution_html(v))
    if mistakes and kind != "multiple_choice_question":
        _feedback(item, "general_incorrect_fb", mistakes)
    for aid, text in answer_feedback:
        _feedback(item, f"{aid}_fb", text)


def canvas_zip(export: Export) -> bytes:
    aid = ident("assessment", export.source, [c.name for c in export.categories],
                [variant_tag(export, p) for c in export.categories for p in c.problems])
    root = etree.Element("questestinterop", nsmap={None: QTI_NS})
    assessment = etree.SubElement(root, "assessment", ident=aid, title=f"probgen: {export.title}")
    _meta(etree.SubElement(assessment, "qtimetadata"), "cc_maxattempts", 1)
    top = etree.SubElement(assessment, "section", ident="root_section")
    images: dict[str, bytes] = {}
    total = 0
    for cat in export.categories:
        if any(p.kind in CONCEPT_KINDS for problem in cat.problems for p in problem.parts):
            from .concept import concept_groups  # it builds on this module's item pieces

            total += concept_groups(top, aid, cat, images, lambda p: variant_tag(export, p))
            continue
        total += cat.points
        group = pick_one_group(top, ident(aid, "group", cat.name), cat.title, cat.points)
        for problem in cat.problems:
            v = make_variant(problem, variant_tag(export, problem))
            _item(group, v, figure_src(v, images))
    qti = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    meta = _assessment_meta(aid, export, total)
    manifest = _manifest(aid, sorted(images))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("imsmanifest.xml", manifest), (f"{aid}/{aid}.xml", qti),
                           (f"{aid}/assessment_meta.xml", meta), *sorted(images.items())]:
            z.writestr(zipfile.ZipInfo(name, FIXED_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def contents(data: bytes) -> tuple[int, int]:
    """(question groups, items) of a Canvas zip, for the command's summary line."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        [name] = [n for n in z.namelist() if n.endswith(".xml") and "/" in n and not n.endswith("assessment_meta.xml")]
        root = etree.fromstring(z.read(name))
    groups = [g for g in root.iter(f"{{{QTI_NS}}}section") if g.find(f"{{{QTI_NS}}}item") is not None]
    return len(groups), sum(len(g.findall(f"{{{QTI_NS}}}item")) for g in groups)


def _assessment_meta(aid: str, export: Export, points: int) -> bytes:
    quiz = etree.Element("quiz", identifier=aid, nsmap={None: CANVAS_NS})
    etree.SubElement(quiz, "title").text = f"probgen: {export.title}"
    etree.SubElement(quiz, "description").text = (f"<p>{len(export.categories)} question group(s); each student "
                                                  "gets one variant of each.</p>")
    etree.SubElement(quiz, "shuffle_answers").text = "false"
    etree.SubElement(quiz, "scoring_policy").text = "keep_highest"
    etree.SubElement(quiz, "quiz_type").text = "assignment"
    etree.SubElement(quiz, "points_possible").text = str(points)
    etree.SubElement(quiz, "allowed_attempts").text = "1"
    return etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _manifest(aid: str, images: list[str]) -> bytes:
    m = etree.Element("manifest", identifier=ident("manifest", aid), nsmap={None: CP_NS})
    md = etree.SubElement(m, "metadata")
    etree.SubElement(md, "schema").text = "IMS Content"
    etree.SubElement(md, "schemaversion").text = "1.1.3"
    etree.SubElement(m, "organizations")
    resources = etree.SubElement(m, "resources")
    res = etree.SubElement(resources, "resource", identifier=aid, type="imsqti_xmlv1p2")
    etree.SubElement(res, "file", href=f"{aid}/{aid}.xml")
    etree.SubElement(res, "dependency", identifierref=ident(aid, "meta"))
    for name in images:
        etree.SubElement(res, "dependency", identifierref=ident(aid, name))
    meta = etree.SubElement(resources, "resource", identifier=ident(aid, "meta"),
                            type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                            href=f"{aid}/assessment_meta.xml")
    etree.SubElement(meta, "file", href=f"{aid}/assessment_meta.xml")
    for name in images:
        r = etree.SubElement(resources, "resource", identifier=ident(aid, name), type="webcontent", href=name)
        etree.SubElement(r, "file", href=name)
    return etree.tostring(m, xml_declaration=True, encoding="UTF-8", pretty_print=True)
