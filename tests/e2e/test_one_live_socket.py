"""Each web app holds one live connection, CE.live's: a notification pops up once, with its title."""
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.test_courier_map import delivery_under_way, person
from tests.e2e.test_live_notifications import notify_from_elsewhere
from tests.support.http import call

pytestmark = pytest.mark.browser
POP_UP = "Commande annulée — La commande A12 est annulée."


def open_signed_in(page, tokens: dict, path: str) -> list[str]:
    """Open `path` as the person; returns the list of the page's Socket.IO websockets, kept up to date."""
    page.goto("/")
    page.evaluate("([a, r]) => { localStorage.setItem('access_token', a); localStorage.setItem('refresh_token', r); }",
                  [tokens["access_token"], tokens["refresh_token"]])
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url) if "/socket.io/" in ws.url else None)
    page.goto(path)
    return sockets


def the_courier_app_once_running(page, live_server) -> dict:
    courier = person(live_server, "courier")
    sockets = open_signed_in(page, courier, "/courier")
    expect(page.get_by_role("switch")).to_be_enabled()
    expect(page.locator("#history li")).not_to_have_count(0)  # the app's live part starts after this
    return {"tokens": courier, "sockets": sockets}


def the_order_page_with_its_courier_map(page, live_server) -> dict:
    _, order, customer, _ = delivery_under_way(live_server)
    sockets = open_signed_in(page, customer, f"/orders/{order['id']}")
    expect(page.locator("#live-state")).to_have_text("En direct")
    expect(page.locator(".map-pin-courier")).to_be_visible()  # the map follows the order too
    return {"tokens": customer, "sockets": sockets}


@pytest.mark.parametrize("opened", [the_courier_app_once_running, the_order_page_with_its_courier_map],
                         ids=["courier app", "order page"])
def test_a_page_holds_one_socket_and_a_notification_pops_up_once_with_its_title(
        page, live_server, live_env, opened):
    shown = opened(page, live_server)
    page.wait_for_function("CE.live.socket && CE.live.socket.connected")
    me = call("GET", live_server + "/api/v1/me", token=shown["tokens"]["access_token"])[1]
    pop_ups = page.locator("#toasts .toast", has_text="Commande annulée")

    notify_from_elsewhere(live_env, uuid.UUID(me["id"]))
    expect(pop_ups).to_have_count(1)
    # a second one, a round trip later: a copy of the first on another socket would be in by now
    notify_from_elsewhere(live_env, uuid.UUID(me["id"]))
    expect(pop_ups).to_have_count(2)
    assert pop_ups.all_inner_texts() == [POP_UP, POP_UP]
    expect(page.locator("#toasts")).not_to_contain_text("undefined")
    assert len(shown["sockets"]) == 1, shown["sockets"]
