"""Typed keys for what the app factory stores on the application."""
from __future__ import annotations

import asyncpg
import redis.asyncio as aioredis
from aiohttp import web

from server.context import Context
from server.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
DB = web.AppKey("db", asyncpg.Pool)
REDIS = web.AppKey("redis", aioredis.Redis)
CONTEXT = web.AppKey("context", Context)
