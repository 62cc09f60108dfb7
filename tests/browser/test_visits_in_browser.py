"""A lesbezoek in the browser: planned from the board, live on a colleague's screen, fed back
by the visitor and read by the visited teacher, whose colleague's screen never shows it."""

from playwright.sync_api import expect

from app.models import Role, TeamMember
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import NewContext, not_reloaded, person
from tests.factories import Factory

TIP = "Laat ze eerst met hun buur overleggen"


def test_a_visit_planned_and_fed_back_with_the_planning_live(
    new_context: NewContext, live_server, world, app
):
    factory = Factory(app, None)  # type: ignore[arg-type]
    factory._n = 1000  # past the numbers of the world's addresses
    vera = factory.user(world.school, Role.teacher, name="Vera de Vries")
    chris = factory.user(world.school, Role.teacher, name="Chris Collega")
    for user in (vera, chris):
        factory._save(TeamMember(team_id=world.team.id, user_id=user.id))
    tim = person(new_context, live_server, world.teacher, world.board.id)
    other = person(new_context, live_server, chris, world.board.id)

    tim.get_by_role("link", name="Lesbezoek plannen").click()
    tim.get_by_label("Bij wie?").select_option(label="Vera de Vries")
    tim.get_by_label("Wanneer?").fill("2026-12-02")
    tim.get_by_label("Welke klas?").fill("groep 5")
    tim.get_by_role("button", name="Lesbezoek plannen").click()
    expect(tim.locator("#visit-question-error")).to_have_text("Vul dit veld in.")
    tim.get_by_label("Kijkvraag", exact=False).fill("Krijgen alle kinderen denktijd?")
    tim.get_by_role("button", name="Lesbezoek plannen").click()
    expect(tim.get_by_role("status")).to_have_text("Het lesbezoek staat op de planning.")

    line = other.locator("#list-plan .card--visit")
    expect(line).to_contain_text("Lesbezoek: Tim Teacher bij Vera de Vries")
    assert not_reloaded(other)

    tim.get_by_label("Wat ik zag of hoorde (feiten)").fill("Na elke vraag tel je tot vijf")
    tim.get_by_label("Welk effect het had").fill("Meer vingers")
    tim.get_by_label("Tip", exact=True).fill(TIP)
    tim.get_by_label("Top", exact=True).fill("Rustige uitleg")
    tim.get_by_role("button", name="Feedback opslaan").click()
    expect(tim.locator(".visit-feedback")).to_contain_text(TIP)

    expect(line.locator(".badge--held")).to_have_text("nabesproken")
    expect(other.locator("body")).not_to_contain_text(TIP)

    visited = new_context().new_page()
    log_in(visited, live_server, vera.email)
    visited.get_by_role("link", name="Mijn lesbezoeken").click()
    visited.get_by_role("link", name="Tim Teacher bij jou").click()
    expect(visited.locator(".visit-feedback")).to_contain_text(TIP)
    assert tim.errors == [] and other.errors == []  # type: ignore[attr-defined]
