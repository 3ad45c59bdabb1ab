"""Renderers: lay out problems as terminal text or PDF. They format; they never compute."""

from ..core.lazy import defer_import

# reportlab.lib.utils imports PIL.Image at import time (10-15 ms of CPU, issue 14) for bitmaps, and
# probgen's PDFs embed none: PIL is imported when something first reads it (matplotlib, a bitmap).
defer_import("PIL.Image")
