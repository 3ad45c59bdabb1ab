"""Family templates and the small markup they produce.

A family's template (`templates/<id>.j2`, jinja2) renders one problem as markup text:

    statement paragraphs ...
    ::part a
    prompt of part a
    ::part b
    prompt of part b
    {% if show_solution %}
    ::solution a
    one worked step for part a
    ::solution
    a step not tied to one part
    {% endif %}

Inside each piece, blocks are separated by blank lines:
  - a paragraph, with inline math `$...$` (a LaTeX subset that matplotlib's mathtext draws:
    \\frac, \\sqrt, ^ _, Greek letters, \\hat, \\bar, \\mathbf, \\odot, \\cdot, \\times ...) and **bold**;
  - display math: a block `$$ ... $$`, which may hold `\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}`;
  - a table: lines starting with `|`, cells separated by `|`, the first row the header;
  - a list: lines starting with `- `;
  - `[[figure]]`: where the problem's figure (e.g. the computational graph) is drawn.

The text and PDF renderers lay this out; they never compute.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Step
from .numfmt import group, group_digits, num, signed, tnum
from .paths import TEMPLATES_DIR

_MARKER = re.compile(r"^::(part|solution)(?:[ \t]+(\S+))?[ \t]*$", re.M)


def tex(value) -> str:
    """LaTeX for a SymPy object or a number."""
    if isinstance(value, (int, float)):
        return tnum(value)
    from sympy import latex

    return latex(value, ln_notation=True)  # the course writes natural logs as ln


def vec(values, sig: int = 6) -> str:
    return r"\left[" + r",\ ".join(tnum(v, sig) for v in values) + r"\right]"


def mat(rows, sig: int = 6) -> str:
    body = r" \\ ".join(" & ".join(tnum(v, sig) for v in row) for row in rows)
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def cell(value, sig: int = 6) -> str:
    """A number for a table cell, as math so that a negative one gets a true minus sign."""
    return f"${tnum(value, sig)}$"


@lru_cache(maxsize=1)
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(num=num, tnum=tnum, signed=signed, tex=tex, vec=vec, mat=mat, group=group, cell=cell)
    env.bytecode_cache = _template_cache()
    return env


def _template_cache():
    """Compiled templates kept between runs (Jinja's per-user cache folder; it recompiles when a
    template's source changes): compiling a template costs ~15-50 ms, and `probgen check`
    regenerates every problem of a key. None where no safe cache folder can be had."""
    import jinja2

    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def render_template(name: str, **context) -> str:
    return environment().get_template(name).render(**context)


def _tidy(text: str) -> str:
    """Strip each line's trailing space and collapse runs of blank lines."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def split(text: str) -> tuple[str, dict[str, str], list[Step]]:
    """Cut rendered template text into (statement, prompts by part key, solution steps)."""
    pieces = _MARKER.split(text)
    statement = _tidy(pieces[0])
    prompts: dict[str, str] = {}
    steps: list[Step] = []
    for i in range(1, len(pieces), 3):
        kind, key, body = pieces[i], pieces[i + 1], _tidy(pieces[i + 2])
        if kind == "part":
            if not key:
                raise ValueError("'::part' needs a part key")
            if key in prompts:
                raise ValueError(f"part '{key}' appears twice in the template")
            prompts[key] = body
        elif body:  # worked solutions group long numbers as the answers do (40 140 800)
            steps.append(Step(part=key, text=group_digits(body)))
    return statement, prompts, steps


def literal(text: str) -> str:
    """Free text (a student's name) as markup that prints it as typed: `$` and `**` go in code
    spans, so they are drawn, not read as math or bold (a backtick, which would end the span,
    becomes an apostrophe)."""
    return re.sub(r"\$+|\*{2,}", lambda m: f"`{m.group(0)}`", text.replace("`", "'"))
