"""Webhook test helpers: a developer with a key, a real receiving server, and one relay pass."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
import uuid

import msgspec
from aiohttp import web

from domain.roles import Role
from server.keys import CONTEXT
from server.webhooks.http import client_session
from server.webhooks.relay import relay_once
from server.webhooks.sender import claim, deliver
from tests.support.factories import Person, make_person


class Developer(msgspec.Struct):
    person: Person
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}


async def make_developer(client, scopes=("orders:write", "orders:read", "webhooks:manage")) -> Developer:
    person = await make_person(client, Role.developer)
    response = await client.post("/api/v1/api-keys", headers=person.headers,
                                 json={"name": "Intégration", "scopes": list(scopes)})
    assert response.status == 201, await response.text()
    return Developer(person=person, key=(await response.json())["key"])


async def subscribe(client, developer: Developer, url: str, events=("order.created",)) -> dict:
    response = await client.post("/api/v1/webhooks", headers=developer.headers,
                                 json={"url": url, "events": list(events)})
    assert response.status == 201, await response.text()
    return await response.json()


class Hit(msgspec.Struct):
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict:
        return msgspec.json.decode(self.body)


class Receiver:
    """A real HTTP server that answers from a plan: a status, or "hang" (no answer at all)."""

    def __init__(self) -> None:
        self.hits: asyncio.Queue[Hit] = asyncio.Queue()
        self.plan: list[int | str] = []
        self.release = asyncio.Event()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        self.hits.put_nowait(Hit(dict(request.headers), await request.read()))
        answer = self.plan.pop(0) if self.plan else 200
        if answer == "hang":
            await self.release.wait()
            answer = 200
        return web.Response(status=answer, text="merci" if answer < 300 else "boom " * 400)

    async def next(self, timeout: float = 10) -> Hit:
        return await asyncio.wait_for(self.hits.get(), timeout)

    def drain(self) -> list[Hit]:
        hits = []
        while not self.hits.empty():
            hits.append(self.hits.get_nowait())
        return hits


async def start_receiver(aiohttp_server) -> tuple[Receiver, str]:
    receiver = Receiver()
    server = await aiohttp_server(receiver.app())
    return receiver, str(server.make_url("/hook"))


def signed_by(hit: Hit, secret: str, tolerance_s: int = 300) -> bool:
    """The receiver's own check, written from the documentation, not from our signer."""
    fields = [part.split("=", 1) for part in hit.headers["CesiEats-Signature"].split(",")]
    stamp = next(value for key, value in fields if key == "t")
    if abs(time.time() - int(stamp)) > tolerance_s:
        return False
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + hit.body, hashlib.sha256).hexdigest()
    return any(key == "v1" and hmac.compare_digest(value, expected) for key, value in fields)


async def pump(client) -> list:
    """One relay pass, then every attempt that is due, as the worker would make them."""
    ctx = client.app[CONTEXT]
    await relay_once(ctx)
    answers = []
    async with client_session(ctx.settings) as session:
        while jobs := await claim(ctx, 10):
            answers += await asyncio.gather(*(deliver(ctx, session, job) for job in jobs))
    return answers


async def deliveries(client, developer: Developer, endpoint_id: str | uuid.UUID) -> list[dict]:
    response = await client.get(f"/api/v1/webhooks/{endpoint_id}/deliveries",
                                headers=developer.headers)
    assert response.status == 200, await response.text()
    return (await response.json())["items"]
