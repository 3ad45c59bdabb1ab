"""The LaTeX subset's vocabulary: which command is which character, of which TeX class, and
the constants of the layout (math axis, rule thickness, script sizes)."""

from __future__ import annotations

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
