"""What each page shows, as plain data for the templates (the Flask routes in `app` only read
the request and pick a template)."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlencode

from markupsafe import Markup

from ..core.registry import get_family, load_all, sort_families
from ..core.sections import SECTION_TITLES
from ..grading.judge import UNREADABLE, ProblemGrader, tolerance_note
from ..grading.report import reference_text
from ..practice.progress import progress_data
from ..practice.scheduler import next_difficulty, plan
from ..practice.session import attempt_from
from ..practice.stats import sittings
from .concepts import concept_feedback, self_mark_post
from .figure import figure_svg
from .forms import FieldError, answer_text, inputs_html
from .mathhtml import markup_html

REASONS = {"due": "due for review", "weak": "a weak topic", "new": "not practised yet", "next due": "due soonest"}
REFERENCE_DIGITS = 6


def families():
    return sort_families(load_all().values())


def fresh_seed() -> int:
    return int.from_bytes(os.urandom(4), "big") % 100_000


def fresh_sitting() -> int:
    return int.from_bytes(os.urandom(4), "big") % (2 ** 31)


def practice_url(family, difficulty, seed, *, convention=None, sitting=None, why=None) -> str:
    query = {"family": family, "difficulty": difficulty, "seed": seed}
    if convention:
        query["convention"] = convention
    if sitting is not None:
        query["sitting"] = sitting
    if why:
        query["why"] = why
    return "/practice?" + urlencode(query)


# ------------------------------------------------------------------------------- choosing

def next_choice(attempts, after_topic: str | None):
    return plan(attempts, families(), avoid_topic=after_topic)[0]


def start_choice(what: str, difficulty: str | None, attempts=()) -> tuple[str, str]:
    """('topic:T' | 'family:F', 'easy'|'medium'|'hard'|'auto'|None) -> (family, difficulty)."""
    from .app import BadRequest

    kind, _, name = what.partition(":")
    if kind == "topic":
        choices = [c for c in plan(list(attempts), families()) if c.topic == name]
        if not choices:
            raise BadRequest(f"no topic called {name!r}")
        family, auto = choices[0].family, choices[0].difficulty
    elif kind == "family":
        fam = get_family(name)  # an unknown family is a one-line error
        mine = [s for s in sittings(list(attempts)) if s.topic == fam.topic]
        family, auto = fam.id, next_difficulty(mine, tuple(fam.difficulties))
    else:
        raise BadRequest("choose a topic or a family")
    if difficulty in (None, "", "auto"):
        return family, auto
    if difficulty not in get_family(family).difficulties:
        raise BadRequest(f"{family} has no difficulty {difficulty!r}")
    return family, difficulty


def home_view(attempts) -> dict:
    fams = families()
    sections: dict[str, dict] = {}
    for f in fams:
        section = sections.setdefault(f.section, {"title": SECTION_TITLES.get(f.section, f.section), "topics": {}})
        section["topics"].setdefault(f.topic, []).append({"id": f.id, "title": f.title})
    done = sittings(attempts)
    order = plan(attempts, fams, all_sittings=done)
    return {"sections": sections, "suggestion": order[0], "problems_done": len(done),
            "due": sum(1 for c in order if c.reason == "due")}


# ------------------------------------------------------------------------------- a problem

def _last_answers(rows) -> dict[str, str | None]:
    last: dict[str, str | None] = {}
    for a in rows:
        last[a.part] = a.answer
    return last


def _grade_in_order(problem, answers: dict[str, str | None]) -> dict:
    """Part key -> result for the parts answered, graded in order (error carried forward)."""
    grader = ProblemGrader(problem, 1, get_family(problem.family))
    results = {}
    for part in problem.parts:
        if part.key in answers:
            results[part.key] = grader.grade(part, answers[part.key])
    return results


def self_marks(rows) -> dict[str, float]:
    """Part key -> points of its self-marked last answer. Marking records the part's last answer
    again with the points it earned; `grade_post` never records an answer equal to the part's
    last one, so a row repeating the row before it (for that part) is a self-marking."""
    by_part: dict[str, list] = {}
    for a in rows:
        by_part.setdefault(a.part, []).append(a)
    return {k: seq[-1].points for k, seq in by_part.items() if len(seq) >= 2 and seq[-1].answer == seq[-2].answer}


def problem_view(problem, rows, unreadable: dict[str, str], sitting: int, started: float) -> dict:
    last = _last_answers(rows)
    results = _grade_in_order(problem, last)
    marked = self_marks(rows)
    steps_by_part: dict[str | None, list[str]] = {}
    for step in problem.steps:
        steps_by_part.setdefault(step.part, []).append(step.text)
    parts = []
    for part in problem.parts:
        label = f"({part.key})"
        r = results.get(part.key)
        feedback = None
        if part.key in unreadable:
            feedback = {"verdict": UNREADABLE, "css": "unreadable", "message": unreadable[part.key],
                        "points": None, "max_points": part.points}
        elif r is not None:
            feedback = {
                "verdict": r.verdict, "css": r.verdict.split()[0], "points": r.points, "max_points": r.max_points,
                "message": r.message, "mistake": r.mistake, "explanation": r.mistake_explanation,
                "also": r.also_mistakes, "follows_from": [f.lstrip("1") for f in r.follows_from],
                "answer": r.answer, "full": r.full,
                "reference": None if r.verdict == "correct" or r.follows_from else _reference_html(part),
                "rule": tolerance_note(part),
                "steps": [markup_html(t) for t in steps_by_part.get(part.key, [])] if not r.full else [],
            }
            if part.kind in ("multi", "truefalse", "short"):
                feedback.update(concept_feedback(part, r, marked.get(part.key)))
        parts.append({"key": part.key, "label": label, "points": part.points, "kind": part.kind,
                      "prompt": markup_html(part.prompt), "inputs": inputs_html(part, f"part {part.key}", last.get(part.key)),
                      "feedback": feedback,
                      "hint": _hint(part)})
    fam = get_family(problem.family)
    got = sum(r.points for r in results.values())  # self-marked points included (concept_feedback)
    return {
        "problem": problem, "family_title": fam.title, "parts": parts, "sitting": sitting, "started": f"{started:.3f}",
        "statement": markup_html(problem.statement, figure_svg(problem.figure)),
        "solution": [(key, markup_html(text)) for key, texts in steps_by_part.items() for text in texts],
        "score": got, "answered": len(results),
        "permalink": practice_url(problem.family, problem.difficulty, problem.seed, convention=problem.convention),
        "new_numbers": practice_url(problem.family, problem.difficulty, fresh_seed(), convention=problem.convention),
    }


def _reference_html(part) -> Markup:
    """The reference: typeset exact form and its decimal where the part has one, else text."""
    from ..core.numfmt import num
    from .mathhtml import math

    text = reference_text(part, REFERENCE_DIGITS)
    if part.kind == "number" and part.latex and "≈" in text:
        return Markup(f"{math(part.latex)} ≈ <code>{num(part.answer, REFERENCE_DIGITS)}</code>")
    return Markup(f"<code>{Markup.escape(text)}</code>")


def _hint(part) -> Markup:
    if part.kind == "expression" and part.variables:
        names = ", ".join(sorted(part.variables))
        return Markup(f"in terms of {names}; write e.g. <code>2*u*cos(x)</code>, <code>ln(2)</code>, <code>sqrt(u)</code>")
    if part.kind == "number":
        return Markup("a number: <code>0.25</code>, <code>-1.5e-3</code>, <code>3/4</code>, <code>ln(2)</code>")
    if part.kind in ("vector", "matrix"):
        return Markup("one number per box")
    if part.kind == "multi":
        return Markup("select all that apply: each right option ticked earns an equal share of the points, "
                      "each wrong one ticked takes a share away, never below 0")
    if part.kind == "truefalse":
        return Markup("choose True or False and justify it; the T/F is graded at once, then you mark your "
                      "justification against the model answer's rubric")
    if part.kind == "short":
        return Markup("one or two sentences; after checking, mark it yourself against the model answer's rubric")
    if part.kind == "shape":
        return Markup("one dimension per box: a number or a symbol such as <code>C</code>")
    return Markup("")


def grade_post(problem, form, earlier, *, session: str, sitting: int, seconds: float):
    """The posted answers graded in part order; returns (rows to record, unreadable part ->
    message). A part left empty keeps its earlier answer (for error carried forward); an
    answer equal to the part's last one is not recorded again."""
    last = _last_answers(earlier)
    grader = ProblemGrader(problem, 1, get_family(problem.family))
    rows, unreadable = [], {}
    for part in problem.parts:
        try:
            text = answer_text(part, form)
        except FieldError as exc:
            unreadable[part.key] = str(exc)
            text = None
        if text is None:
            if part.key in last:
                grader.grade(part, last[part.key])  # context for the parts after it
            continue
        result = grader.grade(part, text)
        if result.verdict == UNREADABLE:
            unreadable[part.key] = result.message
            del grader.results[part.key]
            if part.key in last:
                grader.grade(part, last[part.key])
            continue
        if text != last.get(part.key):
            rows.append(attempt_from(problem, sitting, result, seconds=seconds, source="web", session=session))
    return rows, unreadable


