"""The component registry: tech staff publish and remove, developers browse and download."""
import gzip
import json

import aiohttp
import pytest

from domain.roles import Role
from tests.support.catalogue import problem
from tests.support.components import TRACKER, TRACKER_DIR, TRACKER_PATH, package, publish, tarball, tracker_tarball
from tests.support.factories import make_person


@pytest.fixture
async def people(client):
    return {role: await make_person(client, role) for role in (Role.tech, Role.developer, Role.customer)}


async def test_tech_publishes_the_order_tracker_and_developers_find_it(client, people):
    response = await publish(client, people[Role.tech], tracker_tarball())
    assert response.status == 201, await response.text()
    published = await response.json()
    version = json.loads((TRACKER_DIR / "package.json").read_text())["version"]
    assert (published["name"], published["version"]) == (TRACKER, version)
    assert published["integrity"].startswith("sha512-") and len(published["shasum"]) == 40

    listed = await (await client.get("/api/v1/components", headers=people[Role.developer].headers)).json()
    assert [(c["name"], c["latest"]) for c in listed] == [(TRACKER, version)]
    shown = await (await client.get(f"/api/v1/components/{TRACKER_PATH}",
                                    headers=people[Role.developer].headers)).json()
    assert [v["version"] for v in shown["versions"]] == [version]
    assert shown["description"].startswith("A <cesi-order-tracker> web component")


async def test_a_published_version_is_never_replaced_and_versions_sort_as_numbers(client, people):
    tech, developer = people[Role.tech], people[Role.developer]
    for version in ("1.2.0", "1.10.0", "1.10.0-beta.2"):
        assert (await publish(client, tech, package(version=version))).status == 201
    again = await publish(client, tech, package(version="1.2.0"))
    assert again.status == 409 and (await problem(again))["type"].endswith("/version-exists")
    shown = await (await client.get("/api/v1/components/widget", headers=developer.headers)).json()
    assert shown["latest"] == "1.10.0"


async def test_a_multipart_upload_must_name_the_version_its_package_json_says(client, people):
    form = aiohttp.FormData()
    form.add_field("version", "2.0.0")
    form.add_field("tarball", package(version="1.0.0"), filename="widget.tgz", content_type="application/gzip")
    response = await client.post("/api/v1/components", data=form, headers=people[Role.tech].headers)
    assert response.status == 422 and (await problem(response))["errors"][0]["field"] == "version"

    form = aiohttp.FormData()
    form.add_field("name", "widget")
    form.add_field("tarball", package(), filename="widget.tgz", content_type="application/gzip")
    response = await client.post("/api/v1/components", data=form, headers=people[Role.tech].headers)
    assert response.status == 201


@pytest.mark.parametrize("data, reason", [
    (b"PK\x03\x04 a zip file", "not a gzip file"),
    (gzip.compress(b"plain text, not a tar", mtime=0), "not a readable gzip'd tar archive"),
    (package(**{"package/../../etc/cron.d/evil": "x"}), "unsafe path"),
    (tarball({"/etc/passwd": "x", "package/package.json": '{"name":"a","version":"1.0.0"}'}), "unsafe path"),
    (tarball({"package/package.json": '{"name":"a","version":"1.0.0"}'}, links={"package/x": "/etc/passwd"}),
     "is not a plain file or folder"),
    (tarball({"package/index.js": "1"}), "no package.json"),
    (tarball({"a/package.json": '{"name":"a","version":"1.0.0"}', "b/x.js": "1"}), "one top folder"),
    (package(name="Not A Name"), "valid npm package name"),
    (package(version="latest"), "semantic version"),
], ids=["zip", "gzip-not-tar", "climbing-path", "absolute-path", "symlink", "no-manifest", "two-tops",
        "bad-name", "bad-version"])  # named, not by their bytes: every test process names them alike
async def test_a_tarball_that_is_not_a_safe_package_is_refused(client, people, data, reason):
    response = await publish(client, people[Role.tech], data)
    assert response.status == 422
    assert reason in (await problem(response))["detail"]


async def test_a_tarball_over_five_megabytes_is_refused(client, people):
    response = await publish(client, people[Role.tech], b"\x1f\x8b" + b"0" * (5 * 1024 * 1024 + 1))
    assert response.status == 413


async def test_only_tech_staff_publish_and_remove(client, people):
    for role in (Role.developer, Role.customer):
        assert (await publish(client, people[role], package())).status == 403
    assert (await publish(client, people[Role.tech], package())).status == 201
    response = await client.delete("/api/v1/components/widget", headers=people[Role.developer].headers)
    assert response.status == 403


async def test_every_download_is_logged_with_who_and_from_where_for_tech_staff(client, people):
    tech, developer = people[Role.tech], people[Role.developer]
    await publish(client, tech, package())
    response = await client.get("/api/v1/components/widget/1.0.0/download", headers=developer.headers)
    assert response.status == 200 and response.content_type == "application/gzip"
    assert await response.read() == package()
    assert 'filename="widget-1.0.0.tgz"' in response.headers["Content-Disposition"]

    log = await (await client.get("/api/v1/admin/component-downloads", headers=tech.headers)).json()
    [line] = log["items"]
    assert (line["name"], line["version"], line["user_email"], line["via"]) == (
        "widget", "1.0.0", developer.email, "api")
    assert line["ip"] == "127.0.0.1" and line["at"]
    assert (await client.get("/api/v1/admin/component-downloads", headers=developer.headers)).status == 403


async def test_a_removed_version_is_gone_and_its_number_stays_taken(client, people):
    tech, developer = people[Role.tech], people[Role.developer]
    await publish(client, tech, package(version="1.0.0"))
    await publish(client, tech, package(version="1.1.0"))
    assert (await client.delete("/api/v1/components/widget/1.1.0", headers=tech.headers)).status == 204
    shown = await (await client.get("/api/v1/components/widget", headers=developer.headers)).json()
    assert [v["version"] for v in shown["versions"]] == ["1.0.0"]
    response = await client.get("/api/v1/components/widget/1.1.0/download", headers=developer.headers)
    assert response.status == 404
    assert (await publish(client, tech, package(version="1.1.0"))).status == 409

    assert (await client.delete("/api/v1/components/widget", headers=tech.headers)).status == 204
    assert await (await client.get("/api/v1/components", headers=developer.headers)).json() == []
    assert (await client.delete("/api/v1/components/widget", headers=tech.headers)).status == 404
