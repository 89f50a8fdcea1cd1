"""`council serve` as an attacker and an unlucky user meet it (issue 26, item 8): odd paths are answered
400 or 404 and the server goes on, a foreign Host header is refused (DNS rebinding), and a port in use
is reported before anything is built."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import TinyProject, free_port


@dataclass
class Served:
    port: int
    process: subprocess.Popen[str]
    output: list[str]

    def ask(self, path: bytes, host: bytes | None = None, method: bytes = b"GET") -> tuple[int, bytes]:
        """The status and body of one raw request: no client library tidies the path first."""
        host = host if host is not None else f"127.0.0.1:{self.port}".encode()
        request = method + b" " + path + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n"
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as connection:
            connection.sendall(request)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        assert answer, f"the server dropped the connection on {path!r} without an answer"
        head, _, body = answer.partition(b"\r\n\r\n")
        return int(head.split()[1]), body


def start(root: Path, *args: str) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    return process, lines


@pytest.fixture
def served(project: TinyProject) -> Iterator[Served]:
    project.note("one.md", title="One")
    port = free_port()
    process, lines = start(project.root, "--port", str(port))
    output: list[str] = []
    deadline = time.monotonic() + 240
    while not any("serving http://" in line for line in output):
        assert time.monotonic() < deadline and process.poll() is None, "".join(output)
        try:
            output.append(lines.get(timeout=0.5))
        except queue.Empty:
            pass
    try:
        yield Served(port, process, output)
    finally:
        process.terminate()
        process.wait(timeout=30)
        while not lines.empty():
            output.append(lines.get())


ODD_PATHS = [
    b"/%00/etc/passwd",
    b"/%00",
    b"/briefings/%00.html",
    b"/index.html%00.txt",
    b"/%0a/../etc/passwd",
    b"/%7f",
    b"/../../../../etc/passwd",
    b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    b"/..%2f..%2f..%2fetc%2fpasswd",
    b"/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    b"/%ff%fe/",
    b"/" + b"a" * 5000,
    b"/" + b"a" * 5000 + b"/",
    b"/" + b"ab/" * 2000 + b"index.html",
    b"/briefings/one/" + b"%2e%2e%2f" * 40 + b"etc/passwd",
    b"/__council__/../../etc/passwd",
    b"/\\..\\..\\etc\\passwd",
]


@pytest.mark.parametrize("method", [b"GET", b"HEAD"])
def test_odd_paths_are_answered_and_the_server_goes_on(served: Served, method: bytes) -> None:
    for path in ODD_PATHS:
        status, body = served.ask(path, method=method)
        assert status in (400, 404), (path, status)
        assert b"root:" not in body
    status, body = served.ask(b"/briefings/one/")
    assert status == 200 and b"One" in body
    assert served.process.poll() is None
    assert not any("Traceback" in line for line in served.output), "".join(served.output)


def test_only_this_machines_names_are_answered(served: Served) -> None:
    """A page on attacker.example whose name is rebound to 127.0.0.1 sends its own name as Host."""
    port = str(served.port).encode()
    for host in (b"127.0.0.1:" + port, b"localhost:" + port, b"LOCALHOST", b"[::1]:" + port, b"127.0.0.1"):
        assert served.ask(b"/briefings/one/", host=host)[0] == 200, host
    for host in (
        b"attacker.example:" + port,
        b"attacker.example",
        b"localhost.attacker.example",
        b"127.0.0.1.nip.io",
        b"[::1",
        b"",
    ):
        status, body = served.ask(b"/briefings/one/", host=host)
        assert status == 403 and b"One" not in body, host
    assert served.ask(b"/__council__/state", host=b"attacker.example")[0] == 403


def test_a_port_in_use_is_reported_before_building(project: TinyProject) -> None:
    project.note("one.md", title="One")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "council", "serve", "--port", str(port)],
            cwd=project.root,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode != 0
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and str(port) in errors[0] and "in use" in errors[0], result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert not (project.root / "site").exists() and not (project.root / "build" / "cache").exists()  # nothing built
    assert time.monotonic() - started < 20
