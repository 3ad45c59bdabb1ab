"""Item analysis of a graded class, per part: how many got it right, which named mistakes they
made, and how well the part separates strong from weak students (point-biserial correlation
of 'full credit on this part' with the score on the rest of the exam)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Item:
    """One part of one problem slot (versions with the same family there share the item)."""

    problem: int
    family: str
    part: str
    max_points: float = 0.0
    correct: list[int] = field(default_factory=list)  # 1 = full credit, per student who had it
    rest: list[float] = field(default_factory=list)  # that student's total minus this part
    earned: list[float] = field(default_factory=list)
    mistakes: Counter = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return f"{self.problem}{self.part} {self.family}"

    @property
    def n(self) -> int:
        return len(self.correct)

    @property
    def fraction_correct(self) -> float:
        return sum(self.correct) / self.n if self.n else 0.0

    @property
    def mean_score(self) -> float:
        return sum(self.earned) / (self.n * self.max_points) if self.n and self.max_points else 0.0

    @property
    def discrimination(self) -> float | None:
        return point_biserial(self.correct, self.rest)


def point_biserial(binary: list[int], scores: list[float]) -> float | None:
    """Pearson correlation of a 0/1 item with scores; None when either does not vary."""
    n = len(binary)
    if n < 3:
        return None
    mb, ms = sum(binary) / n, sum(scores) / n
    sb = math.sqrt(sum((b - mb) ** 2 for b in binary) / n)
    ss = math.sqrt(sum((s - ms) ** 2 for s in scores) / n)
    if sb == 0 or ss == 0:
        return None
    return sum((b - mb) * (s - ms) for b, s in zip(binary, scores)) / (n * sb * ss)


def item_analysis(graded: list[list]) -> list[Item]:
    """`graded`: each student's list of ProblemResult. Items in problem, family, part order. Only
    the automatically graded points count: a T/F part is its T/F, a short answer is left out."""
    items: dict[tuple, Item] = {}
    for results in graded:
        total = sum(pr.points for pr in results)
        for pr in results:
            for r, part in zip(pr.parts, pr.problem.parts):
                auto = r.max_points - part.hand_points  # a written answer waits for a person: not an item here
                if not auto:
                    continue
                key = (pr.number, pr.problem.family, r.key)
                item = items.setdefault(key, Item(pr.number, pr.problem.family, r.key))
                item.max_points = max(item.max_points, auto)
                item.correct.append(1 if r.full else 0)
                item.rest.append(total - r.points)
                item.earned.append(r.points)
                if r.mistake:
                    item.mistakes[r.mistake] += 1
    return [items[k] for k in sorted(items)]


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:+.2f}"


def table_rows(items: list[Item]) -> list[dict]:
    return [{"item": f"{i.problem}{i.part}", "family": i.family, "students": i.n,
             "fraction_correct": f"{i.fraction_correct:.2f}", "mean_score": f"{i.mean_score:.2f}",
             "discrimination": _fmt(i.discrimination),
             "mistakes": "; ".join(f"{name} ×{count}" for name, count in i.mistakes.most_common())}
            for i in items]


def text_table(items: list[Item]) -> str:
    rows = table_rows(items)
    head = f"{'part':<5} {'family':<22} {'n':>3} {'correct':>7} {'score':>6} {'discr.':>6}  named mistakes (count)"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['item']:<5} {r['family'][:22]:<22} {r['students']:>3} {r['fraction_correct']:>7} "
                     f"{r['mean_score']:>6} {r['discrimination']:>6}  {r['mistakes']}")
    lines.append("")
    lines.append("correct: fraction with full credit; score: mean fraction of the points; discr.: point-biserial "
                 "correlation of full credit with the rest of the exam (below +0.20: the part separates "
                 "strong from weak students poorly; — : everyone or no one got it).")
    return "\n".join(lines) + "\n"


def plot_png(items: list[Item], title: str) -> bytes:
    """A horizontal bar chart of the fraction correct per part, one labelled row per item
    ("3b adam-trace": in a class set one slot holds several families), its discrimination at the
    bar's end. Rows, not columns: a class of 12 problems has 50-100 items, which as columns made
    a strip some 4,000 pixels wide with labels no one could tell apart."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rows = len(items)
    fig = Figure(figsize=(8.0, 1.4 + 0.24 * max(rows, 4)), dpi=100)
    ax = fig.add_subplot()
    ys = range(rows)
    colors = ["#c0392b" if (i.discrimination is not None and i.discrimination < 0.2) else "#2e86c1" for i in items]
    ax.barh(ys, [i.fraction_correct for i in items], color=colors, height=0.7)
    for y, i in zip(ys, items):
        ax.text(i.fraction_correct + 0.01, y, _fmt(i.discrimination), va="center", fontsize=7)
    ax.set_yticks(list(ys), [i.label for i in items], fontsize=7)
    ax.set_ylim(rows - 0.5, -0.5)  # problem 1 at the top, as on the exam
    ax.set_xlim(0, 1.12)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel("fraction with full credit (number at the bar: discrimination)")
    ax.set_title(f"{title}: item analysis (red: discrimination < 0.20)", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
