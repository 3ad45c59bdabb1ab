"""Canvas: a conceptual problem's parts are "pick 1" groups drawn independently, so no question may
sit in two groups of one quiz (a student would be asked it twice). Read back from the zip: every
part of every variant is in exactly one group, no pool item (by id, by its idea group, or by the
prompt text the student reads) is in two automatic groups or in two written-answer groups, and
simulated draws of whole quizzes repeat nothing. Moodle keeps a variant's automatic parts in one
Cloze; its written answers are essay questions drawn one per subcategory: the same holds there."""

from __future__ import annotations

import html
import io
import random
import re
import zipfile

import pytest
from lxml import etree

from probgen.core.build import build_problem
from probgen.core.registry import get_family
from probgen.kit.concepts import LETTERS, catalogue
from probgen.lms.canvas import canvas_zip
from probgen.lms.source import resolve, staff_manifest, variant_tag

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
SECRET = "00112233445566778899aabbccddeeff"
DRAWS = 3000


def groups_of(data: bytes) -> dict[str, list]:
    z = zipfile.ZipFile(io.BytesIO(data))
    [name] = [n for n in z.namelist() if n.endswith(".xml") and "/" in n and "assessment_meta" not in n]
    root = etree.fromstring(z.read(name))
    return {g.get("title"): g.findall(f"{QTI}item") for g in root.iter(f"{QTI}section") if g.findall(f"{QTI}item")}


def item_of_each_part(problem) -> list[tuple[str, str | None, int]]:
    """(pool item id, its idea group, which of the item's questions) for each part of the problem,
    from the problem's drawn items and how many parts each item builds."""
    pool = get_family(problem.family).pool
    out = []
    for inst in problem.params["items"]:
        item = pool.by_id[inst["id"]]
        made = item.build(LETTERS[len(out)], inst, catalogue(pool.topic))
        made = made if isinstance(made, list) else [made]
        # a figure item's questions (two or three): told apart by their prompts, numbers aside
        out += [(item.id, getattr(item, "group", None), re.sub(r"[0-9.]+", "", b.prompt) if len(made) > 1 else "")
                for b in made]
    assert len(out) == len(problem.parts)
    return out


