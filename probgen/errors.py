"""Typed errors. The CLI turns each into one line on stderr and exit status 2."""


class ProbgenError(Exception):
    """A problem with what the user asked for (bad option, bad file); never a bug."""


class UnknownFamily(ProbgenError):
    pass


class BadKnob(ProbgenError):
    """A difficulty, convention, count or seed that the family cannot take."""


class BankError(ProbgenError):
    pass


class Interrupted(BaseException):
    """SIGINT or SIGTERM: the CLI prints the message on one line and exits 128 + signum."""

    def __init__(self, signum: int, message: str = ""):
        super().__init__(message)
        self.signum, self.message = signum, message or ("interrupted" if signum == 2 else "terminated")
