"""`probgen progress`: per topic the attempts, recent accuracy, mastery, frequent named
mistakes and when it is next due; as a terminal table with bars, JSON, or a chart (PNG/SVG)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from .scheduler import plan, due_text
from .stats import sittings, topic_stats
from .store import Attempt

BAR = 10


def progress_data(attempts: list[Attempt], now: datetime | None = None) -> dict[str, Any]:
    """Every topic of the course, practised or not, in course order."""
    from ..core.registry import load_all, sort_families

    now = now or datetime.now(timezone.utc)
    families = sort_families(load_all().values())
    all_sittings = sittings(attempts)
    choices = {c.topic: c for c in plan(attempts, families, now, all_sittings=all_sittings)}
    rows_by_topic: dict[str, list] = {}
    for a in attempts:
        rows_by_topic.setdefault(a.topic, []).append(a)
    sittings_by_topic: dict[str, list] = {}
    for s in all_sittings:
        sittings_by_topic.setdefault(s.topic, []).append(s)
    topics = []
    seen: list[str] = []
    for fam in families:
        if fam.topic in seen:
            continue
        seen.append(fam.topic)
        st = topic_stats(rows_by_topic.get(fam.topic, []), fam.topic, fam.section, sittings_by_topic.get(fam.topic, []))
        c = choices[fam.topic]
        topics.append({
            "topic": st.topic, "section": st.section, "attempts": st.attempts, "problems": st.problems,
            "recent_accuracy": None if st.recent_accuracy is None else round(st.recent_accuracy, 4),
            "mastery": round(st.mastery, 4),
            "mistakes": [{"name": n, "count": k} for n, k in st.mistakes],
            "next_due": c.due.isoformat(timespec="seconds") if c.due else None,
            "due_in": due_text(c.due, now), "status": c.reason,
            "next_family": c.family, "next_difficulty": c.difficulty,
        })
    points = sum(s.points for s in all_sittings)
    best = sum(s.max_points for s in all_sittings)
    skipped = sum(a.skipped for a in attempts)
    return {"attempts": len(attempts) - skipped, "skipped": skipped,
            "problems": sum(s.answered for s in all_sittings),
            "points": round(points, 4), "max_points": round(best, 4),
            "first": attempts[0].at if attempts else None, "last": attempts[-1].at if attempts else None,
            "topics": topics}


def bar(fraction: float | None, width: int = BAR) -> str:
    if fraction is None:
        return " " * width
    filled = round(max(0.0, min(1.0, fraction)) * width * 2)  # half blocks
    return ("█" * (filled // 2) + ("▌" if filled % 2 else "")).ljust(width, "·")


def progress_text(data: dict[str, Any], where: str) -> str:
    skipped = data.get("skipped", 0)
    skipped_text = f", {skipped} skipped (not counted)" if skipped else ""
    if not data["attempts"]:
        head = (f"No part answered yet; {skipped} skipped part{'s' * (skipped != 1)} "
                f"{'are' if skipped != 1 else 'is'} not counted" if skipped else "No practice recorded yet")
        return (f"{head} ({where}).\n"
                "Start with `probgen practice` (it chooses what you need) or `probgen serve`.\n")
    lines = [f"Progress: {data['problems']} problem{'s' * (data['problems'] != 1)}, "
             f"{data['attempts']} part{'s' * (data['attempts'] != 1)} answered{skipped_text}", ""]
    head = f"{'topic':<15} {'parts':>5}  {'recent accuracy':<16} {'mastery':<16} next due"
    lines += [head, "─" * len(head)]
    for t in data["topics"]:
        acc = t["recent_accuracy"]
        acc_text = f"{bar(acc)} {acc * 100:3.0f}%" if acc is not None else f"{'':<10}    -"
        mastery_text = f"{bar(t['mastery'])} {t['mastery'] * 100:3.0f}%" if t["attempts"] else f"{'':<10}    -"
        due = t["due_in"] if t["attempts"] else "new"
        if t["status"] == "weak":
            due += " (weak)"
        lines.append(f"{t['topic']:<15} {t['attempts']:>5}  {acc_text:<16} {mastery_text:<16} {due}")
    mistakes = [(t["topic"], m) for t in data["topics"] for m in t["mistakes"]]
    if mistakes:
        lines += ["", "Most frequent named mistakes:"]
        for topic, m in sorted(mistakes, key=lambda tm: -tm[1]["count"])[:8]:
            lines.append(f"  {m['count']:>3}×  {topic}: {m['name']}")
    up_next = [t for t in data["topics"] if t["status"] in ("due", "weak")][:3]
    if up_next:
        lines += ["", "Next: `probgen practice` starts with " +
                  ", ".join(f"{t['topic']} ({t['status']})" for t in up_next) + "."]
    lines += ["", "recent accuracy: the full-credit share of the topic's last 20 parts;",
              "mastery: the recency-weighted share of its points, low while there is little evidence",
              "(docs/history.md).", f"History: {where}"]
    return "\n".join(lines) + "\n"


CHART_TAG = "probgen progress chart"  # in the file's metadata: a chart written earlier may be replaced


def plot_progress(data: dict[str, Any], path: str, force: bool = False) -> None:
    """A horizontal bar chart of mastery and recent accuracy per topic, written atomically. An
    existing file is replaced only if it is a chart this wrote earlier (its metadata says so) or
    with `force`; a link, FIFO or folder is refused (fileio)."""
    import io

    from ..fileio import OutputError, check_target, differs

    check_target(path, force)
    if not force and differs(path, b"") and not _our_chart(path):
        raise OutputError(f"{path} already exists and is not a progress chart; choose another file or add "
                          "--force to replace it")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..fileio import write_atomic

    topics = data["topics"][::-1]
    names = [t["topic"] for t in topics]
    mastery_values = [t["mastery"] * 100 for t in topics]
    accuracy = [(t["recent_accuracy"] or 0) * 100 for t in topics]
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(names) + 1.4), dpi=110)
    ys = range(len(names))
    ax.barh([y + 0.2 for y in ys], mastery_values, height=0.38, color="#2f6db5", label="mastery")
    ax.barh([y - 0.2 for y in ys], accuracy, height=0.38, color="#9cc3e6", label="recent accuracy")
    for y, t in zip(ys, topics):
        if t["attempts"]:
            ax.text(101, y, f"{t['mastery'] * 100:.0f}% · {t['attempts']} parts · due {t['due_in']}", va="center", fontsize=7, color="#444")
        else:
            ax.text(1, y, "not practised yet", va="center", fontsize=7, color="#888")
    ax.set_yticks(list(ys), names, fontsize=8)
    ax.set_xlim(0, 135)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("%")
    ax.set_title(f"probgen progress: {data['problems']} problems, {data['attempts']} parts", fontsize=10)
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    fmt = "svg" if str(path).lower().endswith(".svg") else "png"
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Title": CHART_TAG, **({"Date": None} if fmt == "svg" else {})})
    plt.close(fig)
    write_atomic(path, buffer.getvalue(), force)


def _our_chart(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return CHART_TAG.encode() in handle.read(8192)
    except OSError:
        return False
