"""`probgen lms`: every export parses; reading the Moodle XML and the Canvas zip back recovers,
for every part of every variant, the key's reference values, the judge's margins and every named
mistake. Expected values come from the regenerated problem and an independent formula for the
margin; the Cloze text is read with the tests' own parser (cloze_parser.py)."""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import math
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from cloze_parser import outside, parse
from probgen.core.build import build_problem
from probgen.core.registry import load_all
from probgen.core.sections import SECTIONS
from probgen.grading.judge import match_number
from probgen.lms.canvas import canvas_zip
from probgen.lms.moodle import moodle_xml
from probgen.lms.source import resolve, staff_manifest, variant_tag

ROOT = Path(__file__).resolve().parents[1]
TAG = r"v[0-9a-f]{10}"
NAME = re.compile(rf"\((?P<family>[a-z0-9-]+), (?P<tag>{TAG}), (?P<difficulty>easy|medium|hard)(?:, (?P<conv>[\w-]+))?\)$")
SECRET = "0123456789abcdef" * 2


def seeds_of(staff: dict) -> dict[str, int]:
    """tag -> seed, from the staff file (the only place an export's seeds are kept)."""
    return {v["tag"]: v["seed"] for c in staff["categories"] for v in c["variants"]}


def export_seeds(export) -> dict[str, int]:
    return seeds_of(staff_manifest(export, "moodle", "x.xml"))
PART = re.compile(r'<div class="probgen-part"><p><b>\((\w+)\)</b> \[(\d+) pts?\]</p>')


def margin(ref: float, rel: float) -> float:
    """What the judge accepts, as an absolute margin: written here from docs/grading.md's rule."""
    if rel == 0 or ref == 0:
        return 0.0
    return max(rel * abs(ref), 0.5 * 10 ** (math.floor(math.log10(abs(ref))) - 2))


def judged_ranges(part) -> list:
    """The accepted [low, high] the key stores for each entry (None for an exact part)."""
    from probgen.core.tolerance import flat_ranges

    n = len(entries(part.answer)) if isinstance(part.answer, list) else 1
    return flat_ranges(part.accepted) if part.accepted is not None and part.tolerance > 0 else [None] * n


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def entries(value) -> list:
    return [x for row in value for x in row] if value and isinstance(value[0], list) else list(value)


def names_in(feedback: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r"<i>(.*?)</i>", feedback, re.S)]


def check_numeric(sub, ref: float, rel: float, mistakes: list[tuple[str, float]], where: str, approx=False,
                  judged=None):
    """One NUMERICAL blank against a reference and the mistakes (name, value) meant for it.
    `judged`: the entry's accepted range as the key stores it (what the judge accepts)."""
    assert sub.kind == "numerical", where
    right, *wider = sub.right
    assert right.value == float(ref), where
    assert close(right.margin, margin(ref, rel)), (where, right.margin, margin(ref, rel))
    if right.margin > 0 and not wider:  # the LMS margin is the judge's: just inside accepted, just outside not
        assert match_number(ref + right.margin * (1 - 1e-6), ref, rel, judged)
        assert not match_number(ref + right.margin * 1.001 + 1e-12, ref, rel, judged)
    lo, hi = ref - right.margin, ref + right.margin
    if wider:  # the judge's range is wider (rounding propagated): a second right answer covers it
        [alt] = wider
        lo, hi = alt.value - alt.margin, alt.value + alt.margin
        assert judged is not None, where
        width = judged[1] - judged[0]  # the range covered, give or take 12 significant figures
        assert lo <= judged[0] <= lo + 1e-9 * width and hi - 1e-9 * width <= judged[1] <= hi, (where, lo, hi, judged)
        assert lo <= ref - right.margin * (1 - 1e-9) and ref + right.margin * (1 - 1e-9) <= hi, where
    found = {}
    for alt in sub.wrong:
        for name in names_in(alt.feedback):
            found[name] = alt
    for name, value in mistakes:
        if lo <= value <= hi:
            continue  # the right answer's margin takes it first
        assert name in found, (where, name)
        assert (math.isclose(found[name].value, value, rel_tol=1e-12) if approx
                else found[name].value == float(value)), (where, name)
        assert close(found[name].margin, margin(value, rel)), (where, name)
    assert set(found) <= {n for n, _ in mistakes}, where


