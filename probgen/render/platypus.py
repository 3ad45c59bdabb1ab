"""reportlab's page layout (platypus), imported without compiling a pattern probgen never uses.

Importing `reportlab.platypus` runs its Paragraph module, which compiles `uri_pat` (a URL matcher
for reportlab's own Paragraph links, case-insensitive over character ranges up to U+FFFF) at
import time: about a third of platypus' whole import, 60-180 ms of CPU, most of what kept a cold
numeric exam above `import sympy` (issue 14). probgen lays out its own text and never uses
reportlab's Paragraph. While platypus is imported here, `re.compile` hands that one pattern a
stand-in that compiles it on first use; every other pattern (and that one, should reportlab ever
spell it differently) compiles as usual. Render modules import platypus' names from here."""

from __future__ import annotations

import re
import sys

_URI_PAT_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
# Patterns compiled on first use: (how the pattern starts, its flags). Each is only ever used
# through its methods: uri_pat (reportlab's Paragraph links), textsplit.rx (CJK wrapping, 4-6 ms
# to compile) and PyFontify.matchRE (Python syntax colouring in XPreformatted).
_DEFERRED = ((_URI_PAT_START, re.IGNORECASE), ("([\u2e80-\uffff])", re.UNICODE),
             ("#[^\\n]*|(^|[^a-zA-Z0-9_.\\\"'])(as|assert|", 0))


class LazyPattern:
    """A compiled pattern made on first use: every attribute is the real pattern's."""

    def __init__(self, pattern: str, flags: int):
        self._args = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


def _import_platypus():
    if "reportlab.platypus" in sys.modules:
        return sys.modules["reportlab.platypus"]
    real = re.compile

    def compile_(pattern, flags=0):
        if isinstance(pattern, str) and any(pattern.startswith(p) and flags == f for p, f in _DEFERRED):
            return LazyPattern(pattern, flags)
        return real(pattern, flags)

    re.compile = compile_
    try:
        import reportlab.platypus
    finally:
        re.compile = real
    return reportlab.platypus


_platypus = _import_platypus()
BaseDocTemplate = _platypus.BaseDocTemplate
CondPageBreak = _platypus.CondPageBreak
Flowable = _platypus.Flowable
Frame = _platypus.Frame
PageBreak = _platypus.PageBreak
PageTemplate = _platypus.PageTemplate
Spacer = _platypus.Spacer
Table = _platypus.Table
TableStyle = _platypus.TableStyle
