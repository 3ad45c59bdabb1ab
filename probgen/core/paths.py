"""Where the project's data folders live (the repository root holds templates/ and banks/)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "templates"
BANKS_DIR = ROOT / "banks"
OUTPUT_DIR = Path("output")
