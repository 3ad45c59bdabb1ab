"""Drawing boxes on a reportlab canvas: glyph runs as PDF text operators, rules, paths, dots."""

from __future__ import annotations

from math import copysign

from .boxes import Box
from .fonts import face, text_width

_PLACED: dict = {}  # (id(box), x, y, signs) -> (box, its placed glyph runs, its shapes); the last 512 drawn


def draw(canvas, box: Box, x: float, y: float, scale: float = 1.0) -> None:
    """Draw a box with its baseline's left end at (x, y)."""
    if scale != 1.0:
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, scale)
        x = y = 0.0
    # the glyph runs' operators, kept for the boxes drawn last (display math the key draws
    # again); the signs of x and y are in the key: -0.0 + -0.0 is printed "-0.00"
    key = (id(box), x, y, copysign(1.0, x), copysign(1.0, y))
    kept = _PLACED.get(key)
    if kept is None or kept[0] is not box:
        if len(_PLACED) >= 512:
            del _PLACED[next(iter(_PLACED))]
        glyph_items = [it[1:] for it in box.items if it[0] == "g"]
        kept = _PLACED[key] = (box, _placed_runs(glyph_items, x, y) if glyph_items else None,
                               _shapes(canvas, box, x, y) if len(glyph_items) != len(box.items) else ())
    if kept[1]:
        _emit_placed(canvas, kept[1])
    for shape in kept[2]:
        kind = shape[0]
        if kind == "r":
            canvas.rect(shape[1], shape[2], shape[3], shape[4], stroke=0, fill=1)
        elif kind == "p":
            canvas.setLineWidth(shape[1])
            canvas.setLineCap(1)
            canvas.setLineJoin(1)
            canvas.drawPath(shape[2], stroke=1, fill=0)  # (it only reads the path)
        else:
            canvas.circle(shape[1], shape[2], shape[3], stroke=0, fill=1)
    if scale != 1.0:
        canvas.restoreState()


def _shapes(canvas, box: Box, x: float, y: float) -> list[tuple]:
    """The box's rules, paths and dots placed at (x, y), in drawing order; a path as the path
    object drawPath writes out (kept with the glyph runs: the key draws display math again)."""
    out = []
    for it in box.items:
        kind = it[0]
        if kind == "r":
            _, rx, ry, rw, rh = it
            out.append(("r", x + rx, y + ry, rw, rh))
        elif kind == "p":
            _, lw, ops = it
            path = canvas.beginPath()
            for op, *pts in ops:
                if op == "M":
                    path.moveTo(x + pts[0], y + pts[1])
                elif op == "L":
                    path.lineTo(x + pts[0], y + pts[1])
                else:
                    path.curveTo(x + pts[0], y + pts[1], x + pts[2], y + pts[3], x + pts[4], y + pts[5])
            out.append(("p", lw, path))
        elif kind == "dot":
            _, dx, dy, r = it
            out.append(("dot", x + dx, y + dy, r))
    return out


def draw_many(canvas, placed: list[tuple[Box, float, float]]) -> None:
    """Draw several unscaled boxes (the words of a paragraph) with one text object."""
    draw_planned(canvas, plan_many(placed))


def plan_many(placed: list[tuple[Box, float, float]]) -> tuple[list, list]:
    """What draw_many writes for `placed`, short of the document's font codes: the text runs as
    (Tm operator, face, size, text), and the boxes with rules, paths or dots. It does not depend
    on the document, so a paragraph the key draws again can keep it (pdf_paragraphs)."""
    runs = []  # [x, y, face, size, text, scale]; a run that the next word continues grows
    shaped = []  # boxes with rules, paths or dots, drawn after the text
    last = None
    end = 0.0  # where the last run's text ends
    for box, bx, by in placed:
        plan = _PLANS.get(id(box))
        if plan is None or plan[0] is not box:
            plan = _plan(box)
        for gx, gy, file, size, text, scale, width in plan[1]:
            x, y = gx + bx, gy + by
            # a word that continues the previous run after exactly one space joins it
            if (last is not None and file == last[2] and size == last[3] and scale == last[5]
                    and abs(last[1] - y) < 1e-6 and abs(end + text_width(" ", file, size) - x) < 0.01):
                last[4] = last[4] + " " + text
            else:
                last = [x, y, file, size, text, scale]
                runs.append(last)
            end = x + width
        if plan[2]:
            shaped.append((Box(box.w, box.h, box.d, [it for it in box.items if it[0] != "g"]), bx, by))
    return _placed_runs(runs, 0.0, 0.0), shaped


