"""A leader saves a team's board as a template and starts another team's board from it."""

from playwright.sync_api import Page, expect

from app.models import Board, Goal
from app.models.goal import GoalCreate
from app.services import item_kinds, items
from tests.browser.axe_audit import Audit
from tests.browser.test_board_in_browser import log_in
from tests.factories import Factory


def test_a_board_from_the_schools_template_has_its_goals(page: Page, live_server, world, app):
    with app.state.db.session() as session:
        leader = session.get(type(world.leader), world.leader.id)
        assert leader is not None and world.board.id is not None
        goal = GoalCreate(title="Iedereen leest 15 minuten per dag")
        items.create_item(session, leader, item_kinds.GOAL, world.board.id, goal)
    page.set_default_timeout(10_000)
    log_in(page, live_server, world.leader.email)
    page.goto(f"{live_server}/schools/{world.school.id}/teams")

    row = page.locator(f"#board-{world.board.id}")
    row.get_by_text("Bewaren als sjabloon").click()
    row.get_by_label("Naam van het sjabloon").fill("Leesbord")
    row.get_by_role("button", name="Sjabloon bewaren").click()
    expect(page.locator("#templates")).to_contain_text("Leesbord")

    card = page.locator(f"#team-{world.outsider_team.id}")
    card.get_by_text("+ Bord").click()
    card.get_by_label("Naam van het bord", exact=True).fill("Lezen onderbouw")
    card.get_by_label("Sjabloon", exact=True).select_option(label="Leesbord")
    audit = Audit()
    audit.check(page, "teams page with a template chosen")
    card.get_by_role("button", name="Bord toevoegen").click()
    link = page.locator(f"#team-{world.outsider_team.id}").get_by_role(
        "link", name="Lezen onderbouw"
    )
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#list-goals, .goals").first).to_contain_text(
        "Iedereen leest 15 minuten per dag"
    )
    audit.assert_clean()
    factory = Factory(app, None)  # type: ignore[arg-type]
    board = next(b for b in factory.all(Board) if b.title == "Lezen onderbouw")
    assert [g.title for g in factory.all(Goal) if g.board_id == board.id] == [
        "Iedereen leest 15 minuten per dag"
    ]
