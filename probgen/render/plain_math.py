"""The markup's LaTeX subset as plain Unicode text, for the terminal and text extraction."""

from __future__ import annotations

import re

SYMBOLS = {
    "lVert": "‖", "rVert": "‖", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ",
    "odot": "⊙", "cdot": "·", "times": "×", "div": "÷", "pm": "±", "leftarrow": "←",
    "rightarrow": "→", "to": "→", "gets": "←", "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥",
    "geq": "≥", "ne": "≠", "neq": "≠", "partial": "∂", "nabla": "∇", "sum": "Σ", "prod": "Π",
    "infty": "∞", "in": "∈", "sim": "~", "mid": "|", "parallel": "‖", "ldots": "…",
    "cdots": "⋯", "dots": "…", "top": "ᵀ", "circ": "∘", "Rightarrow": "⇒", "mapsto": "↦",
    "ln": "ln", "log": "log", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan",
    "tanh": "tanh", "max": "max", "min": "min", "arg": "arg", "det": "det",
    "quad": "  ", "qquad": "    ", ",": " ", ";": " ", ":": " ", "!": "", " ": " ",
    "{": "{", "}": "}", "%": "%", "_": "_", "&": "&", "#": "#", "$": "$", "|": "‖",
    "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
}
SUPER = dict(zip("0123456789+-=()niTt", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀᵗ"))
SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ"))
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}
FONTS = ("mathbf", "mathrm", "mathit", "mathcal", "mathbb", "boldsymbol", "text", "operatorname", "textbf")

OPERATORS = {"odot", "cdot", "times", "div", "pm", "leftarrow", "rightarrow", "to", "gets", "approx",
             "le", "leq", "ge", "geq", "ne", "neq", "in", "sim", "Rightarrow", "mapsto", "circ"}
DELIMITERS = {"lfloor", "rfloor", "lceil", "rceil", "langle", "rangle"}
FUNCTIONS = {"ln", "log", "exp", "sin", "cos", "tan", "tanh", "max", "min", "arg", "det"}

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_&]|[^\\{}^_&]")


class _Reader:
    def __init__(self, latex: str):
        self.tokens = _TOKEN.findall(latex)
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self):
        tok = self.peek()
        self.i += 1
        return tok


def _group(r: _Reader) -> str:
    """One argument: a {...} group or a single token."""
    while r.peek() == " ":
        r.next()
    if r.peek() == "{":
        r.next()
        return _convert(r, stop="}")
    tok = r.next()
    if tok is None:
        return ""
    return _command(r, tok) if tok.startswith("\\") else tok


def _wrap(s: str) -> str:
    s = s.strip()
    if re.fullmatch(r"[∂\w.·ᵢⱼ⁰-⁹₀-₉\u0300-\u036f√]+|√\(.*\)", s) or _one_call(s) or _power(s):
        return s
    return f"({s})"


_SUPERS = set(SUPER.values())
_SCRIPTS = "".join(SUPER.values()) + "".join(SUB.values()) + "\u0300-\u036f\u20d7'′"
# a denominator that reads as one thing after a slash: a number, one symbol with its scripts and
# accents (K², Cₒᵤₜ, ŷᵢ), a differential (∂x₅, du), a root of one (√dₖ, √(v + ε))
_ONE_THING = re.compile(rf"[0-9]+(?:\.[0-9]+)?|[∂d]?[^\W\d_][{_SCRIPTS}]*|√(?:[^\W\d_][{_SCRIPTS}]*|\(.*\))")


def _closes_at_end(s: str, start: int) -> bool:
    """The bracket opening at s[start] closes at the end of s, or before superscripts only."""
    depth = 0
    for i in range(start, len(s)):
        depth += (s[i] == "(") - (s[i] == ")")
        if depth == 0:
            return all(c in _SUPERS for c in s[i + 1:])
    return False


