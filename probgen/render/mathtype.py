"""Typesetting the markup's LaTeX subset into boxes of positioned glyphs, drawn with reportlab.

A small TeX-like layout (atoms with TeX's spacing classes, scripts, fractions, radicals, accents,
stretchy delimiters, matrices) over the DejaVu and STIX TrueType fonts that ship with matplotlib.
It is ~100x faster than matplotlib's mathtext parser (pyparsing), which matters for class sets of
hundreds of pages; any construct it does not know is handed to mathtext (same fonts), and only if
that fails too is the formula printed as plain Unicode text (never as LaTeX source).

A `Box` has a width, a height above and a depth below its baseline, and items relative to the
baseline's left end: glyph runs, filled rules, stroked paths, dots. Renderers place boxes; this
module never computes anything but positions.
"""

from __future__ import annotations

import importlib.util
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(importlib.util.find_spec("matplotlib").origin).parent / "mpl-data" / "fonts" / "ttf"

FACES = {
    "rm": "DejaVuSans.ttf",
    "it": "DejaVuSans-Oblique.ttf",
    "bf": "DejaVuSans-Bold.ttf",
    "bfit": "DejaVuSans-BoldOblique.ttf",
    "tt": "DejaVuSansMono.ttf",
    "stix": "STIXGeneral.ttf",
}
FALLBACK = ("DejaVuSans.ttf", "STIXGeneral.ttf")

# Problems found while typesetting (unknown commands handed to mathtext, glyphs missing from
# every font, formulas printed as plain text); tests assert these stay empty.
ISSUES: list[str] = []


class MathError(ValueError):
    """A construct this typesetter does not handle."""


# ---------------------------------------------------------------- fonts


