"""Run `python -m server ...` as a real process and wait for it to listen."""
from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """A child process whose JSON log lines are collected as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        full_env.update(env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", *args], cwd=ROOT, env=full_env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: queue.Queue[dict | None] = queue.Queue()
        self.log: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            try:
                line = json.loads(raw)
            except ValueError:
                line = {"msg": raw.rstrip()}
            self.log.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, message: str, timeout: float = 60) -> dict:
        """Block until a log line with this msg arrives; fail if the process dies first."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError(f"no {message!r} within {timeout}s; log: {self.log[-20:]}") from None
            if line is None:
                raise RuntimeError(f"process exited ({self.process.wait()}); log: {self.log[-20:]}")
            if line.get("msg") == message:
                return line

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def start_node(env: dict[str, str], *args: str, port: int | None = None) -> tuple[ServerProcess, str]:
    """Start `serve` on a free port and return it once it listens, with its base URL."""
    port = port or free_port()
    node = ServerProcess(["serve", *args], {"HOST": "127.0.0.1", "PORT": str(port), **env})
    node.wait_for("listening")
    return node, f"http://127.0.0.1:{port}"
