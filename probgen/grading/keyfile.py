"""Loading an answer key for grading, and verifying it against a fresh regeneration.

The grader never trusts numbers typed into a file: each problem is rebuilt from its family,
seed, difficulty and convention, and the key is refused if its params or stored answers no
longer match (an edited key), if it comes from another answer-key schema, or if a family's
generator version changed. Worksheet and exam keys may hold a subset of a family's parts with
their own points; only the parts present are graded, with the key's points.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any

from .. import SCHEMA_VERSION
from ..core.key_format import KEY_FORMAT
from ..core.model import ANSWER_KINDS, Problem
from ..errors import ProbgenError
from ..fileio import read_user_file

MAX_KEY_BYTES = 50_000_000
_PROBLEM_FIELDS = ("family", "version", "seed", "difficulty", "convention", "params", "parts")
_PART_FIELDS = ("key", "kind", "answer", "points")


# A family redraws a seed whose draw was degenerate without changing its version (the other
# seeds keep their problems and keys), so a mismatch may also be an older key: say both.
_REFUSE = "refusing to grade with it (export the key again)"


class KeyFileError(ProbgenError):
    """A missing, unreadable, foreign or edited answer key."""


@dataclass
class KeyedProblem:
    number: int
    problem: Problem  # regenerated; parts restricted to the key's, with the key's points


@dataclass
class GradingKey:
    path: str
    title: str
    kind: str
    problems: list[KeyedProblem]
    made_by: str = ""  # the probgen version that wrote the key

    @property
    def labels(self) -> list[str]:
        return [f"{kp.number}{p.key}" for kp in self.problems for p in kp.problem.parts]


def read_key(path: str) -> dict[str, Any]:
    """The key's JSON, checked for format, schema version and structure (not yet verified)."""
    data = read_user_file(path, "an answer key", MAX_KEY_BYTES, KeyFileError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KeyFileError(f"{path} line {line}: not UTF-8 text; is this a probgen answer key?") from None
    try:
        key = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KeyFileError(f"{path} line {exc.lineno}: not valid JSON ({exc.msg}); "
                           "is this a probgen answer key?") from None
    except RecursionError:
        raise KeyFileError(f"{path}: not valid JSON (nested too deeply)") from None
    _check_structure(key, path)
    return key


def _check_structure(key: Any, path: str) -> None:
    if not isinstance(key, dict) or key.get("format") != KEY_FORMAT:
        raise KeyFileError(f"{path}: not a probgen answer key (no \"format\": \"{KEY_FORMAT}\")")
    version = key.get("schema_version")
    if version != SCHEMA_VERSION:
        made_by = key.get("probgen_version", "an unknown version")
        raise KeyFileError(f"{path}: answer-key schema version {version!r} (written by probgen {made_by}); "
                           f"this probgen reads version {SCHEMA_VERSION}: export the key again")
    problems = key.get("problems")
    if not isinstance(problems, list) or not problems:
        raise KeyFileError(f"{path}: the key has no problems")
    numbers = set()
    for i, prob in enumerate(problems, start=1):
        where = f"{path} problem {prob.get('number', i) if isinstance(prob, dict) else i}"
        if not isinstance(prob, dict):
            raise KeyFileError(f"{where}: not a problem object")
        missing = [f for f in ("number", *_PROBLEM_FIELDS) if f not in prob]
        if missing:
            raise KeyFileError(f"{where}: missing field '{missing[0]}'")
        number = prob["number"]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1 or number in numbers:
            raise KeyFileError(f"{where}: bad or repeated problem number {number!r}")
        numbers.add(number)
        types = {"family": str, "version": int, "difficulty": str, "params": dict}
        for name, typ in types.items():
            if not isinstance(prob[name], typ) or isinstance(prob[name], bool):
                raise KeyFileError(f"{where}: '{name}' should be a {typ.__name__}, not {prob[name]!r:.40}")
        if prob["convention"] is not None and not isinstance(prob["convention"], str):
            raise KeyFileError(f"{where}: bad convention {prob['convention']!r:.40}")
        if not isinstance(prob["seed"], int) or isinstance(prob["seed"], bool) or prob["seed"] < 0:
            raise KeyFileError(f"{where}: bad seed {prob['seed']!r}")
        if not isinstance(prob["parts"], list) or not prob["parts"]:
            raise KeyFileError(f"{where}: no parts")
        keys = set()
        for part in prob["parts"]:
            if not isinstance(part, dict) or any(f not in part for f in _PART_FIELDS):
                raise KeyFileError(f"{where}: a part lacks one of {', '.join(_PART_FIELDS)}")
            if not isinstance(part["key"], str) or part["kind"] not in ANSWER_KINDS or part["key"] in keys:
                raise KeyFileError(f"{where} part {part['key']!r}: bad kind or repeated key")
            keys.add(part["key"])
            points = part["points"]
            if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points < 1e6:
                raise KeyFileError(f"{where} part {part['key']}: bad points {points!r}")


def load_key(path: str) -> GradingKey:
    """Read and verify a key: every problem regenerated and compared with what the key says."""
    from ..core.build import build_problem
    from ..core.registry import get_family

    key = read_key(path)
    problems = []
    for prob in key["problems"]:
        where = f"{path} problem {prob['number']}"
        try:
            fam = get_family(prob["family"])
        except ProbgenError as exc:
            raise KeyFileError(f"{where}: {exc}") from None
        if prob["version"] != fam.version:
            raise KeyFileError(f"{where}: made by version {prob['version']} of family '{fam.id}', this probgen "
                               f"has version {fam.version}, so its seed makes a different problem: "
                               "export the key again")
        try:
            fresh = build_problem(fam.id, prob["seed"], prob["difficulty"], prob["convention"])
        except ProbgenError as exc:
            raise KeyFileError(f"{where}: {exc}") from None
        if fresh.convention != prob["convention"]:
            raise KeyFileError(f"{where}: family '{fam.id}' has no convention {prob['convention']!r}")
        if _canonical(prob["params"]) != _canonical(fresh.params):
            raise KeyFileError(f"{where}: its params differ from those seed {prob['seed']} makes: the key "
                               f"was edited, or an earlier probgen drew this seed differently; {_REFUSE}")
        parts = []
        for kpart in prob["parts"]:
            try:
                ref = fresh.part(kpart["key"])
            except KeyError:
                raise KeyFileError(f"{where}: family '{fam.id}' has no part '{kpart['key']}' here") from None
            if kpart["kind"] != ref.kind or not _same_answer(kpart["answer"], ref.answer):
                raise KeyFileError(f"{where} part {kpart['key']}: the stored answer differs from the one its "
                                   f"params give: the key was edited, or made by an earlier probgen; {_REFUSE}")
            if "tolerance" in kpart and kpart["tolerance"] != ref.tolerance:
                raise KeyFileError(f"{where} part {kpart['key']}: the tolerance was changed "
                                   f"({kpart['tolerance']!r}, not {ref.tolerance!r}); refusing to grade with it")
            parts.append(replace(ref, points=kpart["points"]))
        problems.append(KeyedProblem(prob["number"], replace(fresh, parts=parts)))
    problems.sort(key=lambda kp: kp.number)
    return GradingKey(path=path, title=str(key.get("title", "")), kind=str(key.get("kind", "")),
                      problems=problems, made_by=str(key.get("probgen_version", "an unknown version")))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, allow_nan=True)


def _same_answer(stored: Any, fresh: Any) -> bool:
    if isinstance(fresh, (list, tuple)):
        return (isinstance(stored, list) and len(stored) == len(fresh)
                and all(_same_answer(s, f) for s, f in zip(stored, fresh)))
    if isinstance(fresh, float) or isinstance(fresh, int) and not isinstance(fresh, bool):
        return (isinstance(stored, (int, float)) and not isinstance(stored, bool)
                and math.isclose(stored, fresh, rel_tol=1e-9, abs_tol=1e-12))
    return stored == fresh
