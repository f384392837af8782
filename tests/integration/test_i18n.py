"""The request's language: ?lang=, then the cookie, then Accept-Language, then French."""
import re

import msgspec
import pytest


def page_language(html: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', html).group(1)


async def test_a_page_is_french_unless_asked_otherwise(client):
    response = await client.get("/")
    assert response.status == 200 and page_language(await response.text()) == "fr"
    assert "lang" not in response.cookies


async def test_lang_in_the_query_wins_and_is_remembered_in_a_cookie(client):
    response = await client.get("/?lang=en", headers={"Accept-Language": "fr-FR"})
    assert page_language(await response.text()) == "en"
    assert response.cookies["lang"].value == "en"
    later = await client.get("/", headers={"Accept-Language": "fr-FR"})
    assert page_language(await later.text()) == "en" and "lang" not in later.cookies


@pytest.mark.parametrize("header, expected", [
    ("en-GB,en;q=0.9", "en"), ("de-DE,en;q=0.5", "en"), ("de-DE", "fr"), ("", "fr"),
])
async def test_accept_language_gives_the_first_known_language(client, header, expected):
    for _ in range(2):  # the second answer comes from what the first header gave
        response = await client.get("/", headers={"Accept-Language": header})
        assert page_language(await response.text()) == expected


async def test_an_unknown_lang_or_cookie_is_ignored(client):
    response = await client.get("/?lang=xx", headers={"Accept-Language": "en", "Cookie": "lang=yy"})
    assert page_language(await response.text()) == "en" and "lang" not in response.cookies


async def test_api_problems_are_translated_too(client):
    french = await client.get("/api/v1/restaurants?lat=95&lng=2")
    english = await client.get("/api/v1/restaurants?lat=95&lng=2&lang=en")
    assert french.status == english.status == 422
    assert (await french.json(content_type=None)) != (await english.json(content_type=None))


async def test_the_restaurant_pages_scripts_get_their_texts_in_the_page_language(client):
    def texts(html):
        return msgspec.json.decode(re.search(r'id="page-messages">(.*?)</script>', html, re.S).group(1))
    french = texts(await (await client.get("/restaurants")).text())
    english = texts(await (await client.get("/restaurants?lang=en")).text())
    client.session.cookie_jar.clear()  # forget the ?lang=en just remembered
    again = texts(await (await client.get("/restaurants", headers={"Accept-Language": "fr"})).text())
    assert (french["openNow"], french["categories"]["dish"]) == ("Ouvert maintenant", "Plats")
    assert (english["openNow"], english["categories"]["dish"]) == ("Open now", "Dishes")
    assert again == french
