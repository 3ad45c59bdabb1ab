"""Layout: how atoms sit side by side (TeX's spacing classes) and how each construct is built
from boxes: scripts and limits, fractions, radicals, accents, big operators, stretchy delimiters
and matrices. Pure geometry over boxes; reading the LaTeX is the reader's job."""

from __future__ import annotations

from dataclasses import dataclass

from .boxes import Box, glyphs, hbox, kern
from .fonts import FACES
from .symbols import AXIS, RULE, SCRIPT_SCALE


@dataclass
class Style:
    size: float  # font size of the base text, pt
    level: int = 0  # 0 text, 1 script, 2 scriptscript
    display: bool = False
    font: str | None = None  # a STYLE_FACES override (mathbf, mathrm, ...)

    @property
    def px(self) -> float:
        return self.size * SCRIPT_SCALE[self.level]

    def script(self) -> "Style":
        return Style(self.size, min(self.level + 1, 2), False, self.font)

    def fraction_part(self) -> "Style":
        return Style(self.size, self.level, False, self.font) if self.display else self.script()

    def with_font(self, font) -> "Style":
        return Style(self.size, self.level, self.display, font)


@dataclass
class Atom:
    cls: str  # ord op bin rel open close punct inner
    box: Box
    italic: bool = False  # an oblique letter: superscripts sit a little to the right
    limits: bool = False  # display-style big operator / max / min: scripts above and below


def join(atoms: list[Atom], st: Style) -> Box:
    """Atoms side by side with TeX's inter-atom spacing."""
    # explicit spaces (\, \quad ...) are invisible to the spacing rules
    classes = [a.cls for a in atoms]
    real = [i for i, c in enumerate(classes) if c != "space"]
    for n, i in enumerate(real):  # a binary operator with no operand to its left is unary
        if classes[i] == "bin":
            prev = classes[real[n - 1]] if n else None
            nxt = atoms[real[n + 1]].cls if n + 1 < len(real) else None
            if prev in (None, "bin", "op", "rel", "open", "punct") or nxt in (None, "rel", "close", "punct"):
                classes[i] = "ord"
    # hbox() of the atoms' boxes and the kerns between them, without making the kerns' boxes:
    # a kern only moves the pen (its height and depth, 0, never raise the maximum)
    out = Box()
    w = h = d = 0.0
    em = st.px
    tight = st.level > 0
    last = None
    for i, a in enumerate(atoms):
        if classes[i] != "space":
            if last is not None:
                pair = (classes[last], classes[i], tight)
                mu = _SPACES.get(pair)
                if mu is None:
                    mu = _SPACES[pair] = _space(*pair)
                if mu:
                    w += mu * em
            last = i
        b = a.box
        out.place(b, w, 0.0)
        w += b.w
        h = max(h, b.h + 0.0)
        d = max(d, b.d - 0.0)
    out.w, out.h, out.d = w, h, d
    return out


_SPACES: dict = {}  # (class, class, tight) -> _space(...): a few dozen pairs


def _space(a: str, b: str, tight: bool) -> float:
    """TeX's inter-atom space in mu (1/18 em); scripts drop the medium and thick ones."""
    if a == "op" and b in ("ord", "op", "inner", "open"):
        return 3 / 18 if b != "open" else 0.0
    if b == "op" and a in ("ord", "op", "close", "inner"):
        return 3 / 18
    if tight:
        return 0.0
    if a == "bin" or b == "bin":
        return 4 / 18
    if (a == "rel") != (b == "rel"):
        return 5 / 18 if "open" not in (a, b) or a == "rel" or b == "rel" else 0.0
    if a == "punct" and b != "punct":
        return 3 / 18
    if a == "inner" and b in ("ord", "inner", "open") or b == "inner" and a in ("ord", "close", "punct"):
        return 3 / 18 if b != "open" else 0.0
    return 0.0


