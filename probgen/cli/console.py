"""The terminal side of the CLI: signals and output encodings.

- SIGTERM raises `Interrupted`, which click does not catch; SIGINT stays KeyboardInterrupt
  (`practice` ends its session on it). The CLI prints one line and exits 143 or 130; a class
  set first stops its workers and says what is kept.
- Output a stream's encoding cannot hold (PYTHONIOENCODING=latin-1 or ascii) is transliterated
  (η -> eta, − -> -, ² -> ^2) or, failing that, replaced with '?', instead of raising.
- A closed pipe (`probgen list | head -1`) ends quietly."""

from __future__ import annotations

import codecs
import os
import signal
import sys
import unicodedata

from ..errors import Interrupted

_NAMES = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "eps", "η": "eta", "θ": "theta", "λ": "lambda",
    "μ": "mu", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "ω": "omega", "Σ": "Sum", "Δ": "Delta",
    "∇": "grad", "−": "-", "–": "-", "—": "--", "×": "x", "·": "*", "⋅": "*", "÷": "/", "≈": "~=", "≤": "<=",
    "≥": ">=", "≠": "!=", "→": "->", "←": "<-", "⊙": "(.)", "√": "sqrt", "∞": "inf", "…": "...", "‘": "'",
    "’": "'", "“": '"', "”": '"', "•": "*", "∈": " in ", "ℝ": "R", "∂": "d", "²": "^2", "³": "^3", "ᵀ": "^T",
    "⁻": "^-", "¹": "^1", "⁰": "^0", "✓": "ok", "✗": "x",
}


def _ascii(ch: str) -> str:
    if ch in _NAMES:
        return _NAMES[ch]
    if ch.isascii():
        return ch
    decomposed = unicodedata.normalize("NFKD", ch)  # x₁ -> x1, é -> e + accent
    if decomposed != ch:
        return "".join(_ascii(c) for c in decomposed if not unicodedata.combining(c))
    return "?"


def _translit(exc: UnicodeEncodeError):
    text = "".join(_ascii(ch) for ch in exc.object[exc.start:exc.end])
    try:
        text.encode(exc.encoding)
    except (UnicodeEncodeError, LookupError):
        text = "?" * (exc.end - exc.start)
    return text, exc.end


codecs.register_error("probgen-translit", _translit)


def _raise(signum, frame):
    raise Interrupted(signum)


def setup() -> None:
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="probgen-translit")
            except (ValueError, OSError):
                pass
    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _raise)
    except ValueError:  # not the main thread (an embedding caller): leave signals alone
        pass


def quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the interpreter's final flush is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
