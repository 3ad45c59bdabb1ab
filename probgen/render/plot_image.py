"""A line plot (`figure["type"] == "curves"`: loss curves over epochs) as a PNG image for HTML
(LMS exports), drawn with matplotlib from the figure's own numbers with the PDF plot's axes:
the same ticks (`pdf_plot.ticks`), grid, markers per epoch and legend."""

from __future__ import annotations

import io
import math

from .pdf_plot import nice_step, ticks

DPI = 144
GRAYS = ("0.0", "0.45", "0.25", "0.6")
DASHES = ("-", "--", ":", "-.")


def curves_png(figure: dict) -> bytes | None:
    if figure.get("type") != "curves" or not figure.get("series"):
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    xs = figure["x"]
    ys = [y for s in figure["series"] for y in s["y"]]
    ystep = nice_step(max(ys) - min(0.0, min(ys)) or 1.0)
    y0 = min(0.0, math.floor(min(ys) / ystep) * ystep)
    y1 = math.ceil(max(ys) / ystep) * ystep
    fig = Figure(figsize=(6.4, 3.0), dpi=DPI)
    ax = fig.add_axes((0.1, 0.17, 0.62, 0.78))
    for i, s in enumerate(figure["series"]):
        ax.plot(xs, s["y"], DASHES[i % len(DASHES)], color=GRAYS[i % len(GRAYS)], linewidth=1.6,
                marker="s" if i % 2 else "o", markersize=3.2, label=s["name"])
    ax.set_xlim(min(xs), max(xs))
    ax.set_ylim(y0, y1)
    ax.set_xticks([t for t in ticks(min(xs), max(xs), 10) if float(t).is_integer()] or [min(xs), max(xs)])
    ax.set_yticks(ticks(y0, y1, 5))
    ax.grid(True, color="0.85", linewidth=0.5)
    ax.set_xlabel(figure.get("xlabel", "x"))
    ax.set_ylabel(figure.get("ylabel", "y"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def heatmap_png(figure: dict) -> bytes | None:
    """Attention weights as the PDF draws them: gray cells (darker = larger), each with its value."""
    if figure.get("type") != "heatmap" or not figure.get("values"):
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    values, rows, cols = figure["values"], figure["rows"], figure["cols"]
    fig = Figure(figsize=(1.2 + 0.95 * len(cols), 0.9 + 0.42 * len(rows)), dpi=DPI)
    ax = fig.add_axes((0.22, 0.05, 0.75, 0.78))
    ax.imshow(values, cmap="Greys", vmin=-0.25, vmax=1.0, aspect="auto")
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", color="white" if v > 0.55 else "black", fontsize=8)
    ax.set_xticks(range(len(cols)), cols)
    ax.set_yticks(range(len(rows)), rows)
    ax.xaxis.tick_top()
    ax.set_xlabel(figure.get("xlabel", ""))
    ax.xaxis.set_label_position("top")
    ax.set_ylabel(figure.get("ylabel", ""))
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