def attach(base: Atom, st: Style, sup: Box | None, sub: Box | None) -> None:
    """Scripts on an atom: beside it, or above and below a display operator's limits."""
    b = base.box
    s = st.px
    if base.limits:
        w = max(b.w, sup.w if sup else 0, sub.w if sub else 0)
        out = Box(w=w)
        out.place(b, (w - b.w) / 2, 0)
        out.h, out.d = b.h, b.d
        gap = 0.15 * s
        if sup:
            y = b.h + gap + sup.d
            out.place(sup, (w - sup.w) / 2, y)
            out.h = y + sup.h
        if sub:
            y = -(b.d + gap + sub.h)
            out.place(sub, (w - sub.w) / 2, y)
            out.d = -y + sub.d
        base.box = out
        return
    out = Box(w=b.w, h=b.h, d=b.d, items=list(b.items))
    up = max(0.36 * s, b.h - 0.3 * s) if sup else 0.0
    down = max(0.2 * s, b.d + 0.1 * s) if sub else 0.0
    if sup and sub:
        gap = (up - sup.d) - (sub.h - down)
        if gap < 0.12 * s:
            down += 0.12 * s - gap
    end = b.w
    if sup:
        x = b.w + (0.06 * s if base.italic else 0.02 * s)
        out.place(sup, x, up)
        out.h = max(out.h, up + sup.h)
        end = max(end, x + sup.w)
    if sub:
        x = b.w + 0.01 * s
        out.place(sub, x, -down)
        out.d = max(out.d, down + sub.d)
        end = max(end, x + sub.w)
    out.w = end + 0.03 * s
    base.box = out


def big_op(ch: str, st: Style) -> Atom:
    s = st.px
    scale = 1.45 if st.display else 1.1
    box = glyphs(ch, FACES["rm"], s * scale)
    # centre on the math axis
    mid = (box.h - box.d) / 2
    shift = AXIS * s - mid
    out = Box(w=box.w, h=box.h + shift, d=box.d - shift)
    out.place(box, 0, shift)
    return Atom("op", out, limits=st.display and ch != "∫")


def fraction(name: str, num: Box, den: Box, st: Style) -> Atom:
    """A fraction (or a binomial) of two typeset parts."""
    s = st.px
    t = max(RULE * s, 0.4)
    gap = 0.12 * s
    pad = 0.12 * s
    w = max(num.w, den.w) + 2 * pad
    axis = AXIS * s
    out = Box(w=w + 0.1 * s)
    x0 = 0.05 * s
    ny = axis + t / 2 + gap + num.d
    dy = axis - t / 2 - gap - den.h
    out.place(num, x0 + (w - num.w) / 2, ny)
    out.place(den, x0 + (w - den.w) / 2, dy)
    if name != "binom":
        out.items.append(("r", x0, axis - t / 2, w, t))
    out.h = ny + num.h
    out.d = -(dy - den.d)
    if name == "binom":
        return Atom("inner", wrap_delims(out, "(", ")", s, st.size))
    return Atom("inner", out)


def radical(body: Box, index: Box | None, st: Style) -> Atom:
    """A square root over `body`, with an optional index (the 3 of a cube root)."""
    s = st.px
    t = max(RULE * s, 0.45)
    gap = 0.12 * s
    top = max(body.h, 0.72 * s) + gap + t / 2
    bottom = max(body.d, 0.0) + 0.08 * s
    rw = 0.5 * s + 0.04 * (top + bottom)
    x0 = (index.w - 0.25 * s) if index is not None and index.w > 0.25 * s else 0.0
    ops = [("M", x0 + 0.0, 0.42 * top - 0.1 * bottom), ("L", x0 + 0.12 * rw, 0.5 * top - 0.1 * bottom),
           ("L", x0 + 0.45 * rw, -bottom), ("L", x0 + rw, top),
           ("L", x0 + rw + body.w + 0.1 * s, top)]
    out = Box(w=x0 + rw + body.w + 0.15 * s, h=top + t / 2 + 0.02 * s, d=bottom + t / 2)
    out.items.append(("p", t, ops))
    out.place(body, x0 + rw + 0.05 * s, 0)
    if index is not None:
        out.place(index, x0 + 0.32 * rw - index.w if x0 == 0 else 0, 0.5 * top + index.d + 0.05 * s)
        out.h = max(out.h, 0.5 * top + index.h + index.d + 0.05 * s)
    return Atom("ord", out)


