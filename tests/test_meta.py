"""Every registered family is complete: template, bank, docs, tests with an independent check."""

import re
import tomllib
from pathlib import Path

import pytest

from probgen.core.paths import BANKS_DIR, ROOT, TEMPLATES_DIR
from probgen.core.registry import load_all

FAMILIES = sorted(load_all())


def _bank_families():
    ids = set()
    for path in BANKS_DIR.glob("*.toml"):
        for slot in tomllib.loads(path.read_text()).get("slot", []):
            ids.update([slot["family"]] if "family" in slot else slot.get("families", []))
    return ids


def test_there_are_families():
    assert "dropout" in FAMILIES


@pytest.mark.parametrize("fid", FAMILIES)
def test_family_is_complete(fid):
    fam = load_all()[fid]
    module = fid.replace("-", "_")
    assert type(fam).__module__ == f"probgen.families.{module}", "one module per family, named after its id"
    assert (TEMPLATES_DIR / fam.template_name).is_file(), "template missing"
    assert fid in _bank_families(), "family appears in no bank"
    doc = ROOT / "docs" / "families" / f"{fid}.md"
    assert doc.is_file(), f"{doc} missing"
    test = ROOT / "tests" / "families" / f"test_{module}.py"
    assert test.is_file(), f"{test} missing"
    source = test.read_text()
    assert re.search(r"def test_\w*independent", source), "no test_*independent* cross-check"
    assert "probgen.kit.solver" not in source, "the independent check must not use the solver's helpers"


def test_bank_files_name_only_registered_families():
    unknown = _bank_families() - set(FAMILIES)
    assert not unknown
