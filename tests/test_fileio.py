import os
import stat

import pytest

from probgen.fileio import write_atomic


def test_write_atomic_writes_with_normal_permissions(tmp_path):
    path = write_atomic(tmp_path / "sub" / "a.txt", "héllo")
    assert path.read_text("utf-8") == "héllo"
    mode = stat.S_IMODE(os.stat(path).st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_interrupted_write_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "key.json"
    target.write_text("old")

    def boom(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["key.json"]
