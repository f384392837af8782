"""Every API route states who may call it, and refuses every other role."""
import uuid

from domain.roles import Role
from server.app import create_app
from tests.support.factories import make_person


def api_routes(app):
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if path and path.startswith("/api/v1/") and route.method != "HEAD":
            yield route.method, path, route.handler


def test_every_api_handler_declares_who_it_admits_and_what_it_speaks(settings):
    undeclared = [f"{method} {path}" for method, path, handler in api_routes(create_app(settings))
                  if not hasattr(handler, "admitted_roles") or not hasattr(handler, "spec")]
    assert undeclared == []


async def test_each_guarded_route_refuses_every_role_it_does_not_admit(client):
    people = {role: await make_person(client, role) for role in Role}
    refused_wrongly, checked = [], 0
    for method, path, handler in api_routes(client.app):
        if handler.admitted_roles is None:
            continue
        url = "/".join(str(uuid.uuid4()) if part.startswith("{") else part for part in path.split("/"))
        for role in set(Role) - handler.admitted_roles:
            response = await client.request(method, url, headers=people[role].headers, json={})
            checked += 1
            if response.status != 403:
                refused_wrongly.append(f"{role} {method} {path} -> {response.status}")
        anonymous = await client.request(method, url, json={})
        if anonymous.status != 401:
            refused_wrongly.append(f"anonymous {method} {path} -> {anonymous.status}")
    assert refused_wrongly == []