def prompt_text(item) -> str:
    """The part's question as the student reads it: the prompt paragraphs of the item, words only."""
    body = item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext")
    part = body[body.index('<div class="probgen-part">'):]
    part = re.sub(r"^<div class=\"probgen-part\"><p><b>\(\w+\)</b> \[\d+ pts?\]</p>", "", part)
    part = part.split('<p><i>')[0].split('<div class="probgen-answer">')[0].split('<ul class="probgen-choices"')[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def check_no_repeats(export):
    staff = staff_manifest(export, "canvas", "x.zip")
    variants = {v["tag"]: v for c in staff["categories"] for v in c["variants"]}
    concept_titles = [c.title for c in export.categories
                      if any(p.kind in ("multi", "truefalse", "short") for pr in c.problems for p in pr.parts)]
    assert concept_titles
    groups = groups_of(canvas_zip(export))
    problems = {}
    for title in concept_titles:
        mine = {t: items for t, items in groups.items() if t.startswith(title + ", ")}
        auto = {t: i for t, i in mine.items() if ", question " in t}
        written = {t: i for t, i in mine.items() if ", written answer " in t}
        assert set(auto) | set(written) == set(mine) and auto
        cat = next(c for c in export.categories if c.title == title)
        placed = {}
        for sort, sorted_groups in (("auto", auto), ("written", written)):
            keys = {}  # group title -> the (what, key) of its items
            for t, items in sorted_groups.items():
                keys[t] = []
                for item in items:
                    m = re.search(r"\((v[0-9a-f]{10}), part (\w+)(, written)?\)$", item.get("title"))
                    tag, letter = m.group(1), m.group(2)
                    assert bool(m.group(3)) == (sort == "written")
                    v = variants[tag]
                    if tag not in problems:
                        problems[tag] = build_problem(v["family"], v["seed"], v["difficulty"], v["convention"])
                    problem = problems[tag]
                    n = [p.key for p in problem.parts].index(letter)
                    item_id, idea, sub = item_of_each_part(problem)[n]
                    assert (sort, tag, letter) not in placed, "a part in two groups"
                    placed[(sort, tag, letter)] = t
                    keys[t].append({("id", problem.family, item_id, sub), ("text", prompt_text(item)),
                                    ("idea", problem.family, idea or item_id, sub)})
            owner = {}
            for t, sets in keys.items():
                for k in set().union(*sets):
                    assert owner.setdefault(k, t) == t, f"{k} is in {owner[k]!r} and in {t!r}"
            rng = random.Random(0)
            for _ in range(DRAWS):  # a quiz: one item from each group
                drawn = [rng.choice(sets) for sets in keys.values()]
                seen = [k for s in drawn for k in s]
                assert len(seen) == len(set(seen)), "a quiz repeats a question"
        expected = set()
        for pr in cat.problems:
            tag = variant_tag(export, pr)
            expected |= {("auto", tag, p.key) for p in pr.parts if p.points > p.hand_points}
            expected |= {("written", tag, p.key) for p in pr.parts if p.hand_points}
        assert set(placed) == expected  # every part of every variant is in a group, none left out


def test_midterm_concept_groups_never_ask_a_question_twice():
    check_no_repeats(resolve("midterm", 20, 1, None, None, SECRET))


@pytest.mark.parametrize("source,variants,difficulty", [("transformers-concepts", 10, "medium"),
                                                        ("regularization-concepts", 20, "hard"),
                                                        ("section:fundamentals", 8, "hard")])
def test_concept_groups_never_ask_a_question_twice(source, variants, difficulty):
    check_no_repeats(resolve(source, variants, 3, difficulty, None, SECRET))


def test_as_many_groups_as_the_largest_paper_problem_has_parts():
    """A student answers as many automatic questions as the largest variant has, and as many
    written answers; each automatic group holds several distinct questions to draw from (the
    written answers are fewer: a group may hold one question, asked of every student)."""
    export = resolve("transformers-concepts", 20, 4, "hard", None, SECRET)
    groups = groups_of(canvas_zip(export))
    [cat] = export.categories
    auto = [t for t in groups if ", question " in t]
    written = [t for t in groups if ", written answer " in t]
    assert len(auto) == max(sum(1 for p in pr.parts if p.points > p.hand_points) for pr in cat.problems)
    assert len(written) == max(sum(1 for p in pr.parts if p.hand_points) for pr in cat.problems)
    for t in auto:
        assert len({prompt_text(i) for i in groups[t]}) >= 2, t


def test_moodle_written_subcategories_never_ask_a_question_twice():
    """A quiz takes one random essay from each `written answer n` subcategory: no question (item,
    idea group or prompt text) is in two of them, every written answer is in one, and 3,000 drawn
    quizzes repeat nothing."""
    from probgen.lms.moodle import moodle_xml

    export = resolve("midterm", 20, 2, None, None, SECRET)
    staff = staff_manifest(export, "moodle", "x.xml")
    variants = {v["tag"]: v for c in staff["categories"] for v in c["variants"]}
    root = etree.fromstring(moodle_xml(export))
    by_category: dict[str, dict[str, list]] = {}
    category, placed = None, set()
    for q in root.iter("question"):
        if q.get("type") == "category":
            category = q.findtext("category/text")
            continue
        if q.get("type") != "essay":
            continue
        parent, _, sub = category.rpartition("/")
        assert parent.endswith(" written answers") and re.fullmatch(r"written answer \d+", sub), category
        m = re.search(r"\(([a-z0-9-]+), (v[0-9a-f]{10}), \w+, part (\w+), written\)$", q.findtext("name/text"))
        v = variants[m.group(2)]
        problem = build_problem(v["family"], v["seed"], v["difficulty"], v["convention"])
        n = [p.key for p in problem.parts].index(m.group(3))
        item_id, idea, role = item_of_each_part(problem)[n]
        body = q.findtext("questiontext/text")
        prompt = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body[body.index('<div class="probgen-part">'):]
                                                   .split("<p><i>")[0])).split()[3:])  # after "(c) [2 pts]"
        by_category.setdefault(parent, {}).setdefault(sub, []).append(
            {("id", problem.family, item_id, role), ("idea", problem.family, idea or item_id, role), ("text", prompt)})
        assert (m.group(2), m.group(3)) not in placed
        placed.add((m.group(2), m.group(3)))
    expected = {(variant_tag(export, pr), p.key) for c in export.categories for pr in c.problems for p in pr.parts
                if p.hand_points}
    assert placed == expected and len(by_category) == 3
    for parent, subs in by_category.items():
        owner = {}
        for sub, sets in subs.items():
            for k in set().union(*sets):
                assert owner.setdefault(k, sub) == sub, f"{parent}: {k} in {owner[k]} and {sub}"
        rng = random.Random(1)
        for _ in range(DRAWS):
            seen = [k for sets in subs.values() for k in rng.choice(sets)]
            assert len(seen) == len(set(seen))


def test_command_counts_the_groups_and_questions_it_wrote(tmp_path):
    """The summary line counts what the file holds: a conceptual family's groups and items
    (not one group per family), a Moodle export's written-answer subcategories and essays."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for fmt, out in (("canvas", "c.zip"), ("moodle", "m.xml")):
        proc = subprocess.run([sys.executable, "-m", "probgen", "lms", fmt, "losses-concepts", "--variants", "4",
                               "--secret", SECRET, "-o", out], capture_output=True, text=True, cwd=tmp_path,
                              env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
        assert proc.returncode == 0, proc.stderr
        data = (tmp_path / out).read_bytes()
        if fmt == "canvas":
            groups = groups_of(data)
            counted = (len(groups), sum(len(items) for items in groups.values()))
            assert counted[0] > 1
        else:
            questions = etree.fromstring(data).findall("question")
            categories = [q for q in questions if q.get("type") == "category"]
            counted = (len(categories), len(questions) - len(categories))
            assert counted[0] > 1 and any(q.get("type") == "essay" for q in questions)
        word = "question groups" if fmt == "canvas" else "categories"
        assert f"{out}: {counted[0]} {word}, {counted[1]} questions," in proc.stderr, proc.stderr
