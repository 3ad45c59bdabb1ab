"""Where the project's data folders live (the repository root holds templates/ and banks/)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
BANKS_DIR = ROOT / "banks"
OUTPUT_DIR = Path("output")
