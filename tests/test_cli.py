"""The CLI as a user meets it: output, exit status and one-line errors."""

import json
import subprocess
import sys

import jsonschema
import pytest
from click.testing import CliRunner

from probgen.sheets.answer_key import schema
from probgen.cli import cli


def _invoke(args):
    """Run the real entry point in a fresh process, as a user's shell would."""
    proc = subprocess.run([sys.executable, "-c", "from probgen.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120)
    return proc


def test_every_command_has_help_with_examples():
    runner = CliRunner()
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in cli.list_commands(None):
        sub = runner.invoke(cli, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "Examples:" in sub.output, f"{name} --help has no Examples block"


def test_list_shows_sections_and_json():
    runner = CliRunner()
    text = runner.invoke(cli, ["list"]).output
    assert "fundamentals" in text and "dropout" in text
    rows = json.loads(runner.invoke(cli, ["list", "--json"]).output)
    ids = {r["id"] for r in rows}
    assert "dropout" in ids
    assert all({"id", "section", "topic", "title", "difficulties", "conventions"} <= set(r) for r in rows)


def test_generate_hides_answers_unless_asked():
    runner = CliRunner()
    plain = runner.invoke(cli, ["generate", "dropout", "--seed", "5"]).output
    shown = runner.invoke(cli, ["generate", "dropout", "--seed", "5", "--answers"]).output
    assert "(a)" in plain and "Answer:" not in plain and "Worked solution" not in plain
    assert "Answer:" in shown and "Worked solution" in shown


def test_export_validates_against_schema(tmp_path):
    out = tmp_path / "key.json"
    result = CliRunner().invoke(cli, ["export", "dropout", "--seed", "3", "--count", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    key = json.loads(out.read_text())
    jsonschema.validate(key, schema())
    assert [p["seed"] for p in key["problems"]] == [3, 4, 5, 6]
    assert [p["number"] for p in key["problems"]] == [1, 2, 3, 4]


@pytest.mark.parametrize("args, needle", [
    (["generate", "no-such-family"], "unknown family 'no-such-family'"),
    (["generate", "dropout", "--difficulty", "extreme"], "'easy', 'medium', 'hard'"),
    (["generate", "dropout", "--seed", "-4"], "--seed"),
    (["generate", "dropout", "--seed", "abc"], "--seed"),
    (["generate", "dropout", "--convention", "pytorch"], "no formula conventions"),
    (["export", "dropout", "--count", "0"], "--count"),
    (["bogus-command"], "No such command"),
])
def test_bad_input_is_one_line_and_exit_2(args, needle):
    proc = _invoke(args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0]
    assert proc.stdout == ""


def test_terminal_display_math_fits_the_width():
    from probgen.render.text import display_lines

    q = r"Q = \begin{bmatrix} 0 & -1 & 1 & 0 \\ -1 & -1 & 0 & 1 \\ -1 & 0 & -1 & -1 \end{bmatrix}"
    k = r"K = \begin{bmatrix} 1 & 0 & 0 & -1 \\ 1 & -1 & -1 & 0 \\ -1 & -1 & 0 & 0 \end{bmatrix}"
    # equations side by side while they fit, one per line when they do not
    assert display_lines(rf"{q}, \quad {k}", 120) == [
        "Q = [[0, −1, 1, 0], [−1, −1, 0, 1], [−1, 0, −1, −1]], K = [[1, 0, 0, −1], [1, −1, −1, 0], [−1, −1, 0, 0]]"]
    assert display_lines(rf"{q}, \quad {k}", 60) == [
        "Q = [[0, −1, 1, 0], [−1, −1, 0, 1], [−1, 0, −1, −1]],",
        "K = [[1, 0, 0, −1], [1, −1, −1, 0], [−1, −1, 0, 0]]"]
    # a matrix wider than the line: one row per line, under its first row
    assert display_lines(q, 30) == ["Q = [[0, −1, 1, 0],", "     [−1, −1, 0, 1],", "     [−1, 0, −1, −1]]"]


def test_terminal_part_prompts_wrap_with_their_label():
    from probgen.core.model import Part, Problem
    from probgen.render.text import WIDTH, render_problem

    prompt = "Compute the attention weights of token 2, i.e. row 2 of the softmax, as a vector of length 3."
    part = Part(key="b", kind="vector", answer=[0.1, 0.2, 0.7], points=2, prompt=prompt)
    problem = Problem(family="hand-made", version=1, seed=0, difficulty="medium", convention=None, title="T",
                      section="nlp", topic="transformers", params={}, statement="s", parts=[part])
    lines = render_problem(problem, 1).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("(b) [2 pts] Compute"))
    assert all(len(line) <= WIDTH for line in lines)
    assert lines[first + 1].startswith("    ") and "length 3." in lines[first + 1]


def test_help_examples_name_real_families_and_commands():
    import re

    from probgen.core.registry import load_all

    runner = CliRunner()
    families = set(load_all())
    texts = [runner.invoke(cli, ["--help"]).output]
    texts += [runner.invoke(cli, [name, "--help"]).output for name in cli.list_commands(None)]
    for text in texts:
        for command, arg in re.findall(r"probgen ([\w-]+) ?([\w-]*)", text):
            assert command in cli.list_commands(None), f"example uses unknown command {command!r}"
            if command in ("generate", "export") and arg:
                assert arg in families, f"example uses unknown family {arg!r}"


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch, capsys):
    import probgen.cli as cli_module

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.delenv("PROBGEN_DEBUG", raising=False)
    monkeypatch.setattr(cli_module.cli, "main", broken)
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main(["list"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error (RuntimeError: boom)" in err[0]
