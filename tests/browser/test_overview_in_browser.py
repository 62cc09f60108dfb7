"""The school leader's overview in the browser: live team cards, answering a help request in
place while the team's board is open elsewhere, and the teacher who may not see it."""

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from app.models import User
from app.models.notes import HelpRequestCreate
from app.services import item_kinds, items
from tests.browser.test_board_in_browser import column, log_in
from tests.browser.test_live_board import change, new_action, person

NewContext = Callable[..., BrowserContext]


def leader_overview(new_context: NewContext, base: str, leader: User, school_id: int) -> Page:
    page = new_context().new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    log_in(page, base, leader.email)
    page.get_by_role("link", name="Overzicht", exact=True).click()
    expect(page).to_have_url(f"{base}/schools/{school_id}/overview")
    expect(page.locator("body[data-live=ready]")).to_have_count(1)  # the live channel is open
    page.evaluate("window.notReloaded = true")
    return page


def ask_for_help(app, user: User, board_id: int, text: str):
    def make(session):
        return items.create_item(
            session,
            session.get(User, user.id),
            item_kinds.HELP_REQUEST,
            board_id,
            HelpRequestCreate(text=text),
        )

    return change(app, make)


def test_an_answer_on_the_overview_appears_on_the_team_board(new_context, live_server, world, app):
    ask_for_help(app, world.teacher, world.board.id, "Kunnen we een extra uur inval krijgen?")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    lotte = leader_overview(new_context, live_server, world.leader, world.school.id)

    card = lotte.locator(f"#team-{world.team.id}")
    expect(card).to_contain_text("1 hulpvraag wacht op je")
    card.get_by_label("Jouw antwoord").fill("Ja, vanaf maandag regel ik inval.")
    card.get_by_role("button", name="Antwoord versturen").click()
    expect(card).not_to_contain_text("hulpvraag wacht")

    help_card = tim.locator("#list-help .card--help", has_text="extra uur inval")
    expect(help_card).to_contain_text("Ja, vanaf maandag regel ik inval.")
    assert tim.evaluate("window.notReloaded === true")
    assert lotte.evaluate("window.notReloaded === true")
    assert lotte.errors == [] and tim.errors == []  # type: ignore[attr-defined]


def test_the_overview_follows_the_boards_live(new_context, live_server, world, app):
    lotte = leader_overview(new_context, live_server, world.leader, world.school.id)
    card = lotte.locator(f"#team-{world.team.id}")
    other = lotte.locator(f"#team-{world.outsider_team.id}")
    expect(card.locator('[data-count="todo"]')).to_have_text("0")

    tim = person(new_context, live_server, world.teacher, world.board.id)
    tim.locator("#section-actions summary").click()
    tim.locator("#add-actions-title").fill("Leesbegrip groep 7")
    tim.locator("#add-actions button.button--primary").click()
    expect(column(tim, "todo")).to_contain_text("Leesbegrip groep 7")

    expect(card.locator('[data-count="todo"]')).to_have_text("1")
    new_action(app, world.leader, world.outsider_board.id, "Buitenspelen")
    expect(other.locator('[data-count="todo"]')).to_have_text("1")
    expect(card.locator('[data-count="todo"]')).to_have_text("1")

    # a help request arrives while the leader is typing an answer to another one: kept
    ask_for_help(app, world.teacher, world.board.id, "Eerste vraag")
    field = card.get_by_label("Jouw antwoord")
    field.fill("Ik denk erover na")
    ask_for_help(app, world.teacher, world.board.id, "Tweede vraag")
    expect(card).to_contain_text("Tweede vraag")
    expect(card.locator("textarea").first).to_have_value("Ik denk erover na")
    assert lotte.evaluate("window.notReloaded === true")
    assert lotte.errors == []  # type: ignore[attr-defined]


def test_a_teacher_has_no_overview(page: Page, live_server, world):
    log_in(page, live_server, world.teacher.email)
    expect(page.get_by_role("link", name="Overzicht")).to_have_count(0)
    response = page.goto(f"{live_server}/schools/{world.school.id}/overview")
    assert response is not None and response.status == 404
