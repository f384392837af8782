"""python -m server serve|migrate|worker|...: every process starts here, on uvloop."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import Callable

import uvloop
from aiohttp import web

from domain.errors import DomainError
from server.app import create_app
from server.db.migrate import migrate
from server.embedded import Embedded
from server.logs import setup_logging
from server.ops.drain import drain_on_sigterm
from server.ops.gc_tuning import settle_after_start
from server.settings import Settings, SettingsError, load_settings
from server.worker import run_worker, worker_ctx

log = logging.getLogger(__name__)
COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int | None]] = {}
PARSER = argparse.ArgumentParser(prog="python -m server", description="CESI EATS")
SUBCOMMANDS = PARSER.add_subparsers(dest="command", required=True)


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    """Register a sub-command; its function gets the parsed arguments and settings."""
    def register(function):
        arguments(SUBCOMMANDS.add_parser(name, help=help_text))
        COMMANDS[name] = function
        return function
    return register


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations on start")
    parser.add_argument("--with-worker", action="store_true", help="also run the worker jobs in this process")


@command("serve", "serve REST, pages, static files and Socket.IO", _serve_arguments)
def serve(args: argparse.Namespace, settings: Settings) -> None:
    if settings.migrate_on_start and not args.no_migrate:
        asyncio.run(migrate(settings.database_url))
    app = create_app(settings)
    drain_on_sigterm(app, settings.drain_grace_s)
    if args.with_worker:
        app.cleanup_ctx.append(worker_ctx)
    app.on_startup.append(settle_after_start)  # last: after every resource has opened
    url = f"http://{settings.host}:{settings.port}"
    web.run_app(app, host=settings.host, port=settings.port, access_log=None,
                print=lambda _: log.info("listening", extra={"url": url}),
                shutdown_timeout=10, handler_cancellation=True)


@command("migrate", "apply pending database migrations")
def migrate_command(args: argparse.Namespace, settings: Settings) -> None:
    applied = asyncio.run(migrate(settings.database_url))
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))


@command("worker", "run the outbox relay and timers until SIGTERM")
def worker(args: argparse.Namespace, settings: Settings) -> None:
    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await run_worker(create_app(settings), stop)
    asyncio.run(main())


def _staff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", required=True, choices=["sales", "tech"])
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--name", required=True)


@command("create-staff", "create a sales or tech account", _staff_arguments)
def create_staff(args: argparse.Namespace, settings: Settings) -> int:
    from server.accounts.staff import create_staff_account

    try:
        user_id = asyncio.run(create_staff_account(settings, args.role, args.email,
                                                   args.password, args.name))
    except DomainError as exc:
        print(f"error: {exc.detail}" + "".join(f"; {e['field']} {e['message']}" for e in exc.errors),
              file=sys.stderr)
        return 1
    print(f"created {args.role} account {user_id} for {args.email}")
    return 0


def main(argv: list[str] | None = None) -> None:
    args = PARSER.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    setup_logging(settings.log_level)
    uvloop.install()
    embedded = Embedded()
    settings = embedded.fill(settings)
    result = COMMANDS[args.command](args, settings)
    raise SystemExit(result or 0)


import server.demo.commands  # noqa: E402,F401  (registers seed and simulate)
import server.components.commands  # noqa: E402,F401  (registers publish-component)
