"""The grading report, as terminal text or JSON (same content). Formats only; judging is in
`judge`."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from ..core.model import Part, Problem
from ..core.numfmt import num
from ..render.text import markup_lines
from ..render.text import format_answer, plain_text
from .judge import RULE, VERDICTS, PartResult, ProblemResult, tolerance_note

MAX_SHOWN = 80
MAX_HAND = 2000  # a justification is shown whole (up to this) for the person grading it


def shown(text: str | None) -> str:
    """The student's text made safe to print: control characters replaced, long text cut."""
    if text is None:
        return ""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= MAX_SHOWN else clean[:MAX_SHOWN] + f"… ({len(text):,} characters)"


def reference_text(part: Part, digits: int = 10) -> str:
    # LaTeX-to-text leaves "sin(1 )" where LaTeX had "\\left(1 \\right)"
    return re.sub(r"\s+\)", ")", format_answer(part, digits))


def pts(x: float) -> str:
    return num(round(x, 2))


def solution_lines(problem: Problem, key: str) -> list[str]:
    """The worked-solution steps of one part, as plain text lines."""
    lines: list[str] = []
    for step in problem.steps:
        if step.part == key:
            lines += [line for line in markup_lines(step.text) if line.strip()]
    return lines


def verdict_text(r: PartResult) -> str:
    text = r.verdict
    if r.verdict == "could not read" and r.message:
        text += f": {r.message}"
    if r.follows_from:
        text += f" (follows from your {' and '.join(r.follows_from)})"
    return text


def part_detail(r: PartResult, part: Part, problem: Problem, indent: str = "      ", digits: int = 10) -> list[str]:
    """The lines under a part's verdict: what was written, why it is wrong, the reference (decimals
    to `digits` significant figures) and, when credit was lost, the worked solution."""
    out: list[str] = []
    if r.answer is not None and r.verdict != "correct":
        out.append(f"{indent}your answer: {shown(r.answer)}")
    if r.message and r.verdict != "could not read":
        out.append(f"{indent}{r.message}")
    if r.mistake:
        out.append(f"{indent}this is the mistake: {plain_text(r.mistake)}")
        for other in r.also_mistakes:
            out.append(f"{indent}  (or, giving the same value here: {plain_text(other)})")
        if r.mistake_explanation:
            out.append(f"{indent}  {plain_text(r.mistake_explanation)}")
    if r.verdict != "correct" and not r.follows_from and part.kind != "short":
        out.append(f"{indent}reference:   {reference_text(part, digits)}  [{tolerance_note(part)}]")
    if r.hand_points:
        out += hand_lines(r, part, indent)
    if not r.full:
        steps = solution_lines(problem, part.key)
        if steps:
            out.append(f"{indent}worked solution:")
            out += [f"{indent}  {line.strip()}" for line in steps]
    return out


def hand_lines(r: PartResult, part: Part, indent: str = "      ") -> list[str]:
    """A written justification or short answer, listed for hand grading with the model answer
    and the rubric."""
    head = f"{indent}for hand grading ({pts(r.hand_points)} pts): "
    just = r.justification or ""
    text = "".join(ch if ch.isprintable() else "?" for ch in just[:MAX_HAND]) + ("…" * (len(just) > MAX_HAND))
    out = textwrap.wrap(head + text, 88, subsequent_indent=f"{indent}    ") or [head]
    model = markup_lines(part.model_answer or "", indent=f"{indent}    ")
    out += [f"{indent}  model answer:"] + [line for line in model if line.strip()]
    out.append(f"{indent}  rubric:")
    out += [f"{indent}    {item['points']} pt{'s' * (item['points'] != 1)}: {item['idea']}"
            for item in part.rubric or ()]
    return out


def text_report(results: list[ProblemResult], *, key_name: str, sheet_name: str, title: str = "") -> str:
    lines = [f"Answers {sheet_name} checked against {key_name}" + (f" ({title})" if title else ""), ""]
    for pr in results:
        p = pr.problem
        head = f"Problem {pr.number}: {p.title}  ({p.family}, seed {p.seed}, {p.difficulty}" + \
               (f", {p.convention} convention" if p.convention else "") + ")"
        lines.append(f"{head}    {pts(pr.points)} / {pts(pr.max_points)}")
        for r, part in zip(pr.parts, p.parts):
            verdict = verdict_text(r)
            score = f"{pts(r.points):>5} / {pts(r.max_points)}"
            lines.append(f"  {r.label:<4} {score:<11} {verdict}")
            lines += part_detail(r, part, p)
        lines.append("")
    total, best = sum(pr.points for pr in results), sum(pr.max_points for pr in results)
    hand = sum(part.hand_points for pr in results for part in pr.problem.parts)
    auto = best - hand  # hand-graded points are not in the automatic total
    percent = f" ({100 * total / auto:.0f}%)" if auto else ""
    lines.append(f"Total: {pts(total)} / {pts(auto)} points{percent}"
                 + (" graded automatically" if hand else ""))
    pending = sum(r.hand_points for pr in results for r in pr.parts)
    if hand and pending:
        lines.append(f"  plus up to {pts(pending)} points for hand grading (the written justifications "
                     f"and short answers listed above; {pts(hand)} points of the sheet's {pts(best)} "
                     "are graded by hand)")
    elif hand:  # nothing written to grade by hand: no "plus up to 0 points"
        lines.append(f"  ({pts(hand)} points of the sheet's {pts(best)} are graded by hand; no justification "
                     "or short answer was written)")
    counts = _counts(results)
    lines.append("Parts: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n))
    lines.append("")
    lines.append("How answers were judged: " + RULE)
    return "\n".join(lines) + "\n"


def _counts(results: list[ProblemResult]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for pr in results:
        for r in pr.parts:
            counts[r.verdict] += 1
    return counts


def json_report(results: list[ProblemResult], *, key_name: str, sheet_name: str, title: str = "") -> dict[str, Any]:
    problems = []
    for pr in results:
        p = pr.problem
        parts = []
        for r, part in zip(pr.parts, p.parts):
            parts.append({
                "label": r.label, "kind": r.kind, "verdict": r.verdict,
                "points": round(r.points, 4), "max_points": r.max_points,
                "answer": r.answer if r.answer is None or len(r.answer) <= 1000 else shown(r.answer),
                "message": r.message, "mistake": r.mistake, "mistake_explanation": r.mistake_explanation,
                "also_mistakes": r.also_mistakes,
                "follows_from": r.follows_from, "rule": tolerance_note(part),
                "hand_points": r.hand_points, "justification": r.justification,
                "model_answer": part.model_answer, "rubric": part.rubric,
                "reference": reference_text(part), "reference_value": part.answer,
                "solution": [] if r.full else [line.strip() for line in solution_lines(p, part.key)],
            })
        problems.append({"number": pr.number, "family": p.family, "seed": p.seed, "difficulty": p.difficulty,
                         "convention": p.convention, "title": p.title, "points": pr.points,
                         "max_points": pr.max_points, "parts": parts})
    total, best = sum(pr.points for pr in results), sum(pr.max_points for pr in results)
    hand = sum(part.hand_points for pr in results for part in pr.problem.parts)
    return {"key": key_name, "answers": sheet_name, "title": title, "rule": RULE,
            "points": round(total, 4), "max_points": best, "counts": _counts(results), "problems": problems,
            # the automatic total's maximum, and the written answers' points (graded by a person)
            "auto_max_points": best - hand, "hand_max_points": hand,
            "hand_points_pending": sum(r.hand_points for pr in results for r in pr.parts)}


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
