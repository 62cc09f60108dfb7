"""Joining by a mailed invitation and resetting a forgotten password, in Chromium, with the
mails read from a real SMTP server."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_board_in_browser import log_in
from tests.mailbox import link_in


@pytest.fixture
def settings(settings, mailbox):
    return settings.model_copy(update={"smtp_url": mailbox.url})


def test_a_leader_invites_a_colleague_who_joins_and_sees_the_team_board(
    page: Page, live_server, world, mailbox, browser
):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, world.leader.email)
    page.get_by_role("link", name="Collega's uitnodigen").click()
    form = page.locator("#invite-one")
    form.get_by_label("E-mailadres").fill("kim@school.nl")
    form.get_by_label("Naam").fill("Kim Kleuter")
    form.get_by_label("Bovenbouw").check()
    form.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_role("status")).to_have_text("De uitnodiging is verstuurd.")
    expect(page.locator("tr", has_text="kim@school.nl")).to_contain_text("Nog niet geaccepteerd")

    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "kim@school.nl"
    path = link_in(mail, "/invitations/")

    colleague = browser.new_context(locale="nl-NL").new_page()
    colleague.goto(f"{live_server}{path}")
    expect(
        colleague.get_by_role("heading", name="Welkom bij Bord van De Regenboog")
    ).to_be_visible()
    expect(colleague.get_by_label("Naam")).to_have_value("Kim Kleuter")
    colleague.get_by_label("Wachtwoord").fill("kort")
    colleague.get_by_role("button", name="Account maken").click()
    expect(colleague.get_by_text("Kies een wachtwoord van minstens 8 tekens.")).to_be_visible()
    colleague.get_by_label("Wachtwoord").fill("kim-haar-wachtwoord")
    colleague.get_by_role("button", name="Account maken").click()
    expect(colleague).to_have_url(f"{live_server}/boards/{world.board.id}")
    expect(colleague.get_by_role("heading", name="Verbeteracties")).to_be_visible()
    expect(colleague.locator(".user-name")).to_have_text("Kim Kleuter")

    page.reload()
    expect(page.locator("tr", has_text="kim@school.nl")).to_contain_text("Geaccepteerd")
    colleague.goto(f"{live_server}{path}")
    expect(
        colleague.get_by_role("heading", name="Deze uitnodiging is al gebruikt.")
    ).to_be_visible()
    assert errors == []


def test_a_forgotten_password_is_reset_through_the_mail(page: Page, live_server, world, mailbox):
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_label("E-mailadres").fill(world.teacher.email)
    page.get_by_role("button", name="Link sturen").click()
    expect(page.get_by_role("status")).to_contain_text("staat er nu een mail")

    (mail,) = mailbox.wait_for(1)
    page.goto(live_server + link_in(mail, "/password/reset/"))
    page.get_by_label("Nieuw wachtwoord").fill("een-nieuw-wachtwoord")
    page.get_by_role("button", name="Wachtwoord bewaren").click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", name="Mijn borden")).to_be_visible()

    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("E-mailadres").fill(world.teacher.email)
    page.get_by_label("Wachtwoord").fill("een-nieuw-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{live_server}/")
