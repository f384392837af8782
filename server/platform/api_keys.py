"""API keys: created with scopes and shown once, stored hashed, revoked at once."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import string
import uuid
from datetime import datetime, timedelta, timezone

import asyncpg
import msgspec

from domain.accounts import Principal
from domain.api_keys import KEY_PREFIX, MAX_ACTIVE_KEYS, ApiKeyInput, Plan, Scope, format_key, parse_key
from domain.errors import Conflict, NotFound, Unauthenticated
from domain.roles import Role
from server.accounts.sessions import suspension_error
from server.context import Context
from server.platform import key_queries as queries

_PUBLIC_ALPHABET = string.ascii_lowercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits
_TOUCH_EVERY = timedelta(minutes=1)


class ApiKeyView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[Scope]
    plan: Plan
    created_at: datetime
    last_used_at: datetime | None


class CreatedApiKey(ApiKeyView, kw_only=True):
    """The one answer that carries the whole key: it is never shown again."""

    key: str


class KeyCaller(msgspec.Struct, frozen=True):
    """A request made with an API key: who it acts for, and which key it is."""

    principal: Principal
    key_id: uuid.UUID
    name: str
    plan: Plan


def _hash(secret: str) -> bytes:
    # a fast hash is right here: the secret is ~238 random bits, not a guessable password
    return hashlib.sha256(secret.encode()).digest()


def _view(row: asyncpg.Record, kind: type = ApiKeyView, **extra) -> ApiKeyView:
    return kind(id=row["id"], name=row["name"], prefix=KEY_PREFIX + row["public_id"],
                scopes=[Scope(s) for s in row["scopes"] if s in Scope._value2member_map_],
                plan=Plan(row["plan"]), created_at=row["created_at"],
                last_used_at=row["last_used_at"], **extra)


async def create_key(ctx: Context, user_id: uuid.UUID, data: ApiKeyInput) -> CreatedApiKey:
    public_id = "".join(secrets.choice(_PUBLIC_ALPHABET) for _ in range(12))
    secret = "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40))
    scopes = sorted(set(data.scopes))
    async with ctx.db.acquire() as conn, conn.transaction():
        await queries.lock_owner(conn, user_id)
        if await queries.count_active_keys(conn, user_id) >= MAX_ACTIVE_KEYS:
            raise Conflict(f"at most {MAX_ACTIVE_KEYS} active keys; revoke one first",
                           code="too-many-keys")
        row = await queries.insert_key(conn, user_id=user_id, name=data.name.strip(),
                                       public_id=public_id, secret_hash=_hash(secret),
                                       scopes=[str(s) for s in scopes])
    return _view(row, CreatedApiKey, key=format_key(public_id, secret))


async def list_keys(ctx: Context, user_id: uuid.UUID) -> list[ApiKeyView]:
    async with ctx.db.acquire() as conn:
        return [_view(row) for row in await queries.active_keys(conn, user_id)]


async def revoke_key(ctx: Context, user_id: uuid.UUID, key_id: uuid.UUID) -> None:
    """Every node refuses the key from the next request on: each request reads its row."""
    async with ctx.db.acquire() as conn:
        if not await queries.revoke_key(conn, key_id, user_id):
            raise NotFound("no such API key")


async def resolve_key(ctx: Context, raw: str) -> KeyCaller:
    """The caller behind an X-API-Key value, or why it is refused."""
    parts = parse_key(raw)
    row = await queries.key_for_request(ctx.db, parts[0]) if parts else None
    if row is None or not hmac.compare_digest(row["secret_hash"], _hash(parts[1])):
        raise Unauthenticated("this API key is not valid", code="api-key-invalid")
    if row["revoked_at"] is not None:
        raise Unauthenticated("this API key has been revoked", code="api-key-revoked")
    if row["deleted_at"] is not None:
        raise Unauthenticated("the account owning this API key no longer exists",
                              code="api-key-invalid")
    if refusal := suspension_error(row):
        raise refusal
    last_used = row["last_used_at"]
    if last_used is None or datetime.now(timezone.utc) - last_used >= _TOUCH_EVERY:
        await queries.touch_key(ctx.db, row["id"])
    principal = Principal(user_id=row["user_id"], role=Role(row["role"]),
                          scopes=frozenset(row["scopes"]))
    return KeyCaller(principal=principal, key_id=row["id"], name=row["name"], plan=Plan(row["plan"]))
