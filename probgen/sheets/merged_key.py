"""The grader's merged key: an index page, then every version's key PDF as it was rendered.

Assembled last, from the finished versions' key PDFs (pages reused, not typeset again), so it
holds exactly the versions that exist and costs seconds, not minutes. The pages are copied one
version at a time straight into the output file (each page's objects read with pypdf, renumbered
and written at once), so memory stays flat however many versions there are: pypdf's own
`PdfWriter.append` kept every version's objects until the end, 884 MB for 1,000 versions
(issue 14). Every page's content stream, fonts and resources are the version's own bytes."""

from __future__ import annotations

import io
import os
import tempfile
from collections import deque
from pathlib import Path
from types import SimpleNamespace

from ..fileio import _FILE_MODE

CATALOG, PAGES, INFO = 1, 2, 3  # object numbers of the merged file's own objects


def merge_keys(keys: list[dict], key_pdfs: list[Path], title: str, secret: str, path: Path) -> Path:
    from ..render.pdf import render_merged_key

    index = [SimpleNamespace(version=k["meta"].get("version"), student=k["meta"].get("student"), seed=k["seed"],
                             problems=[SimpleNamespace(family=p["family"]) for p in k["problems"]])
             for k in keys]
    note = f"Staff only. Class-set secret: {secret} (it regenerates every version; never hand it out)"
    sources = [io.BytesIO(render_merged_key(index, title, index_only=True, note=note)), *key_pdfs]
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            concatenate(sources, handle, f"Answer keys: {title}")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def concatenate(sources, out, title: str) -> None:
    """Write one PDF holding every page of `sources` (paths or binary files), in order."""
    writer = _Writer(out)
    for source in sources:
        writer.add(source)
    writer.finish(title)


class _Writer:
    def __init__(self, out):
        self.out = out
        self.pos = 0
        self.offsets: dict[int, int] = {}
        self.next = INFO + 1
        self.kids: list[int] = []
        self._put(b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n")

    def _put(self, data: bytes) -> None:
        self.out.write(data)
        self.pos += len(data)

    def _number(self) -> int:
        self.next += 1
        return self.next - 1

    def add(self, source) -> None:
        """Every page of one PDF, with the objects they use; the reader is dropped afterwards."""
        from pypdf import PdfReader

        reader = PdfReader(source)
        numbers: dict[tuple[int, int], int] = {}  # the source's (number, generation) -> ours
        queue: deque = deque()
        pages = list(reader.pages)
        for page in pages:  # a page that another object refers to keeps its own number
            ref = page.indirect_reference
            n = numbers[(ref.idnum, ref.generation)] = self._number()
            self.kids.append(n)

        def renumber(ref) -> int:
            key = (ref.idnum, ref.generation)
            n = numbers.get(key)
            if n is None:
                n = numbers[key] = self._number()
                queue.append((n, ref))
            return n

        for page in pages:
            ref = page.indirect_reference
            self._object(numbers[(ref.idnum, ref.generation)], page, renumber, page=True)
            while queue:
                n, ref = queue.popleft()
                self._object(n, ref.get_object(), renumber)

    def _object(self, number: int, obj, renumber, page: bool = False) -> None:
        buf = io.BytesIO()
        buf.write(b"%d 0 obj\n" % number)
        if page:
            _dictionary(obj, buf, renumber, skip=("/Parent",), extra=b"/Parent %d 0 R\n" % PAGES)
        else:
            _value(obj, buf, renumber)
        buf.write(b"\nendobj\n")
        self.offsets[number] = self.pos
        self._put(buf.getvalue())

    def finish(self, title: str) -> None:
        from pypdf.generic import TextStringObject

        info = io.BytesIO()
        info.write(b"<< /Producer (probgen) /Title ")
        TextStringObject(title).write_to_stream(info)
        info.write(b" >>")
        kids = b" ".join(b"%d 0 R" % k for k in self.kids)
        own = {CATALOG: b"<< /Type /Catalog /Pages %d 0 R >>" % PAGES,
               PAGES: b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(self.kids), kids),
               INFO: info.getvalue()}
        for number, body in own.items():
            self.offsets[number] = self.pos
            self._put(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        start = self.pos
        rows = [b"xref\n0 %d\n0000000000 65535 f \n" % self.next]
        rows += [b"%010d 00000 n \n" % self.offsets[n] for n in range(1, self.next)]
        rows.append(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                    % (self.next, CATALOG, INFO, start))
        self._put(b"".join(rows))


def _value(obj, buf, renumber) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if isinstance(obj, IndirectObject):
        buf.write(b"%d 0 R" % renumber(obj))
    elif isinstance(obj, StreamObject):
        data = obj._data
        _dictionary(obj, buf, renumber, skip=("/Length",), extra=b"/Length %d\n" % len(data))
        buf.write(b"\nstream\n")
        buf.write(data)
        buf.write(b"\nendstream")
    elif isinstance(obj, DictionaryObject):
        _dictionary(obj, buf, renumber)
    elif isinstance(obj, ArrayObject):
        buf.write(b"[")
        for i, item in enumerate(obj):
            if i:
                buf.write(b" ")
            _value(item, buf, renumber)
        buf.write(b"]")
    else:
        obj.write_to_stream(buf)


def _dictionary(obj, buf, renumber, skip=(), extra: bytes = b"") -> None:
    from pypdf.generic import NameObject

    buf.write(b"<<\n")
    for key, value in obj.items():
        if key in skip:
            continue
        NameObject(key).write_to_stream(buf)
        buf.write(b" ")
        _value(value, buf, renumber)
        buf.write(b"\n")
    buf.write(extra)
    buf.write(b">>")
