"""A line plot (`figure["type"] == "curves"`: loss curves over epochs) as inline SVG for the
problem page: the same numbers, axes, ticks and legend as the PDF's vector plot
(`render/pdf_plot.py`), so what the student reads is what the answers were computed from."""

from __future__ import annotations

import html
import math

from ..render.pdf_plot import nice_step, ticks

WIDTH, HEIGHT = 440.0, 230.0  # the plotting area, px
LEFT, TOP, BOTTOM, LEGEND = 56.0, 14.0, 44.0, 170.0
STROKES = ("#1f4e8c", "#c0392b", "#2e7d32", "#7b1fa2")
DASHES = ("", "6 3", "2 3", "8 3 2 3")


def curves_svg(figure: dict) -> str:
    xs = figure["x"]
    ys = [y for s in figure["series"] for y in s["y"]]
    x0, x1 = min(xs), max(xs)
    ystep = nice_step(max(ys) - min(0.0, min(ys)) or 1.0)
    y0 = min(0.0, math.floor(min(ys) / ystep) * ystep)
    y1 = math.ceil(max(ys) / ystep) * ystep

    def px(x):
        return LEFT + (x - x0) / ((x1 - x0) or 1) * WIDTH

    def py(y):
        return TOP + (y1 - y) / ((y1 - y0) or 1) * HEIGHT

    w, h = LEFT + WIDTH + LEGEND, TOP + HEIGHT + BOTTOM
    label = html.escape(f'{figure.get("ylabel", "y")} against {figure.get("xlabel", "x")}: '
                        + ", ".join(s["name"] for s in figure["series"]))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:g} {h:g}" width="{w:g}" height="{h:g}" '
           f'role="img" aria-label="{label}" class="plot">']
    xt = [t for t in ticks(x0, x1, 10) if float(t).is_integer()] or [x0, x1]
    yt = ticks(y0, y1, 5)
    for t in xt:  # light grid, as in the PDF: a reader can find an epoch's value
        out.append(f'<line x1="{px(t):.1f}" y1="{TOP}" x2="{px(t):.1f}" y2="{TOP + HEIGHT}" stroke="#ddd" stroke-width="0.6"/>')
        out.append(f'<text x="{px(t):.1f}" y="{TOP + HEIGHT + 15}" text-anchor="middle" class="tick">{t:g}</text>')
    for t in yt:
        out.append(f'<line x1="{LEFT}" y1="{py(t):.1f}" x2="{LEFT + WIDTH}" y2="{py(t):.1f}" stroke="#ddd" stroke-width="0.6"/>')
        out.append(f'<text x="{LEFT - 6}" y="{py(t) + 4:.1f}" text-anchor="end" class="tick">{t:g}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH}" height="{HEIGHT}" fill="none" stroke="#000" stroke-width="1"/>')
    out.append(f'<text x="{LEFT + WIDTH / 2}" y="{h - 8}" text-anchor="middle">{html.escape(figure.get("xlabel", "x"))}</text>')
    out.append(f'<text transform="translate(14 {TOP + HEIGHT / 2}) rotate(-90)" text-anchor="middle">'
               f'{html.escape(figure.get("ylabel", "y"))}</text>')
    for i, s in enumerate(figure["series"]):
        colour, dash = STROKES[i % len(STROKES)], DASHES[i % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, s["y"]))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr} '
                   f'class="series" data-name="{html.escape(s["name"])}"/>')
        for x, y in zip(xs, s["y"]):  # a marker per epoch, with its value on hover
            title = f"<title>{html.escape(s['name'])}, {html.escape(figure.get('xlabel', 'x'))} {x:g}: {y:g}</title>"
            if i % 2:
                out.append(f'<rect x="{px(x) - 3:.1f}" y="{py(y) - 3:.1f}" width="6" height="6" fill="{colour}">{title}</rect>')
            else:
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}">{title}</circle>')
        ly = TOP + 12 + 20 * i
        out.append(f'<line x1="{LEFT + WIDTH + 12}" y1="{ly}" x2="{LEFT + WIDTH + 40}" y2="{ly}" stroke="{colour}" '
                   f'stroke-width="2"{dash_attr}/>')
        out.append(f'<text x="{LEFT + WIDTH + 46}" y="{ly + 4}">{html.escape(s["name"])}</text>')
    out.append("</svg>")
    return "".join(out)
