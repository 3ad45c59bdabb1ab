"""The safe answer parser: what students type is read right, hostile text is refused fast,
and no student text ever reaches eval, exec, sympify or parse_expr."""

import builtins
import math
import time

import pytest
import sympy

from probgen.grading.parse import (
    MAX_CHARS, ReadError, parse_choice, parse_expression, parse_list, parse_number, parse_shape,
)

# (typed text, value computed here with math, independently of the parser)
NUMBERS = [
    ("0.25", 0.25), ("-1.5e-3", -0.0015), ("3/4", 0.75), ("ln(2)", math.log(2)), ("log(2)", math.log(2)),
    ("sqrt(2)/2", math.sqrt(2) / 2), ("e^-1", math.exp(-1)), ("exp(-1)", math.exp(-1)),
    ("σ(1)", 1 / (1 + math.exp(-1))), ("sigmoid(1)", 1 / (1 + math.exp(-1))), ("−0.5", -0.5),
    ("2 × 3", 6.0), ("2 · 3", 6.0), ("0·25", 0.25), ("·5", 0.5), ("2**3", 8.0), ("2^3", 8.0), ("-2^2", -4.0), ("2^-1", 0.5),
    ("2^3^2", 2.0 ** 9), ("√2", math.sqrt(2)), ("3²", 9.0), (" 1.5 ", 1.5), (".5", 0.5), ("1e3", 1000.0),
    ("2(3+1)", 8.0), ("2*(3+1)", 8.0), ("(1+2)(3)", 9.0), ("tanh(0.5)", math.tanh(0.5)), ("pi/2", math.pi / 2),
    ("π", math.pi), ("1 - 2 - 3", -4.0), ("12/3/2", 2.0), ("max(1, -3)", 1.0), ("4÷8", 0.5),
]


@pytest.mark.parametrize("text, value", NUMBERS)
def test_numbers_students_type(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


def test_vectors_and_matrices():
    assert parse_list("[0.1, -0.2]") == [0.1, -0.2]
    assert parse_list("[[1, 2], [3, 4]]") == [[1, 2], [3, 4]]
    assert parse_list("[3/4, ln(2), −1]") == pytest.approx([0.75, math.log(2), -1])


def test_decimal_comma_gets_a_hint():
    with pytest.raises(ReadError, match="decimals with a point"):
        parse_number("1,5")


@pytest.mark.parametrize("text", ["[1, 2", "1, 2]", "[[1, 2], [3, 4]", "[]"])
def test_malformed_lists(text):
    with pytest.raises(ReadError):
        parse_list(text)


def test_expressions_build_the_right_sympy_objects():
    u, x, y = sympy.symbols("u x y")
    names = ["u", "x", "y"]
    assert parse_expression("2*u*cos(x) + y", names) == 2 * u * sympy.cos(x) + y
    assert parse_expression("2u cos(x) + y", names) == 2 * u * sympy.cos(x) + y
    assert parse_expression("e^-u", names) == sympy.exp(-u)
    assert parse_expression("σ(u)", names) == 1 / (1 + sympy.exp(-u))
    assert parse_expression("ln(x)/x^2", names) == sympy.log(x) / x ** 2
    assert parse_expression("0.5*u", names) == u / 2  # decimals are exact rationals
    # products written without '*' between the problem's own names
    assert parse_expression("4xcos(u)", names) == 4 * x * sympy.cos(u)
    assert parse_expression("uy", names) == u * y
    assert parse_expression("xe^u", names) == x * sympy.exp(u)  # the power binds to e only
    with pytest.raises(ReadError, match=r"write sin\(\.\.\.\) with brackets"):
        parse_expression("sinx", names)
    # a function of one number or name without brackets, as the key prints "ln 3"
    assert parse_expression("ln 3", names) == sympy.log(3)
    assert parse_expression("2 ln 3 + 1", names) == 2 * sympy.log(3) + 1
    assert parse_expression("ln x^2", names) == sympy.log(x ** 2)
    assert parse_expression("ln x/2", names) == sympy.log(x) / 2
    assert parse_expression("σ 1", names) == 1 / (1 + sympy.exp(-1))
    assert parse_number("ln 3") == pytest.approx(1.0986122886681098, rel=1e-15)
    for ambiguous in ("ln 2x", "sin u cos u", "ln 3 (2)"):  # ln(2x) or ln(2)·x? ask for brackets
        with pytest.raises(ReadError, match=r"with brackets around its argument"):
            parse_expression(ambiguous, names)


@pytest.mark.parametrize("text, dims", [
    ("N x 1", ["N", 1]), ("(N, 1)", ["N", 1]), ("1×C×1×1", [1, "C", 1, 1]), ("(1, C, 1, 1)", [1, "C", 1, 1]),
    ("[C]", ["C"]), ("(C,)", ["C"]), ("Nx1", ["N", 1]), ("1x1x1", [1, 1, 1]), ("N x D", ["N", "D"]),
])
def test_shapes(text, dims):
    expected = [sympy.Integer(d) if isinstance(d, int) else sympy.Symbol(d) for d in dims]
    assert parse_shape(text) == expected


def test_choices():
    options = {"a": "x", "b": "y", "c": "z"}
    assert [parse_choice(t, options) for t in ("b", "(b)", "B", "b)", " c ")] == ["b", "b", "b", "b", "c"]
    with pytest.raises(ReadError, match="not one of the choices"):
        parse_choice("e", options)


HOSTILE = [
    "__import__('os').system('echo hacked')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.real",
    "u.__class__",
    "lambda: 1",
    "(lambda u: u)(2)",
    "exec('1')",
    "eval('1')",
    "open('/etc/passwd')",
    "9**9**9**9",
    "9^9^9^9",
    "10^10^10",
    "(10^30)^(10^30)",
    "2**100000",
    "e^e^e^e^e",
    "exp(exp(exp(exp(100))))",
    "1e999999",
    "1" * 5000,
    "(" * 200 + "1" + ")" * 200,
    "-" * 500 + "1",
    "[" * 200 + "1" + "]" * 200,
    "1\x00", "1\x07 + 2", "\x1b[2J", "1\u202e2",
    "x" * (1 << 20),
    "1+" * 2000 + "1",
    "sin(" * 100 + "1" + ")" * 100,
]


# Harmless as symbols: SymPy keeps exp(exp(...)) unevaluated, so an expression may hold it.
SYMBOLIC_OK = {"e^e^e^e^e", "exp(exp(exp(exp(100))))"}


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:30]))
@pytest.mark.parametrize("kind", ["number", "list", "expression", "shape"])
def test_hostile_input_is_refused_fast(text, kind):
    readers = {
        "number": parse_number,
        "list": parse_list,
        "expression": lambda t: parse_expression(t, ["u", "x", "y"]),
        "shape": parse_shape,
    }
    t0 = time.perf_counter()
    if kind == "expression" and text in SYMBOLIC_OK:
        value = readers[kind](text)
        assert value.func == sympy.exp
    else:
        with pytest.raises(ReadError) as info:
            readers[kind](text)
        assert str(info.value)
    assert time.perf_counter() - t0 < 0.25


