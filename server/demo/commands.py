"""The `seed` and `simulate` sub-commands of python -m server."""
from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

import msgspec

from server.cli import command
from server.demo.seed import DEMO_PASSWORD, SeedRefused, seed
from server.demo.sim.options import SimOptions
from server.demo.sim.runner import NotReady, Stop, simulate
from server.demo.sim.stats import summary_text
from server.demo.welcome import sign_in_lines, summary_lines
from server.settings import Settings


def _seed_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password", default=DEMO_PASSWORD,
                        help=f"the password of every demo account (default: {DEMO_PASSWORD})")
    parser.add_argument("--if-empty", action="store_true",
                        help="seed only a database with no restaurant yet (what `make run` does)")


@command("seed", "create the demo city (idempotent; never in production)", _seed_arguments)
def seed_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.if_empty and settings.is_production:
        return 0  # `make run` in production: there is nothing to seed, and nothing to say
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


def _simulate_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = SimOptions()
    add = parser.add_argument
    add("--base-url", default=defaults.base_url, help="the node (or load balancer) to talk to")
    add("--customers", type=int, default=defaults.customers, help="customers played")
    add("--restaurants", type=int, default=defaults.restaurants, help="restaurants whose kitchen is played")
    add("--couriers", type=int, default=defaults.couriers, help="couriers played")
    add("--rate", type=float, default=defaults.rate, help="orders a minute, over all customers")
    add("--duration", type=float, default=defaults.duration, help="seconds of new orders (0: until Ctrl-C)")
    add("--drain", type=float, default=defaults.drain, help="seconds left to orders in flight at the end")
    add("--seed", type=int, default=defaults.seed, help="which accounts, carts and delays: same seed, same run")
    add("--password", default=defaults.password, help="the demo accounts' password")
    add("--pace", type=float, default=defaults.pace, help="kitchens and customers act this many times faster")
    add("--speed", type=float, default=defaults.speed, help="couriers ride this many times faster (capped)")
    add("--fix-interval", type=float, default=defaults.fix_interval, help="seconds between GPS fixes")
    for rate in ("refuse", "decline", "cancel"):
        add(f"--{rate}-rate", type=float, default=getattr(defaults, f"{rate}_rate"))
    add("--max-trip-km", type=float, default=None, help="customers order no farther than this")
    add("--report", default=None, help="also write the summary as JSON to this file")


@command("simulate", "play customers, kitchens and couriers against a running node", _simulate_arguments)
def simulate_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        options = msgspec.convert({k: v for k, v in vars(args).items() if k in SimOptions.__struct_fields__},
                                  SimOptions)
    except msgspec.ValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(_simulate(options))
    except NotReady as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n" + summary_text(report), flush=True)
    if options.report:
        Path(options.report).write_bytes(msgspec.json.encode(report))
    return 1 if report.errors else 0


async def _simulate(options: SimOptions):
    stop = Stop()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.ask)
    return await simulate(options, stop)
