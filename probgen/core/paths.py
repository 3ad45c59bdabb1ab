"""Where the project's data folders live.

The repository keeps `templates/`, `banks/` and `docs/` at its top level. A built wheel carries
them inside the package (`probgen/templates`, `probgen/banks`, `probgen/docs`: setup.py's build
step copies them in), so an installed probgen finds them with importlib.resources; a source
checkout or an editable install (`pip install -e .`) has no such copies and reads the folders
beside the package.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the source checkout (meaningless in an installed wheel)
DATA_FOLDERS = ("templates", "banks", "docs")
_extracted = ExitStack()
atexit.register(_extracted.close)


def data_dir(name: str) -> Path:
    """The folder of shipped data `name` (one of DATA_FOLDERS), as a real file-system path."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}")
    shipped = resources.files("probgen").joinpath(name)
    if shipped.is_dir():
        if isinstance(shipped, Path):
            return shipped
        # a package imported from a zip: unpack the folder once for this process
        return Path(_extracted.enter_context(resources.as_file(shipped)))
    return ROOT / name


TEMPLATES_DIR = data_dir("templates")
BANKS_DIR = data_dir("banks")
DOCS_DIR = data_dir("docs")
OUTPUT_DIR = Path("output")
