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
from ..core.model import Problem

KEY_FORMAT = "probgen-answer-key"


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
    return json.dumps(key, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def problems_of(key: dict[str, Any]) -> list[Problem]:
    return [Problem.from_dict({k: v for k, v in p.items() if k != "number"}) for p in key["problems"]]


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("probgen").joinpath("schema/answer-key.schema.json").read_text("utf-8")
    return json.loads(text)
