"""The ideas' impact matrix in the browser: placed by a drag or by the keyboard, live on a second
screen; the TV keeps the ideas as a list."""

from playwright.sync_api import Page, expect

from app.models import Idea, User
from app.models.notes import IdeaCreate
from app.services import item_kinds, items
from tests.browser.test_board_in_browser import drag
from tests.browser.test_live_board import NewContext, person


def new_idea(app, user: User, board_id: int, text: str) -> Idea:
    with app.state.db.session() as session:
        idea = items.create_item(
            session, session.get(User, user.id), item_kinds.IDEA, board_id, IdeaCreate(text=text)
        )
        session.info.pop("outbox", None)
    return idea


def quadrant(page: Page, value: str):
    return page.locator(f'#list-ideas .matrix-cell[data-quadrant="{value}"]')


def show_matrix(page: Page) -> None:
    page.locator("#section-ideas").get_by_role("button", name="Matrix", exact=True).click()
    expect(page.locator("#section-ideas .idea-matrix")).to_be_visible()
    expect(page.locator("#section-ideas .ideas-list")).to_be_hidden()


def test_a_dragged_idea_moves_on_the_second_screen(
    new_context: NewContext, live_server, world, app
):
    idea = new_idea(app, world.teacher, world.board.id, "Leesmaatjes")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    lotte = person(new_context, live_server, world.leader, world.board.id)
    show_matrix(tim)
    show_matrix(lotte)
    expect(quadrant(lotte, "").locator(".card-text")).to_have_text(["Leesmaatjes"])

    drag(tim, tim.locator(f"#matrix-idea-{idea.id} .card-text"), quadrant(tim, "high-low"))
    expect(quadrant(tim, "high-low").locator(f"#matrix-idea-{idea.id}")).to_be_visible()
    expect(quadrant(lotte, "high-low").locator(f"#matrix-idea-{idea.id}")).to_be_visible()
    expect(quadrant(lotte, "").locator(".card")).to_have_count(0)
    # Lotte's view stays the matrix while the ideas are re-rendered under it
    expect(lotte.locator("#section-ideas .ideas-list")).to_be_hidden()

    # the quick win becomes an action, from the matrix
    lotte.locator(f"#matrix-idea-{idea.id}").get_by_role(
        "button", name="Maak er een actie van"
    ).click()
    expect(tim.locator("#list-actions")).to_contain_text("Leesmaatjes")
    expect(tim.locator(f"#matrix-idea-{idea.id}")).to_have_count(0)
    assert tim.errors == [] and lotte.errors == []  # type: ignore[attr-defined]


def test_an_idea_is_placed_with_the_keyboard(new_context: NewContext, live_server, world, app):
    idea = new_idea(app, world.teacher, world.board.id, "Ouders uitnodigen")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    lotte = person(new_context, live_server, world.leader, world.board.id)
    show_matrix(tim)
    show_matrix(lotte)

    choice = tim.get_by_label("Plaats in matrix")
    choice.focus()
    tim.keyboard.press("ArrowDown")  # the first quadrant: veel impact, weinig moeite
    tim.keyboard.press("Tab")
    expect(
        tim.locator(f"#matrix-idea-{idea.id}").get_by_role("button", name="Plaats")
    ).to_be_focused()
    tim.keyboard.press("Enter")

    expect(quadrant(tim, "high-low").locator(f"#matrix-idea-{idea.id}")).to_be_visible()
    expect(quadrant(lotte, "high-low").locator(f"#matrix-idea-{idea.id}")).to_be_visible()
    # the keyboard goes on where it was: at the same idea's choice
    expect(tim.locator(f"#place-{idea.id}")).to_be_focused()
    expect(tim.locator(f"#place-{idea.id}")).to_have_value("high-low")
    assert tim.errors == []  # type: ignore[attr-defined]


def test_the_view_choice_is_kept_after_a_reload(new_context: NewContext, live_server, world, app):
    new_idea(app, world.teacher, world.board.id, "Leesmaatjes")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    show_matrix(tim)
    tim.reload()
    expect(tim.locator("#section-ideas .idea-matrix")).to_be_visible()
    matrix = tim.locator("#section-ideas").get_by_role("button", name="Matrix", exact=True)
    expect(matrix).to_have_attribute("aria-pressed", "true")
