"""The web app through Flask's test client: pages, answers and their feedback, the history,
and every kind of malformed or hostile request (400 with one line). The same flows in a real
browser are in test_web_browser.py."""

from __future__ import annotations

import html
import io
import re
import zipfile
from urllib.parse import parse_qs, urlparse

import pytest

from probgen.core.build import build_problem
from probgen.practice.store import read_attempts
from probgen.web.app import create_app


@pytest.fixture
def db(tmp_path):
    return tmp_path / "h.sqlite3"


@pytest.fixture
def client(db):
    return create_app(str(db)).test_client()


def open_problem(client, family, difficulty, seed):
    page = client.get(f"/practice?family={family}&difficulty={difficulty}&seed={seed}")
    assert page.status_code == 200
    sitting = re.search(r'name="sitting" value="(\d+)"', page.text).group(1)
    started = re.search(r'name="started" value="([\d.]+)"', page.text).group(1)
    return page, {"family": family, "difficulty": difficulty, "seed": str(seed), "sitting": sitting, "started": started}


def post(client, fields, **answers):
    sent = client.post("/answer", data={**fields, **answers})
    assert sent.status_code == 303, sent.text
    return client.get(sent.headers["Location"])


def vector_boxes(key, values):
    return {f"ans_{key}_{i}": repr(v) for i, v in enumerate(values)}


def feedback(page, key):
    m = re.search(rf'<div class="feedback (\w+)"[^>]*data-part="{key}"[^>]*>(.*?)</div>\s*</section>', page.text, re.S)
    return (m.group(1), re.sub(r"<[^>]+>", " ", m.group(2))) if m else (None, "")


def test_home_and_what_i_need(client):
    home = client.get("/")
    assert home.status_code == 200 and "What I need" in home.text and "probgen_visit=" in home.headers["Set-Cookie"]
    nxt = client.get("/next")
    assert nxt.status_code == 303
    query = parse_qs(urlparse(nxt.headers["Location"]).query)
    assert query["family"] == ["contrastive-loss"] and query["difficulty"] == ["easy"]  # first topic, new
    assert query["why"] == ["new"]


def test_a_problem_page_typesets_math_and_fits_inputs_to_parts(client):
    page = client.get("/practice?family=attention&difficulty=easy&seed=1").text
    assert "<math" in page and "cdn" not in page.lower() and "<script" not in page
    problem = build_problem("attention", 1, "easy")
    rows, cols = len(problem.part("a").answer), len(problem.part("a").answer[0])
    assert page.count('name="ans_a_') == rows * cols and f'data-rows="{rows}" data-cols="{cols}"' in page
    assert page.count('name="ans_b_') == len(problem.part("b").answer)
    shape_page = client.get("/practice?family=conv-output-size&difficulty=easy&seed=1").text
    assert shape_page.count('name="ans_b_') == 3 and "dimension 1" in shape_page
    graph = client.get("/practice?family=tiny-network&difficulty=medium&seed=1").text
    assert "<svg" in graph and 'aria-label="computational graph"' in graph


def test_right_wrong_and_unreadable_answers(client, db):
    problem = build_problem("dropout", 12, "easy")
    _, fields = open_problem(client, "dropout", "easy", 12)
    page = post(client, fields, **vector_boxes("a", problem.part("a").answer))
    assert feedback(page, "a")[0] == "correct"
    wrong = problem.part("b").misconceptions[0]
    page = post(client, fields, **vector_boxes("b", wrong.value))
    css, text = feedback(page, "b")
    assert css in ("wrong", "partly") and f"This is the mistake: {wrong.name}" in " ".join(text.split())
    assert feedback(page, "a")[0] == "correct"  # earlier feedback stays on the page
    page = post(client, fields, ans_c_0="__import__('os')", ans_c_1="1", ans_c_2="1", ans_c_3="1")
    css, text = feedback(page, "c")
    assert css == "unreadable" and "could not read" in text and "Reference" not in text
    page = post(client, fields, ans_c_0="1, 2", ans_c_1="1", ans_c_2="1", ans_c_3="1")
    assert "one value per box" in feedback(page, "c")[1]
    rows = read_attempts(db)
    assert [(r.part, r.verdict, r.source) for r in rows] == [("a", "correct", "web"), ("b", "partly correct", "web")]
    assert rows[1].mistake == wrong.name and rows[0].answer.startswith("[") and rows[0].seconds >= 0
    # reload: the same page from the history
    again = client.get(f"/practice?family=dropout&difficulty=easy&seed=12&sitting={fields['sitting']}")
    assert feedback(again, "a")[0] == "correct" and feedback(again, "b")[0] == "partly"


