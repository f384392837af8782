"""Registration, sign-in, token rotation and sign-out through the real API."""
import time

import asyncpg
import jwt
import pytest

from domain.roles import SELF_REGISTER, Role
from tests.support.factories import PASSWORD, make_person, sign_in


async def problem(response):
    assert response.content_type == "application/problem+json", await response.text()
    return await response.json(content_type="application/problem+json")


@pytest.mark.parametrize("role", sorted(Role))
async def test_every_role_registers_signs_in_and_sees_its_account(client, role):
    person = await make_person(client, role)
    response = await client.get("/api/v1/me", headers=person.headers)
    me = await response.json()
    assert response.status == 200
    assert (me["id"], me["role"], me["email"]) == (str(person.id), role, person.email)
    assert "password" not in str(me) and "hash" not in str(me)


@pytest.mark.parametrize("role", ["sales", "tech"])
async def test_staff_roles_cannot_register_themselves(client, role):
    response = await client.post("/api/v1/auth/register", json={
        "email": "boss@example.fr", "password": PASSWORD, "name": "Boss", "role": role})
    assert response.status == 403
    assert (await problem(response))["type"].endswith("/staff-only-role")


async def test_an_email_is_taken_whatever_its_case(client):
    await client.post("/api/v1/auth/register", json={
        "email": "Lea@Example.fr", "password": PASSWORD, "name": "Léa", "role": "customer"})
    response = await client.post("/api/v1/auth/register", json={
        "email": "lea@example.FR", "password": PASSWORD, "name": "Léa 2", "role": "courier"})
    assert response.status == 409
    assert (await problem(response))["type"].endswith("/email-taken")


@pytest.mark.parametrize("body, field", [
    ({"email": "nope", "password": PASSWORD, "name": "A", "role": "customer"}, "email"),
    ({"email": "a@b.fr", "password": "short", "name": "A", "role": "customer"}, "password"),
    ({"email": "a@b.fr", "password": PASSWORD, "name": "", "role": "customer"}, "name"),
    ({"email": "a@b.fr", "password": PASSWORD, "name": "A", "role": "king"}, "role"),
    ({"email": "a@b.fr", "password": PASSWORD, "name": "A", "role": "customer", "admin": True}, "admin"),
    ({"email": "a@b.fr", "password": 12345678901, "name": "A", "role": "customer"}, "password"),
])
async def test_bad_registrations_name_the_field_and_create_nothing(client, database_url, body, field):
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status == 422
    assert (await problem(response))["errors"][0]["field"] == field
    conn = await asyncpg.connect(database_url)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0
    await conn.close()


async def test_a_wrong_password_is_refused_and_logged(client, database_url):
    person = await make_person(client)
    response = await client.post("/api/v1/auth/login", json={"email": person.email, "password": "x" * 12},
                                 headers={"User-Agent": "pytest-browser"})
    assert response.status == 401
    assert (await problem(response))["type"].endswith("/bad-credentials")
    conn = await asyncpg.connect(database_url)
    rows = await conn.fetch("SELECT success, reason, user_agent FROM connection_logs"
                            " WHERE user_id = $1 ORDER BY id", person.id)
    await conn.close()
    assert [(r["success"], r["reason"]) for r in rows] == [(True, "ok"), (False, "bad-credentials")]
    assert rows[1]["user_agent"] == "pytest-browser"


async def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(client):
    response = await client.post("/api/v1/auth/login", json={"email": "ghost@example.fr", "password": PASSWORD})
    assert response.status == 401
    assert (await problem(response))["detail"] == "wrong e-mail address or password"


async def test_refresh_rotates_the_token_and_the_old_one_is_spent(client):
    person = await make_person(client)
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    pair = await first.json()
    assert first.status == 200 and pair["refresh_token"] != person.refresh_token
    assert pair["token_type"] == "bearer" and pair["expires_in"] == 900
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status == 200


async def test_reusing_a_spent_refresh_token_ends_the_whole_family(client):
    person = await make_person(client)
    rotated = await (await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})).json()
    replay = await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert replay.status == 401 and (await problem(replay))["type"].endswith("/refresh-reused")
    # the thief's replay also killed the legitimate successor
    successor = await client.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert successor.status == 401


async def test_reuse_in_one_family_leaves_other_sessions_alive(client):
    person = await make_person(client)
    other_session = await sign_in(client, person.email, PASSWORD)
    await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": other_session["refresh_token"]})
    assert response.status == 200


async def test_logout_revokes_the_refresh_token(client):
    person = await make_person(client)
    response = await client.post("/api/v1/auth/logout", json={"refresh_token": person.refresh_token})
    assert response.status == 204
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert again.status == 401


async def test_an_unknown_refresh_token_is_refused(client):
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": "rt_forged"})
    assert response.status == 401


async def test_requests_without_credentials_are_401(client):
    response = await client.get("/api/v1/me")
    assert response.status == 401 and (await problem(response))["type"].endswith("/no-credentials")


async def test_a_tampered_token_is_refused(client):
    person = await make_person(client)
    head, body, signature = person.access_token.split(".")
    forged = f"{head}.{body}.{signature[::-1]}"
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status == 401 and (await problem(response))["type"].endswith("/token-invalid")


async def test_an_expired_token_is_refused_with_a_hint_to_refresh(client, settings):
    person = await make_person(client)
    past = int(time.time()) - 3600
    token = jwt.encode({"sub": str(person.id), "role": "customer", "tv": 0, "typ": "access",
                        "iss": "cesi-eats", "iat": past, "exp": past + 900}, settings.secret_key)
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 401 and (await problem(response))["type"].endswith("/token-expired")


async def test_a_token_signed_with_another_key_is_refused(client):
    person = await make_person(client)
    now = int(time.time())
    token = jwt.encode({"sub": str(person.id), "role": "sales", "tv": 0, "typ": "access",
                        "iss": "cesi-eats", "iat": now, "exp": now + 900}, "another-key-" * 4)
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 401


def test_self_registration_is_open_to_exactly_four_roles():
    assert SELF_REGISTER == {Role.customer, Role.restaurateur, Role.courier, Role.developer}