def accent(name: str, arg_atoms: list[Atom], st: Style) -> Atom:
    """An accent (hat, bar, vec, tilde, dots, ...) drawn over the joined atoms."""
    s = st.px
    italic = len(arg_atoms) == 1 and arg_atoms[0].italic
    body = join(arg_atoms, st)
    out = Box(w=body.w, h=body.h, d=body.d, items=list(body.items))
    skew = 0.08 * s if italic else 0.0
    lw = max(0.05 * s, 0.4)
    base = max(body.h, 0.55 * s) + 0.1 * s
    wide = name in ("widehat", "widetilde", "overline", "overrightarrow") or body.w > 0.9 * s
    aw = body.w * 0.92 if wide else min(max(body.w * 0.8, 0.42 * s), 0.6 * s)
    cx = body.w / 2 + skew
    x1, x2 = cx - aw / 2, cx + aw / 2
    if name in ("hat", "widehat", "check"):
        hgt = 0.16 * s if not wide else min(0.16 * s + 0.03 * aw, 0.3 * s)
        ys = (base, base + hgt) if name != "check" else (base + hgt, base)
        out.items.append(("p", lw, [("M", x1, ys[0]), ("L", cx, ys[1]), ("L", x2, ys[0])]))
        out.h = base + hgt + lw
    elif name in ("bar", "overline"):
        if name == "overline":
            x1, x2 = 0.0, body.w
        out.items.append(("r", x1, base, x2 - x1, lw))
        out.h = base + lw * 1.5
    elif name in ("tilde", "widetilde"):
        hgt = 0.1 * s
        q = (x2 - x1) / 4
        out.items.append(("p", lw, [("M", x1, base), ("C", x1 + q, base + 2 * hgt, x2 - q, base - hgt, x2, base + hgt)]))
        out.h = base + 2 * hgt
    elif name in ("vec", "overrightarrow"):
        y = base + 0.06 * s
        h = 0.09 * s
        out.items.append(("p", lw, [("M", x1, y), ("L", x2, y)]))
        out.items.append(("p", lw, [("M", x2 - h * 1.3, y + h), ("L", x2, y), ("L", x2 - h * 1.3, y - h)]))
        out.h = y + h + lw
    elif name in ("dot", "ddot"):
        r = 0.055 * s
        y = base + r
        xs = [cx] if name == "dot" else [cx - 0.13 * s, cx + 0.13 * s]
        for x in xs:
            out.items.append(("dot", x, y, r))
        out.h = y + r
    elif name == "breve":
        q = (x2 - x1) / 3
        out.items.append(("p", lw, [("M", x1, base + 0.12 * s), ("C", x1 + q, base, x2 - q, base, x2, base + 0.12 * s)]))
        out.h = base + 0.15 * s
    elif name == "underline":
        y = -body.d - 0.08 * s
        out.items.append(("r", 0, y - lw, body.w, lw))
        out.d = -y + lw
        out.h = body.h
    return Atom("ord", out, italic=italic)


def matrix_grid(rows: list[list[Box]], s: float, align: str = "c") -> Box:
    ncols = max(len(r) for r in rows)
    colw = [max((r[j].w for r in rows if j < len(r)), default=0.0) for j in range(ncols)]
    colgap = 0.9 * s if align == "c" else 0.6 * s
    strut_h, strut_d = 0.75 * s, 0.3 * s
    heights = [max([strut_h] + [c.h for c in r]) for r in rows]
    depths = [max([strut_d] + [c.d for c in r]) for r in rows]
    rowgap = 0.28 * s
    total = sum(heights) + sum(depths) + rowgap * (len(rows) - 1)
    out = Box(w=sum(colw) + colgap * (ncols - 1))
    top = total / 2 + AXIS * s
    y = top
    for r, h, d in zip(rows, heights, depths):
        y -= h
        x = 0.0
        for j, cell in enumerate(r):
            a = align[j % len(align)] if align != "c" else "c"
            dx = {"c": (colw[j] - cell.w) / 2, "l": 0.0, "r": colw[j] - cell.w}[a]
            out.place(cell, x + dx, y)
            x += colw[j] + colgap
        y -= d + rowgap
    out.h = top
    out.d = total - top
    return out