def test_error_carried_forward_is_shown(client):
    _, fields = open_problem(client, "sgd-trace", "easy", 3)
    page = post(client, fields, ans_a="2", ans_b="-0.6")  # a wrong, b right given a = 2
    assert feedback(page, "a")[0] == "wrong"
    css, text = feedback(page, "b")
    assert css == "correct" and "follows from your a" in " ".join(text.split())


def test_resubmitting_the_same_answer_is_not_recorded_twice(client, db):
    _, fields = open_problem(client, "sgd-trace", "easy", 3)
    post(client, fields, ans_a="3")
    post(client, fields, ans_a="3", ans_b="1")
    assert [(r.part, r.answer) for r in read_attempts(db)] == [("a", "3"), ("b", "1")]


def test_two_tabs_on_the_same_problem_are_two_sittings(client, db):
    _, one = open_problem(client, "sgd-trace", "easy", 3)
    _, two = open_problem(client, "sgd-trace", "easy", 3)
    assert one["sitting"] != two["sitting"]
    post(client, one, ans_a="3")
    post(client, two, ans_a="1")
    rows = read_attempts(db)
    assert {(r.problem_no, r.answer) for r in rows} == {(int(one["sitting"]), "3"), (int(two["sitting"]), "1")}


@pytest.mark.parametrize("url, needle", [
    ("/practice?family=nope&difficulty=easy&seed=1", "unknown family"),
    ("/practice?family=dropout&difficulty=extreme&seed=1", "easy, medium or hard"),
    ("/practice?family=dropout&difficulty=easy&seed=-1", "whole number"),
    ("/practice?family=dropout&difficulty=easy&seed=99999999999999999999", "whole number"),
    ("/practice?family=dropout&difficulty=easy", "'seed' is missing"),
    ("/practice?family=<script>&difficulty=easy&seed=1", "not a family id"),
    ("/practice?family=adam-trace&difficulty=easy&seed=1&convention=keras", "convention"),
    ("/start?what=topic:nowhere", "no topic"),
    ("/exam.zip?bank=../../etc/passwd&seed=1", "no bank"),
    ("/next?after=%00", "not a valid value"),
])
def test_malformed_requests_are_400_with_a_message(client, url, needle):
    response = client.get(url)
    text = html.unescape(response.text)
    assert response.status_code == 400 and needle in text and "Traceback" not in text
    assert "<script>" not in response.text


