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


# ------------------------------------------------------------- -o safety (issue 9, item 2)

import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from probgen.fileio import OutputError, write_output  # noqa: E402


def _probgen(*args, timeout_=300, **kw):
    return subprocess.run([sys.executable, "-m", "probgen", *args], capture_output=True, text=True,
                          timeout=timeout_, **kw)


def test_a_symlink_is_never_written_through(tmp_path):
    """A link is not followed: refused in one line; with --force the link itself is replaced by a
    file and what it pointed to is left as it was."""
    target = tmp_path / "real" / "notes.txt"
    target.parent.mkdir()
    target.write_text("my notes\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    proc = _probgen("export", "dropout", "--seed", "3", "-o", str(link))
    assert proc.returncode == 2 and "symbolic link" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert link.is_symlink() and target.read_text() == "my notes\n"
    proc = _probgen("export", "dropout", "--seed", "3", "-o", str(link), "--force")
    assert proc.returncode == 0, proc.stderr
    assert not link.is_symlink() and '"family": "dropout"' in link.read_text()
    assert target.read_text() == "my notes\n"
    assert proc.stdout.strip() == str(link)  # written paths go to stdout, like worksheet and exam
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere" / "x.json")
    with pytest.raises(OutputError, match="symbolic link"):
        write_atomic(dangling, "x")
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", [["export", "dropout", "--seed", "3", "-o", "{fifo}"],
                                     ["answer-sheet", "{key}", "-o", "{fifo}"]])
def test_a_fifo_is_refused_not_opened(tmp_path, command):
    """A FIFO with no reader used to block the command forever: it is looked at with lstat and refused."""
    key = tmp_path / "key.json"
    assert _probgen("export", "dropout", "-o", str(key)).returncode == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = _probgen(*[a.format(fifo=fifo, key=key) for a in command], timeout_=60)
    assert proc.returncode == 2, proc.stderr
    line, = proc.stderr.strip().splitlines()
    assert str(fifo) in line and "not a regular file" in line
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_refused_and_left_alone(tmp_path):
    for device in ("/dev/null", "/dev/full"):
        with pytest.raises(OutputError, match=f"{device}: not a regular file"):
            write_atomic(device, "x")
        assert stat.S_ISCHR(os.stat(device).st_mode)
    proc = _probgen("export", "dropout", "-o", "/dev/full", "--force")
    assert proc.returncode == 2 and "not a regular file" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_a_folder_or_a_socket_is_refused_in_one_line(tmp_path):
    import socket

    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path, "x")
    sock_path = tmp_path / "s"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(sock_path))
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(sock_path, "x")
    s.close()


def test_every_output_refuses_to_overwrite_a_different_file(tmp_path):
    key = tmp_path / "key.json"
    key.write_text("my notes\n")
    proc = _probgen("export", "dropout", "--seed", "3", "-o", str(key))
    assert proc.returncode == 2 and "--force" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert key.read_text() == "my notes\n"
    assert _probgen("export", "dropout", "--seed", "3", "-o", str(key), "--force").returncode == 0
    assert _probgen("export", "dropout", "--seed", "3", "-o", str(key)).returncode == 0  # the same bytes again
    # worksheet: one file of the three differs -> none is written
    out = tmp_path / "ws"
    assert _probgen("worksheet", "--section", "regularization", "--count", "1", "-o", str(out)).returncode == 0
    pdf = next(out.glob("*-key.pdf"))
    pdf.write_bytes(b"annotated by the TA")
    proc = _probgen("worksheet", "--section", "regularization", "--count", "1", "-o", str(out))
    assert proc.returncode == 2 and "--force" in proc.stderr and pdf.read_bytes() == b"annotated by the TA"
    with pytest.raises(OutputError):
        write_output(key, "other")


_AS_NOBODY = r"""
import os, sys
from probgen.cli import main

def run(args):
    try:
        main(args)
    except SystemExit as exc:
        return exc.code
# once as root into a scratch folder, so every module is imported before the privileges go
for args in (["export", "dropout", "-o", sys.argv[1] + "/warm.json"],
             ["answer-sheet", sys.argv[1] + "/warm.json", "-o", sys.argv[1] + "/warm.txt"],
             ["worksheet", "--section", "regularization", "--count", "1", "-o", sys.argv[1] + "/ws"]):
    run(args)
sys.stdout.flush(); sys.stderr.flush()
if os.getuid() == 0:
    os.setgid(65534); os.setuid(65534)
sys.stderr.write("---\n")
sys.exit(run(sys.argv[2:]))
"""


@pytest.mark.parametrize("command", [
    ["export", "dropout", "-o", "{ro}/key.json"],
    ["answer-sheet", "{scratch}/warm.json", "-o", "{ro}/answers.txt"],
    ["worksheet", "--section", "regularization", "--count", "1", "-o", "{ro}/ws"],
])
def test_a_read_only_folder_is_one_line_exit_2_as_a_normal_user(command):
    # CI runs as root, which may write anywhere: drop to 'nobody' in the child (after warming it up as
    # root, since nobody cannot read root's Python installation)
    base = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        base.chmod(0o755)
        ro, scratch = base / "ro", base / "scratch"
        ro.mkdir(mode=0o555)
        scratch.mkdir()
        ro.chmod(0o555)
        args = [a.format(ro=ro, scratch=scratch) for a in command]
        proc = subprocess.run([sys.executable, "-c", _AS_NOBODY, str(scratch), *args], capture_output=True,
                              text=True, timeout=300, cwd=str(Path(__file__).parents[1]))
        err = proc.stderr.split("---\n", 1)[1]
        assert proc.returncode == 2, proc.stderr
        line, = err.strip().splitlines()
        assert str(ro) in line and "Permission denied" in line and "internal error" not in line
        assert list(ro.iterdir()) == []
    finally:
        subprocess.run(["rm", "-rf", str(base)])
