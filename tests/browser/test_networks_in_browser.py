"""A leernetwerk as its members see it: a practice shared with a preview appears live on a
colleague's screen at another school; the facilitator orders a meeting's agenda by keyboard;
the meeting runs on a shared screen. axe-core on each page."""

import httpx
from playwright.sync_api import expect

from tests.browser.axe_audit import Audit
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import NewContext
from tests.factories import Factory

API = "/api/v1"


def test_a_practice_shared_and_a_meeting_run(new_context: NewContext, live_server, world, app):
    factory = Factory(app, None)  # type: ignore[arg-type]
    regenboog, klimop = factory.api(world.teacher), factory.api(world.other_teacher)
    api = httpx.Client(base_url=live_server, timeout=30)
    network = api.post(f"{API}/networks", json={"name": "Leesnetwerk regio"}, headers=regenboog)
    network_id = network.json()["id"]
    member = {"email": world.other_teacher.email}
    assert api.post(f"{API}/networks/{network_id}/members", json=member, headers=regenboog)
    audit = Audit()

    colleague = new_context().new_page()
    log_in(colleague, live_server, world.other_teacher.email)
    colleague.goto(f"{live_server}/networks/{network_id}")
    audit.check(colleague, "network page")

    sharer = new_context().new_page()
    log_in(sharer, live_server, world.teacher.email)
    sharer.goto(f"{live_server}/networks/{network_id}/share")
    sharer.locator("#share-title").fill("Leesmaatjes")
    sharer.locator("#share-text").fill("Groep 7 leest elke week met groep 3.")
    sharer.get_by_role("button", name="Bekijk wat er gedeeld wordt").click()
    expect(sharer.locator("#share-preview")).to_contain_text("zonder naam van school of persoon")
    audit.check(sharer, "share preview")
    sharer.get_by_role("button", name="Deel met het netwerk").click()
    # live on the colleague's open page at the other school, without a reload
    expect(colleague.locator(".practice-card").first).to_contain_text("Leesmaatjes")

    meeting = api.post(
        f"{API}/networks/{network_id}/meetings",
        json={"date": "2026-12-10", "theme": "Begrijpend lezen"},
        headers=regenboog,
    ).json()
    meeting_url = f"{API}/meetings/{meeting['id']}/contributions"
    for headers, body in (
        (klimop, {"kind": "bring", "text": "Leesmaatjes in groep 7"}),
        (regenboog, {"kind": "fetch", "text": "Hoe houden jullie de motivatie vast?"}),
    ):
        assert api.post(meeting_url, json=body, headers=headers).status_code == 201

    sharer.goto(f"{live_server}/meetings/{meeting['id']}")
    audit.check(sharer, "meeting page")
    parts = sharer.locator(".meeting-order > li")
    expect(parts.first).to_contain_text("Leesmaatjes in groep 7")
    sharer.get_by_role("button", name="Omlaag: Leesmaatjes in groep 7").focus()
    sharer.keyboard.press("Enter")
    expect(parts.first).to_contain_text("Hoe houden jullie de motivatie vast?")
    # the keyboard stays with the part that moved (now last: on its other button)
    expect(sharer.get_by_role("button", name="Omhoog: Leesmaatjes in groep 7")).to_be_focused()

    screen = new_context().new_page()
    log_in(screen, live_server, world.other_teacher.email)
    screen.goto(f"{live_server}/meetings/{meeting['id']}/screen")
    start = api.post(f"{API}/meetings/{meeting['id']}/start", headers=regenboog)
    assert start.status_code == 200
    expect(screen.locator("#session-clock")).to_be_visible()
    expect(screen.locator(".meeting-screen")).to_contain_text(
        "Hoe houden jullie de motivatie vast?"
    )
    audit.check(screen, "meeting on the shared screen")
    api.close()
    audit.assert_clean()
