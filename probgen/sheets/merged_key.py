"""The grader's merged key: an index page, then every version's key PDF as it was rendered.

Assembled last, from the finished versions' key PDFs (pages reused, not typeset again), so it
holds exactly the versions that exist and costs seconds, not minutes. The pages are copied one
version at a time straight into the output file (each page's objects read with pypdf, renumbered
and written at once), so memory stays flat however many versions there are: pypdf's own
`PdfWriter.append` kept every version's objects until the end, 884 MB for 1,000 versions
(issue 14). Every page's content stream, fonts and resources are the version's own bytes. An
object whose source bytes an earlier version had (most font objects) is written from the kept
template of what it was written as, with its references renumbered, instead of being read again."""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections import OrderedDict, deque
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
        from pypdf.generic import IndirectObject

        data = source.getvalue() if isinstance(source, io.BytesIO) else Path(source).read_bytes()
        reader = PdfReader(io.BytesIO(data))
        spans = _spans(reader, data)
        numbers: dict[tuple[int, int], int] = {}  # the source's (number, generation) -> ours
        queue: deque = deque()
        refs = _leaf_pages(reader, spans)
        if refs is None:  # pypdf's page list (it copies inherited attributes into each page)
            pages = list(reader.pages)
            refs = [(p.indirect_reference.idnum, p.indirect_reference.generation) for p in pages]
            read = [(lambda p=p: p) for p in pages]
            raws = [None] * len(pages)
        else:  # one level of pages, nothing to inherit: each page is its own bytes
            read = [IndirectObject(i, g, reader).get_object for i, g in refs]
            raws = [b"/page " + spans[key] for key in refs]
        for key in refs:  # a page that another object refers to keeps its own number
            n = numbers[key] = self._number()
            self.kids.append(n)

        def renumber(key: tuple[int, int]) -> int:
            n = numbers.get(key)
            if n is None:
                n = numbers[key] = self._number()
                queue.append((n, key))
            return n

        for key, get, raw in zip(refs, read, raws):
            self._object(numbers[key], raw, get, renumber, page=True)
            while queue:
                n, key = queue.popleft()
                self._object(n, spans.get(key), IndirectObject(key[0], key[1], reader).get_object, renumber)

    def _object(self, number: int, raw: bytes | None, get, renumber, page: bool = False) -> None:
        """Object `number`: the source object's bytes (`raw`, when known) rewritten from a kept
        template (versions share most of their font objects byte for byte), else read by pypdf
        and written out (and its template kept). Its references are renumbered in the order
        they are written, either way."""
        kept = _TEMPLATES.get(raw) if raw is not None else None
        if kept is None:
            rec = _Recorder()
            obj = get()
            if page:
                _dictionary(obj, rec, skip=("/Parent",), extra=b"/Parent %d 0 R\n" % PAGES)
            else:
                _value(obj, rec)
            kept = rec.done()
            if raw is not None and rec.plain:
                _keep(raw, kept)
        else:
            _TEMPLATES.move_to_end(raw)  # the fonts every version shares stay while pages come and go
        parts, refs = kept
        out = [b"%d 0 obj\n" % number, parts[0]]
        for key, part in zip(refs, parts[1:]):
            out.append(b"%d 0 R" % renumber(key))
            out.append(part)
        out.append(b"\nendobj\n")
        self.offsets[number] = self.pos
        self._put(b"".join(out))

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


