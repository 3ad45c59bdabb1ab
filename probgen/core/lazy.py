"""Deferred imports, so `probgen --help` and `probgen list` start without loading SymPy."""

import gc
import importlib
import sys
import threading
import types


class LazyModule:
    """Stands in for a module and imports it on first attribute access."""

    def __init__(self, name: str):
        self._name = name
        self._module = None

    def __getattr__(self, attr):
        module = self._module
        if module is None:
            module = self._module = import_in_bulk(self._name)
        return getattr(module, attr)


def import_in_bulk(name: str):
    """Import a large library (SymPy: some 450 modules) with the cyclic garbage collector paused,
    then move every object there is to the collector's permanent generation (gc.freeze): the
    import only makes objects that live as long as the process, and each collection would walk
    them all again, during the import and after it (about 50-90 ms of CPU for SymPy, issue 14)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        module = importlib.import_module(name)
        gc.freeze()
        return module
    finally:
        if collecting:
            gc.enable()


sympy = LazyModule("sympy")
numpy = LazyModule("numpy")
_LOCK = threading.RLock()


class _Deferred(types.ModuleType):
    """A module's stand-in in sys.modules until an attribute is first read: then the real module is
    imported (the stand-in leaves sys.modules and its parent package first) and every attribute is
    read from it. Under a lock, so two threads never see a module half imported."""

    def __getattr__(self, attr):
        with _LOCK:
            real = self.__dict__.get("_real_module")
            if real is None:
                name = self.__name__
                if sys.modules.get(name) is self:
                    del sys.modules[name]
                parent, _, child = name.rpartition(".")
                if parent and getattr(sys.modules.get(parent), child, None) is self:
                    delattr(sys.modules[parent], child)
                real = importlib.import_module(name)
                self.__dict__["_real_module"] = real
        return getattr(real, attr)


def defer_import(name: str) -> None:
    """Put a stand-in for module `name` in sys.modules (unless it is imported already), so a
    library that imports it at import time but reads it only in code probgen never runs does not
    pay for it (reportlab.lib.utils imports PIL.Image, for bitmaps; probgen's PDFs have none).
    `import name` and `from parent import child` then give the stand-in."""
    if name in sys.modules:
        return
    stand_in = _Deferred(name)
    sys.modules[name] = stand_in
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(importlib.import_module(parent), child, stand_in)


# True in a process started as `probgen` (cli.main without argv), which ends when its command does.
_PROCESS_ENTRY = {"on": False}


def mark_process_entry() -> None:
    _PROCESS_ENTRY["on"] = True


def one_shot() -> None:
    """Called by a command that makes one bounded thing (one exam sheet) and then ends the process:
    the cyclic garbage collector rests for the rest of the process (cli.main freezes its objects
    before the exit). Almost every object a cold run makes lives to the end (modules, fonts, the
    problems); walking them cost 15-25 ms of a cold exam (issue 14). Only in a process started as
    `probgen`; elsewhere (tests calling cli.main with argv, the web app) it does nothing."""
    if _PROCESS_ENTRY["on"]:
        gc.disable()
