"""Hand-graded parts in a class's results: a true/false's written justification and a short
answer are not graded automatically. The gradebook keeps them out of the automatic points and
shows them as pending; `hand-grading.csv`/`.txt` list every written answer with the model
answer and rubric, for the person who grades them (docs/running-an-exam.md)."""

from __future__ import annotations

from ..grading.report import hand_lines


def hand_max(results) -> float:
    """The points of the hand-graded answers of one sheet's problems (the rubrics' sums)."""
    return sum(part.hand_points for pr in results for part in pr.problem.parts)


def pending(results) -> float:
    """The points of the written answers waiting for a person (an empty justification is not
    waiting: it scored 0)."""
    return sum(r.hand_points for pr in results for r in pr.parts)


def hand_rows(results, student: dict) -> list[dict]:
    """One row per written answer waiting for hand grading."""
    rows = []
    for pr in results:
        for r, part in zip(pr.parts, pr.problem.parts):
            if r.hand_points:
                rows.append({**student, "Part": f"{pr.number}{part.key}", "Points": f"{r.hand_points:g}",
                             "Answer": r.justification or "", "Model answer": part.model_answer or "",
                             "Rubric": "; ".join(f"[{i['points']}] {i['idea']}" for i in part.rubric or ()),
                             "Awarded": ""})
    return rows


HAND_COLUMNS = ["Student ID", "Name", "Version", "Part", "Points", "Answer", "Model answer", "Rubric", "Awarded"]


def hand_text(results, who: str) -> list[str]:
    """The written answers of one sheet as `check` lists them, under a heading naming the student."""
    out = []
    for pr in results:
        for r, part in zip(pr.parts, pr.problem.parts):
            if r.hand_points:
                out.append(f"{who}, {pr.number}{part.key}:")
                out += hand_lines(r, part, indent="  ")
                out.append("")
    return out
