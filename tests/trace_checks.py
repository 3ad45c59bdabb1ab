"""A check shared by the optimizer-trace tests (adam, adaptive, momentum, sgd)."""

import math

import numpy as np


def check_mistake(part, prefix, expected):
    """The mistake whose name starts with `prefix` has the value `expected`. The builder drops a
    mistake whose value is within 1% of the answer or of a mistake listed before it, so a
    missing one passes only if `expected` is indeed that close to one of those."""
    expected = np.atleast_1d(np.asarray(expected, dtype=float))
    listed = [np.atleast_1d(m.value) for m in part.misconceptions if m.name.startswith(prefix)]
    if listed:
        np.testing.assert_allclose(listed[0], expected, rtol=1e-9, atol=1e-12, err_msg=f"part {part.key}: {prefix}")
    else:
        others = [np.atleast_1d(part.answer)] + [np.atleast_1d(m.value) for m in part.misconceptions]
        assert any(len(o) == len(expected) and all(math.isclose(x, y, rel_tol=0.01, abs_tol=1e-12) for x, y in zip(expected, o))
                   for o in others), (part.key, prefix, expected)
