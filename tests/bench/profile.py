"""py-spy around a measured window: where a Python server's time goes, in text.

py-spy is a benchmark tool, not a product dependency: the `bench` extra installs it
(`make bench-w*` does).
"""
from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


class Profile:
    """`py-spy record` of one process for `seconds`, pinned to `core`, non-blocking."""

    def __init__(self, pid: int, seconds: int, core: int, rate: int = 250) -> None:
        spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        self.path = Path(tempfile.mkdtemp(prefix="bench-profile-")) / "profile.txt"
        self.process = subprocess.Popen(
            ["taskset", "-c", str(core), spy, "record", "--pid", str(pid), "--duration", str(seconds),
             "--rate", str(rate), "--nonblocking", "--format", "raw", "--output", str(self.path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def summary(self, top: int = 15) -> dict:
        self.process.wait(timeout=120)
        return summarize(self.path.read_text(), top) | {"collapsed_stacks": str(self.path)}


def _frame_name(frame: str) -> str:
    # "function (path/to/module.py:line)" -> "function (module.py)"
    name, _, where = frame.partition(" (")
    return f"{name} ({Path(where.split(':')[0]).name})" if where else name


def summarize(collapsed: str, top: int = 15) -> dict:
    """Share of samples per frame: self (leaf) and inclusive (anywhere on the stack)."""
    own: collections.Counter = collections.Counter()
    inclusive: collections.Counter = collections.Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_frame_name(f) for f in stack.split(";")]
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    share = lambda counter: [[name, round(100 * n / total, 1)] for name, n in counter.most_common(top)]
    return {"samples": total, "self_pct": share(own), "inclusive_pct": share(inclusive)}


if __name__ == "__main__":
    import json

    print(json.dumps(summarize(Path(sys.argv[1]).read_text(), int(sys.argv[2]) if len(sys.argv) > 2 else 25), indent=1))
