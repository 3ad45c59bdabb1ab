"""Concept items print no raw `^` or `_` in prose (TA re-rating: "ᾱ_t", "ŷ_k", "β^t", "2^T",
"(1/4)^n" in keys): every item of every concept family, every option, explanation, model answer,
rubric line and worked step, for many draws of each item, as the PDF sets it (prose subscripts
typeset, math and code left out)."""

from __future__ import annotations

import re

import pytest

from probgen.core.registry import load_all
from probgen.core.rng import Draw
from probgen.kit.concepts import Pool, catalogue
from probgen.render.pdf_paragraphs import prose_subscripts

_MATH_OR_CODE = re.compile(r"\$\$.+?\$\$|\$[^$]+\$|`[^`]*`", re.S)
DRAWS = 12  # instances of each item (items with numbers draw them)


def concept_families():
    return sorted(f.id for f in load_all().values() if isinstance(getattr(f, "pool", None), Pool))


def texts(fam):
    """Every printed string of every item of the family's pool, over DRAWS draws each."""
    pool = fam.pool
    for item in pool.items:
        for n in range(DRAWS):
            params = {"items": [{"id": item.id, **item.draw(Draw("markup", fam.id, item.id, n))}]}
            parts, work, _ = pool.solve(params)
            where = f"{fam.id} {item.id}"
            yield where, work["lead"]
            for key, text in [*work["prompts"].items(), *work["steps"].items()]:
                yield where, text
            for part in parts:
                yield where, part.model_answer or ""
                for text in (part.choices or {}).values():
                    yield where, text
                for text in (part.explanations or {}).values():
                    yield where, text
                for line in part.rubric or []:
                    yield where, line.get("idea", "")


def raw_markup(text: str) -> list[str]:
    """`^` and `_` left in the prose once the PDF has typeset its subscripts."""
    prose = _MATH_OR_CODE.sub(" ", prose_subscripts(text))
    return re.findall(r"\S*[_^]\S*", prose)


def test_the_scan_catches_raw_markup():
    assert raw_markup("ᾱ_t and ŷ_k") == ["ᾱ_t", "ŷ_k"]
    assert raw_markup("1 − β^t, 2^T and (1/4)^n") == ["β^t,", "2^T", "(1/4)^n"]
    assert raw_markup("x_t, $\\bar\\alpha_t$, `num_heads` and βᵗ") == []


@pytest.mark.parametrize("family_id", concept_families())
def test_no_raw_superscript_or_subscript_in_concept_text(family_id):
    fam = load_all()[family_id]
    found = {}
    for where, text in texts(fam):
        for bit in raw_markup(text):
            found.setdefault(where, set()).add(bit)
    assert not found, found