def draw_planned(canvas, planned: tuple[list, list]) -> None:
    runs, shaped = planned
    if runs:
        _emit_placed(canvas, runs)
    for box, bx, by in shaped:
        draw(canvas, box, bx, by)


_PLANS: dict = {}  # id(box) -> (box, its glyph runs, has other items, has paths); the last 2048 drawn


def _plan(box: Box) -> tuple:
    """A box's glyph runs with their widths, and whether it has other items or paths. Kept for the boxes drawn last (a sheet's key draws its student
    copy's words again; boxes are never changed once made, and the box is kept with its plan so
    its id is not reused): on the boxes themselves, the plans of every cached formula would
    hold tens of MB in a long class set."""
    items = box.items
    runs = [(it[1], it[2], it[3], it[4], it[5], it[6], text_width(it[5], it[3], it[4])) for it in items if it[0] == "g"]
    if len(_PLANS) >= 2048:
        del _PLANS[next(iter(_PLANS))]
    other = len(runs) != len(items)
    plan = _PLANS[id(box)] = (box, runs, other, other and any(it[0] == "p" for it in items))
    return plan


def sets_state(box: Box) -> bool:
    """Whether drawing `box` unscaled changes the canvas' line settings (its paths do)."""
    plan = _PLANS.get(id(box))
    if plan is None or plan[0] is not box:
        plan = _plan(box)
    return plan[3]


def _placed_runs(runs, x: float, y: float) -> list[tuple[str, tuple[str, str], float]]:
    """Each run's text matrix operator, with its (face, text) and size."""
    out = []
    kept = _F2
    for gx, gy, file, size, text, yscale in runs:
        # "%.2f" of each coordinate, kept: the same lines and indents come back page after page
        # (0.0 and -0.0 are one key but print "0.00" and "-0.00": zero is formatted each time)
        v = x + gx
        sx = kept.get(v) if v else None
        if sx is None:
            sx = "%.2f" % v
            if v:
                kept[v] = sx
        v = y + gy
        sy = kept.get(v) if v else None
        if sy is None:
            sy = "%.2f" % v
            if v:
                kept[v] = sy
        if yscale == 1.0:
            tm = "1 0 0 1 " + sx + " " + sy + " Tm"  # ("%.4g" % 1.0 is "1")
        else:
            tm = "1 0 0 %.4g %s %s Tm" % (yscale, sx, sy)
        out.append((tm, (file, text), size))
    if len(kept) > 8192:
        kept.clear()
    return out


_F2: dict = {}  # a coordinate -> "%.2f" of it


def _emit_placed(canvas, runs) -> None:
    """Placed runs (Tm operator, (face, text), size) in one PDF text object. canvas.drawString
    costs ~20 us a call (a text object per string); writing the operators directly is several
    times faster, which is most of a class set's time. Font subsets and escaping still go
    through reportlab's own font objects, and every reportlab text object starts by setting its
    font, so the state left here is harmless."""
    doc = canvas._doc
    cache = doc.__dict__.get("_probgen_runs")
    if cache is None:
        cache = doc.__dict__["_probgen_runs"] = {}  # (face, text) -> [(Tf operand, "(escaped) Tj")]
    get = cache.get
    code = ["BT"]
    append = code.append
    current = current_size = None
    for tm, key, size in runs:
        chunks = get(key)
        if chunks is None:
            chunks = cache[key] = _chunks(canvas, doc, key[0], key[1])
        append(tm)
        for name, shown in chunks:
            if name != current or size != current_size:
                current, current_size = name, size
                tf = _TF.get((name, size))
                if tf is None:
                    tf = _TF[(name, size)] = "%s %.3g Tf" % (name, size)
                append(tf)
            append(shown)
    append("ET")
    canvas._code.append(" ".join(code))


