"""Real worker processes deliver webhooks; one killed mid-delivery loses nothing."""
import asyncio

from tests.support.catalogue_factories import make_shop, order_body
from tests.support.live import ServerProcess
from tests.support.webhooks import deliveries, make_developer, start_receiver, subscribe


def worker_env(settings, tmp_path) -> dict[str, str]:
    """The test app's stores and secret (the worker must open the endpoint's sealed secret)."""
    return {"CESI_ENV": "test", "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url,
            "REDIS_PREFIX": settings.redis_prefix, "SECRET_KEY": settings.secret_key,
            "DATA_DIR": str(tmp_path), "WEBHOOK_TIMEOUT": "2", "LOG_LEVEL": "WARNING"}


async def start_worker(env) -> ServerProcess:
    worker = ServerProcess(["worker"], {**env, "LOG_LEVEL": "INFO"})
    await asyncio.to_thread(worker.wait_for, "worker running")
    return worker


async def place(client, developer, shop) -> str:
    response = await client.post("/api/v1/orders", json=order_body(shop), headers=developer.headers)
    assert response.status == 201, await response.text()
    return (await response.json())["id"]


async def test_a_worker_killed_during_a_delivery_loses_nothing(client, settings, tmp_path, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    endpoint = await subscribe(client, developer, url)
    receiver.plan = ["hang"]
    first = await place(client, developer, shop)
    env = worker_env(settings, tmp_path)

    killed = await start_worker(env)
    try:
        caught = await receiver.next(timeout=30)
        assert caught.event["data"]["order_id"] == first
        killed.process.kill()  # SIGKILL: no clean-up, the attempt is cut mid-flight
        await asyncio.to_thread(killed.process.wait, 10)
    finally:
        killed.stop()
    receiver.release.set()
    second = await place(client, developer, shop)  # while no worker runs

    restarted = await start_worker(env)
    try:
        hits = [await receiver.next(timeout=30), await receiver.next(timeout=30)]
    finally:
        restarted.stop()
    # the cut delivery comes back once its lease runs out; the other order need not wait for it
    by_order = {h.event["data"]["order_id"]: h for h in hits}
    assert set(by_order) == {first, second}
    assert by_order[first].headers["CesiEats-Event-Id"] == caught.headers["CesiEats-Event-Id"]

    log = {d["order_id"]: d for d in await deliveries(client, developer, endpoint["id"])}
    assert [a["outcome"] for a in log[first]["attempt_log"]] == ["interrupted", "delivered"]
    assert log[first]["status"] == log[second]["status"] == "delivered"


async def test_two_workers_share_the_deliveries_and_send_each_once(client, settings, tmp_path, aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    await subscribe(client, developer, url)
    orders = [await place(client, developer, shop) for _ in range(6)]
    env = worker_env(settings, tmp_path)

    workers = [await start_worker(env), await start_worker(env)]
    try:
        hits = [await receiver.next(timeout=30) for _ in orders]
    finally:
        for worker in workers:
            worker.stop()
    assert sorted(h.event["data"]["order_id"] for h in hits) == sorted(orders)
    assert receiver.drain() == []
