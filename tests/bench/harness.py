"""What every benchmark runner shares: pinned processes, /proc sampling, the Node generator."""
from __future__ import annotations

import json
import os
import queue
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
NODE_DIR = BENCH / "node"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def open_files_limit() -> int:
    """Raise our soft limit on open files to the hard one (children inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _ephemeral_ports() -> range:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low, high = map(int, f.read().split())
    return range(low, high + 1)


def free_port() -> int:
    """A free port below the kernel's ephemeral range: the generator's tens of thousands of
    outgoing sockets take ephemeral ports, and one of them could take a port we picked there
    before its server has bound it."""
    ephemeral = _ephemeral_ports()
    for _ in range(100):
        port = random.randrange(10000, ephemeral.start)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between 10000 and {ephemeral.start}")


def ensure_node_modules() -> None:
    if not (NODE_DIR / "node_modules" / "socket.io-client").is_dir():
        log("installing the Node load generator's packages (npm ci)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=NODE_DIR, check=True, timeout=300)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def machine(server_core: int, client_core: int) -> dict:
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "server_core": server_core,
            "client_core": client_core, "loadavg_1m": os.getloadavg()[0], "code": code_version()}


def code_version() -> str:
    """The commit measured, and whether the product's code differed from it (others at work)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    changed = git("status", "--porcelain", "--", "domain", "server", "web", "realtime")
    return git("rev-parse", "--short", "HEAD") + ("+uncommitted" if changed else "")


@dataclass
class Server:
    """A server under test, started pinned to one core; stopped by its own pid only."""

    name: str
    argv: list[str]
    port: int
    core: int | str  # what taskset -c takes: "0", or "0,1" for a set-up server
    env: dict[str, str] = field(default_factory=dict)
    ready_path: str = "/healthz"
    loadgen_args: list[str] = field(default_factory=list)  # e.g. a plan of tokens and orders
    # mark name -> what to do then (e.g. start or stop a publisher); returns the reply, if any
    hooks: dict[str, Callable[[dict], dict | None]] = field(default_factory=dict)
    on_stop: list[Callable[[], None]] = field(default_factory=list)
    note: str = ""  # what this side's figures do and do not cover
    options: dict = field(default_factory=dict)  # the run's settings, for hooks that need them
    process: subprocess.Popen | None = None
    log_file: object = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self, timeout: float = 60) -> "Server":
        env = {**os.environ, **self.env}
        # a file, not a pipe: reading a busy server's log lines would cost the runner CPU
        self.log_file = tempfile.TemporaryFile("w+")
        # taskset execs the command, so the pid we sample is the server's own
        self.process = subprocess.Popen(["taskset", "-c", str(self.core), *self.argv], cwd=ROOT,
                                        env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as response:
                    if response.status == 200:
                        log(f"{self.name} ready on {self.url} (pid {self.pid}, core {self.core})")
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"{self.name} not ready within {timeout}s")

    def log_tail(self, size: int = 4000) -> str:
        self.log_file.seek(max(0, self.log_file.seek(0, os.SEEK_END) - size))
        return self.log_file.read()

    def sample(self) -> dict:
        return {"cpu_s": cpu_seconds(self.pid), "rss_kib": rss_kib(self.pid), "at": time.monotonic()}

    def hook(self, mark: str, line: dict) -> dict | None:
        return self.hooks[mark](line) if mark in self.hooks else None

    def stop(self) -> None:
        for callback in self.on_stop:
            callback()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log_file:
            self.log_file.close()

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def node_peer(core: int) -> Server:
    port = free_port()
    return Server("node-socket.io", ["node", str(NODE_DIR / "peer_server.js"), "--port", str(port)],
                  port, core)


def python_baseline(core: int) -> Server:
    port = free_port()
    return Server("python-socketio-baseline",
                  [sys.executable, "-m", "tests.bench.baseline_sio", "--port", str(port)], port, core)


def run_loadgen(url: str, core: int, args: list[str], on_mark, timeout: float = 295) -> dict:
    """Run the Node generator pinned to `core`; on_mark(name, line) -> reply dict; the result."""
    ensure_node_modules()
    argv = ["taskset", "-c", str(core), "node", str(NODE_DIR / "loadgen.js"), "--url", url, *args]
    process = subprocess.Popen(argv, cwd=NODE_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for raw in process.stdout:
            lines.put(raw)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    try:
        while True:
            raw = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if raw is None:
                raise RuntimeError(f"load generator exited ({process.wait()}) without a result")
            line = json.loads(raw)
            if "error" in line:
                raise RuntimeError(f"load generator: {line['error']}")
            if "result" in line:
                return line["result"]
            reply = on_mark(line["mark"], line) or {}
            process.stdin.write((json.dumps(reply) if reply else "ok") + "\n")
            process.stdin.flush()
    except queue.Empty:
        raise TimeoutError(f"load generator gave no result within {timeout}s") from None
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def ratio(ours, peer) -> float | None:
    if ours is None or peer in (None, 0):
        return None
    return round(ours / peer, 3)


def emit(result: dict) -> None:
    print(json.dumps(result, separators=(",", ":")), flush=True)
