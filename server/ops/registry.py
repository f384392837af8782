"""The node registry in Redis: each node's latest figures, kept alive by a short TTL.

`nodes` is a sorted set of node ids scored by when they last announced; `node:<id>`
holds the figures and expires, so a node that stops announcing shows as gone.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

import msgspec

from server.context import Context
from server.ops.figures import NodeFigures

ANNOUNCE_EVERY_S = 2.0
TTL_S = 6            # three missed announcements and the node is gone
FORGET_AFTER_S = 3600  # gone nodes stay listed this long, then vanish


class GoneNode(msgspec.Struct):
    node_id: str
    last_seen: datetime


class NodeList(msgspec.Struct):
    nodes: list[NodeFigures]
    gone: list[GoneNode]


_decode = msgspec.json.Decoder(NodeFigures).decode


class NodeRegistry:
    def __init__(self, ctx: Context) -> None:
        self.redis = ctx.redis
        self.index = ctx.key("nodes")
        self._key = lambda node_id: ctx.key("node", node_id)

    async def announce(self, figures: NodeFigures, ttl_s: int = TTL_S) -> None:
        now = time.time()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(figures.node_id), msgspec.json.encode(figures), ex=ttl_s)
            pipe.zadd(self.index, {figures.node_id: now})
            pipe.zremrangebyscore(self.index, "-inf", now - FORGET_AFTER_S)
            await pipe.execute()

    async def withdraw(self, node_id: str) -> None:
        """A clean stop: gone at once, remembered as last seen now."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._key(node_id))
            pipe.zadd(self.index, {node_id: time.time()})
            await pipe.execute()

    async def read(self) -> NodeList:
        """Live nodes by id, and the ones that stopped announcing, latest first."""
        members = await self.redis.zrange(self.index, 0, -1, withscores=True)
        if not members:
            return NodeList([], [])
        raw = await self.redis.mget([self._key(member.decode()) for member, _ in members])
        nodes, gone = [], []
        for (member, score), figures in zip(members, raw):
            if figures is not None:
                nodes.append(_decode(figures))
            else:
                seen = datetime.fromtimestamp(score, timezone.utc)
                gone.append(GoneNode(member.decode(), seen))
        nodes.sort(key=lambda node: node.node_id)
        gone.sort(key=lambda node: node.last_seen, reverse=True)
        return NodeList(nodes, gone)
