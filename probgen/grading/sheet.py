"""The answer-sheet format: one line per part, `<problem number><part key>: answer`.

    # Problem 1: Dropout scaling (dropout, seed 3, medium), 9 points
    1a: [1, 0, 1, 1, 0]     # vector of 5 numbers ...
    1b: [2.5, 0, -1, 0.5, 0]

Blank lines and lines starting with `#` are ignored, and so is everything after a `#`.
Labels are case-insensitive; an empty answer counts as missing. A malformed sheet (a line
without a label and colon, an unknown or repeated label, text that is not UTF-8) is refused
with the file and line; a malformed *answer* is not the sheet's problem: the grader marks that
part "could not read" and grades the rest.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from ..errors import ProbgenError
from ..fileio import read_user_file
from ..core.numfmt import num
from .choices import SHEET_NOTE

MAX_SHEET_BYTES = 20_000_000
_LABEL = re.compile(r"\s*(\d{1,4})\s*([A-Za-z])(\s*why)?\s*:(.*)", re.S)  # '2a why:' justifies 2a
_LABEL_NO_COLON = re.compile(r"\s*(\d{1,4})\s*([A-Za-z])(?:\s|$|[=)\].-])")


class SheetError(ProbgenError):
    """A malformed answer sheet."""


@dataclass
class SheetEntry:
    label: str
    text: str
    line: int


def _read_text(path: str) -> str:
    if path == "-":
        if sys.stdin is None:
            raise SheetError("<stdin>: standard input is closed; give the answer sheet's file name instead of -")
        data = sys.stdin.buffer.read(MAX_SHEET_BYTES + 1)
        name = "<stdin>"
    else:
        name = path
        data = read_user_file(path, "an answer sheet", MAX_SHEET_BYTES, SheetError)
    if len(data) > MAX_SHEET_BYTES:
        raise SheetError(f"{name}: too large to be an answer sheet")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SheetError(f"{name} line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                         "save the sheet as UTF-8") from None


_HEADER = re.compile(r"#\s*Problem (\d{1,4}): .*\(([\w-]+), seed (\d+), (\w+)\), [\d.]+ points?\s*")


@dataclass
class SheetHeader:
    """What a blank sheet's `# Problem 1: ... (dropout, seed 3, medium), 9 points` line says."""

    line: int
    number: int
    family: str
    seed: int
    difficulty: str


def read_sheet(path: str, labels: list[str], headers: list[SheetHeader] | None = None) -> dict[str, SheetEntry]:
    """label -> entry for every answered line. `labels`: the key's part labels, in order.
    `headers`, when given, receives the sheet's problem header lines (see `header_mismatch`)."""
    name = "<stdin>" if path == "-" else path
    text = _read_text(path)
    known = set(labels)
    entries: dict[str, SheetEntry] = {}
    # split on newlines only: str.splitlines would also break at control characters inside answers
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        head = _HEADER.fullmatch(line)
        if head and headers is not None:
            headers.append(SheetHeader(number, int(head.group(1)), head.group(2), int(head.group(3)),
                                       head.group(4)))
        content = line.split("#", 1)[0]
        if not content.strip():
            continue
        m = _LABEL.match(content)
        if not m:
            shown = content.strip()
            shown = shown if len(shown) <= 30 else shown[:30] + "…"
            if _LABEL_NO_COLON.match(content):
                raise SheetError(f"{name} line {number}: missing ':' after the part label (write e.g. '1a: 0.25')")
            raise SheetError(f"{name} line {number}: expected '<part>: <answer>' such as '1a: 0.25', "
                             f"got {shown!r}")
        label = f"{int(m.group(1))}{m.group(2).lower()}"
        why = m.group(3) is not None
        if label not in known:
            raise SheetError(f"{name} line {number}: unknown part '{label}' (this key has "
                             f"{_label_range(labels)})")
        if why:
            label = f"{label} why"
        if label in entries:
            raise SheetError(f"{name} line {number}: part '{label}' is answered twice "
                             f"(first on line {entries[label].line})")
        entries[label] = SheetEntry(label, m.group(4).strip(), number)
    return entries


