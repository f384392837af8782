"""Render the HAProxy configuration for a list of nodes.

    python -m server.ops.haproxy --bind :80 --node a=10.0.0.11:8080 --node b=10.0.0.12:8080
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import jinja2

TEMPLATE = Path(__file__).with_name("haproxy.cfg.j2")
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def render(bind: str, nodes: list[tuple[str, str]], *, stats_bind: str = "127.0.0.1:8404",
           maxconn: int = 4096) -> str:
    """The configuration text for these (name, host:port) nodes."""
    for name, _ in nodes:
        if not _NAME.match(name):
            raise ValueError(f"node name {name!r} must be letters, digits, '.', '_' or '-'")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE.parent),
                                     trim_blocks=True, lstrip_blocks=True,
                                     keep_trailing_newline=True, autoescape=False)
    return environment.get_template(TEMPLATE.name).render(
        bind=bind, nodes=nodes, stats_bind=stats_bind, maxconn=maxconn)


def _node(raw: str) -> tuple[str, str]:
    name, sep, address = raw.partition("=")
    if not sep or ":" not in address:
        raise argparse.ArgumentTypeError(f"expected NAME=HOST:PORT, got {raw!r}")
    return name, address


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m server.ops.haproxy", description=__doc__)
    parser.add_argument("--bind", default=":8080", help="where HAProxy listens (default :8080)")
    parser.add_argument("--node", type=_node, action="append", required=True,
                        help="a node as NAME=HOST:PORT; repeat for each node")
    parser.add_argument("--stats", default="127.0.0.1:8404", help="HAProxy's own status page")
    parser.add_argument("--maxconn", type=int, default=4096,
                        help="connections at once; HAProxy needs about twice as many open files")
    args = parser.parse_args(argv)
    print(render(args.bind, args.node, stats_bind=args.stats, maxconn=args.maxconn), end="")


if __name__ == "__main__":
    main()
