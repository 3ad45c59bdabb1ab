"""Deferred imports, so `probgen --help` and `probgen list` start without loading SymPy."""

import importlib


class LazyModule:
    """Stands in for a module and imports it on first attribute access."""

    def __init__(self, name: str):
        self._name = name
        self._module = None

    def __getattr__(self, attr):
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)


sympy = LazyModule("sympy")
numpy = LazyModule("numpy")