def header_mismatch(headers: list[SheetHeader], problems: dict[int, tuple[str, int, str]]) -> str | None:
    """A one-line warning when the sheet's header names another problem than the key does at
    the same number (a sheet made for another key with the same labels), else None.
    `problems`: number -> (family, seed, difficulty) of the key's problems."""
    for h in headers:
        want = problems.get(h.number)
        if want is not None and want != (h.family, h.seed, h.difficulty):
            return (f"line {h.line} says problem {h.number} is {h.family}, seed {h.seed}, {h.difficulty}, "
                    f"but the key's problem {h.number} is {want[0]}, seed {want[1]}, {want[2]}: "
                    "was this sheet made for another key?")
    return None


def _label_range(labels: list[str]) -> str:
    if len(labels) <= 12:
        return ", ".join(labels)
    return f"{', '.join(labels[:6])}, …, {', '.join(labels[-3:])}"


# ----------------------------------------------------------------------------------- writing

def hint(part: dict[str, Any]) -> str:
    """What a part's answer should look like, without giving the answer away."""
    kind, answer = part["kind"], part.get("answer")
    exact = " (exact)" if part.get("tolerance") == 0 else ""
    if kind == "number":
        if part.get("tolerance") == 0 and isinstance(answer, (int, float)) and float(answer).is_integer():
            return "whole number (exact), e.g. 4096"
        return f"number{exact}, e.g. 0.25, -1.5e-3, 3/4 or ln(2)"
    if kind == "vector":
        n = len(answer) if isinstance(answer, list) else "n"
        return f"vector of {n} numbers{exact}, e.g. [0.1, -0.2, ...]"
    if kind == "matrix":
        rows = len(answer) if isinstance(answer, list) else "r"
        cols = len(answer[0]) if isinstance(answer, list) and answer and isinstance(answer[0], list) else "c"
        return f"{rows}×{cols} matrix{exact}, e.g. [[1, 2], [3, 4]] or [1, 2; 3, 4] (row by row)"
    if kind == "shape":
        return "shape, e.g. N x 1 or (1, C, 1, 1)"
    if kind == "expression":
        names = ", ".join(sorted(part.get("variables") or {})) or "the given symbols"
        return f"expression in {names}, e.g. 2*u*cos(x) + y"
    if kind == "choice":
        return f"choice: one letter of {', '.join(sorted(part.get('choices') or {}))}"
    if kind in SHEET_NOTE:
        return SHEET_NOTE[kind]
    return kind


def write_sheet(key: dict[str, Any], key_name: str) -> str:
    """A blank answer sheet for a (structure-checked) key. A class-set version's sheet goes to a
    student: it names its class set and version, and no seed (a seed would regenerate the key)."""
    meta = key.get("meta") or {}
    class_set = meta.get("class_set")
    lines = [
        f"# probgen answer sheet for {key_name}: {key.get('title', '')}".rstrip(),
        "# Write each final answer after its label; leave a line blank to skip a part.",
        f"# Anything after # is a comment. Grade with: probgen check {key_name} THIS-FILE",
    ]
    if class_set:
        student = meta.get("student") or {}
        lines.insert(0, f"# class set: {class_set} · version: {meta.get('version')}"
                        + (f" · student id: {student.get('id')}" if student.get("id") else ""))
        lines[-1] = "# Anything after # is a comment. Hand this file in as it is, with your answers filled in."
    lines.append("")
    for prob in sorted(key["problems"], key=lambda p: p["number"]):
        points = sum(p["points"] for p in prob["parts"])
        seed = "" if class_set else f", seed {prob['seed']}"
        lines.append(f"# Problem {prob['number']}: {prob.get('title', prob['family'])} "
                     f"({prob['family']}{seed}, {prob['difficulty']}), {num(points)} points")
        width = max(len(f"{prob['number']}{p['key']}{' why' * (p['kind'] == 'truefalse')}:")
                    for p in prob["parts"])
        for part in prob["parts"]:
            label = f"{prob['number']}{part['key']}:"
            pts = f"{num(part['points'])} pt{'s' if part['points'] != 1 else ''}"
            if part["kind"] == "truefalse":
                auto = part["points"] - sum(r["points"] for r in part.get("rubric") or ())
                lines.append(f"{label:<{width}}    # {hint(part)}; {num(auto)} pt{'s' * (auto != 1)}")
                why = f"{prob['number']}{part['key']} why:"
                lines.append(f"{why:<{width}}    # justification, one or two sentences (graded by hand); "
                             f"{num(part['points'] - auto)} pts")
                continue
            lines.append(f"{label:<{width}}    # {hint(part)}; {pts}")
        lines.append("")
    return "\n".join(lines)