def delimiter(ch: str, above: float, below: float, s: float, base_size: float) -> Box:
    """A delimiter reaching `above` the math axis... measured from the baseline: it spans
    from -below to +above around the axis-centred content."""
    if not ch:
        return Box(w=0.12 * s)
    axis = AXIS * s
    half = max(above - axis, below + axis)
    plain = glyphs(ch, FACES["rm"], s)
    if half * 2 <= (plain.h + plain.d) * 1.08 or ch in ("/",):
        return plain
    top, bottom = axis + half, axis - half
    lw = max(0.05 * s, 0.5)
    w = 0.38 * s
    box = Box(w=w, h=top + lw, d=-bottom + lw)
    if ch in "[]⌊⌋⌈⌉":
        x_in, x_out = (0.32 * w, 0.78 * w) if ch in "[⌊⌈" else (0.68 * w, 0.22 * w)
        x_bar = 0.32 * w if ch in "[⌊⌈" else 0.68 * w
        ops = []
        if ch in "[]⌈⌉":
            ops += [("M", x_out, top), ("L", x_bar, top)]
        else:
            ops += [("M", x_bar, top)]
        ops += [("L", x_bar, bottom)]
        if ch in "[]⌊⌋":
            ops += [("L", x_out, bottom)]
        box.items.append(("p", lw, ops))
        _ = x_in
    elif ch in "()":
        xs = (0.75 * w, 0.22 * w) if ch == "(" else (0.25 * w, 0.78 * w)
        mid = (top + bottom) / 2
        k = (top - bottom) * 0.28
        ops = [("M", xs[0], top), ("C", xs[1], top - k, xs[1], mid + k * 0.4, xs[1], mid),
               ("C", xs[1], mid - k * 0.4, xs[1], bottom + k, xs[0], bottom)]
        box.items.append(("p", lw * 1.15, ops))
    elif ch in "|‖":
        xs = [w / 2] if ch == "|" else [w * 0.35, w * 0.65]
        for x in xs:
            box.items.append(("p", lw, [("M", x, top), ("L", x, bottom)]))
    elif ch in "⟨⟩":
        x1, x2 = (0.75 * w, 0.25 * w) if ch == "⟨" else (0.25 * w, 0.75 * w)
        box.items.append(("p", lw, [("M", x1, top), ("L", x2, (top + bottom) / 2), ("L", x1, bottom)]))
    elif ch in "{}":
        mid = (top + bottom) / 2
        sgn = 1 if ch == "{" else -1
        xc = w / 2
        xo, xi = xc + sgn * 0.25 * w, xc - sgn * 0.3 * w
        q = (top - bottom) * 0.1
        ops = [("M", xo, top), ("C", xc, top, xc, top - q, xc, top - 2 * q), ("L", xc, mid + 1.2 * q),
               ("C", xc, mid + 0.3 * q, xc, mid, xi, mid), ("C", xc, mid, xc, mid - 0.3 * q, xc, mid - 1.2 * q),
               ("L", xc, bottom + 2 * q), ("C", xc, bottom + q, xc, bottom, xo, bottom)]
        box.items.append(("p", lw, ops))
    else:
        scale = (top - bottom) / max(plain.h + plain.d, 1e-6)
        g = plain.items[0]
        box = Box(w=plain.w, h=top, d=-bottom)
        box.items.append(("g", g[1], bottom + plain.d * scale, g[3], g[4], g[5], scale))
    return box


def wrap_delims(inner: Box, left: str, right: str, s: float, base_size: float) -> Box:
    pad = 0.05 * s
    above, below = inner.h + pad, inner.d + pad
    lb = delimiter(left, above, below, s, base_size)
    rb = delimiter(right, above, below, s, base_size)
    return hbox([(lb, 0.0), (kern(0.06 * s), 0.0), (inner, 0.0), (kern(0.06 * s), 0.0), (rb, 0.0)])
