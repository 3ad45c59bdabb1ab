"""Write the glyph metrics the typesetter reads next to each TrueType face it ships.

    python tools/font_metrics.py          # rewrite probgen/render/fonts/*.metrics and *.rlface
    python tools/font_metrics.py --check  # exit 1 if a stored file differs from what it would write

The typesetter needs, for every character of a face, the advance and the vertical extent of its
glyph. Reading them at run time needs FreeType (matplotlib's ft2font, which imports all of
matplotlib: about a fifth of a cold `probgen exam`). They are read here once, with the same
FreeType calls the typesetter used to make (unhinted, 100 pt at 72 dpi), and stored as the raw
integers FreeType returns, so the floats the typesetter derives from them are the same to the
last bit and the PDFs keep their bytes.

File format (little-endian int32): n, then n code points (ascending), n linearHoriAdvance values
(16.16 pixels), n bbox ymin and n bbox ymax (26.6 pixels).

It also writes, per face, what reportlab's TrueType parser extracts from the file (*.rlface,
marshal; the reportlab version it came from inside): parsing a face costs reportlab ~12 ms, loading
the snapshot ~3 ms. The typesetter uses a snapshot only under the reportlab version that wrote it
and parses the file otherwise.
"""

from __future__ import annotations

import argparse
import io
import sys
from array import array
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "probgen" / "render" / "fonts"


def freetype_metrics(ttf: Path) -> bytes:
    from matplotlib import ft2font

    ft = ft2font.FT2Font(io.BytesIO(ttf.read_bytes()))
    ft.set_size(100, 72)
    codes = sorted(ft.get_charmap())
    adv, ymin, ymax = array("i"), array("i"), array("i")
    for code in codes:
        g = ft.load_char(code, flags=ft2font.LoadFlags.NO_HINTING)
        adv.append(g.linearHoriAdvance)
        ymin.append(g.bbox[1])
        ymax.append(g.bbox[3])
    out = array("i", [len(codes)]) + array("i", codes) + adv + ymin + ymax
    if sys.byteorder != "little":
        out.byteswap()
    return out.tobytes()


def reportlab_snapshot(ttf: Path) -> bytes:
    import marshal

    import reportlab
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont

    face = TTFont("snapshot", str(ttf)).face
    state = {}
    for key, value in face.__dict__.items():
        if key in ("_ttf_data", "_pdfScale", "filename"):  # the bytes, a lambda, the path: made anew
            continue
        if isinstance(value, TTFNameBytes):
            value = ("TTFNameBytes", bytes(value), value.ustr)
        state[key] = value
    return marshal.dumps({"reportlab": reportlab.Version, "face": state}, 4)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    bad = 0
    for ttf in sorted(FONTS.glob("*.ttf")):
        for suffix, data in ((".metrics", freetype_metrics(ttf)), (".rlface", reportlab_snapshot(ttf))):
            target = ttf.with_suffix(suffix)
            if args.check:
                if not target.exists() or target.read_bytes() != data:
                    print(f"{target.name}: differs from what {ttf.name} gives now")
                    bad = 1
            else:
                target.write_bytes(data)
                print(f"{target.name}: {len(data):,} bytes")
    return bad


if __name__ == "__main__":
    sys.exit(main())
