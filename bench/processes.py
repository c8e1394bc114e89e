"""Running one ``bench.child`` task in a fresh process: bounded in time, killed by its process id
when it overruns, and timed from the parent's side (start of the process to its first answer)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ChildFailed(RuntimeError):
    pass


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TOKENIZERS_PARALLELISM": "false",
           "ANONYMIZED_TELEMETRY": "False", "ORT_DISABLE_TELEMETRY": "1", "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    return env | (extra or {})


def run_child(task: str, args: dict, *, timeout: float, env: dict[str, str] | None = None,
              python_flags: tuple[str, ...] = ()) -> dict:
    """Run the task; returns its RESULT plus ``wall_s`` (process start to exit) and, for cold-start
    tasks, ``ready_s`` (process start to the first answer). Its stderr is passed through as progress."""
    command = [sys.executable, *python_flags, "-m", "bench.child", task, json.dumps(args)]
    lines: queue.Queue = queue.Queue()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env=child_env(env), stdout=subprocess.PIPE,
                            stderr=None if not python_flags else subprocess.PIPE, text=True)

    def read() -> None:
        for line in proc.stdout:
            lines.put((time.perf_counter(), line))
        lines.put((time.perf_counter(), None))

    threading.Thread(target=read, daemon=True).start()
    stderr_text = ""
    if python_flags:  # -X importtime writes to stderr: collect it instead of showing it
        def collect() -> None:
            nonlocal stderr_text
            stderr_text = proc.stderr.read()

        collector = threading.Thread(target=collect, daemon=True)
        collector.start()
    ready_at = result = None
    deadline = started + timeout
    while True:
        try:
            at, line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
        except queue.Empty:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            raise ChildFailed(f"{task} did not finish within {timeout:g} s (killed)") from None
        if line is None:
            break
        if line.startswith("READY") and ready_at is None:
            ready_at = at
        elif line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
    code = proc.wait()
    wall = time.perf_counter() - started
    if python_flags:
        collector.join(timeout=10)
    if code != 0 or result is None:
        raise ChildFailed(f"{task} failed (exit code {code})")
    result["wall_s"] = wall
    if ready_at is not None:
        result["ready_s"] = ready_at - started
    if python_flags:
        result["stderr"] = stderr_text
    return result


def import_costs(stderr_text: str, top: int = 12) -> list[dict]:
    """The packages that cost most to import, from ``python -X importtime`` output: each package's
    largest cumulative time (which includes what it imports in turn, so the rows overlap)."""
    totals: dict[str, int] = {}
    for line in stderr_text.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line[len("import time:"):].split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        package = fields[2].strip().split(".")[0]
        totals[package] = max(totals.get(package, 0), int(fields[1]))
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:top]
    return [{"package": name, "seconds": round(us / 1e6, 3)} for name, us in ranked]
