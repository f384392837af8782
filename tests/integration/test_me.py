"""A person's own account: edit it, export it, erase it; nobody else's."""
import asyncpg
import pytest

from tests.support.factories import PASSWORD, make_person, sign_in

HOME = {"label": "Maison", "address": "1 rue de la Paix, Paris", "lat": 48.8686, "lng": 2.3314}


async def problem(response):
    assert response.content_type == "application/problem+json", await response.text()
    return await response.json(content_type="application/problem+json")


async def test_a_person_changes_their_name_phone_and_language(client):
    person = await make_person(client)
    response = await client.patch("/api/v1/me", headers=person.headers, json={
        "name": "  Léa Martin ", "phone": "+33 6 12 34 56 78", "language": "en"})
    assert response.status == 200
    me = await (await client.get("/api/v1/me", headers=person.headers)).json()
    assert (me["name"], me["phone"], me["language"]) == ("Léa Martin", "+33 6 12 34 56 78", "en")


async def test_a_customer_keeps_saved_addresses_and_a_courier_a_vehicle(client):
    customer, courier = await make_person(client, "customer"), await make_person(client, "courier")
    saved = await client.patch("/api/v1/me", headers=customer.headers,
                               json={"profile": {"addresses": [HOME]}})
    rides = await client.patch("/api/v1/me", headers=courier.headers,
                               json={"profile": {"vehicle": "scooter"}})
    assert (await saved.json())["profile"] == {"addresses": [HOME]}
    assert (await rides.json())["profile"] == {"vehicle": "scooter"}


@pytest.mark.parametrize("role, profile, field", [
    ("customer", {"addresses": [HOME] * 11}, "profile.addresses"),
    ("customer", {"addresses": [{**HOME, "lat": 123}]}, "profile.addresses.0.lat"),
    ("customer", {"vehicle": "car"}, "profile.vehicle"),
    ("courier", {"vehicle": "horse"}, "profile.vehicle"),
    ("developer", {"vehicle": "car"}, "profile.vehicle"),
])
async def test_a_profile_that_does_not_fit_the_role_is_refused(client, role, profile, field):
    person = await make_person(client, role)
    response = await client.patch("/api/v1/me", headers=person.headers, json={"profile": profile})
    assert response.status == 422
    assert (await problem(response))["errors"][0]["field"] == field
    me = await (await client.get("/api/v1/me", headers=person.headers)).json()
    assert me["profile"] == {}


async def test_changing_the_email_needs_the_current_password(client):
    person = await make_person(client)
    missing = await client.patch("/api/v1/me", headers=person.headers, json={"email": "new@example.fr"})
    wrong = await client.patch("/api/v1/me", headers=person.headers,
                               json={"email": "new@example.fr", "current_password": "not-it-at-all"})
    right = await client.patch("/api/v1/me", headers=person.headers,
                               json={"email": "New@Example.fr", "current_password": PASSWORD})
    assert [missing.status, wrong.status, right.status] == [422, 422, 200]
    assert (await problem(wrong))["errors"] == [
        {"field": "current_password", "message": "is not your current password"}]
    assert (await right.json())["email"] == "new@example.fr"
    await sign_in(client, "new@example.fr", PASSWORD)


async def test_an_email_taken_by_someone_else_is_a_conflict(client):
    first, second = await make_person(client), await make_person(client)
    response = await client.patch("/api/v1/me", headers=second.headers,
                                  json={"email": first.email.upper(), "current_password": PASSWORD})
    assert response.status == 409 and (await problem(response))["type"].endswith("/email-taken")


async def test_a_new_password_ends_every_session_and_the_old_one_stops_working(client):
    person = await make_person(client)
    response = await client.patch("/api/v1/me", headers=person.headers, json={
        "password": "a brand new secret", "current_password": PASSWORD})
    assert response.status == 200
    assert (await client.get("/api/v1/me", headers=person.headers)).status == 401
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert refresh.status == 401
    old = await client.post("/api/v1/auth/login", json={"email": person.email, "password": PASSWORD})
    assert old.status == 401
    await sign_in(client, person.email, "a brand new secret")


