"""The registry as npm sees it: packuments, tarballs, and npm's token."""
import base64
import hashlib

from domain.roles import Role
from tests.support.components import TRACKER, TRACKER_PATH, package, publish, tracker_tarball
from tests.support.factories import make_person
from tests.support.webhooks import make_developer


async def published(client):
    tech = await make_person(client, Role.tech)
    for data in (tracker_tarball(), package(version="1.0.0"), package(version="1.1.0")):
        assert (await publish(client, tech, data)).status == 201
    return tech


async def test_a_packument_lists_each_version_with_a_tarball_url_and_checksums(client):
    await published(client)
    developer = await make_developer(client, scopes=("components:read",))
    auth = {"Authorization": f"Bearer {developer.key}"}
    response = await client.get("/npm/widget", headers=auth)
    assert response.status == 200
    document = await response.json()
    assert document["dist-tags"] == {"latest": "1.1.0"} and set(document["versions"]) == {"1.0.0", "1.1.0"}
    dist = document["versions"]["1.0.0"]["dist"]
    assert dist["tarball"] == str(client.make_url("/npm/widget/-/widget-1.0.0.tgz"))

    tarball = await client.get("/npm/widget/-/widget-1.0.0.tgz", headers=auth)
    data = await tarball.read()
    assert data == package(version="1.0.0")
    assert dist["shasum"] == hashlib.sha1(data).hexdigest()
    assert dist["integrity"] == "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


async def test_scoped_names_are_served_with_their_slash_encoded_or_not(client):
    await published(client)
    developer = await make_developer(client, scopes=("components:read",))
    auth = {"Authorization": f"Bearer {developer.key}"}
    for path in (f"/npm/{TRACKER_PATH}", "/npm/@cesi-eats%2forder-tracker", f"/npm/{TRACKER}"):
        document = await (await client.get(path, headers=auth)).json()
        assert document["name"] == TRACKER
    url = next(iter(document["versions"].values()))["dist"]["tarball"]
    assert url.endswith("/npm/@cesi-eats/order-tracker/-/order-tracker-1.0.0.tgz")
    response = await client.get(url.split(str(client.make_url("")).rstrip("/"), 1)[1], headers=auth)
    assert await response.read() == tracker_tarball()


async def test_npm_needs_a_key_with_the_components_scope_and_logs_its_downloads(client):
    tech = await published(client)
    response = await client.get("/npm/widget")
    assert response.status == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "_authToken" in (await response.json())["error"]
    unscoped = await make_developer(client, scopes=("orders:read",))
    response = await client.get("/npm/widget", headers={"Authorization": f"Bearer {unscoped.key}"})
    assert response.status == 403
    customer = await make_person(client)
    assert (await client.get("/npm/widget", headers=customer.headers)).status == 403

    developer = await make_developer(client, scopes=("components:read",))
    await client.get("/npm/widget/-/widget-1.1.0.tgz", headers={"Authorization": f"Bearer {developer.key}",
                                                                "User-Agent": "npm/11 node/v20"})
    log = await (await client.get("/api/v1/admin/component-downloads", headers=tech.headers)).json()
    [line] = log["items"]
    assert (line["name"], line["version"], line["via"], line["user_email"]) == (
        "widget", "1.1.0", "npm", developer.person.email)
    assert line["api_key_id"] is not None


async def test_unknown_packages_and_tarballs_are_404_in_npms_format(client):
    await published(client)
    developer = await make_developer(client, scopes=("components:read",))
    auth = {"Authorization": f"Bearer {developer.key}"}
    for path in ("/npm/nothing-here", "/npm/widget/-/widget-9.9.9.tgz", "/npm/widget/-/other-1.0.0.tgz"):
        response = await client.get(path, headers=auth)
        assert response.status == 404 and "error" in await response.json()
