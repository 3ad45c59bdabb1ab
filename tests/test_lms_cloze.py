"""The tests' Cloze parser on Moodle's documented examples, and probgen's Cloze escaping read
back through it."""

import pytest

from cloze_parser import ClozeError, outside, parse
from probgen.lms.blanks import Blank, Wrong
from probgen.lms.cloze import escape, subquestion


def test_documented_examples():
    # the examples of Moodle's "Embedded Answers (Cloze) question type" page
    subs = parse("Match the words: {1:SHORTANSWER:=Berlin} and {2:NUMERICAL:=23.8:0.1#Feedback for correct answer"
                 "~%50%23.8:2#Feedback for half credit} then {1:MULTICHOICE:California#Wrong~%100%Arizona#OK}")
    assert [s.kind for s in subs] == ["shortanswer", "numerical", "multichoice"]
    assert [s.weight for s in subs] == [1, 2, 1]
    num = subs[1].alternatives
    assert (num[0].value, num[0].margin, num[0].fraction, num[0].feedback) == (23.8, 0.1, 1.0, "Feedback for correct answer")
    assert (num[1].value, num[1].margin, num[1].fraction) == (23.8, 2.0, 0.5)
    assert subs[2].right[0].answer == "Arizona" and subs[2].wrong[0].feedback == "Wrong"
    assert parse("{:SA:=x}")[0].weight == 1


@pytest.mark.parametrize("bad", [
    "{1:NUMERICAL:=abc}",          # not a number
    "{1:NUMERICAL:=1:x}",          # margin not a number
    "{1:SHORTANSWER:%50%half}",    # no 100% answer
    "{1:MULTICHOICE:=only}",       # one option
    "{1:SHORTANSWER:=open",        # not closed
    "{1:ESSAY:=x}",                # unknown type
    "{1:SHORTANSWER:=a {1:SA:=b}}",  # nested
])
def test_malformed_is_refused(bad):
    with pytest.raises(ClozeError):
        parse(bad)


def test_escapes_read_back_whole():
    nasty = 'a } b # c ~ d / e " f \\ g \\} h \\# &lt;i&gt; &amp; {x}'
    blank = Blank("shortanswer", "", 1, value=nasty, accepted=[nasty, "2*C"],
                  wrong=[Wrong(nasty + "!", ["name } with ~ # syntax"], [""])])
    text = "before " + subquestion(blank, 3) + " after"
    [sub] = parse(text)
    assert outside(text) == "before  after"
    assert sub.weight == 3
    # the spelling decodes to the same HTML text (Moodle's shortanswer reads \* as a literal star)
    assert [a.answer for a in sub.right] == [nasty, "2\\*C"]
    assert sub.wrong[0].answer == nasty + "!"
    assert "<i>name } with ~ # syntax</i>" in sub.wrong[0].feedback


def test_numbers_and_margins():
    blank = Blank("numerical", "", 1, value=-0.0012345678901234, tolerance=1.2345e-05,
                  wrong=[Wrong(3e-20, ["tiny"], [""], 0.0), Wrong(12345678.0, ["big"], [""], 123456.78)])
    [sub] = parse(subquestion(blank, 1))
    assert (sub.right[0].value, sub.right[0].margin) == (-0.0012345678901234, 1.2345e-05)
    assert [(w.value, w.margin) for w in sub.wrong] == [(3e-20, 0.0), (12345678.0, 123456.78)]


def test_escape_is_one_pass():
    assert escape("}#~/\"\\&") == "\\}\\#&#126;&#47;&quot;&#92;&amp;"
