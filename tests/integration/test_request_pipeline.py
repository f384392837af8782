"""What every request goes through, done once each: the token's decoding, the access line."""
import logging

from domain.roles import Role
from tests.support.factories import make_person
from web import auth


async def test_an_access_token_is_decoded_once_for_the_limiter_and_the_guard(client, monkeypatch):
    person = await make_person(client, Role.customer)
    decoded = []

    def counting(settings, token):
        decoded.append(token)
        return real(settings, token)
    real = auth.decode_access_token
    monkeypatch.setattr(auth, "decode_access_token", counting)
    response = await client.get("/api/v1/me", headers=person.headers)
    assert response.status == 200 and "RateLimit-Limit" in response.headers
    assert decoded == [person.access_token]


async def test_a_bad_token_is_still_refused(client):
    response = await client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert response.status == 401


async def test_each_request_is_logged_once_with_its_id_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="cesi.access")
    response = await client.get("/api/v1/nothing-here", headers={"X-Request-Id": "pipeline-test-1"})
    lines = [r for r in caplog.records if r.name == "cesi.access" and r.request_id == "pipeline-test-1"]
    assert len(lines) == 1 and response.status == 404
    line = lines[0]
    assert (line.getMessage(), line.method, line.path, line.status) == (
        "request", "GET", "/api/v1/nothing-here", 404)
    assert line.duration_ms >= 0
