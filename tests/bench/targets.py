"""Which socket servers a run compares: ours, the Node peer, the obvious-way baseline."""
from __future__ import annotations

import argparse
from typing import Callable

from tests.bench.harness import Server, node_peer, python_baseline


def add_socket_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ours", choices=["server", "baseline"], default="server",
                        help="what stands for our side: `python -m server serve` (signed-in "
                             "sockets, the product's events), or the obvious-way python-socketio server")
    parser.add_argument("--with-baseline", action="store_true",
                        help="also run the obvious-way python-socketio server as a third column")
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-core", type=int, default=1)
    parser.add_argument("--deflate", action="store_true",
                        help="the generator offers permessage-deflate, as browsers do")


def socket_targets(args: argparse.Namespace, workload: str, sockets: int
                   ) -> list[tuple[str, Callable[[], Server]]]:
    """(column, factory) pairs in run order; each factory starts nothing until called."""
    core = args.server_core
    if args.ours == "server":
        from tests.bench.ours_live import live_server
        ours: Callable[[], Server] = lambda: live_server(args, workload, sockets)
    else:
        ours = lambda: python_baseline(core)
    columns = [("ours", ours), ("peer", lambda: node_peer(core))]
    if args.with_baseline and args.ours != "baseline":
        columns.append(("baseline", lambda: python_baseline(core)))
    return columns
