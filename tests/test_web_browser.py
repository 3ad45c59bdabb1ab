"""`probgen serve` in a real headless Chromium (Debian's `chromium`, driven by Playwright; .ci/run
installs it when missing): answers typed and clicked as a student would, a matrix grid filled by
keyboard, a reload, and screenshots of the problem and progress pages.

PROBGEN_SCREENSHOTS=docs/screenshots also writes the screenshots the README shows."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

from probgen.core.build import build_problem
from probgen.core.numfmt import num
from probgen.practice.store import read_attempts

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from probgen.web.server import make_server

    db = tmp_path_factory.mktemp("web") / "history.sqlite3"
    _, srv = make_server("127.0.0.1", 0, str(db), threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}", db
    srv.close()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does it)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    yield context.new_page()
    context.close()


def shots_dir(tmp_path) -> Path:
    return Path(os.environ.get("PROBGEN_SCREENSHOTS") or tmp_path)


def fill_boxes(page, key, values):
    for i, v in enumerate(values):
        page.get_by_label(f"part {key} entry {i + 1}", exact=True).fill(num(v))


def feedback(page, key):
    return page.locator(f'.feedback[data-part="{key}"]')


def test_right_wrong_and_unreadable_in_the_browser(server, page, tmp_path):
    base, db = server
    problem = build_problem("dropout", 12, "easy")
    page.goto(f"{base}/practice?family=dropout&difficulty=easy&seed=12")
    assert page.locator("math").count() > 0  # typeset server-side, no script
    fill_boxes(page, "a", problem.part("a").answer)
    page.get_by_role("button", name="Check part a").click()
    assert feedback(page, "a").get_attribute("class") == "feedback correct"
    assert re.search(r"correct: (\d+) / \1\b", " ".join(feedback(page, "a").inner_text().split()))
    wrong = problem.part("b").misconceptions[0]
    fill_boxes(page, "b", wrong.value)
    page.get_by_role("button", name="Check part b").click()
    text = " ".join(feedback(page, "b").inner_text().split())
    assert f"This is the mistake: {wrong.name}" in text and "Reference:" in text
    page.get_by_label("part c entry 1", exact=True).fill("__import__('os').system('echo x')")
    for i in (2, 3, 4):
        page.get_by_label(f"part c entry {i}", exact=True).fill("1")
    page.get_by_role("button", name="Check part c").click()
    text = " ".join(feedback(page, "c").inner_text().split())
    assert text.startswith("could not read") and "Reference" not in text
    # the worked solution opens on demand
    page.get_by_text("Show the worked solution", exact=True).click()
    assert page.locator("#solution .step").first.is_visible()
    # reload: everything checked is still there, from the history
    page.reload()
    assert feedback(page, "a").get_attribute("class") == "feedback correct"
    assert wrong.name in feedback(page, "b").inner_text()
    assert [r.part for r in read_attempts(db) if r.family == "dropout"] == ["a", "b"]
    page.screenshot(path=str(shots_dir(tmp_path) / "serve-feedback.png"), full_page=True)


def test_a_matrix_grid_filled_with_the_keyboard(server, page, tmp_path):
    base, db = server
    problem = build_problem("attention", 1, "easy")
    matrix = problem.part("a").answer
    page.goto(f"{base}/practice?family=attention&difficulty=easy&seed=1")
    first = page.get_by_label("part a row 1 column 1", exact=True)
    first.focus()
    for row in matrix:
        for value in row:
            page.keyboard.type(num(value))
            page.keyboard.press("Tab")  # the next cell, row by row
    page.keyboard.press("Enter")  # Tab from the last cell reaches part a's Check button
    assert feedback(page, "a").get_attribute("class") == "feedback correct"
    stored = [r for r in read_attempts(db) if r.family == "attention"]
    assert stored[-1].verdict == "correct" and stored[-1].answer.startswith("[[")
    page.screenshot(path=str(shots_dir(tmp_path) / "serve-problem.png"), full_page=True)
    assert (shots_dir(tmp_path) / "serve-problem.png").stat().st_size > 20_000


def test_what_i_need_and_the_progress_page(server, page, tmp_path):
    base, db = server
    page.goto(base + "/")
    page.get_by_role("link", name="What I need").last.click()
    assert "/practice?" in page.url and page.locator("h1").inner_text()
    page.goto(base + "/progress")
    assert page.locator("svg[aria-label^='bar chart']").count() == 1
    row = page.locator("tbody tr", has_text="regularization").first
    stored = [r for r in read_attempts(db) if r.topic == "regularization"]
    assert row.locator("td").first.inner_text() == str(len(stored))  # 2 (dropout's a and b) after the first test
    page.screenshot(path=str(shots_dir(tmp_path) / "serve-progress.png"), full_page=True)
    assert (shots_dir(tmp_path) / "serve-progress.png").stat().st_size > 20_000


def test_a_radio_choice_and_enter_in_a_dimension_box(server, page):
    base, _ = server
    problem = build_problem("normalization", 1, "medium")
    page.goto(f"{base}/practice?family=normalization&difficulty=medium&seed=1")
    page.get_by_role("radio").nth(sorted(problem.part("c").choices).index(problem.part("c").answer)).check()
    dims = problem.part("a").answer
    for i, d in enumerate(dims):
        page.get_by_label(f"part a dimension {i + 1}", exact=True).fill(d)
    page.get_by_label(f"part a dimension {len(dims)}", exact=True).press("Enter")  # checks every part
    assert feedback(page, "a").get_attribute("class") == "feedback correct"
    assert feedback(page, "c").get_attribute("class") == "feedback correct"
    assert page.get_by_role("radio", checked=True).count() == 1


def test_concept_kinds_checkboxes_tf_justification_and_self_marking(server, page, tmp_path):
    base, db = server
    problem = build_problem("regularization-concepts", 1, "hard")  # (d) truefalse, (e) multi, (g) short, a plot
    e, d = problem.part("e"), problem.part("d")
    page.goto(f"{base}/practice?family=regularization-concepts&difficulty=hard&seed=1")
    assert page.locator("figure svg.plot polyline").count() == len(problem.figure["series"])
    boxes = page.locator('#part-e input[type="checkbox"]')
    assert boxes.count() == len(e.choices)
    for letter in e.answer:  # every right option ticked by clicking its label's box
        boxes.nth(sorted(e.choices).index(letter)).check()
    page.get_by_role("button", name="Check part e").click()
    assert feedback(page, "e").get_attribute("class") == "feedback correct"
    assert f"correct: {e.points} / {e.points}" in " ".join(feedback(page, "e").inner_text().split())
    page.locator("#part-d").get_by_role("radio", name="True" if d.answer == "T" else "False", exact=True).check()
    page.get_by_label("Justification for part d", exact=True).fill("A larger network fits the noise too, so it overfits more.")
    page.get_by_role("button", name="Check part d").click()
    text = " ".join(feedback(page, "d").inner_text().split())
    auto = d.points - d.hand_points
    assert f"correct: {auto:g} / {d.points}" in text and "Model answer:" in text
    assert "the statement is " + ("True" if d.answer == "T" else "False") in text
    for item in d.rubric:  # the student's answer states both ideas
        page.locator("#part-d").get_by_label(f"[{item['points']}] {item['idea']}").check()
    page.get_by_role("button", name="Record my marking of part d").click()
    text = " ".join(feedback(page, "d").inner_text().split())
    assert f"correct: {d.points} / {d.points}" in text and f"You marked yourself {d.hand_points} of {d.hand_points}" in text
    rows = [r for r in read_attempts(db) if r.family == "regularization-concepts" and r.part == "d"]
    assert [r.points for r in rows] == [auto, d.points]
    page.screenshot(path=str(shots_dir(tmp_path) / "serve-concepts.png"), full_page=True)
    # reload: the ticks, the T/F, the justification and the marking come back from the history
    page.reload()
    assert page.locator('#part-e input[type="checkbox"]:checked').count() == len(e.answer)
    assert page.get_by_label("Justification for part d", exact=True).input_value().startswith("A larger network")
    assert f"You marked yourself {d.hand_points} of" in feedback(page, "d").inner_text()
    assert f"So far: {e.points + d.points:g} / {problem.points}" in page.locator("#score").inner_text()