def _unicode_hex(code: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap wants (a surrogate pair above U+FFFF)."""
    if code <= 0xFFFF:
        return "%04X" % code
    code -= 0x10000
    return "%04X%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))


def _to_unicode_cmap(fontname, subset):
    """reportlab 5.1's makeToUnicodeCMap with astral code points written as surrogate pairs: it
    wrote 𝒩 (U+1D4A9) and 𝔼 (U+1D53C) as 5 hex digits, an invalid CMap, so text extraction,
    search and screen readers lost them."""
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
            "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
            "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
            "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset)]
    cmap += ["<%02X> <%s>" % (i, _unicode_hex(v)) for i, v in enumerate(subset)]
    cmap += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(cmap)


def _patch_reportlab_cmap() -> None:
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # looked up as a module global when a font is written


class Face:
    """One TrueType file: registered with reportlab under `name`, metrics read with FreeType."""

    def __init__(self, filename: str):
        from matplotlib import ft2font
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        _patch_reportlab_cmap()
        path = Path(filename) if Path(filename).is_absolute() else FONT_DIR / filename
        self.file = path.name
        self.name = "PG-" + path.stem
        if self.name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(self.name, str(path)))
        # FreeType reads glyphs lazily from its stream: give it the bytes in memory, so class-set
        # workers forked from this process never share a file offset
        self._ft = ft2font.FT2Font(io.BytesIO(path.read_bytes()))
        self._ft.set_size(100, 72)
        self._flags = ft2font.LoadFlags.NO_HINTING
        self.charmap = self._ft.get_charmap()
        self._metrics: dict[str, tuple[float, float, float]] = {}

    def has(self, ch: str) -> bool:
        return ord(ch) in self.charmap

    def metrics(self, ch: str) -> tuple[float, float, float]:
        """(advance, ymin, ymax) of one character, in ems."""
        m = self._metrics.get(ch)
        if m is None:
            g = self._ft.load_char(ord(ch), flags=self._flags)
            xmin, ymin, xmax, ymax = (v / 6400 for v in g.bbox)
            m = self._metrics[ch] = (g.linearHoriAdvance / 6553600, ymin, ymax)
        return m


@lru_cache(maxsize=None)
def face(filename: str) -> Face:
    return Face(filename)


def face_for(ch: str, filename: str) -> Face:
    """The face to draw `ch` in: the wanted one, else the first fallback that has it."""
    f = face(filename)
    if f.has(ch):
        return f
    for other in FALLBACK:
        g = face(other)
        if g.has(ch):
            return g
    ISSUES.append(f"no font has the glyph {ch!r} (U+{ord(ch):04X})")
    return f


MISSING_GLYPH = "?"  # drawn for a character no bundled font has (a CJK name on a roster)


def printable(text: str, filename: str = FACES["rm"]) -> str:
    """`text` with each character `filename` cannot draw replaced by MISSING_GLYPH, for strings
    drawn straight onto the canvas (names in the name field, the footer, the merged key's index),
    where reportlab would draw an empty box."""
    f = face(filename)
    return "".join(ch if f.has(ch) or ch.isspace() else MISSING_GLYPH for ch in text)


@lru_cache(maxsize=65536)
def text_width(text: str, filename: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, face(filename).name, size)


# ---------------------------------------------------------------- boxes


@dataclass
class Box:
    w: float = 0.0
    h: float = 0.0
    d: float = 0.0
    # ("g", x, y, facefile, size, text, yscale) | ("r", x, y, w, h) | ("p", lw, [ops]) | ("dot", x, y, r)
    items: list = field(default_factory=list)

    def place(self, other: "Box", dx: float, dy: float) -> None:
        """Copy `other`'s items into this box, shifted by (dx, dy)."""
        for it in other.items:
            kind = it[0]
            if kind == "g":
                self.items.append(("g", it[1] + dx, it[2] + dy, *it[3:]))
            elif kind == "r":
                self.items.append(("r", it[1] + dx, it[2] + dy, it[3], it[4]))
            elif kind == "p":
                self.items.append(("p", it[1], [(op, *_shift(pts, dx, dy)) for op, *pts in it[2]]))
            else:
                self.items.append(("dot", it[1] + dx, it[2] + dy, it[3]))


def _shift(pts, dx, dy):
    return [v + (dx if i % 2 == 0 else dy) for i, v in enumerate(pts)]


@lru_cache(maxsize=65536)
def glyphs(text: str, filename: str, size: float) -> Box:
    """A run of characters in one face (falling back per character for missing glyphs).
    Cached: callers never change a returned box, they place copies of its items."""
    box = Box()
    run, run_face = "", None
    for ch in text:
        f = face_for(ch, filename)
        if not f.has(ch) and not ch.isspace():  # no font has it (ISSUES says so): never a crash
            ch = MISSING_GLYPH
            f = face(filename)
        if run_face is not None and f is not run_face:
            _append_run(box, run, run_face, size)
            run = ""
        run, run_face = run + ch, f
    if run:
        _append_run(box, run, run_face, size)
    return box


def _append_run(box: Box, text: str, f: Face, size: float) -> None:
    adv = 0.0
    for ch in text:
        a, lo, hi = f.metrics(ch)
        adv += a
        box.h = max(box.h, hi * size)
        box.d = max(box.d, -lo * size)
    box.items.append(("g", box.w, 0.0, f.file, size, text, 1.0))
    box.w += adv * size


def hbox(parts: list[tuple[Box, float]]) -> Box:
    """Boxes side by side, each raised by its dy."""
    out = Box()
    for b, dy in parts:
        out.place(b, out.w, dy)
        out.w += b.w
        out.h = max(out.h, b.h + dy)
        out.d = max(out.d, b.d - dy)
    return out


def kern(w: float) -> Box:
    return Box(w=w)


# ---------------------------------------------------------------- symbols

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
}
GREEK_UPPER = {
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
# command -> (character, TeX class)
SYMBOLS = {
    "odot": ("⊙", "bin"), "cdot": ("⋅", "bin"), "times": ("×", "bin"), "div": ("÷", "bin"),
    "pm": ("±", "bin"), "mp": ("∓", "bin"), "otimes": ("⊗", "bin"), "oplus": ("⊕", "bin"),
    "circ": ("∘", "bin"), "ast": ("∗", "bin"), "star": ("⋆", "bin"), "bullet": ("∙", "bin"),
    "cup": ("∪", "bin"), "cap": ("∩", "bin"), "setminus": ("∖", "bin"), "wedge": ("∧", "bin"),
    "vee": ("∨", "bin"),
    "leftarrow": ("←", "rel"), "gets": ("←", "rel"), "rightarrow": ("→", "rel"), "to": ("→", "rel"),
    "Rightarrow": ("⇒", "rel"), "Leftarrow": ("⇐", "rel"), "Leftrightarrow": ("⇔", "rel"),
    "leftrightarrow": ("↔", "rel"), "mapsto": ("↦", "rel"), "implies": ("⟹", "rel"),
    "approx": ("≈", "rel"), "le": ("≤", "rel"), "leq": ("≤", "rel"), "ge": ("≥", "rel"),
    "geq": ("≥", "rel"), "ne": ("≠", "rel"), "neq": ("≠", "rel"), "in": ("∈", "rel"),
    "notin": ("∉", "rel"), "sim": ("∼", "rel"), "simeq": ("≃", "rel"), "equiv": ("≡", "rel"),
    "propto": ("∝", "rel"), "subset": ("⊂", "rel"), "subseteq": ("⊆", "rel"), "ll": ("≪", "rel"),
    "gg": ("≫", "rel"), "coloneqq": ("≔", "rel"), "triangleq": ("≜", "rel"), "mid": ("∣", "rel"),
    "perp": ("⟂", "rel"), "parallel": ("∥", "rel"),
    "partial": ("∂", "ord"), "nabla": ("∇", "ord"), "infty": ("∞", "ord"), "ell": ("ℓ", "ord"),
    "top": ("⊤", "ord"), "intercal": ("⊺", "ord"), "prime": ("′", "ord"), "dagger": ("†", "ord"),
    "emptyset": ("∅", "ord"), "forall": ("∀", "ord"), "exists": ("∃", "ord"), "neg": ("¬", "ord"),
    "ldots": ("…", "inner"), "dots": ("…", "inner"), "cdots": ("⋯", "inner"), "vdots": ("⋮", "ord"),
    "ddots": ("⋱", "ord"), "hbar": ("ℏ", "ord"), "Re": ("ℜ", "ord"), "Im": ("ℑ", "ord"),
    "checkmark": ("✓", "ord"), "square": ("□", "ord"), "angle": ("∠", "ord"),
    "%": ("%", "ord"), "$": ("$", "ord"), "#": ("#", "ord"), "&": ("&", "ord"), "_": ("_", "ord"),
    "{": ("{", "open"), "}": ("}", "close"), "|": ("‖", "ord"), "lvert": ("|", "open"),
    "rvert": ("|", "close"), "lVert": ("‖", "open"), "rVert": ("‖", "close"),
    "langle": ("⟨", "open"), "rangle": ("⟩", "close"), "lfloor": ("⌊", "open"),
    "rfloor": ("⌋", "close"), "lceil": ("⌈", "open"), "rceil": ("⌉", "close"),
    "vert": ("|", "ord"), "Vert": ("‖", "ord"), "backslash": ("\\", "ord"),
}
BIG_OPS = {"sum": "∑", "prod": "∏", "int": "∫", "oint": "∮", "bigcup": "⋃", "bigcap": "⋂",
           "coprod": "∐"}
FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sec", "csc", "cot",
             "arcsin", "arccos", "arctan", "det", "dim", "ker", "deg", "gcd", "Pr", "lg", "sgn",
             "max", "min", "arg", "lim", "sup", "inf", "argmax", "argmin", "limsup", "liminf"}
LIMIT_FUNCTIONS = {"max", "min", "lim", "sup", "inf", "argmax", "argmin", "limsup", "liminf", "Pr"}
SPACES = {",": 3 / 18, ":": 4 / 18, ">": 4 / 18, ";": 5 / 18, " ": 0.25, "quad": 1.0,
          "qquad": 2.0, "!": -3 / 18, "enspace": 0.5, "thinspace": 3 / 18}
STYLE_FACES = {"mathrm": "rm", "mathup": "rm", "mathbf": "bf", "mathit": "it", "mathsf": "rm",
               "mathtt": "tt", "boldsymbol": "bfit", "bm": "bfit", "mathnormal": None,
               "mathbb": "bb", "mathcal": "cal", "mathscr": "cal", "mathfrak": "frak"}
TEXT_COMMANDS = {"text": "rm", "textrm": "rm", "mbox": "rm", "textbf": "bf", "textit": "it",
                 "texttt": "tt", "textsf": "rm", "operatorname": "op", "operatorname*": "oplim"}
ACCENTS = {"hat", "widehat", "bar", "overline", "tilde", "widetilde", "vec", "dot", "ddot",
           "check", "breve", "underline", "overrightarrow"}
IGNORED = {"displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber",
           "notag", "relax", "left.", "right."}
DELIMS = {"(": "(", ")": ")", "[": "[", "]": "]", "\\{": "{", "\\}": "}", "|": "|",
          "\\|": "‖", "\\lvert": "|", "\\rvert": "|", "\\vert": "|", "\\Vert": "‖",
          "\\lVert": "‖", "\\rVert": "‖", "\\langle": "⟨", "\\rangle": "⟩", ".": "",
          "\\lfloor": "⌊", "\\rfloor": "⌋", "\\lceil": "⌈", "\\rceil": "⌉", "/": "/",
          "\\lbrack": "[", "\\rbrack": "]", "<": "⟨", ">": "⟩"}
MATRIX_ENVS = {"matrix": ("", ""), "bmatrix": ("[", "]"), "pmatrix": ("(", ")"),
               "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "Bmatrix": ("{", "}"),
               "smallmatrix": ("", ""), "array": ("", ""), "cases": ("{", ""),
               "aligned": ("", ""), "align*": ("", ""), "gathered": ("", ""), "split": ("", "")}
CHAR_CLASS = {"+": "bin", "-": "bin", "*": "bin", "=": "rel", "<": "rel", ">": "rel", ":": "rel",
              ",": "punct", ";": "punct", "(": "open", "[": "open", ")": "close", "]": "close",
              "!": "close", "?": "close"}
CHAR_MAP = {"-": "−", "*": "∗", "'": "′", "<": "<", ">": ">", "|": "|"}


def _alphabet(base: int, upper_exceptions: dict[str, str], lower_base: int | None = None) -> dict[str, str]:
    table = {}
    for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
        table[c] = upper_exceptions.get(c, chr(base + i))
    if lower_base is not None:
        for i, c in enumerate("abcdefghijklmnopqrstuvwxyz"):
            table[c] = chr(lower_base + i)
    return table


BLACKBOARD = _alphabet(0x1D538, {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"},
                       0x1D552)
BLACKBOARD.update({str(i): chr(0x1D7D8 + i) for i in range(10)})
CALLIGRAPHIC = _alphabet(0x1D49C, {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ",
                                   "M": "ℳ", "R": "ℛ"})
FRAKTUR = _alphabet(0x1D504, {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"}, 0x1D51E)

AXIS = 0.3135  # math axis (centre of the minus sign) in DejaVu Sans, in ems
RULE = 0.045  # fraction bar thickness, in ems
SCRIPT_SCALE = (1.0, 0.72, 0.55)


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(r"\\(?:[A-Za-z]+\*?|.)|[{}^_&~]|\s+|.", re.S)


class _Tokens:
    def __init__(self, latex: str):
        self.toks = _TOKEN.findall(latex)
        self.i = 0

    def peek(self, skip_space: bool = True):
        if skip_space:
            while self.i < len(self.toks) and self.toks[self.i].isspace():
                self.i += 1
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self, skip_space: bool = True):
        tok = self.peek(skip_space)
        if tok is None:
            raise MathError("unexpected end of formula")
        self.i += 1
        return tok

    def expect(self, tok: str):
        got = self.next()
        if got != tok:
            raise MathError(f"expected {tok!r}, got {got!r}")

    def raw_group(self) -> str:
        """The text of a {...} group, braces balanced, spaces kept."""
        if self.peek() != "{":
            return self.next()
        self.next()
        depth, out = 1, []
        while True:
            tok = self.next(skip_space=False)
            if tok == "{":
                depth += 1
            elif tok == "}":
                depth -= 1
                if depth == 0:
                    return "".join(out)
            out.append(tok)


# ---------------------------------------------------------------- typesetting


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


class Typesetter:
    def __init__(self, latex: str, style: Style):
        self.t = _Tokens(latex)
        self.style = style

    def run(self) -> Box:
        atoms = self.atoms(self.style, stop=None)
        return self.join(atoms, self.style)

    # -- lists of atoms ---------------------------------------------------

    def atoms(self, st: Style, stop) -> list[Atom]:
        out: list[Atom] = []
        while True:
            tok = self.t.peek()
            if tok is None:
                if stop is not None:
                    raise MathError(f"missing {stop!r}")
                return out
            if tok == stop or (isinstance(stop, tuple) and tok in stop):
                return out
            if tok in ("^", "_"):
                if not out:
                    out.append(Atom("ord", Box()))
                self.scripts(out, st)
                continue
            if tok == "'":
                self.t.next()
                if not out:
                    out.append(Atom("ord", Box()))
                prime = glyphs("′", FACES["rm"], st.px)
                out[-1] = Atom(out[-1].cls, hbox([(out[-1].box, 0.0), (prime, 0.0)]), italic=False)
                continue
            atom = self.atom(st)
            if atom is not None:
                out.append(atom)

    def scripts(self, out: list[Atom], st: Style) -> None:
        """`^x`, `_y` or both (either order) after the last atom."""
        sup = sub = None
        while (tok := self.t.peek()) in ("^", "_"):
            if (tok == "^" and sup is not None) or (tok == "_" and sub is not None):
                raise MathError("double " + ("superscript" if tok == "^" else "subscript"))
            self.t.next()
            arg = self.argument(st.script())
            if tok == "^":
                sup = arg
            else:
                sub = arg
        self.attach(out[-1], st, sup, sub)

    def attach(self, base: Atom, st: Style, sup: Box | None, sub: Box | None) -> None:
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

    def argument(self, st: Style) -> Box:
        """A macro argument: a {group}, or one token (a letter, a digit, a command)."""
        tok = self.t.peek()
        if tok is None:
            raise MathError("missing argument")
        if tok == "{":
            self.t.next()
            atoms = self.atoms(st, "}")
            self.t.expect("}")
            return self.join(atoms, st)
        atom = self.atom(st)
        return atom.box if atom else Box()

    def group_atoms(self, st: Style) -> list[Atom]:
        tok = self.t.peek()
        if tok == "{":
            self.t.next()
            atoms = self.atoms(st, "}")
            self.t.expect("}")
            return atoms
        atom = self.atom(st)
        return [atom] if atom else []

    def join(self, atoms: list[Atom], st: Style) -> Box:
        """Atoms side by side with TeX's inter-atom spacing."""
        # explicit spaces (\, \quad ...) are invisible to the spacing rules
        real = [i for i, a in enumerate(atoms) if a.cls != "space"]
        classes = {i: atoms[i].cls for i in real}
        for n, i in enumerate(real):  # a binary operator with no operand to its left is unary
            if classes[i] == "bin":
                prev = classes[real[n - 1]] if n else None
                nxt = atoms[real[n + 1]].cls if n + 1 < len(real) else None
                if prev in (None, "bin", "op", "rel", "open", "punct") or nxt in (None, "rel", "close", "punct"):
                    classes[i] = "ord"
        parts: list[tuple[Box, float]] = []
        em = st.px
        tight = st.level > 0
        last = None
        for i, a in enumerate(atoms):
            if a.cls != "space":
                if last is not None:
                    mu = _space(classes[last], classes[i], tight)
                    if mu:
                        parts.append((kern(mu * em), 0.0))
                last = i
            parts.append((a.box, 0.0))
        return hbox(parts)

    # -- one atom ---------------------------------------------------------

    def atom(self, st: Style) -> Atom | None:
        tok = self.t.next()
        s = st.px
        if tok == "{":
            atoms = self.atoms(st, "}")
            self.t.expect("}")
            return Atom("ord", self.join(atoms, st))
        if tok == "}":
            raise MathError("unbalanced '}'")
        if tok == "&":
            raise MathError("'&' outside a matrix")
        if tok == "~":
            return Atom("space", kern(0.25 * s))
        if tok.startswith("\\"):
            return self.command(tok[1:], st)
        return self.char(tok, st)

    def char(self, ch: str, st: Style, cls: str | None = None) -> Atom:
        s = st.px
        if ch.isalpha() and ch.isascii():
            font = st.font
            if font == "bb":
                return Atom("ord", glyphs(BLACKBOARD.get(ch, ch), FACES["rm"], s))
            if font == "cal":
                return Atom("ord", glyphs(CALLIGRAPHIC.get(ch, ch), FACES["rm"], s))
            if font == "frak":
                return Atom("ord", glyphs(FRAKTUR.get(ch, ch), FACES["rm"], s))
            facekey = font or "it"
            return Atom("ord", glyphs(ch, FACES[facekey], s), italic=facekey in ("it", "bfit"))
        if ch.isdigit() and st.font == "bb":
            return Atom("ord", glyphs(BLACKBOARD[ch], FACES["rm"], s))
        facekey = "bf" if st.font in ("bf", "bfit") else ("tt" if st.font == "tt" else "rm")
        return Atom(cls or CHAR_CLASS.get(ch, "ord"), glyphs(CHAR_MAP.get(ch, ch), FACES[facekey], s))

    def command(self, name: str, st: Style) -> Atom | None:
        s = st.px
        if name in IGNORED:
            return None
        if name in SPACES:
            return Atom("space", kern(SPACES[name] * st.px))
        if name in ("hspace", "hspace*"):
            self.t.raw_group()
            return Atom("space", kern(0.5 * s))
        if name in GREEK:
            italic_face = "bfit" if st.font in ("bf", "bfit") else "it"
            facekey = "rm" if st.font == "rm" else italic_face
            return Atom("ord", glyphs(GREEK[name], FACES[facekey], s), italic=True)
        if name in GREEK_UPPER:
            facekey = "bf" if st.font in ("bf", "bfit") else "rm"
            return Atom("ord", glyphs(GREEK_UPPER[name], FACES[facekey], s))
        if name in SYMBOLS:
            ch, cls = SYMBOLS[name]
            return Atom(cls, glyphs(ch, FACES["rm"], s))
        if name in BIG_OPS:
            return self.big_op(BIG_OPS[name], st)
        if name in FUNCTIONS:
            text = {"argmax": "arg max", "argmin": "arg min", "limsup": "lim sup",
                    "liminf": "lim inf"}.get(name, name)
            box = glyphs(text, FACES["rm"], s)
            return Atom("op", box, limits=st.display and name in LIMIT_FUNCTIONS)
        if name in STYLE_FACES:
            font = STYLE_FACES[name]
            atoms = self.group_atoms(st.with_font(font))
            return Atom("ord", self.join(atoms, st))
        if name in TEXT_COMMANDS:
            kind = TEXT_COMMANDS[name]
            text = self.t.raw_group()
            text = re.sub(r"\\([%$&#_{} ])", r"\1", text)
            if "\\" in text or "$" in text:
                raise MathError(f"formatting inside \\{name}")
            if kind in ("op", "oplim"):
                return Atom("op", glyphs(text, FACES["rm"], s), limits=st.display and kind == "oplim")
            return Atom("ord", glyphs(text, FACES[kind], s))
        if name in ("frac", "dfrac", "tfrac", "binom"):
            return self.fraction(name, st)
        if name == "sqrt":
            return self.sqrt(st)
        if name in ACCENTS:
            return self.accent(name, st)
        if name == "left":
            return self.left_right(st)
        if name in ("big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr"):
            tok = self.t.next()
            ch = DELIMS.get(tok)
            if ch is None:
                raise MathError(f"\\{name} needs a delimiter")
            scale = {"big": 1.2, "Big": 1.6, "bigg": 2.0, "Bigg": 2.4}[name.rstrip("lr")]
            return Atom("open" if name.endswith("l") else ("close" if name.endswith("r") else "ord"),
                        delimiter(ch, scale * s * 0.5, scale * s * 0.5, s, st.size))
        if name == "begin":
            env = self.t.raw_group()
            return self.environment(env, st)
        if name in ("overset", "stackrel", "underset"):
            top = self.argument(st.script())
            base = self.argument(st)
            out = Box(w=max(top.w, base.w), h=base.h, d=base.d)
            out.place(base, (out.w - base.w) / 2, 0)
            if name == "underset":
                y = -(base.d + 0.1 * s + top.h)
                out.place(top, (out.w - top.w) / 2, y)
                out.d = -y + top.d
            else:
                y = base.h + 0.1 * s + top.d
                out.place(top, (out.w - top.w) / 2, y)
                out.h = y + top.h
            return Atom("rel" if name == "stackrel" else "ord", out)
        if name == "\\":
            raise MathError("line break outside a matrix")
        if name in ("mathop",):
            return Atom("op", self.argument(st))
        if name in ("mathbin", "mathrel", "mathord", "mathopen", "mathclose", "mathpunct"):
            return Atom(name[4:], self.argument(st))
        if name in ("color", "textcolor"):
            raise MathError("colour")
        raise MathError(f"unknown command \\{name}")

    def big_op(self, ch: str, st: Style) -> Atom:
        s = st.px
        scale = 1.45 if st.display else 1.1
        box = glyphs(ch, FACES["rm"], s * scale)
        # centre on the math axis
        mid = (box.h - box.d) / 2
        shift = AXIS * s - mid
        out = Box(w=box.w, h=box.h + shift, d=box.d - shift)
        out.place(box, 0, shift)
        return Atom("op", out, limits=st.display and ch != "∫")

    def fraction(self, name: str, st: Style) -> Atom:
        part_style = st.fraction_part()
        if name == "dfrac":
            part_style = Style(st.size, st.level, False, st.font)
        elif name == "tfrac":
            part_style = st.script() if st.level == 0 else part_style
        num = self.argument(part_style)
        den = self.argument(part_style)
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

    def sqrt(self, st: Style) -> Atom:
        s = st.px
        index = None
        if self.t.peek() == "[":
            self.t.next()
            atoms = self.atoms(Style(st.size, 2, False, st.font), "]")
            self.t.expect("]")
            index = self.join(atoms, Style(st.size, 2))
        body = self.argument(st)
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

    def accent(self, name: str, st: Style) -> Atom:
        s = st.px
        arg_atoms = self.group_atoms(st)
        italic = len(arg_atoms) == 1 and arg_atoms[0].italic
        body = self.join(arg_atoms, st)
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

    def left_right(self, st: Style) -> Atom:
        s = st.px
        open_tok = self.t.next()
        open_ch = self._delim_char(open_tok)
        atoms = self.atoms(st, "\\right")
        self.t.expect("\\right")
        close_ch = self._delim_char(self.t.next())
        inner = self.join(atoms, st)
        return Atom("inner", wrap_delims(inner, open_ch, close_ch, s, st.size))

    def _delim_char(self, tok: str) -> str:
        if tok in DELIMS:
            return DELIMS[tok]
        raise MathError(f"unknown delimiter {tok!r}")

    def environment(self, env: str, st: Style) -> Atom:
        if env not in MATRIX_ENVS:
            raise MathError(f"unknown environment {env}")
        if env == "array":
            self.t.raw_group()  # column spec: all centred
        s = st.px
        cell_style = Style(st.size, st.level if env != "smallmatrix" else min(st.level + 1, 2), False, st.font)
        rows: list[list[Box]] = [[]]
        while True:
            atoms = self.atoms(cell_style, ("&", "\\\\", "\\end"))
            rows[-1].append(self.join(atoms, cell_style))
            tok = self.t.next()
            if tok == "&":
                continue
            if tok == "\\\\":
                if self.t.peek() == "\\end":
                    self.t.next()
                    break
                rows.append([])
                continue
            break
        end = self.t.raw_group()
        if end != env:
            raise MathError(f"\\begin{{{env}}} ended by \\end{{{end}}}")
        align = "l" if env == "cases" else ("rl" if env in ("aligned", "align*", "split") else "c")
        grid = matrix_grid(rows, s, align)
        left, right = MATRIX_ENVS[env]
        return Atom("inner", wrap_delims(grid, left, right, s, st.size) if (left or right) else grid)


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


# ---------------------------------------------------------------- entry points


def _mathtext_box(latex: str, size: float) -> Box:
    """matplotlib's mathtext layout of a formula, as a Box (same fonts, slower parser)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    prop = FontProperties(size=size, math_fontfamily="dejavusans")
    parsed = MathTextParser("path").parse(f"${latex}$", dpi=72, prop=prop)
    box = Box(w=parsed.width, h=parsed.height - parsed.depth, d=parsed.depth)
    # mathtext's glyph and rule positions are already measured up from the baseline
    for font, fontsize, num, _index, ox, oy in parsed.glyphs:
        f = face(font.fname)
        box.items.append(("g", ox, oy, f.file, fontsize, chr(num), 1.0))
    for x, y, w, h in parsed.rects:
        box.items.append(("r", x, y, w, max(h, 0.4)))
    return box


@lru_cache(maxsize=8192)
def typeset(latex: str, size: float, display: bool = False) -> Box:
    """The box of one formula. Never raises: falls back to mathtext, then to plain text."""
    try:
        return Typesetter(latex, Style(size, 0, display)).run()
    except MathError as exc:
        first = str(exc)
    try:
        box = _mathtext_box(latex, size)
        ISSUES.append(f"handed to mathtext ({first}): {latex}")
        return box
    except Exception as exc:  # mathtext raises ValueError with a multi-line message
        from .plain_math import latex_to_text

        ISSUES.append(f"printed as plain text ({first}; mathtext: {str(exc).splitlines()[0]}): {latex}")
        return glyphs(latex_to_text(latex), FACES["rm"], size)


# ---------------------------------------------------------------- drawing


def draw(canvas, box: Box, x: float, y: float, scale: float = 1.0) -> None:
    """Draw a box with its baseline's left end at (x, y)."""
    if scale != 1.0:
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, scale)
        x = y = 0.0
    glyph_items = [it for it in box.items if it[0] == "g"]
    if glyph_items:
        _draw_glyphs(canvas, glyph_items, x, y)
    for it in box.items:
        kind = it[0]
        if kind == "r":
            _, rx, ry, rw, rh = it
            canvas.rect(x + rx, y + ry, rw, rh, stroke=0, fill=1)
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
            canvas.setLineWidth(lw)
            canvas.setLineCap(1)
            canvas.setLineJoin(1)
            canvas.drawPath(path, stroke=1, fill=0)
        elif kind == "dot":
            _, dx, dy, r = it
            canvas.circle(x + dx, y + dy, r, stroke=0, fill=1)
    if scale != 1.0:
        canvas.restoreState()


def draw_many(canvas, placed: list[tuple[Box, float, float]]) -> None:
    """Draw several unscaled boxes (the words of a paragraph) with one text object."""
    items = []
    end = None  # where the last run's text ends
    for box, bx, by in placed:
        for it in box.items:
            if it[0] == "g":
                x, y = it[1] + bx, it[2] + by
                width = text_width(it[5], it[3], it[4])
                if items:
                    # a word that continues the previous run after exactly one space joins it
                    _, px, py, pfile, psize, ptext, pscale = items[-1]
                    if ((pfile, psize, pscale) == (it[3], it[4], it[6]) and abs(py - y) < 1e-6
                            and abs(end + text_width(" ", pfile, psize) - x) < 0.01):
                        items[-1] = ("g", px, py, pfile, psize, ptext + " " + it[5], pscale)
                        end = x + width
                        continue
                items.append(("g", x, y, *it[3:]))
                end = x + width
    if items:
        _draw_glyphs(canvas, items, 0.0, 0.0)
    for box, bx, by in placed:
        if any(it[0] != "g" for it in box.items):
            draw(canvas, Box(box.w, box.h, box.d, [it for it in box.items if it[0] != "g"]), bx, by)


def _draw_glyphs(canvas, items, x: float, y: float) -> None:
    """All glyph runs of a box in one PDF text object. canvas.drawString costs ~20 us a call
    (a text object per string); writing the operators directly is several times faster, which
    is most of a class set's time. Font subsets and escaping still go through reportlab's own
    font objects, and every reportlab text object starts by setting its font, so the state left
    here is harmless."""
    doc = canvas._doc
    cache = doc.__dict__.setdefault("_probgen_runs", {})  # (face, text) -> [(subset font, escaped)]
    code = ["BT"]
    current = None
    for _, gx, gy, file, size, text, yscale in items:
        chunks = cache.get((file, text))
        if chunks is None:
            from reportlab.pdfbase.pdfmetrics import getFont

            font = getFont(face(file).name)
            chunks = cache[(file, text)] = [(font.getSubsetInternalName(subset, doc), canvas._escape(chunk))
                                            for subset, chunk in font.splitString(text, doc)]
        code.append("1 0 0 %.4g %.2f %.2f Tm" % (yscale, x + gx, y + gy))
        for name, escaped in chunks:
            if (name, size) != current:
                code.append("%s %.3g Tf" % (name, size))
                current = (name, size)
            code.append(f"({escaped}) Tj")
    code.append("ET")
    canvas._code.append(" ".join(code))
