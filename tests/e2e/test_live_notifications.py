"""The notification centre in a real browser: a live pop-up, the bell's count, mark as read."""
import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from server.context import build_context
from server.db.pool import create_pool
from server.notifications.service import notify, push_notifications
from server.redis_client import create_redis
from server.settings import load_settings
from tests.support.http import call

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def register(base: str) -> dict:
    email = f"notified-{uuid.uuid4().hex[:8]}@example.fr"
    status, account = call("POST", base + "/api/v1/auth/register",
                           {"email": email, "password": PASSWORD, "name": "E2E", "role": "customer"})
    assert status == 201, account
    return {"email": email, "id": uuid.UUID(account["id"])}


def notify_from_elsewhere(live_env: dict, user_id: uuid.UUID) -> None:
    """What a use case on another process does: notify in its transaction, push after commit."""
    async def run() -> None:
        settings = load_settings(live_env)
        db, redis = await create_pool(settings.database_url, min_size=1, max_size=1), create_redis(settings.redis_url)
        try:
            async with db.acquire() as conn, conn.transaction():
                note = await notify(conn, user_id, "order.cancelled", {"ref": "A12"})
            await push_notifications(build_context(db, redis, settings), [note])
        finally:
            await db.close()
            await redis.aclose()
    # Playwright's sync API keeps an event loop on this thread: run ours on another
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(run())).result(timeout=30)


def test_a_notification_pops_up_live_and_is_marked_read_in_the_centre(page, live_server, live_env):
    person = register(live_server)
    page.goto("/login")
    page.locator("#login-email").fill(person["email"])
    page.locator("#login-password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    expect(page.locator("#notif-bell")).to_be_visible()
    expect(page.locator("#notif-count")).to_be_hidden()
    page.wait_for_function("CE.live.socket && CE.live.socket.connected")

    notify_from_elsewhere(live_env, person["id"])
    expect(page.locator(".toast")).to_contain_text("Commande annulée — La commande A12 est annulée.")
    expect(page.locator("#notif-count")).to_have_text("1")

    page.locator("#notif-bell").click()
    entry = page.locator("#notif-list .notif-item").first
    expect(entry).to_contain_text("Commande annulée")
    entry.get_by_role("button", name="Marquer comme lue").click()
    expect(page.locator("#notif-count")).to_be_hidden()
    page.reload()
    page.locator("#notif-bell").click()
    expect(page.locator("#notif-list .notif-item").first).to_contain_text("Commande annulée")
    expect(page.locator("#notif-count")).to_be_hidden()
