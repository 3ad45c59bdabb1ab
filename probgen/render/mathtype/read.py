"""Reading the LaTeX subset: tokens, then a recursive descent that turns commands, characters,
groups and environments into atoms (see `layout` for how each is built)."""

from __future__ import annotations

import re

from . import layout as L
from .boxes import Box, glyphs, hbox, kern
from .fonts import FACES
from .layout import Atom, Style, attach, join
from .symbols import (ACCENTS, BIG_OPS, BLACKBOARD, CALLIGRAPHIC, CHAR_CLASS, CHAR_MAP, DELIMS,
                      FRAKTUR, FUNCTIONS, GREEK, GREEK_UPPER, IGNORED, LIMIT_FUNCTIONS, MATRIX_ENVS,
                      SPACES, STYLE_FACES, SYMBOLS, TEXT_COMMANDS)


class MathError(ValueError):
    """A construct this typesetter does not handle."""


_TOKEN = re.compile(r"\\(?:[A-Za-z]+\*?|.)|[{}^_&~]|\s+|.", re.S)


_NOT_PLAIN = frozenset("{}&~\\")  # one-character tokens atom() does not hand to char()


class _Tokens:
    def __init__(self, latex: str):
        self.toks = toks = _TOKEN.findall(latex)
        self.n = n = len(toks)
        # after[k]: the first token at or after k that is not white space (n at the end)
        self.after = after = [n] * (n + 1)
        j = n
        for k in range(n - 1, -1, -1):
            if not toks[k].isspace():
                j = k
            after[k] = j
        self.i = 0

    def peek(self, skip_space: bool = True):
        i = self.i
        if skip_space:
            i = self.i = self.after[i]
        return self.toks[i] if i < self.n else None

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


class Typesetter:
    """Reads a formula token by token into atoms; the layout module builds their boxes."""

    def __init__(self, latex: str, style: Style):
        self.t = _Tokens(latex)
        self.style = style

    def run(self) -> Box:
        atoms = self.atoms(self.style, stop=None)
        return join(atoms, self.style)

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
            if len(tok) == 1 and tok not in _NOT_PLAIN:  # a letter, digit or sign: atom() would call char()
                self.t.i += 1
                out.append(self.char(tok, st))
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
        attach(out[-1], st, sup, sub)

    def argument(self, st: Style) -> Box:
        """A macro argument: a {group}, or one token (a letter, a digit, a command)."""
        tok = self.t.peek()
        if tok is None:
            raise MathError("missing argument")
        if tok == "{":
            self.t.next()
            atoms = self.atoms(st, "}")
            self.t.expect("}")
            return join(atoms, st)
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

    def atom(self, st: Style) -> Atom | None:
        tok = self.t.next()
        s = st.px
        if tok == "{":
            atoms = self.atoms(st, "}")
            self.t.expect("}")
            return Atom("ord", join(atoms, st))
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
            return L.big_op(BIG_OPS[name], st)
        if name in FUNCTIONS:
            text = {"argmax": "arg max", "argmin": "arg min", "limsup": "lim sup",
                    "liminf": "lim inf"}.get(name, name)
            box = glyphs(text, FACES["rm"], s)
            return Atom("op", box, limits=st.display and name in LIMIT_FUNCTIONS)
        if name in STYLE_FACES:
            font = STYLE_FACES[name]
            atoms = self.group_atoms(st.with_font(font))
            return Atom("ord", join(atoms, st))
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
                        L.delimiter(ch, scale * s * 0.5, scale * s * 0.5, s, st.size))
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

    def fraction(self, name: str, st: Style) -> Atom:
        """\\frac (\\dfrac, \\tfrac, \\binom): the two parts in the right style."""
        part_style = st.fraction_part()
        if name == "dfrac":
            part_style = Style(st.size, st.level, False, st.font)
        elif name == "tfrac":
            part_style = st.script() if st.level == 0 else part_style
        num = self.argument(part_style)
        den = self.argument(part_style)
        return L.fraction(name, num, den, st)

    def sqrt(self, st: Style) -> Atom:
        index = None
        if self.t.peek() == "[":
            self.t.next()
            atoms = self.atoms(Style(st.size, 2, False, st.font), "]")
            self.t.expect("]")
            index = join(atoms, Style(st.size, 2))
        body = self.argument(st)
        return L.radical(body, index, st)

    def accent(self, name: str, st: Style) -> Atom:
        return L.accent(name, self.group_atoms(st), st)

    def left_right(self, st: Style) -> Atom:
        s = st.px
        open_tok = self.t.next()
        open_ch = self._delim_char(open_tok)
        atoms = self.atoms(st, "\\right")
        self.t.expect("\\right")
        close_ch = self._delim_char(self.t.next())
        inner = join(atoms, st)
        return Atom("inner", L.wrap_delims(inner, open_ch, close_ch, s, st.size))

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
            rows[-1].append(join(atoms, cell_style))
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
        grid = L.matrix_grid(rows, s, align)
        left, right = MATRIX_ENVS[env]
        return Atom("inner", L.wrap_delims(grid, left, right, s, st.size) if (left or right) else grid)
