"""Typed errors. The CLI turns each into one line on stderr and exit status 2."""


class ProbgenError(Exception):
    """A problem with what the user asked for (bad option, bad file); never a bug."""


class UnknownFamily(ProbgenError):
    pass


class BadKnob(ProbgenError):
    """A difficulty, convention, count or seed that the family cannot take."""


class BankError(ProbgenError):
    pass
