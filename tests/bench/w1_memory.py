"""Where an idle socket's bytes go: W1's sockets on a node that traces its allocations.

The node (`python -m server serve`, tracemalloc on) writes a snapshot and its objects
counted by type whenever it gets SIGUSR1; the generator opens W1's signed-in sockets and
this runner asks for one snapshot before and one after, then prints the difference per
socket: by allocation site, by file, and by object type.

    python -m tests.bench.w1_memory --sockets 3000
"""
from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import pickle
import signal
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from tests.bench.harness import Server, log, open_files_limit, rss_kib, run_loadgen

DUMP_DIR = "BENCH_MEMORY_DUMP_DIR"


def _dump(signum=None, frame=None) -> None:
    """Snapshot and object counts into the dump directory, numbered in order, then a marker."""
    gc.collect()
    folder = Path(os.environ[DUMP_DIR])
    index = len(list(folder.glob("snapshot-*.pickle")))
    counts = collections.Counter(type(o).__qualname__ for o in gc.get_objects())
    tracemalloc.take_snapshot().dump(str(folder / f"snapshot-{index}.pickle"))
    (folder / f"types-{index}.json").write_text(json.dumps(counts))
    (folder / f"done-{index}").touch()


def node(frames: int) -> None:
    """`python -m server serve`, tracing allocations `frames` deep, dumping on SIGUSR1."""
    tracemalloc.start(frames)
    signal.signal(signal.SIGUSR1, _dump)
    from server.cli import main as serve
    serve(["serve"])


def _ask_dump(server: Server, index: int, timeout: float = 120) -> None:
    folder = Path(server.env[DUMP_DIR])
    server.process.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    while not (folder / f"done-{index}").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the node wrote no snapshot")
        time.sleep(0.2)


def report(folder: Path, sockets: int, top: int, depth: int) -> dict:
    """The growth from snapshot 0 to snapshot 1, per socket."""
    before = tracemalloc.Snapshot.load(str(folder / "snapshot-0.pickle"))
    after = tracemalloc.Snapshot.load(str(folder / "snapshot-1.pickle"))
    per = lambda size: round(size / sockets, 1)
    total = sum(s.size_diff for s in after.compare_to(before, "filename"))
    by_file = [[s.traceback[0].filename.split("site-packages/")[-1].split("main/")[-1],
                per(s.size_diff), round(s.count_diff / sockets, 2)]
               for s in after.compare_to(before, "filename")[:top]]
    by_line = [[str(s.traceback[0]).split("site-packages/")[-1], per(s.size_diff),
                round(s.count_diff / sockets, 2)]
               for s in after.compare_to(before, "lineno")[:top]]
    by_trace = []
    for stat in after.compare_to(before, "traceback")[:top]:
        frames = [f"{f.filename.split('site-packages/')[-1].split('main/')[-1]}:{f.lineno}"
                  for f in reversed(stat.traceback[-depth:])]  # the allocating frame first
        by_trace.append({"bytes_per_socket": per(stat.size_diff),
                         "blocks_per_socket": round(stat.count_diff / sockets, 2), "stack": frames})
    types_before = collections.Counter(json.loads((folder / "types-0.json").read_text()))
    types_after = collections.Counter(json.loads((folder / "types-1.json").read_text()))
    types_after.subtract(types_before)
    by_type = [[name, round(n / sockets, 2)] for name, n in types_after.most_common(top)]
    return {"sockets": sockets, "traced_bytes_per_socket": per(total), "by_file": by_file,
            "by_line": by_line, "by_traceback": by_trace, "gc_objects_per_socket": by_type}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.w1_memory", description=__doc__)
    parser.add_argument("--sockets", type=int, default=3000)
    parser.add_argument("--frames", type=int, default=12, help="stack depth traced per allocation")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--depth", type=int, default=8, help="frames shown per traceback")
    parser.add_argument("--deflate", action="store_true", help="the generator offers permessage-deflate")
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-core", type=int, default=1)
    parser.add_argument("--node", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.node:
        return node(args.frames)
    open_files_limit()
    from tests.bench import ours_live
    from tests.bench.ours import our_server

    plan_server = ours_live.live_server(args, "idle", args.sockets)  # accounts and the plan
    folder = tempfile.mkdtemp(prefix="bench-memory-")
    server = our_server(args.server_core, extra_env={DUMP_DIR: folder})
    server.argv = [sys.executable, "-m", "tests.bench.w1_memory", "--node", "--frames", str(args.frames)]
    rss: list[int] = []
    reached: dict = {}

    def on_mark(name: str, line: dict) -> None:
        time.sleep(2)  # handshakes finish
        rss.append(rss_kib(server.pid))
        if name == "reached":
            reached.update(line)
        _ask_dump(server, len(rss) - 1)
        log(f"{name}: rss={rss[-1]} KiB")

    loadgen = ["--workload", "idle", "--counts", str(args.sockets), "--max-s", "880",
               *plan_server.loadgen_args]
    with server:
        run_loadgen(server.url, args.client_core, loadgen + (["--deflate"] if args.deflate else []),
                    on_mark, timeout=900)
    connected = reached.get("connected") or args.sockets
    out = report(Path(folder), connected, args.top, args.depth)
    out["rss_kib_per_socket_traced_node"] = round((rss[1] - rss[0]) / connected, 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
