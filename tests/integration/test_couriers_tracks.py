"""GPS tracks: believed fixes reach Postgres in batches, at exit too, and old ones are deleted."""
from datetime import UTC, datetime, timedelta

import asyncpg
import msgspec

from server.couriers import tracks
from server.couriers.tracks import track_buffer
from tests.support.catalogue import set_clock
from tests.support.couriers import courier_at, ctx_of, fix, move, near, now_ms, send_fix


async def stored(ctx, courier) -> int:
    return await ctx.db.fetchval("SELECT count(*) FROM courier_fixes WHERE courier_id = $1", courier.id)


async def test_believed_fixes_are_written_in_one_batch_and_refused_ones_never(client):
    ctx = ctx_of(client)
    courier = await courier_at(client, near(0))
    start = now_ms()
    await move(client, courier, near(20), ts=start + 1000)
    refused = await send_fix(client, courier, fix(**near(90_000), ts=start + 2000))
    assert refused.status == 422
    buffer = track_buffer(ctx)
    await buffer.flush()
    assert await stored(ctx, courier) == 2
    rows = await ctx.db.fetch("SELECT lat FROM courier_fixes WHERE courier_id = $1 ORDER BY at", courier.id)
    assert [round(r["lat"], 6) for r in rows] == [round(near(0)["lat"], 6), round(near(20)["lat"], 6)]


async def test_a_full_batch_is_written_with_one_copy(client):
    ctx = ctx_of(client)
    courier = await courier_at(client, near(0))
    buffer = track_buffer(ctx)
    await buffer.flush()
    at = datetime.now(UTC)
    for i in range(tracks.BATCH_ROWS):
        buffer.add((courier.id, at + timedelta(milliseconds=i), 48.85, 2.35, None, None, None, at))
    assert await buffer.flush() == tracks.BATCH_ROWS
    assert await stored(ctx, courier) == tracks.BATCH_ROWS + 1


async def test_fixes_still_buffered_at_shutdown_are_written(make_app, aiohttp_client, database_url):
    client = await aiohttp_client(make_app())
    courier = await courier_at(client, near(0))
    ctx = ctx_of(client)
    await client.close()  # the app's shutdown runs the flush hooks before the pool closes
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM courier_fixes WHERE courier_id = $1", courier.id) == 1
    finally:
        await conn.close()
    assert ctx.extras["gps_tracks"].rows == []


async def test_fixes_older_than_the_retention_period_are_deleted(client):
    ctx = ctx_of(client)
    courier = await courier_at(client, near(0))
    await track_buffer(ctx).flush()
    old = datetime.now(UTC) - timedelta(days=8)
    await ctx.db.execute("INSERT INTO courier_fixes (courier_id, at, lat, lng) VALUES ($1, $2, 48.85, 2.35)",
                         courier.id, old)
    assert await tracks.prune_old_tracks(ctx) == 1
    assert await stored(ctx, courier) == 1  # the recent one stays
    shorter = msgspec.structs.replace(ctx.settings, gps_retention_s=3600)
    ctx.settings = shorter
    set_clock(client, datetime.now(UTC) + timedelta(hours=2))
    assert await tracks.prune_old_tracks(ctx) == 1
    assert await stored(ctx, courier) == 0


async def test_an_erased_courier_leaves_no_track_behind(client):
    ctx = ctx_of(client)
    courier = await courier_at(client, near(0))
    await track_buffer(ctx).flush()
    assert await stored(ctx, courier) == 1
    assert (await client.delete("/api/v1/me", headers=courier.headers)).status == 204
    assert await stored(ctx, courier) == 0