class _Recorder:
    """What an object is written as, cut at its references: (byte pieces, the references'
    (number, generation) in order), so the same source bytes can be written again under other
    numbers. `plain`: it depends on nothing outside its own bytes (no stream's length is a
    reference)."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.refs: list[tuple[int, int]] = []
        self.buf = io.BytesIO()
        self.plain = True

    def write(self, data: bytes) -> None:
        self.buf.write(data)

    def ref(self, obj) -> None:
        self.parts.append(self.buf.getvalue())
        self.buf = io.BytesIO()
        self.refs.append((obj.idnum, obj.generation))

    def done(self) -> tuple[tuple[bytes, ...], tuple[tuple[int, int], ...]]:
        self.parts.append(self.buf.getvalue())
        return tuple(self.parts), tuple(self.refs)


# a source object's bytes -> its template; the last used, up to _KEEP_BYTES of sources
_TEMPLATES: OrderedDict = OrderedDict()
_KEEP_BYTES = 24 << 20
_kept_bytes = 0


def _keep(raw: bytes, template) -> None:
    global _kept_bytes
    _TEMPLATES[raw] = template
    _kept_bytes += 2 * len(raw)  # the source bytes and about as much written
    while _kept_bytes > _KEEP_BYTES and _TEMPLATES:
        old, _ = _TEMPLATES.popitem(last=False)
        _kept_bytes -= 2 * len(old)


def _spans(reader, data: bytes) -> dict[tuple[int, int], bytes]:
    """(number, generation) -> the bytes from the object's header to the next object (what pypdf
    reads it from), for a file with a plain cross-reference table whose offsets point at the
    objects' headers; {} otherwise (every object is then read by pypdf, as before)."""
    xref = getattr(reader, "xref", None)
    if not isinstance(xref, dict) or getattr(reader, "xref_objStm", None) or set(xref) - {0, 65535}:
        return {}
    offsets = sorted((off, num) for num, off in xref.get(0, {}).items())
    spans = {}
    for i, (off, num) in enumerate(offsets):
        end = offsets[i + 1][0] if i + 1 < len(offsets) else len(data)
        raw = data[off:end]
        if not raw.startswith(b"%d 0 obj" % num):
            return {}
        if not _LENGTH_REF.search(raw):  # a stream whose length is another object's: not kept
            spans[(num, 0)] = raw
    return spans


_LENGTH_REF = re.compile(rb"/Length\s+\d+\s+\d+\s+R")


_INHERITED = re.compile(rb"/(Resources|MediaBox|CropBox|Rotate)\b")
_LEAF = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def _leaf_pages(reader, spans) -> list[tuple[int, int]] | None:
    """The pages in order, when the page tree is one /Pages node whose kids are all leaf pages
    with known bytes and it has no attribute for them to inherit (reportlab's files); else None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if not spans:
        return None
    root = dict.get(reader.trailer, "/Root")
    root = root.get_object() if isinstance(root, IndirectObject) else None
    tree = dict.get(root, "/Pages") if isinstance(root, DictionaryObject) else None
    if not isinstance(tree, IndirectObject) or (tree.idnum, tree.generation) not in spans:
        return None
    node = tree.get_object()
    kids = dict.get(node, "/Kids") if isinstance(node, DictionaryObject) else None
    if (dict.get(node, "/Type") != "/Pages" or _INHERITED.search(spans[(tree.idnum, tree.generation)])
            or not isinstance(kids, ArrayObject) or not all(isinstance(k, IndirectObject) for k in kids)):
        return None
    refs = [(k.idnum, k.generation) for k in kids]
    for key in refs:
        raw = spans.get(key)
        if raw is None or not _LEAF.search(raw) or b"/Kids" in raw:
            return None
    return refs


def _value(obj, buf) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if isinstance(obj, IndirectObject):
        buf.ref(obj)
    elif isinstance(obj, StreamObject):
        if isinstance(dict.get(obj, "/Length"), IndirectObject):
            buf.plain = False  # its data's length was read from another object
        data = obj._data
        _dictionary(obj, buf, skip=("/Length",), extra=b"/Length %d\n" % len(data))
        buf.write(b"\nstream\n")
        buf.write(data)
        buf.write(b"\nendstream")
    elif isinstance(obj, DictionaryObject):
        _dictionary(obj, buf)
    elif isinstance(obj, ArrayObject):
        buf.write(b"[")
        for i, item in enumerate(obj):
            if i:
                buf.write(b" ")
            _value(item, buf)
        buf.write(b"]")
    else:
        obj.write_to_stream(buf)


def _dictionary(obj, buf, skip=(), extra: bytes = b"") -> None:
    from pypdf.generic import NameObject

    buf.write(b"<<\n")
    for key, value in obj.items():
        if key in skip:
            continue
        NameObject(key).write_to_stream(buf)
        buf.write(b" ")
        _value(value, buf)
        buf.write(b"\n")
    buf.write(extra)
    buf.write(b">>")
