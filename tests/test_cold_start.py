"""Issue 14's cold-start measures that are behaviour, not speed: what a process entry does that
an in-process call must not."""

import gc
import subprocess
import sys
from pathlib import Path

from probgen.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_the_process_entry_freezes_the_collector_before_exit_and_a_call_with_argv_does_not():
    code = ("import gc, sys\nfrom probgen.cli import main\nsys.argv = ['probgen', 'list']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
            "print('frozen', gc.get_freeze_count() > 1000)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=120).stdout
    assert out.splitlines()[-2:] == ["exit 0", "frozen True"]
    assert "adam-trace" in out  # the command itself ran
    before = gc.get_freeze_count()
    try:
        main(["list"])
    except SystemExit as exc:
        assert exc.code == 0
    assert gc.get_freeze_count() <= before  # nothing frozen (frozen objects may be freed meanwhile)


def test_a_one_sheet_exam_pauses_the_collector_only_in_a_process_of_its_own(tmp_path):
    code = ("import gc, sys\nfrom probgen.cli import main\n"
            f"sys.argv = ['probgen', 'exam', '--bank', 'optimization', '--seed', '2', '-o', {str(tmp_path)!r}]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
            "print('collecting', gc.isenabled())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=300).stdout
    assert out.splitlines()[-2:] == ["exit 0", "collecting False"]
    assert len(list(tmp_path.glob("optimization-2*"))) == 3
    assert gc.isenabled()
    try:
        main(["exam", "--bank", "optimization", "--seed", "2", "-o", str(tmp_path / "again")])
    except SystemExit as exc:
        assert exc.code == 0
    assert gc.isenabled()  # called with argv (as here): the collector is left alone
    for path in tmp_path.glob("optimization-2*"):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes()
