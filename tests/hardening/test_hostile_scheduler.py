"""--scheduler given what is not a Dask scheduler's address, or an address where something else answers: one line
saying so, exit 2 for a value that cannot be an address, exit 6 for a cluster that cannot do the run; never an
internal error, a traceback, or a wait for a connection that cannot be made."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from hostile import ROOT, run_cli, stderr_lines

SAMPLE = ROOT / "samples" / "qingpu-2021.txt"


@pytest.mark.parametrize("address", [
    "tcp://host:99999", "tcp://host:0", "tcp://[::1", "tcp://[::1]:99999", "tcp://[zz]:8786",
    "tcp://" + "a" * 10_000 + ":8786", "tcp://" + "a." * 200 + ":8786", "tcp://a..b:8786",
    "tcp://$(id):8786", "tcp://a;id:8786", "tcp://`id`:8786", "tcp://-oProxyCommand=x:8786",
])
def test_a_value_that_cannot_be_an_address_is_a_usage_error(tmp_path, address):
    """Ports past 65535 and hosts of shell syntax were accepted and tried for 10 s (exit 6); a 10,000-character
    host ended in an IDNA error with a traceback of Dask's Client."""
    started = time.monotonic()
    proc = run_cli(SAMPLE, "--out", tmp_path / "out", "--no-cache", "--scheduler", address, timeout=60)
    assert proc.returncode == 2, proc.stderr[-2000:]
    [line] = stderr_lines(proc)
    assert line.startswith("error: scheduler must be an address such as tcp://HOST:PORT") and len(line) < 400
    assert time.monotonic() - started < 8 and not (tmp_path / "out").exists()


@pytest.fixture
def not_a_scheduler():
    """A service on localhost that answers like a web server."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_a_service_that_is_not_a_scheduler_is_said_to_be_one_line_and_soon(tmp_path, not_a_scheduler):
    """Its answer read as a Dask frame made numpy allocate 3 EiB: an internal error (exit 1) after 21 s, then a
    traceback of the Client's cleanup."""
    started = time.monotonic()
    proc = run_cli(SAMPLE, "--out", tmp_path / "out", "--no-cache", "--scheduler", not_a_scheduler, timeout=60)
    assert proc.returncode == 6, proc.stderr[-2000:]
    [line] = stderr_lines(proc)
    assert line.startswith(f"error: cannot reach the Dask scheduler at {not_a_scheduler}")
    assert "is it a Dask scheduler?" in line
    assert time.monotonic() - started < 8


def test_tls_without_dask_tls_settings_says_what_is_missing(tmp_path):
    """Dask raised a TypeError (exit 1, an internal error) and spent 20 s closing its Client."""
    started = time.monotonic()
    proc = run_cli(SAMPLE, "--out", tmp_path / "out", "--no-cache", "--scheduler", "tls://127.0.0.1:8786",
                   timeout=60)
    assert proc.returncode == 6, proc.stderr[-2000:]
    [line] = stderr_lines(proc)
    assert "tls:// needs Dask's TLS settings" in line and time.monotonic() - started < 8