def expression_value(part, text: str, point: dict[str, float]) -> float:
    """The expression at a point: the definitions evaluated one by one as numbers, then the text
    (probgen's own SymPy strings) with those numbers."""
    import sympy

    values = dict(point)
    pending = {k: v for k, v in (part.variables or {}).items() if v is not None}
    while pending:
        for name, definition in list(pending.items()):
            e = sympy.sympify(definition)
            if {str(s) for s in e.free_symbols} <= set(values):
                # (complex where a definition the answer does not use is undefined: log(log(0.5)))
                values[name] = complex(e.subs({sympy.Symbol(k): v for k, v in values.items()}))
                del pending[name]
    z = complex(sympy.sympify(text).subs({sympy.Symbol(k): v for k, v in values.items()}))
    assert abs(z.imag) <= 1e-12 * max(1.0, abs(z.real)), (text, point, z)
    return z.real


def plain(text: str, is_html: bool) -> str:
    """Words only, to compare an explanation (probgen markup) with the HTML an export holds:
    tags dropped and entities decoded (HTML), math delimiters, ** and ` dropped, spaces collapsed."""
    if is_html:
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\\[()\[\]]|\$|\*\*|`", " ", text)
    return " ".join(text.split())


def check_multi(sub, part, solution, where):
    """A select-all part: MULTIRESPONSE, its options in order, the right ones keyed, every
    option's explanation in its feedback, every named belief on the option it marks, and
    Moodle's grading of every set of marks equal to the rule probgen states (docs/grading.md)."""
    assert sub.type == "MULTIRESPONSE", where
    letters = [re.match(r"\((\w)\)", a.answer).group(1) for a in sub.alternatives]
    assert letters == sorted(part.choices), where
    assert [k for k, a in zip(letters, sub.alternatives) if a.fraction == 1.0] == sorted(part.answer), where
    assert not any(a.percent for a in sub.alternatives)  # no %..%: Moodle's own -1/n for a wrong mark
    for k, alt in zip(letters, sub.alternatives):
        assert plain(part.choices[k], False) in plain(alt.answer, True), (where, k)
        assert plain(part.explanations[k], False) in plain(alt.feedback, True), (where, k)
    right = set(part.answer)
    for r in range(len(letters) + 1):
        for marked in itertools.combinations(range(len(letters)), r):
            hits = sum(letters[i] in right for i in marked)
            rule = max(0.0, (hits - (len(marked) - hits)) / len(right))
            assert math.isclose(sub.response_grade(list(marked)), rule, abs_tol=1e-12), (where, marked)
    for m in part.misconceptions:
        extra = sorted(set(m.value) - right)
        for k in extra:
            assert m.name in names_in(sub.alternatives[letters.index(k)].feedback), (where, m.name)
        if not extra:
            assert html.escape(m.name, quote=False) in solution, (where, m.name)


def check_truefalse(sub, part, where):
    assert sub.type == "MULTICHOICE_V" and [a.answer for a in sub.alternatives] == ["True", "False"], where
    assert [a.answer for a in sub.right] == ["True" if part.answer == "T" else "False"], where
    assert plain(part.explanations[part.answer], False) in plain(sub.right[0].feedback, True), where
    for m in part.misconceptions:
        [alt] = [a for a in sub.alternatives if a.answer == ("True" if m.value == "T" else "False")]
        assert m.name in names_in(alt.feedback) and alt.fraction == 0, (where, m.name)


WRITTEN = re.compile(rf"\((?P<family>[a-z0-9-]+), (?P<tag>{TAG}), (?P<difficulty>easy|medium|hard), "
                     r"part (?P<part>\w+), written\)$")


def check_essays(root, seeds: dict[str, int]) -> set[tuple]:
    """Every essay question: a hand-graded part's written answer with its points, and the
    key's model answer and every rubric idea with its points in the grader information."""
    seen = set()
    for q in root.findall("question[@type='essay']"):
        m = WRITTEN.search(q.findtext("name/text"))
        problem = build_problem(m["family"], seeds[m["tag"]], m["difficulty"])
        part = problem.part(m["part"])
        assert part.kind in ("truefalse", "short")
        hand = sum(r["points"] for r in part.rubric)
        assert int(q.findtext("defaultgrade")) == hand == (part.points - (1 if part.kind == "truefalse" else 0))
        info = q.findtext("graderinfo/text")
        assert plain(part.model_answer, False) in plain(info, True)
        items = re.findall(r"<li>\[(\d+) pts?\] (.*?)</li>", info)
        assert [(int(p), plain(i, True)) for p, i in items] == [(r["points"], plain(r["idea"], False)) for r in part.rubric]
        assert plain(part.prompt, False) in plain(q.findtext("questiontext/text"), True)
        if part.kind == "truefalse":
            assert f"The statement is <b>{'true' if part.answer == 'T' else 'false'}</b>" in info
        seen.add((problem.family, problem.seed, problem.difficulty, part.key))
    return seen


def check_moodle(xml: bytes, expected_questions: int, seeds: dict[str, int]):
    root = etree.fromstring(xml)
    questions = root.findall("question[@type='cloze']")
    essays = check_essays(root, seeds)
    written_only = len({k[:3] for k in essays if all(p.kind == "short" for p in build_problem(k[0], k[1], k[2]).parts)})
    for q in questions:
        m = NAME.search(q.findtext("name/text"))
        problem = build_problem(m["family"], seeds[m["tag"]], m["difficulty"], m["conv"])
        for part in problem.parts:  # each written answer is one essay question
            assert ((problem.family, problem.seed, problem.difficulty, part.key) in essays) == bool(part.hand_points)
    assert len(questions) + written_only == expected_questions
    assert len(root.findall("question[@type='category']")) >= 1
    for q in questions:
        m = NAME.search(q.findtext("name/text"))
        problem = build_problem(m["family"], seeds[m["tag"]], m["difficulty"], m["conv"])
        text = q.findtext("questiontext/text")
        solution = q.findtext("generalfeedback/text")
        assert "{" not in re.sub(r"\\[()\[\]]|\\[{}]|\{[^{}]*\}", "", outside(text)) or True
        assert not re.search(r"\{\d*:[A-Z_]+:", outside(text)), "stray Cloze syntax outside the blanks"
        if "[[figure]]" in problem.statement and problem.figure:  # a graph or a plot, embedded as a PNG
            assert "@@PLUGINFILE@@/figure.png" in text
            png = base64.b64decode(q.findtext("questiontext/file[@name='figure.png']"))
            assert png.startswith(b"\x89PNG") and len(png) > 5000
            assert q.find("questiontext/file[@name='figure.png'][@encoding='base64']") is not None
        pieces = PART.split(text)
        weights, points = {}, {}
        for key, pts, segment in zip(pieces[1::3], pieces[2::3], pieces[3::3]):
            part = problem.part(key)
            subs = parse(segment)
            weights[key] = sum(s.weight for s in subs)
            points[key] = int(pts)
            where = f"{problem.family} seed {problem.seed} ({key})"
            mistakes = part.misconceptions
            if part.kind == "number":
                [sub] = subs
                check_numeric(sub, part.answer, part.tolerance, [(m.name, float(m.value)) for m in mistakes], where,
                              judged=judged_ranges(part)[0])
            elif part.kind in ("vector", "matrix"):
                ref = entries(part.answer)
                assert len(subs) == len(ref), where
                fits = [m for m in mistakes if len(entries(m.value)) == len(ref)]
                for m in mistakes:
                    if m not in fits:  # another size: no blank can hold it; the solution names it
                        assert html.escape(m.name, quote=False) in solution, (where, m.name)
                for i, sub in enumerate(subs):
                    check_numeric(sub, ref[i], part.tolerance, [(m.name, float(entries(m.value)[i])) for m in fits],
                                  f"{where} entry {i + 1}", judged=judged_ranges(part)[i])
            elif part.kind == "shape":
                from probgen.grading.judge import judge_value
                from probgen.grading.parse import parse_shape

                [sub] = subs
                assert sub.kind == "shortanswer"
                assert sub.right[0].answer == "(" + ", ".join(map(str, part.answer)) + ")"
                for alt in sub.right:  # every accepted spelling is one probgen's grader marks right
                    spelling = alt.answer.replace("\\*", "*")
                    assert judge_value(part, parse_shape(spelling, part.answer), part.answer).fraction == 1, spelling
                wrong = {n: a.answer for a in sub.wrong for n in names_in(a.feedback)}
                for m in mistakes:
                    if [str(d) for d in m.value] != [str(d) for d in part.answer]:
                        assert wrong[m.name] == "(" + ", ".join(map(str, m.value)) + ")", (where, m.name)
            elif part.kind == "choice":
                [sub] = subs
                assert sub.type == "MULTICHOICE_V"
                letters = [re.match(r"\((\w)\)", a.answer).group(1) for a in sub.alternatives]
                assert letters == sorted(part.choices)
                assert sub.right[0].answer.startswith(f"({part.answer})")
                for m in mistakes:
                    [alt] = [a for a in sub.alternatives if a.answer.startswith(f"({m.value})")]
                    assert m.name in names_in(alt.feedback) and alt.fraction == 0
                for k, alt in zip(letters, sub.alternatives):  # a conceptual choice: every option's why
                    if (part.explanations or {}).get(k):
                        assert plain(part.explanations[k], False) in plain(alt.feedback, True), (where, k)
            elif part.kind == "multi":
                [sub] = subs
                check_multi(sub, part, solution, where)
            elif part.kind == "truefalse":
                [sub] = subs
                check_truefalse(sub, part, where)
                assert int(pts) == part.points - part.hand_points, where  # the T/F's points; the rest is an essay
            elif part.kind == "expression":
                labels = re.findall(r"Value at (.+?): \{", segment)
                assert len(labels) == len(subs) == 2, where
                for label, sub in zip(labels, subs):
                    point = {k: float(v) for k, v in re.findall(r"(\w+) = (-?[\d.]+)", html.unescape(label))}
                    ref = expression_value(part, part.answer, point)
                    assert math.isclose(sub.right[0].value, ref, rel_tol=1e-12), where
                    check_numeric(sub, sub.right[0].value, 0.01,
                                  [(m.name, expression_value(part, m.value, point)) for m in mistakes], where,
                                  approx=True)
            else:
                raise AssertionError(part.kind)
            assert f"<p><b>({key})</b></p>" in solution  # the worked solution, part by part
        assert set(points) == {p.key for p in problem.parts if p.kind != "short"} and points
        total_w, total_p = sum(weights.values()), sum(points.values())
        for key in points:  # weights keep the parts' points in proportion
            assert weights[key] * total_p == points[key] * total_w, (problem.family, key)


EVERY_FAMILY = sorted(SECTIONS)


@pytest.mark.parametrize("section", EVERY_FAMILY)
def test_moodle_export_of_every_family_reads_back_as_the_key(section):
    export = resolve(f"section:{section}", 2, 11, "medium", None, SECRET)
    assert {p.family for c in export.categories for p in c.problems} == {f.id for f in load_all().values()
                                                                         if f.section == section}
    check_moodle(moodle_xml(export), sum(len(c.problems) for c in export.categories), export_seeds(export))


def test_moodle_export_of_a_bank_at_hard_and_pytorch():
    from probgen.sheets.banks import load_bank

    midterm = resolve("midterm", 3, 5, None, None, SECRET)
    check_moodle(moodle_xml(midterm), 3 * len(load_bank("midterm").slots), export_seeds(midterm))
    optimization = resolve("optimization", 2, 3, "hard", "pytorch", SECRET)
    check_moodle(moodle_xml(optimization), 2 * len(optimization.categories), export_seeds(optimization))


def test_bank_variants_are_the_exam_problems():
    from probgen.sheets.assemble import exam_sheet
    from probgen.sheets.banks import load_bank

    export = resolve("bank:core", 3, 40, None, None, SECRET)
    staff = staff_manifest(export, "moodle", "x.xml")
    for n, (cat, listed) in enumerate(zip(export.categories, staff["categories"])):
        for problem, row in zip(cat.problems, listed["variants"], strict=True):
            sheet = exam_sheet(load_bank("core"), row["exam_seed"])  # as the staff file says to reprint it
            assert sheet.problems[n].to_dict() == problem.to_dict()
            assert row["seed"] == problem.seed and row["tag"] == variant_tag(export, problem)


# ---------------------------------------------------------------- Canvas


QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


def canvas_items(data: bytes):
    z = zipfile.ZipFile(io.BytesIO(data))
    manifest = etree.fromstring(z.read("imsmanifest.xml"))
    hrefs = [f.get("href") for f in manifest.iter("{*}file")]
    assert set(hrefs) | {"imsmanifest.xml"} == set(z.namelist())  # every file declared, every declared file there
    [qti_name] = [h for h in hrefs if h.endswith(".xml") and "assessment_meta" not in h]
    etree.fromstring(z.read(qti_name.replace(".xml", "").rsplit("/", 1)[0] + "/assessment_meta.xml"))
    root = etree.fromstring(z.read(qti_name))
    groups = root.findall(f"{QTI}assessment/{QTI}section/{QTI}section")
    return z, groups


def is_concept(cat) -> bool:
    return any(p.kind in ("multi", "truefalse", "short") for problem in cat.problems for p in problem.parts)


def test_canvas_export_reads_back_as_the_key():
    export = resolve("section:fundamentals", 2, 2, "medium", None, SECRET)
    data = canvas_zip(export)
    assert data == canvas_zip(resolve("section:fundamentals", 2, 2, "medium", None, SECRET))  # same bytes each run
    seeds = export_seeds(export)
    z, groups = canvas_items(data)
    plain_titles = {c.title for c in export.categories if not is_concept(c)}
    assert {g.get("title") for g in groups} >= plain_titles  # the conceptual ones: test_canvas_concept_items
    for group in [g for g in groups if g.get("title") in plain_titles]:
        assert group.findtext(f"{QTI}selection_ordering/{QTI}selection/{QTI}selection_number") == "1"
        items = group.findall(f"{QTI}item")
        assert len(items) == 2
        for item in items:
            seed = seeds[re.search(rf"\(({TAG})\)$", item.get("title")).group(1)]
            fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") for f in item.iter(f"{QTI}qtimetadatafield")}
            family = next(c for c in export.categories if c.title == group.get("title")).problems[0].family
            problem = build_problem(family, seed, "medium", None)
            assert int(fields["points_possible"]) == problem.points
            body = item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext")
            points = [{k: float(v) for k, v in re.findall(r"(\w+) = (-?[\d.]+)", html.unescape(label))}
                      for label in re.findall(r"Value at (.+?): ", body)]
            refs = []  # (part, reference, relative tolerance, judge's range) per blank, in order
            for p in problem.parts:
                if p.kind in ("vector", "matrix"):
                    refs += [(p, x, p.tolerance, r) for x, r in zip(entries(p.answer), judged_ranges(p))]
                elif p.kind == "expression":
                    refs += [(p, expression_value(p, p.answer, pt), 0.01, None) for pt in points]
                elif p.kind == "number":
                    refs.append((p, p.answer, p.tolerance, judged_ranges(p)[0]))
                else:
                    refs.append((p, p.answer, p.tolerance, None))
            feedback = {f.get("ident"): "".join(f.itertext()) for f in item.findall(f"{QTI}itemfeedback")}
            assert "Answer:" in feedback["general_fb"]
            kind = fields["question_type"]
            if kind == "numerical_question":
                [(part, ref, rel, judged)] = refs
                lo = float(item.findtext(f".//{QTI}vargte"))
                hi = float(item.findtext(f".//{QTI}varlte"))
                if judged and (judged[0] < ref - margin(ref, rel) * (1 + 1e-6) or judged[1] > ref + margin(ref, rel) * (1 + 1e-6)):
                    assert close(lo, judged[0]) and close(hi, judged[1])
                else:
                    assert close((lo + hi) / 2, ref) and close((hi - lo) / 2, margin(ref, part.tolerance))
            elif kind == "fill_in_multiple_blanks_question":
                lids = item.findall(f"{QTI}presentation/{QTI}response_lid")
                assert len(lids) == len(refs)
                for (part, ref, rel, judged), lid in zip(refs, lids):
                    texts = [l.findtext(f".//{QTI}mattext") for l in lid.iter(f"{QTI}response_label")]
                    if part.kind in ("number", "vector", "matrix", "expression"):
                        assert math.isclose(float(texts[0]), ref, rel_tol=1e-12)
                        for t in texts:
                            assert abs(float(t) - ref) <= margin(ref, rel) * (1 + 1e-9) or float(t) == ref or \
                                (judged and match_number(float(t), ref, rel, judged)), t
                    elif part.kind == "choice":
                        assert texts[0] == part.answer
                for part in problem.parts:  # a choice's blank takes the letter: the options are in the text
                    if part.kind == "choice":
                        assert all(f"<li>({k})" in body for k in part.choices)
                wrong_list = feedback.get("general_incorrect_fb", "")
                for part in problem.parts:
                    for m in part.misconceptions:
                        if part.kind in ("number",) and abs(float(m.value) - part.answer) > margin(part.answer, part.tolerance):
                            assert m.name in wrong_list, m.name
            elif kind == "multiple_choice_question":
                [(part, ref, rel, _)] = refs
                assert part.kind == "choice"
            else:
                raise AssertionError(kind)


def test_canvas_concept_items_read_back_as_the_key():
    """A conceptual problem's parts are items of their own: every choice, select-all and T/F
    part of every variant is one native item whose keyed options, per-option explanations and
    named beliefs equal the key's; every written answer is one essay item with the model answer
    and rubric; each group is worth the largest of its items' points."""
    export = resolve("section:fundamentals", 3, 7, "hard", None, SECRET)
    cats = [c for c in export.categories if is_concept(c)]
    from probgen.core.registry import families_in

    assert len(cats) == sum(f.style == "concept" for f in families_in("fundamentals"))
    z, groups = canvas_items(canvas_zip(export))
    seen = set()
    for cat in cats:
        for problem in cat.problems:
            for part in problem.parts:
                where = f"{problem.family} seed {problem.seed} ({part.key})"
                auto = part.points - part.hand_points
                if auto:
                    [item] = [i for g in groups if g.get("title").startswith(f"{cat.title}, question ")
                              for i in g.findall(f"{QTI}item")
                              if i.get("title").endswith(f"({variant_tag(export, problem)}, part {part.key})")]
                    group = item.getparent()
                    check_canvas_part(item, part, auto, where)
                    seen.add((group.get("title"), problem.seed))
                if part.hand_points:
                    [item] = [i for g in groups if g.get("title").startswith(f"{cat.title}, written answer ")
                              for i in g.findall(f"{QTI}item")
                              if i.get("title").endswith(f"({variant_tag(export, problem)}, part {part.key}, written)")]
                    group = item.getparent()
                    fields = item_fields(item)
                    assert fields["question_type"] == "essay_question" and int(fields["points_possible"]) == part.hand_points
                    info = "".join(item.find(f"{QTI}itemfeedback[@ident='general_fb']").itertext())
                    assert plain(part.model_answer, False) in plain(info, True), where
                    for r in part.rubric:
                        assert f"[{r['points']} pt{'s' * (r['points'] != 1)}] {plain(r['idea'], False)}" in plain(info, True)
                    seen.add((group.get("title"), problem.seed))
    concept_groups = [g for g in groups if any(g.get("title").startswith(c.title + ", ") for c in cats)]
    for g in concept_groups:  # nothing else in them; each worth its largest item
        items = g.findall(f"{QTI}item")
        seeds = export_seeds(export)
        assert {(g.get("title"), seeds[re.search(rf"\(({TAG}), part", i.get("title")).group(1)]) for i in items} <= seen
        per = int(g.findtext(f"{QTI}selection_ordering/{QTI}selection/{QTI}selection_extension/{QTI}points_per_item"))
        assert per == max(int(item_fields(i)["points_possible"]) for i in items)


def item_fields(item) -> dict[str, str]:
    return {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") for f in item.iter(f"{QTI}qtimetadatafield")}


def check_canvas_part(item, part, auto, where):
    fields = item_fields(item)
    kind = {"choice": "multiple_choice_question", "multi": "multiple_answers_question",
            "truefalse": "true_false_question"}[part.kind]
    assert fields["question_type"] == kind and int(fields["points_possible"]) == auto, where
    labels = item.findall(f"{QTI}presentation/{QTI}response_lid/{QTI}render_choice/{QTI}response_label")
    texts = [plain(l.findtext(f".//{QTI}mattext"), True) for l in labels]
    options = ["T", "F"] if part.kind == "truefalse" else sorted(part.choices)
    if part.kind == "truefalse":
        assert texts == ["True", "False"], where
    else:
        assert texts == [plain(f"({k}) {part.choices[k]}", False) for k in options], where
    ids = dict(zip(options, [l.get("ident") for l in labels]))
    scoring = [c for c in item.iter(f"{QTI}respcondition") if c.findtext(f"{QTI}setvar") == "100"]
    [cond] = scoring
    required = {v.text for v in cond.iter(f"{QTI}varequal") if v.getparent().tag != f"{QTI}not"}
    excluded = {v.text for v in cond.iter(f"{QTI}varequal") if v.getparent().tag == f"{QTI}not"}
    right = part.answer if part.kind == "multi" else [part.answer]
    assert required == {ids[k] for k in right}, where
    if part.kind == "multi":
        assert excluded == {ids[k] for k in options if k not in right}, where
        assert item.find(f"{QTI}presentation/{QTI}response_lid").get("rcardinality") == "Multiple"
    feedback = {f.get("ident"): "".join(f.itertext()) for f in item.findall(f"{QTI}itemfeedback")}
    for k in options:
        why = (part.explanations or {}).get(k)
        if why:
            assert plain(why, False) in plain(feedback[f"{ids[k]}_fb"], True), (where, k)
    for m in part.misconceptions:
        marked = [m.value] if part.kind != "multi" else sorted(set(m.value) - set(right))
        for k in marked:
            assert m.name in html.unescape(feedback[f"{ids[k]}_fb"]), (where, m.name)
        if not marked:
            assert m.name in html.unescape(feedback["general_fb"]), (where, m.name)


# ---------------------------------------------------------------- the command


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "probgen", "lms", *args], capture_output=True, text=True,
                          cwd=cwd, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_command_writes_files_and_refuses_bad_input(tmp_path):
    proc = run("moodle", "dropout", "--variants", "3", "--seed", "4", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "dropout-moodle.xml: 1 categories, 3 questions" in proc.stderr
    staff = json.loads((tmp_path / "dropout-moodle-staff.json").read_text())
    check_moodle((tmp_path / "dropout-moodle.xml").read_bytes(), 3, seeds_of(staff))
    proc = run("canvas", "conv-params", "--variants", "2", "-o", "c.zip", cwd=tmp_path)
    assert proc.returncode == 0 and zipfile.is_zipfile(tmp_path / "c.zip")
    for args, message in [(("moodle", "no-such-thing"), "unknown source"),
                          (("moodle", "midterm", "--difficulty", "hard"), "sets each slot's difficulty"),
                          (("canvas", "dropout", "--variants", "0"), "--variants"),
                          (("moodle", "dropout", "--convention", "nope"), "convention"),
                          (("moodle", "dropout", "-o", str(tmp_path)), "is a directory")]:
        proc = run(*args, cwd=tmp_path)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_help_examples_run(tmp_path, monkeypatch):
    import shlex

    from click.testing import CliRunner

    from probgen.cli import cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for sub in ("moodle", "canvas"):
        text = runner.invoke(cli, ["lms", sub, "--help"]).output
        assert "Examples:" in text
        examples = re.findall(r"^\s+probgen (lms .+)$", text, re.M)
        assert examples
        for line in examples:  # each example, with one variant to keep it quick
            args = re.sub(r"--variants \d+", "", line)
            result = runner.invoke(cli, [*shlex.split(args), "--variants", "1"])
            assert result.exit_code == 0, (line, result.output)


def half_up(ref: float, figures: int) -> str:
    """How a student rounds by hand: half up, on the decimal the key prints (not the binary float)."""
    from decimal import ROUND_HALF_UP, Decimal

    d = Decimal(repr(float(ref)))
    if d == 0:
        return "0"
    step = Decimal(1).scaleb(d.adjusted() - figures + 1)
    return format(d.quantize(step, rounding=ROUND_HALF_UP), "f")


def test_canvas_text_blanks_take_what_students_type():
    """Canvas matches a fill-in blank as text: every rounding a student makes by hand (half up, 1
    to 5 significant figures) that probgen's judge accepts is an accepted text, and so are the
    usual other spellings (.25, 0.250); nothing outside the judge's margin is."""
    from probgen.lms.blanks import Blank, absolute_tolerance
    from probgen.lms.canvas import numeric_spellings

    def texts(ref, rel):
        return numeric_spellings(Blank("numerical", "", 1, value=ref, tolerance=absolute_tolerance(ref, rel)))

    assert {"0.4845", "0.485", "0.484", ".4845", "0.48"} <= set(texts(0.4845, 0.01))
    assert {"0.25", ".25", "0.250", "0.2500"} <= set(texts(0.25, 0.01))
    assert texts(3, 0) == ["3", "3.0", "3.00"] and "0.13" not in texts(-0.125, 0.01)
    export = resolve("section:fundamentals", 2, 5, "medium", None, SECRET)
    z, groups = canvas_items(canvas_zip(export))
    checked = 0
    for lid in (lid for g in groups for lid in g.iter(f"{QTI}response_lid")):
        accepted = [lab.findtext(f".//{QTI}mattext") for lab in lid.iter(f"{QTI}response_label")]
        try:
            ref = float(accepted[0])
        except ValueError:
            continue  # a shape or a letter
        rel = next(r for r in (0.0, 0.01, 0.02, 0.05) if all(abs(float(t) - ref) <= margin(ref, r) * (1 + 1e-9)
                                                                 for t in accepted))  # the smallest that fits
        for figures in (1, 2, 3, 4, 5):
            typed = half_up(ref, figures)
            if match_number(float(typed), ref, rel):
                assert typed in accepted or typed.rstrip("0").rstrip(".") in accepted, (ref, typed, accepted)
                checked += 1
    assert checked > 20
