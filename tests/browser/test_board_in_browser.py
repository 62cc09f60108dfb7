"""A teacher at the smartboard: log in, add an action, drag it, move it with the keyboard."""

import re

from playwright.sync_api import Page, expect

from app.models import Action, ActionStatus, Board
from app.models.action import ActionCreate
from app.services import item_kinds, items
from tests.factories import PASSWORD


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{base}/")


def column(page: Page, status: str):
    return page.locator(f'#list-actions ol[data-status="{status}"]')


def settled(page: Page, app, board_id: int) -> None:
    """Wait until the page has taken the push of the board's last change: the push redraws the
    section it changed (the same version as the answer that drew it first), and a card dragged
    while that happens would be gone from under the mouse."""
    with app.state.db.session() as session:
        version = session.get(Board, board_id).version
    expect(page.locator("[data-live-board]")).to_have_attribute("data-version", str(version))


def drag(page: Page, source, target) -> None:
    """A real mouse drag, in small steps, as SortableJS's fallback wants it."""
    source.scroll_into_view_if_needed()
    start = source.bounding_box()
    end = target.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + 12
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 10, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=25)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2 + 4, steps=5)
    page.mouse.up()


def make_action(app, user, board, title: str) -> Action:
    with app.state.db.session() as session:
        action = items.create_item(
            session, user, item_kinds.ACTION, board.id, ActionCreate(title=title)
        )
        session.info.pop("outbox", None)
    return action


def test_log_in_add_an_action_and_drag_it_to_doing(page: Page, live_server, world, app):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, world.teacher.email)

    page.get_by_role("link", name=re.compile("Teambord")).first.click()
    expect(page.get_by_role("heading", name="Verbeteracties")).to_be_visible()
    assert "Bovenbouw" in page.locator(".board-crumbs").inner_text()

    page.locator("#section-actions summary").click()
    form = page.locator("#add-actions")
    form.get_by_label("Wat", exact=True).fill("Leeshoek inrichten")
    form.get_by_label("Wie", exact=True).fill("Piet")
    form.get_by_role("button", name="Actie toevoegen").click()
    card = column(page, "todo").locator(".card", has_text="Leeshoek inrichten")
    expect(card).to_be_visible()
    expect(page.locator("#add-actions-title")).to_have_value("")  # a fresh form

    settled(page, app, world.board.id)
    drag(page, card, column(page, "doing"))
    expect(column(page, "doing").locator(".card", has_text="Leeshoek inrichten")).to_be_visible()
    expect(page.locator("#list-actions .card--moving")).to_have_count(0)  # answer swapped in

    page.reload()
    expect(column(page, "doing").locator(".card", has_text="Leeshoek inrichten")).to_be_visible()
    expect(column(page, "todo").locator(".card")).to_have_count(0)
    [action] = world_actions(app)
    assert action.status == ActionStatus.doing
    assert errors == []


def world_actions(app) -> list[Action]:
    from sqlmodel import select

    with app.state.db.session(write=False) as session:
        return list(session.exec(select(Action)))


def test_move_a_card_with_the_keyboard(page: Page, live_server, world, app):
    first = make_action(app, world.teacher, world.board, "Ouderbrief")
    second = make_action(app, world.teacher, world.board, "Leesmonitor")
    log_in(page, live_server, world.teacher.email)
    page.goto(f"{live_server}/boards/{world.board.id}")

    card = page.locator(f"#action-{first.id}")
    card.focus()
    page.keyboard.press("ArrowRight")
    moved = column(page, "doing").locator(f"#action-{first.id}")
    expect(moved).to_be_visible()
    expect(moved).to_be_focused()
    expect(page.locator("#live")).to_have_text(re.compile("Ouderbrief staat nu in Mee bezig"))

    page.keyboard.press("ArrowRight")
    expect(column(page, "done").locator(f"#action-{first.id}")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(column(page, "doing").locator(f"#action-{first.id}")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(column(page, "todo").locator(f"#action-{first.id}")).to_be_focused()

    # back in Te doen it went to the end; up puts it above the other card again
    expect(column(page, "todo").locator(".card").last).to_have_id(f"action-{first.id}")
    page.keyboard.press("ArrowUp")
    expect(column(page, "todo").locator(".card").first).to_have_id(f"action-{first.id}")
    expect(column(page, "todo").locator(".card").last).to_have_id(f"action-{second.id}")
    statuses = {a.id: a.status for a in world_actions(app)}
    assert statuses == {first.id: ActionStatus.todo, second.id: ActionStatus.todo}


def test_edit_in_place_and_see_a_late_card_marked_in_words(page: Page, live_server, world, app):
    action = make_action(app, world.teacher, world.board, "Rekenles ontwerpen")
    log_in(page, live_server, world.teacher.email)
    page.goto(f"{live_server}/boards/{world.board.id}")

    card = page.locator(f"#action-{action.id}")
    menu = card.get_by_role("button", name="Bewerken of verwijderen")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    card.get_by_role("button", name="Bewerken", exact=True).click()
    editing = page.locator(f"#action-{action.id}.card--editing")
    expect(editing).to_be_visible()
    editing.get_by_label("Wat", exact=True).fill("Rekenles samen ontwerpen")
    editing.get_by_label("Wanneer").fill("2020-01-06")
    editing.get_by_role("button", name="Bewaren").click()
    card = page.locator(f"#action-{action.id}")
    expect(card).to_contain_text("Rekenles samen ontwerpen")
    expect(card.locator(".badge--late")).to_have_text("Te laat")


def test_delete_a_card_and_undo_it_on_two_screens(page: Page, new_context, live_server, world, app):
    """No "are you sure": the card goes at once, on every screen, with "Ongedaan maken" where
    the keyboard is; undo brings it back everywhere."""
    kept = make_action(app, world.teacher, world.board, "Leesouders vragen")
    gone = make_action(app, world.teacher, world.board, "Rekenles ontwerpen")
    board = f"{live_server}/boards/{world.board.id}"
    other = new_context().new_page()
    log_in(other, live_server, world.leader.email)
    other.goto(board)
    log_in(page, live_server, world.teacher.email)
    page.goto(board)
    expect(other.locator(f"#action-{gone.id}")).to_be_visible()

    page.locator(f"#action-{gone.id} [data-card-menu]").click()
    page.locator(f"#action-{gone.id}").get_by_role("button", name="Verwijderen", exact=True).click()
    expect(page.locator(f"#action-{gone.id}")).to_have_count(0)
    expect(other.locator(f"#action-{gone.id}")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Verwijderd")).to_be_visible()
    undo = page.get_by_role("button", name="Ongedaan maken")
    expect(undo).to_be_focused()
    assert [a.id for a in world_actions(app)] == [kept.id]

    page.keyboard.press("Enter")
    expect(page.locator(f"#action-{gone.id}")).to_contain_text("Rekenles ontwerpen")
    expect(other.locator(f"#action-{gone.id}")).to_contain_text("Rekenles ontwerpen")
    expect(undo).to_have_count(0)
    assert sorted(a.id for a in world_actions(app)) == sorted([kept.id, gone.id])
