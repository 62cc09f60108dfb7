"""The start page in the browser: my late action first, and the keyboard takes me to its card."""

from datetime import date, timedelta

from playwright.sync_api import Page, expect
from sqlmodel import Session

from app.models import Action, User
from app.models.action import ActionCreate
from app.services import item_kinds, items
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import change

MONDAY = date(2026, 11, 30)  # the pinned clock's day (tests/conftest.py)


def mine(app, user: User, board_id: int, title: str, due: date) -> Action:
    def make(session: Session) -> Action:
        data = ActionCreate(title=title, owner=user.name.split()[0], due=due)
        return items.create_item(
            session, session.get(User, user.id), item_kinds.ACTION, board_id, data
        )

    return change(app, make)  # type: ignore[return-value]


def test_a_teacher_goes_from_a_late_action_on_the_start_page_to_its_card(
    page: Page, live_server, world, app
):
    mine(app, world.teacher, world.board.id, "Rooster ophangen", MONDAY + timedelta(days=2))
    late = mine(app, world.teacher, world.board.id, "Toetsen nakijken", MONDAY - timedelta(days=3))
    log_in(page, live_server, world.teacher.email)

    panel = page.get_by_role("region", name="Mijn acties")
    expect(panel.get_by_role("heading", name="Te laat", level=3)).to_be_visible()
    links = panel.get_by_role("link")
    expect(links).to_have_text(["Toetsen nakijken", "Rooster ophangen"])

    links.first.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/boards/{world.board.id}#action-{late.id}")
    expect(page.locator(f"#action-{late.id}")).to_contain_text("Toetsen nakijken")
    expect(page.locator(f"#action-{late.id}")).to_contain_text("Te laat")
