"""The calendar link in the browser: made from the board's menu and the profile page, copied with
one click, and the copied address is a feed a calendar app can read."""

import httpx
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.browser.test_board_in_browser import log_in

SERVER_WAITS = 30.0


def patient_get(url: str, **kwargs) -> httpx.Response:
    """More patient than the server's own waits (a lock, its queue): a busy machine's answer is
    slow, or a 503, never a client time-out."""
    return httpx.get(url, timeout=SERVER_WAITS, **kwargs)


def test_the_board_menu_makes_a_link_the_copy_button_copies(page: Page, live_server, world):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    log_in(page, live_server, world.teacher.email)
    page.goto(f"{live_server}/boards/{world.board.id}")

    page.locator(".calendar-share > summary").click()
    page.get_by_role("button", name="Agenda-link maken").click()
    field = page.get_by_label("Agenda-link")
    url = field.input_value()
    assert url.startswith(f"{live_server}/calendar/") and url.endswith(".ics")
    page.get_by_role("button", name="Kopiëren").click()

    expect(page.locator("#toast")).to_have_text("Gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == url
    feed = patient_get(url)
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert str(Calendar.from_ical(feed.content)["NAME"]) == "Teambord (Bord)"


def test_the_profile_page_makes_and_revokes_my_link(page: Page, live_server, world):
    log_in(page, live_server, world.teacher.email)
    page.goto(f"{live_server}/me")
    section = page.locator("#profile-calendar")
    expect(section.get_by_role("heading", name="Agenda-koppeling")).to_be_visible()

    section.get_by_role("button", name="Agenda-link maken").click()
    url = page.locator("#new-calendar-url").input_value()
    assert patient_get(url).status_code == 200

    page.locator("#profile-calendar").get_by_role("button", name="Agenda-link intrekken").click()
    expect(page.get_by_role("status")).to_contain_text("Je agenda-link werkt niet meer.")
    assert patient_get(url).status_code == 404
