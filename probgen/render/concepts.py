"""What the renderers print for the conceptual kinds (multi, truefalse, short): the instruction
under a prompt and the key's answer box, as markup both the text and the PDF renderer lay out."""

from __future__ import annotations

from ..core.model import Part

KINDS = ("multi", "truefalse", "short")


def _pts(n: int) -> str:
    return f"{n} pt{'s' * (n != 1)}"


def instruction(part: Part) -> str | None:
    """The line under a prompt that says how to answer and how it is scored."""
    if part.kind == "multi":
        return ("**Select all that apply.** Each right option you mark earns an equal share of the "
                f"{_pts(part.points)}, each wrong option you mark takes one share away; never below 0.")
    if part.kind == "truefalse":
        auto = part.points - part.hand_points
        return (f"Write **T** or **F** ({_pts(auto)}) and justify it in one or two sentences "
                f"({_pts(part.hand_points)}).")
    if part.kind == "short":
        return f"Write one or two sentences ({_pts(part.points)})."
    return None


def rubric_markup(part: Part) -> str:
    return "\n".join(f"- {_pts(r['points'])}: {r['idea']}" for r in part.rubric or ())


def key_markup(part: Part, label: bool = False) -> str:
    """The answer box of the key: the right letters or verdict, the model answer and the rubric.
    `label`: start with 'Answer:' (the terminal key; the PDF's box has its own heading)."""
    head = "**Answer:** " if label else ""
    if part.kind == "multi":
        letters = ", ".join(f"**({k})**" for k in part.answer)
        if len(part.answer) == 1:  # "/ 1 of the points" read oddly (TA re-rating)
            return (f"{head}{letters} only. Scoring: all the points for marking it, less all the points for "
                    "each wrong option marked, at least 0.")
        return (f"{head}{letters}. Partial credit: (right options marked − wrong options marked) / "
                f"{len(part.answer)} of the points, at least 0.")
    if part.kind == "truefalse":
        verdict = "True" if part.answer == "T" else "False"
        return (f"{head}**{verdict}** ({_pts(part.points - part.hand_points)}). **Model justification:** "
                f"{part.model_answer}\n\n{rubric_markup(part)}")
    if part.kind == "short":
        return f"**Model answer:** {part.model_answer}\n\n{rubric_markup(part)}"
    raise ValueError(f"not a conceptual kind: {part.kind!r}")


def answer_text(part: Part) -> str:
    """A one-line reference for reports and the terminal key (markup; callers convert)."""
    if part.kind == "multi":
        return ", ".join(f"({k}) {(part.choices or {}).get(k, '')}" for k in part.answer)
    if part.kind == "truefalse":
        return ("True" if part.answer == "T" else "False") + f" — {part.model_answer}"
    return part.model_answer or str(part.answer)
