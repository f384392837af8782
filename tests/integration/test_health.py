from urllib.parse import parse_qs, urlsplit

import msgspec

from tests.support.proxy import CuttableProxy


async def test_healthz_answers_while_the_process_lives(client):
    response = await client.get("/healthz")
    assert response.status == 200 and (await response.json()) == {"status": "ok"}


async def test_readyz_is_ready_when_postgres_and_redis_answer(client):
    response = await client.get("/readyz")
    assert response.status == 200
    assert await response.json() == {"status": "ready", "postgres": "ok", "redis": "ok"}


async def test_readyz_reports_not_ready_when_postgres_becomes_unreachable(
        settings, make_app, aiohttp_client):
    parts = urlsplit(settings.database_url)
    socket_dir = parse_qs(parts.query).get("host", [""])[0]
    proxy = await CuttableProxy(socket_dir or parts.hostname, parts.port or 5432).start()
    netloc = f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}"
    proxied = parts._replace(netloc=netloc, query="").geturl()
    client = await aiohttp_client(make_app(database_url=proxied))
    assert (await client.get("/readyz")).status == 200
    await proxy.cut()
    response = await client.get("/readyz")
    body = msgspec.json.decode(await response.read())
    assert response.status == 503
    assert body["status"] == "not ready" and body["postgres"].startswith("error") and body["redis"] == "ok"
