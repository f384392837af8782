"""Garbage collection for a long-running node holding thousands of sockets.

CPython's full collections walk every tracked object; with 10,000 sockets that is a pause of
most of a second, felt as a latency spike by every client. What exists once start-up is done
(modules, routes, templates, the app) lives as long as the process: frozen, collections skip
it. Younger generations are collected less often, so full collections come rarely.
"""
from __future__ import annotations

import gc

from aiohttp import web

THRESHOLDS = (20_000, 20, 100)  # CPython's defaults are (700, 10, 10)


async def settle_after_start(app: web.Application) -> None:
    """Run last at start-up: collect what start-up left, freeze the rest, space collections out."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
