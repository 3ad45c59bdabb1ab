"""The simulated student of issue 15, shared by the grading tests: every numeric answer written to
3 significant figures, each later part computed from the student's own written answers (the
family's follow_on)."""

from __future__ import annotations

from probgen.core.tolerance import round_figures


def r3(value):
    if isinstance(value, (list, tuple)):
        return [r3(v) for v in value]
    return round_figures(float(value))


def typed(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(typed(v) for v in value) + "]"
    return repr(float(value))


def rounding_student(problem, fam) -> dict[str, str]:
    """The answers of a student who writes every numeric answer to 3 significant figures and
    computes each later part from those written values (the family's own recomputation)."""
    written, answers = {}, {}
    for part in problem.parts:
        if part.kind in ("number", "vector", "matrix"):
            value = part.answer
            if part.depends_on and part.tolerance > 0:
                mine = {k: v for k, v in written.items() if k in part.depends_on}
                try:
                    out = fam.follow_on(problem.params, mine)
                except Exception:  # noqa: BLE001 - then the student writes the reference, rounded
                    out = {}
                if part.key in out:
                    value = out[part.key].tolist() if hasattr(out[part.key], "tolist") else out[part.key]
            value = r3(value) if part.tolerance > 0 else value
            written[part.key] = value
            answers[part.key] = typed(value)
        elif part.kind == "shape":
            written[part.key] = [str(d) for d in part.answer]
        elif part.kind in ("expression", "choice"):
            written[part.key] = str(part.answer)
    return answers