def _power(s: str) -> bool:
    """e^(−z), (1 + e^(−z))²: one thing raised to a power."""
    if s.startswith("("):
        return _closes_at_end(s, 0)
    m = re.match(r"(?:[^\W\d_]|[0-9]+)\^\(", s)
    return bool(m) and _closes_at_end(s, m.end() - 1)


def _wrap_denominator(s: str) -> str:
    """After a slash, a product must be bracketed: 1/(2N), not 1/2N (which reads as N/2)."""
    s = s.strip()
    if _ONE_THING.fullmatch(s) or _one_call(s) or _power(s):
        return s
    return f"({s})"


def _one_call(s: str) -> bool:
    """`ln(40)`, `σ(1)`: a name and brackets that close at the very end (not `ln(2)+ln(3)`)."""
    m = re.fullmatch(r"[A-Za-zσ]+\(", s[: s.find("(") + 1]) if "(" in s else None
    if not m or not s.endswith(")"):
        return False
    depth = 0
    for i, ch in enumerate(s):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch == ")" and i != len(s) - 1:
            return False
    return depth == 0


def _script(text: str, table: dict, mark: str) -> str:
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return mark + _wrap(text)


def _command(r: _Reader, tok: str) -> str:
    name = tok[1:]
    if name == "frac" or name == "dfrac" or name == "tfrac":
        a, b = _group(r), _group(r)
        return f"{_wrap(a)}/{_wrap_denominator(b)}"
    if name == "sqrt":
        arg = _group(r).strip()
        return "√" + (f"({arg})" if _power(arg) else _wrap(arg))  # √(e^x), not √e^x
    if name in ACCENTS:
        arg = _group(r)
        return arg + ACCENTS[name] if len(arg) == 1 else f"{name}({arg})"
    if name in FONTS:
        return _group(r)
    if name in ("left", "right", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "displaystyle"):
        return ""
    if name == "begin":
        env = _group(r)
        if env.endswith("matrix"):
            return _matrix(r)
        return ""
    if name == "end":
        _group(r)
        return ""
    if name == "\\":
        return "; "
    if name.isalpha() and name not in DELIMITERS:
        # LaTeX ignores the space after a command word (\alpha x is αx), but keep it before
        # an operator (\ell = 1 is ℓ = 1) and after delimiters like ⌋.
        j = r.i
        while j < len(r.tokens) and r.tokens[j] == " ":
            j += 1
        if j < len(r.tokens) and (r.tokens[j][:1].isalnum() or r.tokens[j][:1] in "\\{"):
            r.i = j
    if name in OPERATORS:
        return f" {SYMBOLS[name]} "
    if name in FUNCTIONS and (r.peek() or "")[:1].isalnum() or name in FUNCTIONS and (r.peek() or "").startswith("\\") and r.peek()[1:] not in ("left", "right"):
        return name + " "
    return SYMBOLS.get(name, name)


def _matrix(r: _Reader) -> str:
    body = _convert(r, stop="\\end")
    _group(r)  # the environment name after \end
    rows = [row.strip() for row in body.split("; ") if row.strip()]
    cells = [[c.strip() for c in row.split("&")] for row in rows]
    if len(cells) == 1:
        return "[" + ", ".join(cells[0]) + "]"
    return "[" + ", ".join("[" + ", ".join(row) + "]" for row in cells) + "]"


_FRACS = ("frac", "dfrac", "tfrac")


def _factor_after(out: list[str], i: int) -> bool:
    """The next piece written after out[i] starts a factor (1/2 μ², 1/4 (a + b)): a slash form
    multiplied by what follows must be bracketed, (1/2)μ², or it reads as 1/(2μ²)."""
    for piece in out[i + 1:]:
        if piece.strip():
            head = piece.lstrip()[0]
            return head.isalnum() or head in "([√∂‖⟨"
    return False


def _factor_before(out: list[str], i: int, fracs: list[int]) -> bool:
    """The piece before out[i] ends in a digit (2 then 1/N would print 21/N) or is a slash form
    too (a/b c/d)."""
    for j in range(i - 1, -1, -1):
        if out[j].strip():
            return out[j][-1].isdigit() or j in fracs
    return False


