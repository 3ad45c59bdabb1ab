"""Which answer sheet belongs to which class-set version.

A sheet names itself on its first line (`# class set: <id> · version: <n> · student id: <id>`,
written by `probgen exam --versions/--roster`); a sheet whose header was deleted is matched by
its file name: the blank sheet's own name, the student id, or `v<n>`. Nothing here raises on a
bad sheet: each one not graded gets an `Issue` saying why."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProbgenError
from ..fileio import read_user_file

MAX_MANIFEST_BYTES = 50_000_000
MAX_SHEET_BYTES = 20_000_000
_HEADER = re.compile(r"#\s*class set:\s*([0-9a-fA-F]+)\s*[·|,;]\s*version:\s*(\d+)"
                     r"(?:\s*[·|,;]\s*student id:\s*(.*\S))?\s*$")


class GradeError(ProbgenError):
    pass


@dataclass
class Version:
    number: int
    name: str
    id: str
    key_json: Path
    answer_sheet: str


@dataclass
class Manifest:
    path: Path
    title: str
    class_set: str
    versions: dict[int, Version]


@dataclass
class Issue:
    kind: str  # missing | extra | duplicate | unreadable | wrong-version | other-set | key
    file: str  # the sheet's file name, or "" for a missing version
    message: str
    version: int | None = None


def load_manifest(path: str) -> Manifest:
    data = read_user_file(path, "a class-set manifest", MAX_MANIFEST_BYTES, GradeError)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        rows = doc["versions"]
        title, class_set = doc.get("title", ""), doc["class_set"]
        versions = {}
        for r in rows:
            n = int(r["version"])
            versions[n] = Version(n, str(r.get("name", "")), str(r.get("id", "")),
                                  Path(path).parent / Path(r["key_json"]).name, str(r.get("answer_sheet", "")))
    except (UnicodeDecodeError, ValueError):
        raise GradeError(f"{path}: not a class-set manifest (not JSON)") from None
    except (KeyError, TypeError):
        raise GradeError(f"{path}: not a class-set manifest of this probgen (no class_set/versions); "
                         "it is the <bank>-class-set.json that `probgen exam --versions/--roster` writes") from None
    if not versions:
        raise GradeError(f"{path}: the manifest lists no versions")
    return Manifest(Path(path), str(title), str(class_set).lower(), versions)


def header_of(text: str) -> tuple[str, int, str | None] | None:
    for line in text.split("\n")[:5]:
        m = _HEADER.match(line.strip())
        if m:
            return m.group(1).lower(), int(m.group(2)), m.group(3)
    return None


def version_from_name(manifest: Manifest, filename: str) -> int | None:
    stem = filename[:-4] if filename.lower().endswith(".txt") else filename
    for v in manifest.versions.values():
        if filename == v.answer_sheet or (v.id and stem.casefold() == v.id.casefold()):
            return v.number
    m = re.fullmatch(r"(?:.*-)?v(\d+)(?:-answers)?", stem, re.I)
    if m and int(m.group(1)) in manifest.versions:
        return int(m.group(1))
    return None


def match_sheets(manifest: Manifest, folder: str) -> tuple[dict[int, tuple[Path, str]], list[Issue]]:
    """version -> (sheet path, its text) for the sheets that can be graded, and the issues."""
    root = Path(folder)
    if not root.is_dir():
        raise GradeError(f"{folder}: no such folder of answer sheets" if not root.exists()
                         else f"{folder}: is a file; give the folder that holds the answer sheets")
    try:
        files = sorted(p for p in root.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        raise GradeError(f"{folder}: cannot list it ({exc.strerror or exc})") from None
    found: dict[int, list[tuple[Path, str]]] = {}
    issues: list[Issue] = []
    for path in files:
        name = path.name
        if path.is_dir():
            issues.append(Issue("extra", name, f"{name}: a folder, not an answer sheet; not graded"))
            continue
        try:
            text = read_user_file(str(path), "an answer sheet", MAX_SHEET_BYTES, GradeError).decode("utf-8-sig")
        except GradeError as exc:
            issues.append(Issue("unreadable", name, f"{exc}; not graded"))
            continue
        except UnicodeDecodeError:
            if version_from_name(manifest, name) is None:
                issues.append(Issue("extra", name, f"{name}: not an answer sheet (not text); not graded"))
            else:
                issues.append(Issue("unreadable", name, f"{name}: not UTF-8 text (save it as UTF-8); not graded"))
            continue
        by_name = version_from_name(manifest, name)
        header = header_of(text)
        if header is None:
            if by_name is None:
                issues.append(Issue("extra", name, f"{name}: not an answer sheet of this class set (no 'class set' "
                                                   "line, and its name matches no version or student id); not graded"))
                continue
            number = by_name
        else:
            set_id, number, sid = header
            if set_id != manifest.class_set:
                issues.append(Issue("other-set", name, f"{name}: belongs to class set {set_id}, not to this one "
                                                       f"({manifest.class_set}); refused"))
                continue
            v = manifest.versions.get(number)
            if v is None:
                issues.append(Issue("wrong-version", name, f"{name}: says version {number}, which this class set "
                                                           f"does not have (1 to {max(manifest.versions)}); not graded"))
                continue
            if sid is not None and v.id and sid != v.id:
                issues.append(Issue("wrong-version", name, f"{name}: says version {number} for student {sid}, but "
                                                           f"version {number} is {v.id}'s; not graded", number))
                continue
            if by_name is not None and by_name != number:
                issues.append(Issue("wrong-version", name, f"{name}: named for version {by_name} but holds the "
                                                           f"answer sheet of version {number}; not graded", number))
                continue
        found.setdefault(number, []).append((path, text))
    graded = {}
    for number, sheets in sorted(found.items()):
        if len(sheets) > 1:
            names = ", ".join(p.name for p, _ in sheets)
            for p, _ in sheets:
                issues.append(Issue("duplicate", p.name, f"{p.name}: version {number} has {len(sheets)} sheets "
                                                         f"({names}); none graded until one is left", number))
        else:
            graded[number] = sheets[0]
    return graded, issues
