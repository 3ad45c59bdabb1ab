"""What students see: Moodle questions from `probgen lms moodle`, with their blanks drawn as
Moodle draws them (a text box per NUMERICAL or SHORTANSWER, radio buttons for MULTICHOICE_V) and
their math typeset by MathJax 2.7 (Debian's libjs-mathjax, the MathJax Moodle's filter loads),
rendered by headless Chromium (Debian's chromium).

The test asserts that MathJax typesets every formula without a TeX error, that every blank
became a widget and the figure an image, and that a screenshot has content.
`python tests/test_lms_browser.py` rewrites the screenshots in docs/ (docs/lms.md shows them).
"""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
from cloze_parser import parse  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MATHJAX = Path("/usr/share/javascript/mathjax/MathJax.js")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
# (source, seed, difficulty): a figure and an expression; shapes, a choice and a matrix; vectors
# and a conceptual problem: a plot, choices, a select-all (checkboxes), a true/false
SECRET = "5eed" * 8  # the problems' seeds come from (secret, seed): a fixed one shows the same each run
SHOWN = [("backprop-chain", 2, "medium"), ("normalization", 3, "medium"), ("dropout", 1, "medium"),
         ("regularization-concepts", 1, "hard")]

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>probgen preview</title>
<style>body{{font-family:sans-serif;max-width:900px;margin:16px;font-size:15px}}
.probgen-part{{margin:10px 0;padding-top:4px;border-top:1px solid #ddd}} input.cloze{{width:6em}}
table{{border-collapse:collapse}} td,th{{border:1px solid #999;padding:2px 6px}}
.feedback{{background:#fcefdc;padding:8px;margin-top:12px}} .general{{background:#e7f3f5;padding:8px;margin-top:12px}}
</style>
<script type="text/x-mathjax-config">
window.texErrors = [];
MathJax.Hub.Config({{TeX: {{noErrors: {{disabled: true}}, noUndefined: {{disabled: true}}}}}});
MathJax.Hub.Register.MessageHook("TeX Jax - parse error", function (m) {{ window.texErrors.push(String(m[1])); }});
MathJax.Hub.Queue(function () {{
  document.body.setAttribute("data-typeset", MathJax.Hub.getAllJax().length);
  document.body.setAttribute("data-tex-errors", window.texErrors.join(" | "));
}});
</script>
<script src="file://{mathjax}?config=TeX-AMS_SVG"></script></head>
<body><h3>{title}</h3>{question}
<div class="feedback"><b>Feedback on a known mistake</b> (blank 1, answer {wrong}):<br>{feedback}</div>
<div class="general"><b>General feedback</b>{solution}</div></body></html>"""


def widget(sub, n: int) -> str:
    """A subquestion as Moodle's Cloze renderer shows it."""
    if sub.kind == "multichoice":
        return "<div>" + "".join(f'<label><input type="radio" name="q{n}"> {a.answer}</label><br>'
                                 for a in sub.alternatives) + "</div>"
    if sub.kind == "multiresponse":
        return "<div>" + "".join(f'<label><input type="checkbox" name="q{n}"> {a.answer}</label><br>'
                                 for a in sub.alternatives) + "</div>"
    return f'<input class="cloze" type="text" name="q{n}">'


def preview(question) -> tuple[str, int, int]:
    """(page, blanks, formulas) for one <question type="cloze">."""
    text = question.findtext("questiontext/text")
    subs = parse(text)
    pieces, pos = [], 0
    for n, sub in enumerate(subs):
        length = _length(text, sub.start)
        pieces.append(text[pos:sub.start])
        pieces.append(widget(sub, n))
        pos = sub.start + length
    pieces.append(text[pos:])
    body = "".join(pieces)
    figure = question.find("questiontext/file")
    if figure is not None:
        body = body.replace(f"@@PLUGINFILE@@/{figure.get('name')}", "data:image/png;base64," + figure.text.strip())
    first = next((s for s in subs if s.wrong), subs[0])
    wrong = first.wrong[0] if first.wrong else None
    solution = question.findtext("generalfeedback/text")
    page = PAGE.format(mathjax=MATHJAX, title=html.escape(question.findtext("name/text")), question=body,
                       wrong=html.escape(wrong.answer.split(":")[0] if wrong else "-"), feedback=wrong.feedback if wrong else "",
                       solution=solution)
    formulas = len(re.findall(r"\\\(|\\\[", body + (wrong.feedback if wrong else "") + solution))
    return page, len(subs), formulas


def _length(text: str, start: int) -> int:
    """Characters from a subquestion's '{' to its closing '}' (escaped braces skipped)."""
    i = text.index(":", text.index(":", start) + 1) + 1
    while True:
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "}":
            return i + 1 - start
        i += 1


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=20000", *args],
                          capture_output=True, text=True, timeout=180)


def render(out_dir: Path, profile: Path) -> list[dict]:
    from probgen.lms.moodle import moodle_xml
    from probgen.lms.source import resolve

    results = []
    for family, seed, difficulty in SHOWN:
        root = etree.fromstring(moodle_xml(resolve(family, 1, seed, difficulty, None, SECRET)))
        [question] = root.findall("question[@type='cloze']")
        page, blanks, formulas = preview(question)
        path = out_dir / f"lms-moodle-{family}.html"
        path.write_text(page, "utf-8")
        dom = chromium("--dump-dom", path.as_uri(), profile=profile).stdout
        shot = out_dir / f"lms-moodle-{family}.png"
        chromium(f"--screenshot={shot}", f"--window-size=1000,{3000 if 'concepts' in family else 1500}", path.as_uri(),
                 profile=profile)
        results.append(dict(family=family, dom=dom, blanks=blanks, formulas=formulas, shot=shot,
                            figure=question.find("questiontext/file") is not None))
    results.append(_canvas(out_dir, profile))
    return results


def _canvas(out_dir: Path, profile: Path) -> dict:
    """A Canvas fill-in-multiple-blanks item: its [b1] placeholders as Canvas's text boxes."""
    import io
    import zipfile

    from probgen.lms.canvas import canvas_zip
    from probgen.lms.source import resolve

    z = zipfile.ZipFile(io.BytesIO(canvas_zip(resolve("normalization", 1, 3, "medium", None, SECRET))))
    qti = etree.fromstring(z.read(next(n for n in z.namelist() if n.endswith(".xml") and "/" in n
                                       and not n.endswith("assessment_meta.xml"))))
    ns = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
    item = next(qti.iter(f"{ns}item"))
    text = item.findtext(f"{ns}presentation/{ns}material/{ns}mattext")
    blanks = len(re.findall(r"(?<!\\)\[b\d+\]", text))
    body = re.sub(r"(?<!\\)\[(b\d+)\]", r'<input class="cloze" type="text" name="\1">', text)
    feedback = {f.get("ident"): etree.tostring(f.find(f".//{ns}mattext"), method="text", encoding="unicode")
                for f in item.iter(f"{ns}itemfeedback")}
    page = PAGE.format(mathjax=MATHJAX, title="Canvas: " + html.escape(item.get("title")), question=body,
                       wrong="(any wrong answer)", feedback=feedback.get("general_incorrect_fb", ""),
                       solution=feedback["general_fb"])
    formulas = len(re.findall(r"\\\(|\\\[", body + feedback.get("general_incorrect_fb", "") + feedback["general_fb"]))
    path = out_dir / "lms-canvas-normalization.html"
    path.write_text(page, "utf-8")
    dom = chromium("--dump-dom", path.as_uri(), profile=profile).stdout
    shot = out_dir / "lms-canvas-normalization.png"
    chromium(f"--screenshot={shot}", "--window-size=1000,1500", path.as_uri(), profile=profile)
    return dict(family="canvas normalization", dom=dom, blanks=blanks, formulas=formulas, shot=shot, figure=False)


def test_questions_render_with_math_widgets_and_figure(tmp_path):
    assert CHROMIUM, "Debian's chromium is needed (.ci/run installs it)"
    assert MATHJAX.is_file(), "Debian's libjs-mathjax is needed (.ci/run installs it)"
    for r in render(tmp_path, tmp_path / "profile"):
        dom = r["dom"]
        typeset = re.search(r'data-typeset="(\d+)"', dom)
        assert typeset, f"{r['family']}: MathJax did not finish"
        assert int(typeset.group(1)) == r["formulas"] > 0, r["family"]
        assert re.search(r'data-tex-errors=""', dom), re.search(r'data-tex-errors="[^"]*"', dom).group(0)
        widgets = len(re.findall(r'<input class="cloze"', dom)) + len(set(re.findall(r'type="(?:radio|checkbox)" name="(q\d+)"', dom)))
        assert widgets == r["blanks"]
        assert ("data:image/png;base64," in dom) == r["figure"]
        from PIL import Image

        image = Image.open(r["shot"]).convert("L")
        assert image.size[0] == 1000 and image.size[1] in (1500, 3000)
        assert image.getcolors(maxcolors=256 * 256) is None or len(image.getcolors(maxcolors=256 * 256)) > 16, "blank"


if __name__ == "__main__":  # refresh the screenshots shown in docs/lms.md
    import tempfile

    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        for r in render(Path(tmp), Path(tmp) / "profile"):
            shutil.copy(r["shot"], ROOT / "docs" / r["shot"].name)
            print(ROOT / "docs" / r["shot"].name)