def _convert(r: _Reader, stop: str | None = None) -> str:
    out: list[str] = []
    fracs: list[int] = []
    while (tok := r.peek()) is not None:
        if tok == stop:
            r.next()
            break
        r.next()
        if tok == "{":
            out.append(_convert(r, stop="}"))
        elif tok == "^":
            out.append(_script(_group(r), SUPER, "^"))
        elif tok == "_":
            out.append(_script(_group(r), SUB, "_"))
        elif tok.startswith("\\"):
            if tok[1:] in FUNCTIONS and out and out[-1][-1:].isalnum():
                out.append(" ")
            if tok[1:] in _FRACS:
                fracs.append(len(out))
            out.append(_command(r, tok))
        else:
            out.append(tok)
    for i in fracs:
        if _factor_after(out, i) or _factor_before(out, i, fracs):
            out[i] = f"({out[i]})"
    return "".join(out)


def latex_to_text(latex: str) -> str:
    text = _convert(_Reader(latex))
    text = re.sub(r"(?<=[(\[{]) +| +(?=[)\]}])", "", text)  # "( 5 )" -> "(5)"
    text = re.sub(r"^- (?=\S)", "-", text.strip())  # SymPy's "- \tanh{...}" is a plain negative
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", text).strip()


_INLINE = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


def markup_to_text(markup: str) -> str:
    """Replace every $...$ and $$...$$ in markup with its plain-text form; drop **bold** marks."""
    def repl(m: re.Match) -> str:
        return latex_to_text(m.group(1) if m.group(1) is not None else m.group(2))

    return _INLINE.sub(repl, markup).replace("**", "")


# ---- subscripts written in prose (shared by the PDF and the terminal)

_CODE_OR_MATH = re.compile(r"(\$[^$]+\$|`[^`]*`)")
# x_t, C_in, p_data, D_KL, E_q written in prose: a symbol of one or two letters and a short
# subscript, not a code identifier (input_size, num_heads stay as they are)
_PROSE_SUBSCRIPT = re.compile(r"(?<![\w\\])([A-Za-z\u03b1-\u03c9\u0391-\u03a9]{1,2})_([A-Za-z0-9\u03b1-\u03c9]{1,4})(?!\w)")


_UNICODE_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "0123456789+-=()aeoxhklmnpstijruv"))
# hₜ₋₁ beside h_t in one formula: Unicode subscripts after a one-letter symbol, typeset the same way
_UNICODE_SUBSCRIPT = re.compile(r"(?<![\w\\])([A-Za-z\u03b1-\u03c9\u0391-\u03a9])([%s]+)(?!\w)"
                                % "".join(_UNICODE_SUBSCRIPTS))


def _subscript_math(base: str, sub: str) -> str:
    if len(sub) > 1 and sub.isalpha():
        sub = rf"\mathrm{{{sub}}}"
    return f"${base}_{{{sub}}}$"


def prose_subscripts(markup: str, unicode: bool = True) -> str:
    """Subscripts written in plain text (not in math or code) with an underscore ("C_in", "x_3")
    or (`unicode`, for the PDF) in Unicode ("hₜ₋₁") as math, so the page shows real subscripts, all
    alike; the terminal keeps Unicode ones as they are and prints the math as Unicode too."""
    def plain(text: str) -> str:
        text = _PROSE_SUBSCRIPT.sub(lambda m: _subscript_math(m.group(1), m.group(2)), text)
        if not unicode:
            return text
        return _UNICODE_SUBSCRIPT.sub(lambda m: _subscript_math(
            m.group(1), "".join(_UNICODE_SUBSCRIPTS[c] for c in m.group(2)).replace("-", "−")), text)

    pieces = _CODE_OR_MATH.split(markup)
    return "".join(p if i % 2 else plain(p) for i, p in enumerate(pieces))