_TF: dict = {}  # (subset name, size) -> its Tf operator


_CODES: dict[str, tuple[int, ...]] = {}  # text -> the code points splitString reads (nbsp as space)


def _chunks(canvas, doc, file: str, text: str) -> list[tuple[str, str]]:
    """`text` in `file`'s reportlab subsets of this document: (subset name, its show operator)
    per run of one subset. reportlab's splitString assigns a code to each new character; when
    every character has one already (most runs after a page's first lines), the codes are looked
    up here instead, as splitString would find them."""
    fonts = doc.__dict__.get("_probgen_fonts")
    if fonts is None:
        fonts = doc.__dict__["_probgen_fonts"] = {}  # face -> [reportlab font, its state, subset names]
    entry = fonts.get(file)
    if entry is None:
        from reportlab.pdfbase.pdfmetrics import getFont

        entry = fonts[file] = [getFont(face(file).name), None, {}]
    font, state, names = entry
    if state is None:  # made by the font's first splitString in this document, kept until it is saved
        state = entry[1] = font.state.get(doc)
    runs = None
    if state is not None and not state.frozen:
        codes = _CODES.get(text)
        if codes is None:
            if len(_CODES) >= 4096:
                _CODES.clear()
            codes = _CODES[text] = tuple(map(ord, text.replace("\xa0", " ") if "\xa0" in text else text))
        try:
            codes = list(map(state.assignments.__getitem__, codes))
        except KeyError:
            codes = None
        if codes:
            if max(codes) < 256:
                runs = [(0, bytes(codes))]
            else:
                runs, cur, subset = [], [], -1
                for n in codes:
                    if n >> 8 != subset:
                        if cur:
                            runs.append((subset, bytes(cur)))
                        subset, cur = n >> 8, []
                    cur.append(n & 0xFF)
                runs.append((subset, bytes(cur)))
    if runs is None:
        runs = font.splitString(text, doc)
    out = []
    for subset, chunk in runs:
        name = names.get(subset)
        if name is None:
            name = names[subset] = font.getSubsetInternalName(subset, doc)
        out.append((name, "(%s) Tj" % canvas._escape(chunk)))
    return out


def draw_string(canvas, x: float, y: float, text: str, file: str) -> None:
    """canvas.drawString(x, y, text) in the canvas' current font, the face `file`: the same
    operators, written without a reportlab text object (a sheet's part labels and headers are
    hundreds of them). Anything else (another font, right-to-left support installed, no text)
    goes to drawString."""
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfgen import textobject

    if not text or canvas._fontname != face(file).name or textobject.rtlSupport or not canvas.bottomup:
        return canvas.drawString(x, y, text)
    doc = canvas._doc
    cache = doc.__dict__.get("_probgen_runs")
    if cache is None:
        cache = doc.__dict__["_probgen_runs"] = {}
    chunks = cache.get((file, text))
    if chunks is None:
        chunks = cache[(file, text)] = _chunks(canvas, doc, file, text)
    if not chunks:
        return canvas.drawString(x, y, text)
    size = "%s Tf %s TL" % (fp_str(canvas._fontsize), fp_str(canvas._leading))
    code = []
    current = None
    for name, shown in chunks:
        if name != current:
            code.append(f"{name} {size}")
            current = name
        code.append(shown)
    canvas._code.append("BT 1 0 0 1 %s Tm %s T* ET" % (fp_str(x, y), " ".join(code)))


def draw_right_string(canvas, x: float, y: float, text: str, file: str) -> None:
    """canvas.drawRightString(x, y, text) as `draw_string` writes drawString's."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    draw_string(canvas, x - stringWidth(text, canvas._fontname, canvas._fontsize), y, text, file)
