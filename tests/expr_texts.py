"""Typed answers to an expression part, as students write them (issue 14's corpus): the reference
as printed and in other spellings (^, e^, ln, σ, relu, implicit products, ², unicode minus, ·),
the reference in its free symbols alone (also expanded and over one denominator), every named
mistake, wrong variants near the reference (a sign flipped, a factor or term off, a constant
rounded to 3 figures, a term dropped, sin for cos, tiny offsets) and texts that are unreadable,
undefined or out of range. Used by tests/test_grading_expr_fast.py and bench/expr_corpus.py."""

from __future__ import annotations

import re

# u: the part's first free symbol, x: its last symbol
JUNK = ["0", "1", "u", "x", "2*u", "1/(u - u)", "ln(0*u)", "10^200*10^200*u", "u^1001", "tan(pi/2)*u",
        "1/cos(pi/2)", "(sqrt(2)^2 - 2)^-1", "e^(ln(u))", "e^(ln(u))*x", "sqrt(u^2)", "sqrt(x^2)", "abs(u)",
        "u + 10^10 - 10^10", "x + 10^10 - 10^10", "1/(sin(u)^2 + cos(u)^2 - 1)", "max(u, u)", "x - x + 1",
        "q", "2*u*", "sinx", "1/(x - x)", "ln(x/x - 1)", "(u-u)^-1", "u*10^-200*10^-200", "2^1000*u",
        "2^990*u", "exp(-800*u)", "x^(1/3)", "(-x)^(1/2)", "1/(1 - 1/3*3)*u", "heaviside(u - u)", "0*u"]


def spellings(text: str) -> list[str]:
    """The reference as students type it."""
    s = text.replace("**", "^")
    return [text, s, re.sub(r"exp\(", "e^(", s), s.replace("log(", "ln("),
            re.sub(r"(\d)\*([a-zA-Z(])", r"\1\2", s),  # 2*u -> 2u
            s.replace("Max(0, ", "relu(").replace("-", "\u2212"),
            re.sub(r"\^2\b", "\u00b2", s),
            s.replace("1/(1 + exp(-", "sigmoid(-(-").replace("*", " * "),
            s.replace("*", "\u00b7")]


def variants(text: str) -> list[str]:
    """Wrong (or possibly right) answers near the reference."""
    s = text.replace("**", "^")
    out = [f"2*({s})", f"({s}) + 1", f"-({s})", f"({s}) + 1e-6", f"({s})*1.001", f"({s}) + 0.5*u - u/2"]
    if " + " in s:
        out.append(s.replace(" + ", " - ", 1))
        out.append(s.rsplit(" + ", 1)[0])
    if " - " in s:
        out.append(s.replace(" - ", " + ", 1))
    out.append(s.replace("sin(", "cos(") if "sin(" in s else s.replace("cos(", "sin("))
    out.append(re.sub(r"\b2\b", "3", s, count=1))
    out.append(re.sub(r"\bx\b", "u", s, count=1))
    out.append(re.sub(r"\by\b", "x", s, count=1))
    out.append(re.sub(r"(\d+)/(\d+)", lambda m: f"{int(m.group(1)) / int(m.group(2)):.3g}", s))
    return out


def corpus(part) -> list[str]:
    """Every text above for one expression part, without repeats, in a fixed order."""
    import sympy as sp

    names = sorted(part.variables)
    free = [n for n in names if part.variables[n] is None][0]
    local = {n: sp.Symbol(n) for n in names}
    whole = sp.sympify(part.answer, locals=local)  # probgen's own text, never a student's
    for _ in names:
        whole = whole.subs({local[n]: sp.sympify(d, locals=local) for n, d in part.variables.items() if d})
    texts = spellings(part.answer) + variants(part.answer) + spellings(str(whole))
    texts += [str(sp.expand(whole)), str(sp.together(whole))]
    texts += [m.value for m in part.misconceptions]
    texts += [re.sub(r"\bx\b", names[-1], re.sub(r"\bu\b", free, t)) for t in JUNK]
    return list(dict.fromkeys(texts))
