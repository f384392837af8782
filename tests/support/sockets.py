"""Real python-socketio clients for tests: connect as a Person, collect events, await them."""
from __future__ import annotations

import asyncio
from typing import Any

import socketio

TIMEOUT_S = 10.0


class Refused(Exception):
    """The server refused the connection; `code` is its reason (e.g. token-expired)."""

    def __init__(self, code: str, data: Any = None) -> None:
        super().__init__(code)
        self.code, self.data = code, data


class LiveClient:
    """One socket; every server event lands in `events` (a queue) and `received` (a list)."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.received: list[tuple[str, Any]] = []
        self.disconnected = asyncio.Event()
        self.disconnect_reason: Any = None
        self._refusal: Refused | None = None
        self.sio.on("*", self._on_event)
        self.sio.on("connect_error", self._on_refused)
        self.sio.on("disconnect", self._on_disconnect)

    async def _on_event(self, name: str, data: Any = None) -> None:
        self.received.append((name, data))
        await self.events.put((name, data))

    async def _on_refused(self, data: Any = None) -> None:
        data = data if isinstance(data, dict) else {"message": data}
        self._refusal = Refused(data.get("message"), data.get("data"))

    async def _on_disconnect(self, reason: Any = None) -> None:
        self.disconnect_reason = reason
        self.disconnected.set()

    async def connect(self, url: str, auth: Any) -> "LiveClient":
        try:
            await self.sio.connect(url, auth=auth, transports=["websocket"],
                                   wait_timeout=TIMEOUT_S)
        except socketio.exceptions.ConnectionError:
            raise self._refusal or Refused("unreachable") from None
        return self

    async def next_event(self, type: str | None = None, timeout: float = TIMEOUT_S) -> dict:
        """The next payload whose event name or `type` matches (any event if None); others skipped."""
        async def wait() -> dict:
            while True:
                name, data = await self.events.get()
                if type is None or name == type or (isinstance(data, dict) and data.get("type") == type):
                    return data
        async with asyncio.timeout(timeout):
            return await wait()

    async def events_until(self, count: int, timeout: float = TIMEOUT_S) -> list[tuple[str, Any]]:
        """The next `count` events, whatever they are, in the order they came."""
        async with asyncio.timeout(timeout):
            return [await self.events.get() for _ in range(count)]

    async def call(self, event: str, data: Any = None, timeout: float = TIMEOUT_S) -> Any:
        """Send a client event and return the server's ack."""
        return await self.sio.call(event, data, timeout=timeout)

    async def wait_disconnected(self, timeout: float = TIMEOUT_S) -> None:
        async with asyncio.timeout(timeout):
            await self.disconnected.wait()

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()
        await self.sio.shutdown()


def base_url(server) -> str:
    """The URL of a node from pytest-aiohttp's aiohttp_server (or a client's server)."""
    server = getattr(server, "server", server)
    return str(server.make_url("/")).rstrip("/")


async def connect_as(person, url: str) -> LiveClient:
    """A socket signed in with the person's access token."""
    return await LiveClient().connect(url, {"token": person.access_token})


async def connect_with(url: str, auth: Any) -> LiveClient:
    return await LiveClient().connect(url, auth)


async def start_node(aiohttp_server, aiohttp_client, make_app, **overrides):
    """A real node listening on a port, and an HTTP client for its API: (client, socket URL)."""
    server = await aiohttp_server(make_app(**overrides))
    client = await aiohttp_client(server)
    return client, base_url(server)


class Aggregate:
    """A test-only aggregate: sockets may follow the ids `owners` gives their person."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.owners: dict = {}

    async def may_see(self, conn, principal, aggregate_id) -> bool:
        return self.owners.get(aggregate_id) == principal.user_id

    def register(self) -> "Aggregate":
        from server.live.access import register_aggregate
        register_aggregate(self.name, self.may_see)
        return self

    def unregister(self) -> None:
        from server.live.access import unregister_aggregate
        unregister_aggregate(self.name)

    async def record(self, ctx, aggregate_id, type: str, data: dict | None = None, *,
                     publish: bool = True):
        """Append an outbox event as a use case would, then (optionally) publish it after commit."""
        from server.events import publish as publish_events, record
        async with ctx.db.acquire() as conn, conn.transaction():
            event = await record(conn, self.name, aggregate_id, type, data or {})
        if publish:
            await publish_events(ctx, [event])
        return event