def mark_post(problem, form, earlier, *, key: str, session: str, sitting: int, seconds: float):
    """A self-marking of part `key`'s last answer against its rubric, as a row to record."""
    results = _grade_in_order(problem, _last_answers(earlier))
    return self_mark_post(problem, form, earlier, results, key=key, session=session, sitting=sitting,
                          seconds=seconds)


# ------------------------------------------------------------------------------- progress, exam

def progress_view(attempts) -> dict:
    data = progress_data(attempts)
    recent = sittings(attempts)[-30:]
    return {"data": data, "recent": [{"family": s.family, "difficulty": s.difficulty, "seed": s.seed,
                                      "score": s.score, "at": s.at[:16].replace("T", " "),
                                      "convention": s.convention, "wrong": s.wrong_parts,
                                      "skipped": s.skipped_parts, "answered": s.answered,
                                      "link": practice_url(s.family, s.difficulty, s.seed, convention=s.convention)}
                                     for s in reversed(recent)]}


def exam_view() -> dict:
    from ..sheets.banks import bank_names

    return {"banks": bank_names(), "seed": fresh_seed()}


def exam_zip(bank: str, seed: int) -> tuple[bytes, str]:
    """The student PDF, the key PDF and the JSON key of a bank's exam, zipped."""
    from ..sheets.assemble import exam_sheet
    from ..sheets.banks import bank_names, load_bank
    from ..sheets.publish import safe_name, write_sheet
    from .app import BadRequest

    if bank not in bank_names():  # a name from banks/, never a path
        raise BadRequest(f"no bank called {bank[:40]!r}")
    name = safe_name(f"{bank}-{seed}")
    with tempfile.TemporaryDirectory(prefix="probgen-exam-") as folder:
        paths = write_sheet(exam_sheet(load_bank(bank), seed), folder, name)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, Path(path).name)
    return buffer.getvalue(), f"{name}.zip"
