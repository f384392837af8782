"""Sales staff search, view, edit and erase accounts; staff create staff; tech read the log."""
from datetime import datetime, timedelta, timezone

import asyncpg
import pytest

from tests.support.factories import PASSWORD, make_person, sign_in


async def problem(response):
    assert response.content_type == "application/problem+json", await response.text()
    return await response.json(content_type="application/problem+json")


async def test_sales_staff_search_by_role_and_by_name_or_email(client):
    sales = await make_person(client, "sales")
    lea = await make_person(client, "customer", name="Léa Martin")
    await make_person(client, "courier", name="Léa Courier")
    by_name = await (await client.get("/api/v1/admin/accounts", headers=sales.headers,
                                      params={"q": "léa", "role": "customer"})).json()
    by_email = await (await client.get("/api/v1/admin/accounts", headers=sales.headers,
                                       params={"q": lea.email.upper()})).json()
    assert [a["id"] for a in by_name["items"]] == [str(lea.id)]
    assert [a["id"] for a in by_email["items"]] == [str(lea.id)]


async def test_wildcards_in_a_search_are_taken_literally(client):
    sales = await make_person(client, "sales")
    await make_person(client, "customer", name="Anne")
    found = await (await client.get("/api/v1/admin/accounts", headers=sales.headers,
                                    params={"q": "%"})).json()
    assert found["items"] == []


async def test_the_account_list_pages_through_everyone_once(client):
    sales = await make_person(client, "sales")
    people = [await make_person(client, "customer") for _ in range(5)]
    seen, cursor = [], None
    while True:
        params = {"role": "customer", "limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await (await client.get("/api/v1/admin/accounts", headers=sales.headers, params=params)).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(p.id) for p in reversed(people)]


@pytest.mark.parametrize("params", [{"cursor": "garbage!"}, {"limit": "0"}, {"limit": "1000"},
                                    {"role": "king"}])
async def test_bad_list_parameters_are_422(client, params):
    sales = await make_person(client, "sales")
    response = await client.get("/api/v1/admin/accounts", headers=sales.headers, params=params)
    assert response.status == 422 and (await problem(response))["status"] == 422


async def test_sales_staff_view_and_edit_an_account(client):
    sales, person = await make_person(client, "sales"), await make_person(client)
    response = await client.patch(f"/api/v1/admin/accounts/{person.id}", headers=sales.headers,
                                  json={"name": "Corrected Name", "phone": "0601020304",
                                        "email": "Fixed@Example.fr"})
    assert response.status == 200
    seen = await (await client.get(f"/api/v1/admin/accounts/{person.id}", headers=sales.headers)).json()
    assert (seen["name"], seen["phone"], seen["email"]) == ("Corrected Name", "0601020304", "fixed@example.fr")
    await sign_in(client, "fixed@example.fr", PASSWORD)


async def test_an_unknown_or_malformed_account_id_is_404(client):
    sales = await make_person(client, "sales")
    for path in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = await client.get(f"/api/v1/admin/accounts/{path}", headers=sales.headers)
        assert response.status == 404


async def test_sales_staff_erase_an_account_and_its_sessions_end(client, database_url):
    sales, person = await make_person(client, "sales"), await make_person(client)
    response = await client.delete(f"/api/v1/admin/accounts/{person.id}", headers=sales.headers)
    assert response.status == 204
    assert (await client.get("/api/v1/me", headers=person.headers)).status == 401
    assert (await client.get(f"/api/v1/admin/accounts/{person.id}", headers=sales.headers)).status == 404
    conn = await asyncpg.connect(database_url)
    row = await conn.fetchrow("SELECT role, email, name FROM users WHERE id = $1", person.id)
    await conn.close()
    assert tuple(row) == ("customer", None, None)


@pytest.mark.parametrize("creator", ["sales", "tech"])
async def test_staff_create_staff_accounts_but_not_customers(client, creator):
    staff = await make_person(client, creator)
    body = {"email": f"new-{creator}@cesi-eats.fr", "password": PASSWORD, "name": "New", "role": "tech"}
    created = await client.post("/api/v1/admin/accounts", headers=staff.headers, json=body)
    customer = await client.post("/api/v1/admin/accounts", headers=staff.headers,
                                 json={**body, "email": "c@example.fr", "role": "customer"})
    assert (created.status, (await created.json())["role"]) == (201, "tech")
    assert customer.status == 422
    await sign_in(client, body["email"], PASSWORD)


async def test_tech_staff_read_the_connection_log_with_filters(client):
    tech, person = await make_person(client, "tech"), await make_person(client)
    await client.post("/api/v1/auth/login", json={"email": person.email, "password": "wrong password"},
                      headers={"User-Agent": "curious-browser"})
    failures = await (await client.get("/api/v1/admin/connection-logs", headers=tech.headers,
                                       params={"success": "false"})).json()
    assert [(e["email"], e["reason"], e["user_agent"]) for e in failures["items"]] == [
        (person.email, "bad-credentials", "curious-browser")]
    mine = await (await client.get("/api/v1/admin/connection-logs", headers=tech.headers,
                                   params={"user_id": str(person.id)})).json()
    assert [e["success"] for e in mine["items"]] == [False, True]
    by_email = await (await client.get("/api/v1/admin/connection-logs", headers=tech.headers,
                                       params={"email": person.email.upper(), "limit": "1"})).json()
    assert len(by_email["items"]) == 1 and by_email["next_cursor"]
    rest = await (await client.get("/api/v1/admin/connection-logs", headers=tech.headers, params={
        "email": person.email, "cursor": by_email["next_cursor"]})).json()
    assert [e["success"] for e in rest["items"]] == [True] and rest["next_cursor"] is None


async def test_the_connection_log_filters_by_period(client):
    tech = await make_person(client, "tech")
    now = datetime.now(timezone.utc)
    past = {"from": (now - timedelta(days=2)).isoformat(), "to": (now - timedelta(days=1)).isoformat()}
    recent = {"from": (now - timedelta(minutes=5)).isoformat()}
    empty = await (await client.get("/api/v1/admin/connection-logs", headers=tech.headers, params=past)).json()
    full = await (await client.get("/api/v1/admin/connection-logs", headers=tech.headers, params=recent)).json()
    assert empty["items"] == [] and [e["email"] for e in full["items"]] == [tech.email]
    naive = await client.get("/api/v1/admin/connection-logs", headers=tech.headers,
                             params={"from": "2024-01-01T00:00:00"})
    assert naive.status == 422
