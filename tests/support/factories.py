"""Factories: people of every role, signed in through the real API."""
from __future__ import annotations

import itertools
import uuid

import msgspec

from domain.accounts import RegisterInput
from domain.roles import SELF_REGISTER, Role
from server.accounts.registration import register
from server.keys import CONTEXT

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


class Person(msgspec.Struct):
    id: uuid.UUID
    role: Role
    email: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def make_person(client, role: Role | str = Role.customer, **fields) -> Person:
    """Register (staff roles directly, as the CLI does) and sign in over HTTP."""
    role = Role(role)
    body = {"email": f"{role}{next(_counter)}-{uuid.uuid4().hex[:6]}@example.fr",
            "password": PASSWORD, "name": f"Test {role.title()}", "role": str(role), **fields}
    if role in SELF_REGISTER:
        response = await client.post("/api/v1/auth/register", json=body)
        assert response.status == 201, await response.text()
        user_id = uuid.UUID((await response.json())["id"])
    else:
        ctx = client.app[CONTEXT] if hasattr(client, "app") else client.server.app[CONTEXT]
        user_id = (await register(ctx, msgspec.convert(body, RegisterInput), by_staff=True))["id"]
    tokens = await sign_in(client, body["email"], body["password"])
    return Person(id=user_id, role=role, email=body["email"], password=body["password"], **tokens)


async def sign_in(client, email: str, password: str) -> dict:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status == 200, await response.text()
    body = await response.json()
    return {"access_token": body["access_token"], "refresh_token": body["refresh_token"]}
