"""Private targets are refused at send time too: URLs written as addresses, and names that resolve."""
import socket

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver

from server.webhooks.addresses import BlockedAddress, CheckedResolver
from tests.support.catalogue_factories import make_shop, order_body
from tests.support.webhooks import deliveries, make_developer, pump, start_receiver, subscribe


class ScriptedDns(AbstractResolver):
    """Answers each look-up with the next address of its script, as a rebinding server would."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)

    async def resolve(self, host, port=0, family=socket.AF_INET):
        return [{"hostname": host, "host": self.answers.pop(0), "port": port, "family": family,
                 "proto": 0, "flags": 0}]

    async def close(self):
        pass


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
async def test_a_url_reaching_a_private_address_is_refused_when_sending(
        client, make_app, aiohttp_client, aiohttp_server, host):
    receiver, url = await start_receiver(aiohttp_server)
    developer, shop = await make_developer(client), await make_shop(client)
    # made while private targets were allowed; the node that sends does not allow them
    endpoint = await subscribe(client, developer, url.replace("127.0.0.1", host))
    strict = await aiohttp_client(make_app(webhooks_allow_private=False))
    response = await strict.post("/api/v1/orders", json=order_body(shop), headers=developer.headers)
    assert response.status == 201

    await pump(strict)
    [logged] = await deliveries(strict, developer, endpoint["id"])
    [attempt] = logged["attempt_log"]
    assert attempt["outcome"] == "failed" and attempt["status_code"] is None
    assert attempt["error"].startswith("refused:") and "127.0.0.1" in attempt["error"]
    assert receiver.drain() == []


async def test_each_look_up_is_checked_and_the_connection_goes_to_the_checked_answer(aiohttp_server):
    receiver, url = await start_receiver(aiohttp_server)
    port = url.split(":")[2].split("/")[0]
    resolver = CheckedResolver(ScriptedDns("93.184.215.14", "127.0.0.1"))
    assert (await resolver.resolve("hooks.example.com", 443))[0]["host"] == "93.184.215.14"
    with pytest.raises(BlockedAddress):
        await resolver.resolve("hooks.example.com", 443)

    rebinding = CheckedResolver(ScriptedDns("127.0.0.1"))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(
            resolver=rebinding, use_dns_cache=False)) as session:
        with pytest.raises(aiohttp.ClientConnectorError):
            await session.post(f"http://hooks.example.com:{port}/hook", data=b"{}")
    assert receiver.drain() == []
