"""The archive in the browser: "Archiveren" from a card's menu takes the card off a second
screen; "Terugzetten" in the archive, by keyboard, says so and puts it back."""

from playwright.sync_api import expect

from app.models import Action, User
from app.models.action import ActionCreate
from app.services import item_kinds, items
from tests.browser.test_live_board import NewContext, person


def new_action(app, user: User, board_id: int, title: str) -> Action:
    with app.state.db.session() as session:
        action = items.create_item(
            session,
            session.get(User, user.id),
            item_kinds.ACTION,
            board_id,
            ActionCreate(title=title),
        )
        session.info.pop("outbox", None)
    return action


def test_archived_on_one_screen_gone_on_the_other_and_restored_by_keyboard(
    new_context: NewContext, live_server, world, app
):
    action = new_action(app, world.teacher, world.board.id, "Leesmaatjes")
    new_action(app, world.teacher, world.board.id, "Rekenmuur")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    lotte = person(new_context, live_server, world.leader, world.board.id)
    card = f"#action-{action.id}"
    expect(lotte.locator(card)).to_be_visible()

    tim.locator(card).get_by_role("button", name="Bewerken of verwijderen").focus()
    tim.keyboard.press("Enter")
    expect(tim.locator(card).get_by_role("button", name="Bewerken", exact=True)).to_be_focused()
    tim.keyboard.press("Tab")
    expect(tim.locator(card).get_by_role("button", name="Archiveren")).to_be_focused()
    tim.keyboard.press("Enter")
    expect(tim.locator(card)).to_have_count(0)
    # the keyboard goes on at the card's column, and a screen reader hears where it went
    expect(tim.locator("#col-todo")).to_be_focused()
    expect(tim.locator("#live")).to_have_text("Leesmaatjes staat nu in het archief.")
    expect(lotte.locator(card)).to_have_count(0)
    expect(lotte.locator("#list-actions")).to_contain_text("Rekenmuur")

    tim.get_by_role("link", name="Archief").click()
    expect(tim.get_by_role("heading", name="Archief")).to_be_visible()
    restore = tim.get_by_role("button", name="Terugzetten · Leesmaatjes")
    restore.focus()
    tim.keyboard.press("Enter")
    expect(tim.get_by_role("status").filter(has_text="staat weer op het bord")).to_contain_text(
        "„Leesmaatjes” staat weer op het bord."
    )
    expect(tim.locator(f"#archived-action-{action.id} p")).to_be_focused()
    expect(lotte.locator(card)).to_be_visible()
    assert tim.errors == [] and lotte.errors == []  # type: ignore[attr-defined]
