"""A leader sets up a team and its board in the browser, renames the board while a teacher has
it open, then archives and restores it: the teacher's screen follows without a reload."""

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from app.models import Board, Team, TeamMember
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import person
from tests.factories import Factory

NewContext = Callable[..., BrowserContext]


def test_a_leader_creates_a_team_and_a_board_and_renames_it(new_context, live_server, world, app):
    lotte = new_context().new_page()
    lotte.set_default_timeout(10_000)
    log_in(lotte, live_server, world.leader.email)
    lotte.get_by_role("link", name="Teams en borden").click()
    expect(lotte).to_have_url(f"{live_server}/schools/{world.school.id}/teams")

    # a duplicate name is refused next to the field
    lotte.get_by_label("Naam van het team", exact=True).fill("Onderbouw")
    lotte.get_by_role("button", name="Team toevoegen").click()
    expect(lotte.locator("#new-team-name-error")).to_have_text("Er is al een team met deze naam.")

    lotte.get_by_label("Naam van het team", exact=True).fill("Groep 5")
    lotte.get_by_role("button", name="Team toevoegen").click()
    team = next(t for t in Factory(app, None).all(Team) if t.name == "Groep 5")  # type: ignore[arg-type]
    card = lotte.locator(f"#team-{team.id}")
    expect(card.get_by_role("heading", name="Groep 5")).to_be_visible()

    card.get_by_text("+ Bord").click()
    card.get_by_label("Naam van het bord", exact=True).fill("Rekenen groep 5")
    card.get_by_label("Soort bord").select_option("class")
    card.get_by_role("button", name="Bord toevoegen").click()
    card = lotte.locator(f"#team-{team.id}")
    expect(card.get_by_role("link", name="Rekenen groep 5")).to_be_visible()
    board = next(b for b in Factory(app, None).all(Board) if b.team_id == team.id)  # type: ignore[arg-type]

    # a teacher of the team has the board open
    Factory(app, None)._save(TeamMember(team_id=team.id, user_id=world.teacher.id))  # type: ignore[arg-type]
    tim = person(new_context, live_server, world.teacher, board.id)
    expect(tim.locator(".board-title")).to_have_text("Rekenen groep 5")

    row = lotte.locator(f"#board-{board.id}")
    row.get_by_text("Naam wijzigen").click()
    row.get_by_label("Nieuwe naam van het bord").fill("Rekenen groep 5 en 6")
    row.get_by_role("button", name="Opslaan").click()
    expect(lotte.locator(f"#board-{board.id}")).to_contain_text("Rekenen groep 5 en 6")
    expect(tim.locator(".board-title")).to_have_text("Rekenen groep 5 en 6")

    lotte.get_by_role("button", name="Bord Rekenen groep 5 en 6 archiveren").click()
    expect(lotte.get_by_role("heading", name="Gearchiveerde borden")).to_be_visible()
    expect(tim.locator("#board-archived")).to_contain_text("Dit bord is gearchiveerd.")
    expect(tim.locator("details.add").first).to_be_hidden()

    lotte.get_by_role("button", name="Bord Rekenen groep 5 en 6 terugzetten").click()
    expect(tim.locator("#board-archived")).to_have_count(0)
    expect(tim.locator("details.add").first).to_be_visible()
    assert tim.evaluate("window.notReloaded === true")
    assert tim.errors == []  # type: ignore[attr-defined]
