"""The `seed` and `simulate` sub-commands of python -m server."""
from __future__ import annotations

import argparse
import asyncio
import sys

from server.cli import command
from server.demo.seed import DEMO_PASSWORD, SeedRefused, seed
from server.demo.welcome import sign_in_lines, summary_lines
from server.settings import Settings


def _seed_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password", default=DEMO_PASSWORD,
                        help=f"the password of every demo account (default: {DEMO_PASSWORD})")
    parser.add_argument("--if-empty", action="store_true",
                        help="seed only a database with no restaurant yet (what `make run` does)")


@command("seed", "create the demo city (idempotent; never in production)", _seed_arguments)
def seed_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        result = asyncio.run(seed(settings, args.password, if_empty=args.if_empty))
    except SeedRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    base_url = f"http://{settings.host}:{settings.port}"
    if result.seeded:
        print("\n".join(summary_lines(result, base_url, args.password)))
    elif result.demo_present:
        print("\n".join(sign_in_lines(base_url, args.password)))
    else:
        print("The database already has restaurants of its own: the demo city was not added.")
    return 0