def test_malformed_and_hostile_posts(client, db):
    _, fields = open_problem(client, "dropout", "easy", 12)
    for bad, needle in [({**fields, "sitting": "x"}, "'sitting' must be"),
                        ({k: v for k, v in fields.items() if k != "started"}, "'started'"),
                        ({**fields, "family": "no-such"}, "unknown family"),
                        ({**fields, "ans_a_0": "9" * 300_000}, "too large")]:
        response = client.post("/answer", data=bad)
        assert response.status_code == 400 and needle in html.unescape(response.text), (needle, response.text[-400:])
    cross = client.post("/answer", data=fields, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 400 and "another site" in cross.text
    fresh = create_app(str(db)).test_client()  # no visit cookie
    assert fresh.post("/answer", data=fields).status_code == 400
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 400
    assert read_attempts(db) == []


def test_progress_page(client):
    _, fields = open_problem(client, "sgd-trace", "easy", 3)
    post(client, fields, ans_a="3")
    page = client.get("/progress").text
    assert "Mastery and recent accuracy" in page and "<svg" in page
    row = re.search(r'<th scope="row">optimization</th><td>(\d+)</td>', page)
    assert row and row.group(1) == "1"
    assert "sgd-trace · easy · seed 3" in page


def test_printable_exam_zip(client):
    response = client.get("/exam.zip?bank=losses&seed=7")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert sorted(names) == ["losses-7-key.json", "losses-7-key.pdf", "losses-7.pdf"]
    assert zipfile.ZipFile(io.BytesIO(response.data)).read("losses-7.pdf")[:5] == b"%PDF-"


def test_choices_are_radio_buttons_and_shapes_have_a_field_per_dimension(client, db):
    problem = build_problem("normalization", 1, "medium")
    page, fields = open_problem(client, "normalization", "medium", 1)
    choice = problem.part("c")
    assert page.text.count('type="radio" name="ans_c"') == len(choice.choices)
    assert page.text.count('name="ans_a_') == len(problem.part("a").answer)
    wrong_letter = next(letter for letter in choice.choices if letter != choice.answer)
    dims = {f"ans_a_{i}": d.lower() for i, d in enumerate(problem.part("a").answer)}  # c for C
    result = post(client, fields, ans_c=wrong_letter, **dims)
    assert feedback(result, "a")[0] == "correct" and feedback(result, "c")[0] == "wrong"
    assert f'value="{wrong_letter}" checked' in result.text  # the radio keeps the choice
    result = post(client, fields, ans_c="z<svg onload=alert(1)>")
    css, text = feedback(result, "c")
    assert css == "unreadable" and "not one of the choices" in text and "<svg onload" not in result.text
    shape = post(client, fields, ans_b_0="1", ans_b_1="C, 1", ans_b_2="1", ans_b_3="1")
    assert "one value per box" in feedback(shape, "b")[1]
    assert [(r.part, r.verdict) for r in read_attempts(db)] == [("a", "correct"), ("c", "wrong")]


def test_no_url_puts_words_on_the_page(client):
    _, fields = open_problem(client, "dropout", "easy", 12)
    page = client.get(f"/practice?family=dropout&difficulty=easy&seed=12&sitting={fields['sitting']}"
                      "&u_a=Your+account+is+locked&why=Call+us")
    assert "Your account is locked" not in page.text and "Call us" not in page.text


# ------------------------------------------------------------------- the conceptual kinds (issue 11)
CONCEPT = ("regularization-concepts", "hard", 1)  # choice, truefalse (d), multi (e), short (g), a plot


def concept_problem():
    family, difficulty, seed = CONCEPT
    return build_problem(family, seed, difficulty)


def test_concept_inputs_checkboxes_tf_radios_and_text_areas(client):
    problem = concept_problem()
    page, _ = open_problem(client, *CONCEPT)
    e, d, g = problem.part("e"), problem.part("d"), problem.part("g")
    assert (e.kind, d.kind, g.kind) == ("multi", "truefalse", "short")
    for letter in e.choices:
        assert f'type="checkbox" name="ans_e_{letter}" value="{letter}"' in page.text
    assert 'name="ans_d" value="T"' in page.text and 'name="ans_d" value="F"' in page.text
    assert re.search(r'<label class="why" for="why_d">Justification for part d</label><textarea id="why_d"', page.text)
    assert 'textarea name="ans_g"' in page.text
    # the figure: an SVG plot whose series are the figure's numbers (the same data as the PDF's)
    svg = re.search(r"<svg[^>]*class=\"plot\".*?</svg>", page.text, re.S).group(0)
    names = re.findall(r'class="series" data-name="([^"]+)"', svg)
    assert names == [s["name"] for s in problem.figure["series"]]
    titles = re.findall(r"<title>([^<]+)</title>", svg)
    first = problem.figure["series"][1]
    assert f"{first['name']}, epoch 3: {first['y'][2]:g}" in titles


def test_multi_partial_credit_and_tf_verdict(client, db):
    problem = concept_problem()
    _, fields = open_problem(client, *CONCEPT)
    e, d = problem.part("e"), problem.part("d")
    right, wrong_letters = e.answer, [k for k in sorted(e.choices) if k not in e.answer]
    flipped = "T" if d.answer == "F" else "F"
    page = post(client, fields, check="all", **{f"ans_e_{k}": k for k in right[:2]},
                ans_d=d.answer, why_d="  because the larger\nnetwork fits noise  ")
    css, text = feedback(page, "e")
    share = e.points / len(right)  # docs/grading.md: each right option marked earns points / #right
    assert css == "partly" and f"{2 * share:g} / {e.points}" in " ".join(text.split())
    assert f"missed ({right[2]})" in text
    css, text = feedback(page, "d")
    text = " ".join(text.split())
    assert css == "correct" and f"{d.points - d.hand_points:g} / {d.points}" in text
    assert f"the statement is {'True' if d.answer == 'T' else 'False'}" in text and "Model answer" in text
    stored = {r.part: r for r in read_attempts(db)}
    assert stored["e"].answer == ", ".join(right[:2]) and stored["e"].points == pytest.approx(2 * share)
    assert stored["d"].answer == f"{d.answer} because the larger network fits noise"
    # a wrong option ticked takes a share away; the flipped T/F is wrong and names the belief
    page = post(client, fields, check="all", **{f"ans_e_{k}": k for k in right[:2] + wrong_letters[:1]},
                ans_d=flipped, why_d="x")
    assert f"{share:g} / {e.points}" in " ".join(feedback(page, "e")[1].split())
    css, text = feedback(page, "d")
    assert css == "wrong" and d.misconceptions[0].name in " ".join(text.split())


@pytest.mark.parametrize("why", ["? not obvious, but a larger network fits noise", "/ see the plot",
                                 "or false if the data were larger; here it holds", "F-score aside, it holds"])
def test_a_justification_never_turns_the_chosen_verdict_into_a_hedge(client, db, why):
    """The verdict is a radio button: what the student writes in the box is reasoning, even when it
    starts with "?", "/" or "or false" (the typed-sheet reader refuses those after a bare T)."""
    problem = concept_problem()
    _, fields = open_problem(client, *CONCEPT)
    d = problem.part("d")
    page = post(client, fields, check="d", ans_d=d.answer, why_d=why)
    css, text = feedback(page, "d")
    assert css == "correct", " ".join(text.split())


def test_self_marking_a_justification_is_recorded(client, db):
    problem = concept_problem()
    _, fields = open_problem(client, *CONCEPT)
    d, g = problem.part("d"), problem.part("g")
    page = post(client, fields, check="all", ans_d=d.answer, why_d="it overfits more", ans_g="val loss minimum")
    assert 'name="mark_d_0"' in page.text and 'name="mark_g_1"' in page.text
    css, text = feedback(page, "g")
    assert css == "hand" and "for hand grading" in text and g.rubric[0]["idea"] in " ".join(text.split())
    page = post(client, fields, selfmark="d", mark_d_1="1")
    auto = d.points - d.hand_points
    css, text = feedback(page, "d")
    text = " ".join(text.split())
    assert f"{auto + d.rubric[1]['points']:g} / {d.points}" in text and "You marked yourself 1 of 2" in text
    rows = [r for r in read_attempts(db) if r.part == "d"]
    assert len(rows) == 2 and rows[1].answer == rows[0].answer and rows[1].points == auto + 1
    # marking again replaces the marking; a new answer is pending again
    page = post(client, fields, selfmark="d", mark_d_0="1", mark_d_1="1")
    assert f"{d.points:g} / {d.points}" in " ".join(feedback(page, "d")[1].split())
    page = post(client, fields, check="d", ans_d=d.answer, why_d="another reason")
    assert "when you mark your written answer" in feedback(page, "d")[1]
    assert "So far" in page.text


@pytest.mark.parametrize("extra, needle", [
    ({"selfmark": "a"}, "only a written answer can be self-marked"),
    ({"selfmark": "zz"}, "only a written answer can be self-marked"),
    ({"selfmark": "g"}, "check part g with a written answer before marking it"),
    ({"selfmark": "d", "mark_d_7": "1"}, "not in the rubric"),
])
def test_bad_self_marking_posts_are_400(client, extra, needle):
    _, fields = open_problem(client, *CONCEPT)
    post(client, fields, check="d", ans_d="T", why_d="a reason")
    sent = client.post("/answer", data={**fields, **extra})
    assert sent.status_code == 400 and needle in html.unescape(sent.text)


@pytest.mark.parametrize("answers, needle", [
    ({"ans_e_a": "z"}, "option (a) was posted as"),
    ({"ans_d": "maybe"}, "true or false must be T or F"),
    ({"why_d": "no verdict chosen"}, "choose True or False"),
])
def test_hand_made_concept_fields_are_unreadable(client, db, answers, needle):
    _, fields = open_problem(client, *CONCEPT)
    page = post(client, fields, check="all", **answers)
    assert needle in html.unescape(page.text)
    assert read_attempts(db) == []
