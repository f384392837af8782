"""The home page in a real browser, in French by default and in English on request."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_home_page_speaks_french_by_default(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("livrées et suivies en direct")
    expect(page.get_by_role("link", name="Commander maintenant")).to_be_visible()


def test_a_visitor_switches_to_english_and_it_is_remembered(page):
    page.goto("/")
    page.get_by_role("link", name="EN", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("delivered and followed live")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Order now")).to_be_visible()


def test_an_unknown_page_shows_a_readable_error(page):
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette page n'existe pas.")
