"""`probgen serve` as a command: the port printed, the browser opened (or not), a busy port,
and the warning for a host other than loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def start(args, tmp_path, env_extra=None):
    env = {**os.environ, "PROBGEN_HOME": str(tmp_path), **(env_extra or {})}
    return subprocess.Popen([sys.executable, "-m", "probgen", "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def first_line(proc, timeout=60) -> str:
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return line


def stop(proc):
    proc.terminate()
    try:
        return proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def fake_browser(tmp_path):
    """A BROWSER command (the webbrowser module's override) that writes down the URL it got."""
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\necho "$1" >> {tmp_path}/opened.txt\n')
    script.chmod(0o755)
    return {"BROWSER": f"{script} %s"}


def test_the_port_is_printed_and_the_browser_opened(tmp_path):
    proc = start(["--port", "0"], tmp_path, fake_browser(tmp_path))
    try:
        line = first_line(proc)
        assert line.startswith("probgen serve: http://127.0.0.1:") and "Ctrl-C" in line
        url = line.split()[2]
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200 and b"What I need" in response.read()
        for _ in range(50):
            if (tmp_path / "opened.txt").exists():
                break
            time.sleep(0.1)
        assert (tmp_path / "opened.txt").read_text().strip() == url
    finally:
        stop(proc)


def test_no_browser_opens_none(tmp_path):
    proc = start(["--port", "0", "--no-browser"], tmp_path, fake_browser(tmp_path))
    try:
        first_line(proc)
        time.sleep(1.0)
        assert not (tmp_path / "opened.txt").exists()
    finally:
        stop(proc)


def test_a_busy_port_is_one_line_and_exit_2(tmp_path):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        proc = subprocess.run([sys.executable, "-m", "probgen", "serve", "--port", str(port), "--no-browser"],
                              capture_output=True, text=True, timeout=60, env={**os.environ, "PROBGEN_HOME": str(tmp_path)})
    finally:
        holder.close()
    assert proc.returncode == 2 and proc.stdout == ""
    line, = proc.stderr.strip().splitlines()
    assert f"port {port} on 127.0.0.1 is already in use" in line and "--port" in line


def test_another_host_warns(tmp_path):
    proc = start(["--host", "0.0.0.0", "--port", "0", "--no-browser"], tmp_path)
    try:
        first_line(proc)
    finally:
        _, err = stop(proc)
    assert "warning: --host 0.0.0.0" in err and "other computers" in err
