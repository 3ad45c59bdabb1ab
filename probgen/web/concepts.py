"""The conceptual kinds on the problem page: what the feedback adds for `multi` (each option's
why), `truefalse` (the T/F verdict, then the justification) and `short`, and the self-marking of
a written answer against the rubric (as `probgen practice` does with `grading.selfmark`).

Self-marking posts `selfmark=<part>` and one checkbox `mark_<part>_<i>` per rubric idea; the
points of the ticked ideas are added to the automatic points of the part's last answer and
recorded as a new row with that same answer (docs/history.md)."""

from __future__ import annotations

from ..grading.choices import HAND
from ..practice.session import attempt_from
from .mathhtml import inline, markup_html


def concept_feedback(part, r, marked_points: float | None) -> dict:
    """Extra feedback fields for a graded conceptual part. `marked_points`: the points recorded
    by the student's self-marking of this answer, or None when it is not marked yet."""
    out: dict = {"concept": part.kind}
    if part.kind == "truefalse":
        right = part.answer
        out["tf_verdict"] = ("True" if right == "T" else "False")
        out["tf_right"] = r.verdict == "correct"
        out["reference"] = None
        auto = part.points - part.hand_points
        out["auto_points"], out["auto_max"] = (auto if r.verdict == "correct" else 0), auto
    if part.kind in ("truefalse", "short"):
        pending = r.hand_points
        out["model_answer"] = markup_html(part.model_answer or "")
        out["rubric"] = [{"i": i, "points": item["points"], "idea": inline(str(item["idea"]))}
                         for i, item in enumerate(part.rubric or ())]
        out["hand_max"] = part.hand_points
        out["reference"] = None
        out["steps"] = []  # the worked solution of a written answer is the model answer shown here
        if pending and marked_points is not None:
            out["self_marked"] = round(marked_points - r.points, 4)
            r.points = marked_points
            out["points"] = marked_points
        out["can_mark"] = bool(pending)
        out["pending"] = bool(pending) and marked_points is None
        if r.verdict == HAND:
            out["css"] = "hand"
    return out


def self_mark_post(problem, form, earlier, grader_results, *, key: str, session: str, sitting: int,
                   seconds: float):
    """The row recording a self-marking of part `key`'s last answer, or raise BadRequest."""
    from .app import BadRequest

    part = next((p for p in problem.parts if p.key == key), None)
    if part is None or part.kind not in ("truefalse", "short"):
        raise BadRequest("only a written answer can be self-marked")
    result = grader_results.get(key)
    if result is None or not result.hand_points:
        raise BadRequest(f"check part {key} with a written answer before marking it")
    rubric = part.rubric or ()
    names = {f"mark_{key}_{i}" for i in range(len(rubric))}
    stray = [n for n in form if n.startswith(f"mark_{key}_") and n not in names]
    if stray:
        raise BadRequest("a marking box that is not in the rubric was posted")
    awarded = sum(int(item["points"]) for i, item in enumerate(rubric) if form.get(f"mark_{key}_{i}"))
    result.points = round(result.points + min(awarded, part.hand_points), 4)
    return attempt_from(problem, sitting, result, seconds=seconds, source="web", session=session)