async def test_malformed_and_oversized_patches_are_problems_and_change_nothing(make_app, aiohttp_client):
    client = await aiohttp_client(make_app(max_body_bytes=4096))
    person = await make_person(client)
    bodies = [b"{not json", b'{"name": ""}', b'{"name": "X", "role": "sales"}', b'["name"]',
              b'{"credit_cents": 100000}', b'{"name": "' + b"x" * 8000 + b'"}']
    statuses = []
    for body in bodies:
        response = await client.patch("/api/v1/me", data=body, headers={
            **person.headers, "Content-Type": "application/json"})
        await problem(response)
        statuses.append(response.status)
    assert statuses == [422, 422, 422, 422, 422, 413]
    me = await (await client.get("/api/v1/me", headers=person.headers)).json()
    assert (me["name"], me["role"], me["credit_cents"]) == ("Test Customer", "customer", 0)


async def test_nobody_reads_or_changes_another_persons_account_through_me(client):
    alice, bob = await make_person(client), await make_person(client)
    await client.patch("/api/v1/me", headers=bob.headers, json={"name": "Bob"})
    seen = await (await client.get("/api/v1/me", headers=alice.headers)).json()
    assert seen["id"] == str(alice.id) and seen["name"] != "Bob"
    unknown = await client.patch("/api/v1/me", headers=alice.headers, json={"id": str(bob.id), "name": "X"})
    assert unknown.status == 422
    bob_me = await (await client.get("/api/v1/me", headers=bob.headers)).json()
    assert bob_me["name"] == "Bob"


async def test_a_person_and_their_referral_page_stay_their_own(client):
    alice, bob = await make_person(client), await make_person(client)
    alice_ref = await (await client.get("/api/v1/me/referral", headers=alice.headers)).json()
    bob_ref = await (await client.get("/api/v1/me/referral", headers=bob.headers)).json()
    assert alice_ref["code"] != bob_ref["code"]
    alice_export = await (await client.get("/api/v1/me/export", headers=alice.headers)).json()
    assert alice_export["account"]["id"] == str(alice.id) and bob.email not in str(alice_export)


async def test_the_export_is_a_download_of_the_account_and_its_connection_log(client):
    person = await make_person(client)
    await client.patch("/api/v1/me", headers=person.headers, json={"phone": "0612345678"})
    response = await client.get("/api/v1/me/export", headers=person.headers)
    assert response.status == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="cesi-eats-data-')
    document = await response.json()
    assert document["account"]["email"] == person.email
    assert document["account"]["phone"] == "0612345678"
    assert [(row["success"], row["reason"]) for row in document["connection_log"]] == [(True, "ok")]
    assert "password_hash" not in str(document)


async def test_erasing_ones_account_removes_personal_data_and_keeps_the_row(client, database_url):
    person = await make_person(client)
    await client.patch("/api/v1/me", headers=person.headers, json={
        "phone": "0612345678", "profile": {"addresses": [HOME]}})
    response = await client.delete("/api/v1/me", headers=person.headers)
    assert response.status == 204
    conn = await asyncpg.connect(database_url)
    row = await conn.fetchrow("SELECT * FROM users WHERE id = $1", person.id)
    logs = await conn.fetch("SELECT * FROM connection_logs WHERE user_id = $1", person.id)
    await conn.close()
    assert (row["role"], row["created_at"] is not None, row["deleted_at"] is not None) == ("customer", True, True)
    assert [row[c] for c in ("email", "name", "phone", "password_hash")] == [None] * 4
    assert row["profile"] == "{}" or row["profile"] == {}
    assert len(logs) == 1 and (logs[0]["email"], logs[0]["ip"], logs[0]["user_agent"]) == (None, None, None)


async def test_an_erased_account_cannot_act_sign_in_or_refresh(client):
    person = await make_person(client)
    await client.delete("/api/v1/me", headers=person.headers)
    assert (await client.get("/api/v1/me", headers=person.headers)).status == 401
    login = await client.post("/api/v1/auth/login", json={"email": person.email, "password": PASSWORD})
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert (login.status, refresh.status) == (401, 401)
    again = await client.post("/api/v1/auth/register", json={
        "email": person.email, "password": PASSWORD, "name": "Back", "role": "customer"})
    assert again.status == 201
