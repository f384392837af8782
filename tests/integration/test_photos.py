"""Photo uploads: recognised from their bytes, bounded, resized, served with long cache headers."""
import io

import aiohttp
import pytest
from PIL import Image

from domain.roles import Role
from tests.support.catalogue import make_article, make_restaurant, problem
from tests.support.factories import make_person


def picture(kind="PNG", size=(1600, 900), color=(200, 60, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=kind)
    return out.getvalue()


@pytest.fixture
async def shop(client):
    owner = await make_person(client, Role.restaurateur)
    restaurant = await make_restaurant(client, owner)
    return owner, restaurant["id"], f"/api/v1/restaurants/{restaurant['id']}"


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
async def test_a_picture_becomes_a_thumbnail_and_a_large_webp(client, shop, kind):
    owner, _, base = shop
    response = await client.put(base + "/photo", data=picture(kind), headers=owner.headers)
    urls = await response.json()
    assert response.status == 200, urls
    for url, longest in ((urls["thumb"], 320), (urls["large"], 1280)):
        served = await client.get(url)
        image = Image.open(io.BytesIO(await served.read()))
        assert (image.format, max(image.size)) == ("WEBP", longest)
        assert "immutable" in served.headers["Cache-Control"] and served.headers["ETag"]
    assert (await (await client.get(base)).json())["photo"] == urls


async def test_an_unchanged_photo_is_not_sent_again(client, shop):
    owner, _, base = shop
    urls = await (await client.put(base + "/photo", data=picture(), headers=owner.headers)).json()
    first = await client.get(urls["thumb"])
    again = await client.get(urls["thumb"], headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304


async def test_an_article_photo_comes_as_a_multipart_form_and_replaces_the_previous_one(client, shop):
    owner, rid, base = shop
    article = await make_article(client, owner, rid)
    url = f"{base}/articles/{article['id']}/photo"
    first = await (await client.put(url, data=picture(), headers=owner.headers)).json()
    form = aiohttp.FormData()
    form.add_field("photo", picture("JPEG"), filename="burger.txt", content_type="text/plain")
    response = await client.put(url, data=form, headers=owner.headers)
    second = await response.json()
    assert response.status == 200 and second["id"] != first["id"]
    listed = (await (await client.get(base + "/articles")).json())["items"][0]
    assert listed["photo"] == second
    assert (await client.get(first["thumb"])).status == 404


@pytest.mark.parametrize("body, detail", [
    (b"GIF89a" + b"\x00" * 100, "not a JPEG, PNG or WebP"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "not a JPEG, PNG or WebP"),
    (b"%PDF-1.4 pretending.png", "not a JPEG, PNG or WebP"),
    (picture("PNG")[:200], "damaged or truncated"),
    (picture("PNG", size=(9000, 9000), color=(0, 0, 0)), "million pixels"),
])
async def test_anything_but_a_sane_picture_is_refused_and_nothing_changes(client, shop, body, detail):
    owner, _, base = shop
    response = await client.put(base + "/photo", data=body, headers=owner.headers)
    assert response.status == 422
    assert detail in (await problem(response))["detail"]
    assert (await (await client.get(base)).json())["photo"] is None


async def test_a_gif_is_refused_even_with_an_image_name(client, shop):
    owner, _, base = shop
    form = aiohttp.FormData()
    form.add_field("photo", picture("GIF"), filename="plat.png", content_type="image/png")
    response = await client.put(base + "/photo", data=form, headers=owner.headers)
    assert response.status == 422


async def test_a_photo_over_5_mb_is_refused_before_it_is_read(client, shop):
    owner, _, base = shop
    response = await client.put(base + "/photo", data=b"\xff" * (5 * 1024 * 1024 + 70_000), headers=owner.headers)
    assert response.status == 413
    assert "5 MB" in (await problem(response))["detail"]


async def test_a_streamed_photo_over_5_mb_is_refused(client, shop):
    owner, _, base = shop

    async def chunks():
        for _ in range(6):
            yield b"\x00" * (1024 * 1024)
    response = await client.put(base + "/photo", data=chunks(), headers=owner.headers)
    assert response.status == 413


async def test_another_owner_cannot_change_a_photo(client, shop):
    _, rid, base = shop
    rival = await make_person(client, Role.restaurateur)
    response = await client.put(base + "/photo", data=picture(), headers=rival.headers)
    assert response.status == 404
    assert (await (await client.get(base)).json())["photo"] is None


async def test_an_unknown_photo_is_404(client):
    assert (await client.get("/photos/00000000-0000-0000-0000-000000000000-thumb.webp")).status == 404
    assert (await client.get("/photos/../../secret_key")).status == 404
