"""Reading a student's typed answer, step 2: a recursive-descent parser over the tokens.

The grammar hands each node to a *builder* (see builders.py), so the same grammar computes
floats or builds SymPy objects; nothing is ever evaluated as Python.
"""

from __future__ import annotations

from .lexer import BARE_ARGUMENT, CONSTANTS, FUNCTIONS, MAX_DEPTH, ReadError, tokenize
from .sameval import brief
from .tokenscan import matching, tokens_text, value_ends


class _Parser:
    """answer := list | expr;  list := '[' item (',' item)* ']'  (item: list | expr)
    expr := term (('+'|'-') term)*;  term := unary (('*'|'/') unary | implicit factor)*
    unary := ('+'|'-') unary | power;  power := primary ('^' unary)?   (right-associative)
    primary := number | name | function '(' args ')' | '(' expr ')'"""

    def __init__(self, tokens, builder):
        self.tokens = tokens
        self.i = 0
        self.b = builder
        self.depth = 0
        # one flag per open bracket: True inside a list without commas, where whitespace
        # separates entries as NumPy prints them ([-1.075 -1.325], [[1 0] [0 1]])
        self.spaced_lists: list[bool] = []
        # numbers, vectors, matrices (FloatBuilder): a bracket after a value is another form of it
        # (2.197 (ln 9)), never a product; `entry_depths`: the depth of each value being read
        self.forms = getattr(builder, "forms", False)
        self.form_starts: list[int] = []  # where each value being read in forms mode starts
        self.entry_depths: list[int] = []

    @property
    def kind(self) -> str:
        return self.tokens[self.i][0]

    def take(self) -> tuple[str, str, bool]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str) -> None:
        if self.kind != kind:
            raise ReadError(f"expected '{kind}' {self._where()}")
        self.i += 1

    def _where(self) -> str:
        kind, text, _ = self.tokens[self.i]
        return "at the end" if kind == "end" else f"before '{text}'"

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ReadError(f"it is nested too deeply (more than {MAX_DEPTH} levels)")

    def answer(self, allow_list: bool):
        value = self.list_() if allow_list and self.kind == "[" else self.entry()
        if self.kind != "end":
            if self.kind in ("num",) or (self.kind == "[" and allow_list):
                raise ReadError(f"a ',' or an operator is missing {self._where()}")
            if self.kind == ",":
                raise ReadError("unexpected ',' (write decimals with a point, 0.5; lists in brackets, [1, 2])")
            raise ReadError(f"unexpected '{self.tokens[self.i][1]}'")
        return value

    def list_(self):
        self.enter()
        self.expect("[")
        spaced = self._scan_list()
        self.spaced_lists.append(spaced)
        items = []
        while True:
            items.append(self.list_() if self.kind == "[" else self.entry())
            if self.kind == ",":
                self.i += 1
                continue
            if self.kind == "]":
                self.i += 1
                break
            if spaced and self.at_separator():
                continue
            raise ReadError(f"expected ',' or ']' {self._where()}")
        self.spaced_lists.pop()
        self.depth -= 1
        return items

    def _scan_list(self) -> bool:
        """Looks ahead over this list's own level: True when it has no comma (entries are then
        separated by whitespace). A comma between two whole numbers with no space around it, in
        a list whose other commas are followed by a space, is a decimal comma: refused."""
        level, j = 0, self.i
        commas = []
        while self.tokens[j][0] != "end":
            kind = self.tokens[j][0]
            if kind in ("(", "["):
                level += 1
            elif kind in (")", "]"):
                if level == 0:
                    break
                level -= 1
            elif kind == "," and level == 0:
                commas.append(j)
            j += 1
        if not commas:
            return True
        tight = [j for j in commas if _tight_integers(self.tokens, j)]
        if tight and any(self.tokens[j + 1][2] for j in commas):
            a, b = self.tokens[tight[0] - 1][1], self.tokens[tight[0] + 1][1]
            raise ReadError(f"'{a},{b}' looks like a decimal comma: write {a}.{b}, and separate "
                            "entries with ', '")
        return False

    def at_separator(self) -> bool:
        """In a whitespace-separated list, at the start of the next entry: a number or '['
        after a space, or a sign after a space and stuck to what follows (NumPy's `1 -2`)."""
        if not (self.spaced_lists and self.spaced_lists[-1]):
            return False
        kind, _, spaced = self.tokens[self.i]
        if kind == "[":
            return True
        if not spaced:
            return False
        if kind == "num":
            return True
        if kind not in ("+", "-"):  # (the end token is last: nothing after it to look at)
            return False
        after = self.tokens[self.i + 1]
        return not after[2] and after[0] in ("num", "name", "(")

    def entry(self):
        """A whole value: an answer or a list's entry. With `forms`, it may be written in several
        forms joined by '=', '≈' or '~' (`ln 9 ≈ 2.197`, `≈ 0.665`), or followed by a bracketed
        form (`2.197 (ln 9)`), read as one value by the builder's `same`."""
        self.entry_depths.append(self.depth)
        if self.forms and self.kind == "name" and self.tokens[self.i + 1][0] == "~" \
                and self.tokens[self.i][1] not in CONSTANTS and self.tokens[self.i][1].lower() not in FUNCTIONS:
            self.i += 1  # [x = 1, y = 0]: the name of the entry
        if self.forms and self.kind == "~":  # ≈ 0.665
            self.i += 1
        start = self.i
        value = self._one_form()
        forms = [(self._text(start, self.i), value)]
        while self.forms and self.kind == "~":
            self.i += 1
            start = self.i
            other = self._one_form()
            forms.append((self._text(start, self.i), other))
        if len(forms) > 1:
            value = self.b.same(forms, "")
        self.entry_depths.pop()
        return value

    def _one_form(self):
        """One form of a value, maybe with a bracketed form after it (`2.197 (ln 9)`): with a space
        before the bracket never a product; right against a lone number, the product when the two
        forms disagree (`4(768² + 768)`)."""
        start = self.i
        self.form_starts.append(start)
        try:
            value = self.expr()
        finally:
            self.form_starts.pop()
        if self.forms and self.kind == "(":
            glued = self.tokens[self.i - 1][0] == "num" and not self.tokens[self.i][2]
            end, close = self.i, self._matching(self.i)
            self.enter()
            self.i += 1
            self.spaced_lists.append(False)
            if self.kind == "~":  # 2.197 (≈ ln 9)
                self.i += 1
            inner = self.i
            try:
                other = self.expr()
            except ReadError as exc:
                shown = brief(self._text(inner, close)) if close > 0 else "…"
                raise ReadError(f"'({shown})' after the value is read as another form of it, and {exc}") from None
            inner_end = self.i
            self.expect(")")
            self.spaced_lists.pop()
            self.depth -= 1
            first, second = self._text(start, end), self._text(inner, inner_end)
            product = f"{brief(first)}*({brief(second)})"
            if not self._entry_ends():
                raise ReadError(f"'{brief(first)} ({brief(second)})': a bracket after a number is another form "
                                f"of its value (2.197 (ln 9)), never a product: write {product} for a product")
            try:
                value = self.b.same([(first, value), (second, other)], product)
            except ReadError:
                if not glued:
                    raise
                value = self.b.mul(value, other)
        return value

    def _bracket_form(self) -> bool:
        """At a '(' after a value, in `forms` mode: whether the bracket is a form of the value.
        After a number always where the bracket ends the value (with a space between them a
        product is refused; unspaced, see `_one_form`); after a function's value or a
        constant when the bracket ends the value. A number before '(' elsewhere is refused."""
        before = self.tokens[self.i - 1]
        if before[0] != "num" and not self._value_ends(self.i - 1):
            return False
        at_entry = bool(self.entry_depths) and self.depth == self.entry_depths[-1]
        if before[0] == "num" and not self.tokens[self.i][2]:
            # unspaced: where it ends the value, a form if the two agree (2.197(ln 9)), else the
            # textbook product (4(768² + 768), as the worked solutions print it): `_one_form`
            alone = bool(self.form_starts) and self.form_starts[-1] == self.i - 1  # not 1 + 2(0.5)
            return at_entry and alone and self._closes_entry(self.i)
        if at_entry and (before[0] == "num" or self._closes_entry(self.i)):
            return True
        if before[0] == "num":
            close = self._matching(self.i)
            inside = brief(self._text(self.i + 1, close)) if close > 0 else "…"
            raise ReadError(f"'{before[1]} ({inside})': a bracket after a number is not read as a product: "
                            f"write {before[1]}*({inside})")
        return False

    def _closes_entry(self, j: int) -> bool:
        close = self._matching(j)
        if close < 0:
            return False
        kind, _, spaced = self.tokens[close + 1]
        return kind in ("end", ",", "]", "~") or (bool(self.spaced_lists and self.spaced_lists[-1]) and spaced
                                            and kind in ("num", "[", "+", "-"))

    def _entry_ends(self) -> bool:
        return self.kind in ("end", ",", "]", "~") or self.at_separator()

    def _text(self, start: int, end: int) -> str:
        return tokens_text(self.tokens, start, end)

    def _value_ends(self, j: int) -> bool:
        return value_ends(self.tokens, j)

    def _matching(self, j: int) -> int:
        return matching(self.tokens, j)

    def expr(self):
        value = self.term()
        while self.kind in ("+", "-") and not self.at_separator():
            op = self.take()[0]
            right = self.term()
            value = self.b.add(value, right) if op == "+" else self.b.sub(value, right)
        return value

    def term(self):
        value = self.unary()
        while True:
            if self.kind in ("*", "/"):
                op = self.take()[0]
                right = self.unary()
                value = self.b.mul(value, right) if op == "*" else self.b.div(value, right)
            elif self.kind in ("name", "("):  # implicit product: 2u, 2 cos(x), (a+b)(c)
                if self.forms and self.kind == "(" and self._bracket_form():
                    return value  # 2.197 (ln 9): `entry` reads the bracket as a second form
                value = self.b.mul(value, self.power())
            else:
                return value

    def unary(self):
        if self.kind in ("+", "-"):
            op = self.take()[0]
            self.enter()
            value = self.unary()
            self.depth -= 1
            return self.b.neg(value) if op == "-" else value
        return self.power()

    def power(self):
        base = self.primary()
        if self.kind == "^":
            self.i += 1
            self.enter()
            exponent = self.unary()
            self.depth -= 1
            return self.b.pow(base, exponent)
        return base

    def primary(self):
        kind, text, _ = self.tokens[self.i]
        if kind == "num":
            self.i += 1
            return self.b.number(text)
        if kind == "name":
            self.i += 1
            symbols = getattr(self.b, "symbols", {})
            if text.lower() in FUNCTIONS and text not in symbols:  # Max, Abs: as SymPy writes them
                return self.call(text.lower())
            if text not in symbols and text not in CONSTANTS:
                pieces = _split_name(text, symbols, self.kind == "(") if symbols else None
                if pieces:  # "xcos(u)" is x·cos(u), "uy" is u·y when u and y are the problem's symbols
                    return self._product_of(pieces)
                if self.kind == "(":
                    raise ReadError(f"unknown function '{text}' (known: {', '.join(FUNCTIONS)})")
                fname = next((f for f in FUNCTIONS if text.lower().startswith(f)), None)
                if fname and len(text) > len(fname):
                    raise ReadError(f"write {fname}(...) with brackets, not '{text}'")
            return self.b.name(text)
        if kind == "(":
            self.i += 1
            self.enter()
            self.spaced_lists.append(False)
            value = self.expr()
            if self.kind == ",":
                raise ReadError("write a list in square brackets: [1, 2, 3]")
            self.expect(")")
            self.spaced_lists.pop()
            self.depth -= 1
            return value
        if kind == "end":
            raise ReadError("it ends too early")
        if kind == "[":
            raise ReadError("a list is not expected here")
        raise ReadError(f"unexpected '{text}'")

    def _product_of(self, pieces: list[str]):
        factors = [self.call(p) if p in FUNCTIONS else self.b.name(p) for p in pieces]
        if self.kind == "^":  # xe^u is x·e^u: the power binds to the last piece only
            self.i += 1
            self.enter()
            factors[-1] = self.b.pow(factors[-1], self.unary())
            self.depth -= 1
        value = factors[0]
        for factor in factors[1:]:
            value = self.b.mul(value, factor)
        return value

    def call(self, fname: str):
        self.enter()
        if self.kind == "^" and fname in BARE_ARGUMENT:  # tanh²(1) = tanh(1)², as the key prints it
            start = self.i + 1
            self.i += 1
            exponent = self.primary()
            if not (self.kind == "(" and self._text(start, self.i).strip("()").isdigit()):
                raise ReadError(f"write {fname}(...)^n for a power of {fname}")
            value = self.b.pow(self.call(fname), exponent)
            self.depth -= 1
            return value
        if self.kind != "(":
            if fname == "sqrt":  # √2 reads as sqrt 2
                value = self.b.call(fname, [self.power()])
                self.depth -= 1
                return value
            if fname in BARE_ARGUMENT and self.kind in ("num", "name"):
                # ln 3, sin u, ln x^2 as the key's worked solutions print them; ln 2x is ambiguous
                value = self.b.call(fname, [self.power()])
                if self.kind in ("num", "name", "(") and not (self.kind == "(" and self.forms):
                    raise ReadError(f"write {fname}(...) with brackets around its argument")
                self.depth -= 1
                return value
            raise ReadError(f"write {fname}(...) with brackets")
        self.i += 1
        self.spaced_lists.append(False)
        args = [self.expr()]
        while self.kind == ",":
            self.i += 1
            args.append(self.expr())
        self.expect(")")
        self.spaced_lists.pop()
        self.depth -= 1
        return self.b.call(fname, args)


