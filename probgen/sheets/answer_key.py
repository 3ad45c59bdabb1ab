"""The machine-readable answer key (JSON), documented in docs/answer-key.md (`probgen help-topic answer-key`).

One format serves `probgen export`, worksheets, exams and class-set versions: a header and
the numbered problems, each a full `Problem` (params, parts with reference answers,
tolerances, points, misconceptions, worked steps)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from .. import SCHEMA_VERSION, __version__
from ..core.key_format import KEY_FORMAT
from ..core.model import Problem


def make_key(problems: Iterable[Problem], *, kind: str, title: str, seed: int | None = None,
             **meta: Any) -> dict[str, Any]:
    return {
        "format": KEY_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "probgen_version": __version__,
        "kind": kind,
        "title": title,
        "seed": seed,
        "meta": meta,
        "problems": [{"number": i, **p.to_dict()} for i, p in enumerate(problems, start=1)],
    }


def dumps(key: dict[str, Any]) -> str:
    """The key as JSON text: exactly json.dumps(key, indent=2, ensure_ascii=False,
    allow_nan=False) + newline. With an indent, json encodes in pure Python through nested
    generators; this writes the same text about three times faster (a class set writes one key
    per version). Anything but plain JSON data goes to json.dumps."""
    out: list[str] = []
    try:
        _encode(key, out, "\n")
    except _NotPlain:
        return json.dumps(key, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    out.append("\n")
    return "".join(out)


class _NotPlain(Exception):
    pass


def _encode(o, out: list[str], newline: str) -> None:
    t = type(o)  # the common exact types first (a key has tens of thousands of values)
    if t is str:
        out.append(_string(o))
    elif t is float and o - o == 0.0:  # finite (inf - inf and nan - nan are nan)
        out.append(float.__repr__(o))
    elif t is int:
        out.append(int.__repr__(o))
    elif t is dict:
        _encode_dict(o, out, newline)
    elif t is list:
        _encode_list(o, out, newline)
    else:
        _encode_other(o, out, newline)


def _encode_dict(o: dict, out: list[str], newline: str) -> None:
    if not o:
        out.append("{}")
        return
    inner = newline + "  "
    sep = "{" + inner
    for k, v in o.items():
        if not isinstance(k, str):
            raise _NotPlain
        out.append(sep + _string(k) + ": ")
        _encode(v, out, inner)
        sep = "," + inner
    out.append(newline + "}")


def _encode_list(o, out: list[str], newline: str) -> None:
    if not o:
        out.append("[]")
        return
    inner = newline + "  "
    sep = "[" + inner
    for v in o:
        out.append(sep)
        _encode(v, out, inner)
        sep = "," + inner
    out.append(newline + "]")


def _encode_other(o, out: list[str], newline: str) -> None:
    if isinstance(o, str):
        out.append(_string(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        if o != o or o in (_INF, -_INF):
            raise ValueError("Out of range float values are not JSON compliant: " + repr(o))
        out.append(float.__repr__(o))
    elif isinstance(o, dict):
        _encode_dict(o, out, newline)
    elif isinstance(o, (list, tuple)):
        _encode_list(o, out, newline)
    else:
        raise _NotPlain


_INF = float("inf")
_string = json.encoder.encode_basestring  # json's own (C) string escaping for ensure_ascii=False


def problems_of(key: dict[str, Any]) -> list[Problem]:
    return [Problem.from_dict({k: v for k, v in p.items() if k != "number"}) for p in key["problems"]]


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("probgen").joinpath("schema/answer-key.schema.json").read_text("utf-8")
    return json.loads(text)