def test_huge_line_has_a_clear_message():
    with pytest.raises(ReadError, match="too long"):
        parse_number("1" * (MAX_CHARS + 1))
    with pytest.raises(ReadError, match="control character"):
        parse_number("1\x07")
    with pytest.raises(ReadError, match="unknown name 'os'"):
        parse_expression("os", ["u"])


def test_student_text_never_reaches_eval_or_sympify(monkeypatch):
    seen = []

    def spy(name):
        real = {"eval": builtins.eval, "exec": builtins.exec, "sympify": sympy.sympify,
                "parse_expr": sympy.parsing.sympy_parser.parse_expr}[name]

        def refuse(*args, **kwargs):
            if args and isinstance(args[0], str):  # source text (imports exec code objects)
                seen.append((name, args[0]))
                raise AssertionError(f"{name} called on text {args[0]!r}")
            return real(*args, **kwargs)
        return refuse

    monkeypatch.setattr(builtins, "eval", spy("eval"))
    monkeypatch.setattr(builtins, "exec", spy("exec"))
    monkeypatch.setattr(sympy, "sympify", spy("sympify"))
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", spy("parse_expr"))
    texts = ["2*u*cos(x) + y", "ln(2)", "σ(u)", "__import__('os')", "u.real", "Max(0, u)"] + HOSTILE[:10]
    for text in texts:
        for reader in (parse_number, parse_list, parse_shape, lambda t: parse_expression(t, ["u", "x", "y"])):
            try:
                reader(text)
            except ReadError:
                pass
    assert seen == []


def test_trailing_dots_and_hints_for_what_students_copy():
    # "0.333..." (a decimal that goes on) is the decimal; "exact ≈ decimal" as the key prints it
    # is that value when the two agree (else refused naming both: test_typed_forms.py); a
    # percentage is refused with a hint that says what to write instead
    assert parse_number("0.333...") == 0.333
    assert parse_number("−0.333…") == -0.333
    assert parse_list("[0.333..., 1.5]") == [0.333, 1.5]
    assert parse_number("ln(3) ≈ 1.0986") == math.log(3)
    with pytest.raises(ReadError, match=r"'ln\(3\)' \(1\.099\) and '1\.0986' are different values"):
        parse_number("ln(3) ≈ 1.0986", tolerance=0)
    with pytest.raises(ReadError, match=r"50% is 0\.5"):
        parse_number("50%")
    for bad in ("1...2", "...", "0.5."):
        with pytest.raises(ReadError):
            parse_number(bad)