def _tight_integers(tokens, j: int) -> bool:
    """The comma at j sits between two whole numbers with no space on either side: 0,6."""
    before, comma, after = tokens[j - 1], tokens[j], tokens[j + 1]
    return (before[0] == "num" and after[0] == "num" and not comma[2] and not after[2]
            and before[1].isdigit() and after[1].isdigit())


def _split_name(name: str, symbols, call_follows: bool) -> list[str] | None:
    """`name` as a run of known names written without '*' (xcos -> x, cos), or None. Only the
    last piece may be a function, and only when '(' follows."""
    if not name:
        return []
    for end in range(len(name), 0, -1):
        head = name[:end]
        rest = name[end:]
        if head in symbols or head in CONSTANTS:
            tail = _split_name(rest, symbols, call_follows)
            if tail is not None:
                return [head, *tail]
        elif head in FUNCTIONS and not rest and call_follows:
            return [head]
    return None


def parse_text(text: str, builder, allow_list: bool):
    tokens = tokenize(text, forms=getattr(builder, "forms", False))
    if tokens[0][0] == "end":
        raise ReadError("the answer is empty")
    try:
        return _Parser(tokens, builder).answer(allow_list)
    except RecursionError:  # belt and braces: MAX_DEPTH keeps recursion far below the limit
        raise ReadError("it is nested too deeply") from None

