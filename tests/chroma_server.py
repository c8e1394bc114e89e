"""A real Chroma server on loopback for the tests (``chroma run``), started on a free port and
stopped by its process id. Nothing is downloaded: the server is the ``chroma`` command of the venv."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

READY_WITHIN_S = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chroma_command() -> str:
    beside = Path(sys.executable).with_name("chroma")
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the chroma command is not installed (pip install chromadb)")
    return found


@dataclass
class ChromaServer:
    host: str
    port: int
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        """Kill it by its process id (never by name) and reap it."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def start_server(data_dir: Path) -> ChromaServer:
    port = free_port()
    log = data_dir.with_suffix(".log")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [chroma_command(), "run", "--path", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
    server = ChromaServer("127.0.0.1", port, process, log)
    deadline = time.monotonic() + READY_WITHIN_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited early: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"chroma run did not answer within {READY_WITHIN_S:g} s")
