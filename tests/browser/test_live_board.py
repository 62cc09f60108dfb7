"""Live boards in the browser: two people on one board see each other's changes without a reload.

Each person is a browser context of their own. What is asserted is what the person sees: cards in
columns, the presence bar, the offline badge, what they typed, the conflict panel.
"""

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session

from app.models import Action, User
from app.models.action import ActionCreate, ActionUpdate
from app.services import item_kinds, items, screens
from app.services.changes import take_outbox
from tests.browser.test_board_in_browser import column, drag, log_in

NewContext = Callable[..., BrowserContext]


# --- helpers ---------------------------------------------------------------------------------


def person(new_context: NewContext, base: str, user: User, board_id: int) -> Page:
    """One person at their own screen, logged in, on the board, with its socket open."""
    page = new_context().new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    log_in(page, base, user.email)
    page.goto(f"{base}/boards/{board_id}")
    # the presence bar only fills in from the live channel: once it names this person, the
    # socket is open and the screen has been caught up
    expect(page.locator("#presence")).to_contain_text(user.name, timeout=10_000)
    # a marker that a reload would wipe out
    page.evaluate("window.notReloaded = true")
    return page


def not_reloaded(page: Page) -> bool:
    return page.evaluate("window.notReloaded === true")


def change(app, make: Callable[[Session], object]) -> object:
    """A change made straight through the services, pushed the way a request would push it."""
    with app.state.db.session() as session:
        result = make(session)
        changes = take_outbox(session)
    app.state.bus.publish(changes)
    return result


def new_action(app, user: User, board_id: int, title: str) -> Action:
    def make(session: Session) -> Action:
        return items.create_item(
            session,
            session.get(User, user.id),
            item_kinds.ACTION,
            board_id,
            ActionCreate(title=title),
        )

    return change(app, make)  # type: ignore[return-value]


def add_action(page: Page, title: str) -> None:
    """Through the add form, in whatever language the page speaks."""
    if page.locator("#section-actions details.add").get_attribute("open") is None:
        page.locator("#section-actions summary").click()
    page.locator("#add-actions-title").fill(title)
    page.locator("#add-actions button.button--primary").click()
    expect(page.locator("#add-actions-title")).to_have_value("")


def card(page: Page, status: str, title: str):
    return column(page, status).locator(".card--action", has_text=title)


def open_edit(page: Page, action_id: int):
    page.locator(f"#action-{action_id} [data-card-menu]").click()
    page.locator(f"#action-{action_id}").get_by_role("button", name="Bewerken", exact=True).click()
    editing = page.locator(f"#action-{action_id}.card--editing")
    expect(editing).to_be_visible()
    return editing


def set_locale(app, user: User, locale: str) -> None:
    with app.state.db.session() as session:
        session.get(User, user.id).locale = locale


# --- the tests -------------------------------------------------------------------------------


def test_two_people_see_each_others_cards_and_moves(new_context, live_server, world):
    tim = person(new_context, live_server, world.teacher, world.board.id)
    lotte = person(new_context, live_server, world.leader, world.board.id)

    # each presence bar names the other person
    expect(tim.locator("#presence")).to_contain_text("Lotte Leider")
    expect(lotte.locator("#presence")).to_contain_text("Tim Teacher")

    add_action(tim, "Leeshoek inrichten")
    expect(card(tim, "todo", "Leeshoek inrichten")).to_be_visible()
    expect(card(lotte, "todo", "Leeshoek inrichten")).to_be_visible()
    expect(column(lotte, "todo").locator(".card-title")).to_have_text(["Leeshoek inrichten"])

    # Lotte drags it to Mee bezig; Tim's screen follows
    drag(lotte, card(lotte, "todo", "Leeshoek inrichten"), column(lotte, "doing"))
    expect(card(lotte, "doing", "Leeshoek inrichten")).to_be_visible()
    expect(card(tim, "doing", "Leeshoek inrichten")).to_be_visible()
    expect(column(tim, "todo").locator(".card")).to_have_count(0)

    # Tim moves it on with the keyboard; Lotte's screen follows
    moving = card(tim, "doing", "Leeshoek inrichten")
    moving.focus()
    tim.keyboard.press("ArrowRight")
    expect(card(tim, "done", "Leeshoek inrichten")).to_be_focused()
    expect(card(lotte, "done", "Leeshoek inrichten")).to_be_visible()
    expect(column(lotte, "doing").locator(".card")).to_have_count(0)

    # when Lotte leaves, Tim's presence bar no longer names her
    lotte.context.close()
    expect(tim.locator("#presence")).not_to_contain_text("Lotte Leider")
    expect(tim.locator("#presence")).to_contain_text("Tim Teacher")

    assert not_reloaded(tim)
    assert tim.errors == []  # type: ignore[attr-defined]


def test_what_someone_is_typing_survives_a_push(new_context, live_server, world, app):
    action = new_action(app, world.teacher, world.board.id, "Ouderavond voorbereiden")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    lotte = person(new_context, live_server, world.leader, world.board.id)

    # Tim is halfway through editing a card...
    editing = open_edit(tim, action.id)
    editing.get_by_label("Wie", exact=True).fill("Tim")
    title = editing.get_by_label("Wat", exact=True)
    title.fill("Ouderavond samen voor")
    expect(title).to_be_focused()

    # ...when Lotte adds an action: the same list is pushed to Tim's screen
    add_action(lotte, "Rekenmuur ophangen")
    expect(card(tim, "todo", "Rekenmuur ophangen")).to_be_visible()
    expect(title).to_have_value("Ouderavond samen voor")
    expect(editing.get_by_label("Wie", exact=True)).to_have_value("Tim")
    # and Tim types on where he was
    expect(title).to_be_focused()
    tim.keyboard.type("bereiden")
    expect(title).to_have_value("Ouderavond samen voorbereiden")

    editing.get_by_role("button", name="Bewaren").click()
    expect(tim.locator(f"#action-{action.id} .card-title")).to_have_text(
        "Ouderavond samen voorbereiden"
    )
    expect(lotte.locator(f"#action-{action.id} .card-title")).to_have_text(
        "Ouderavond samen voorbereiden"
    )

    # an add form with typed text stays as it is too
    tim.locator("#section-ideas summary").click()
    idea = tim.locator("#add-ideas").get_by_label("Idee")
    idea.fill("Een leesclub voor")
    lotte.locator("#section-ideas summary").click()
    lotte.locator("#add-ideas").get_by_label("Idee").fill("Moestuin")
    lotte.locator("#add-ideas").get_by_role("button", name="Idee parkeren").click()
    expect(tim.locator("#list-ideas .ideas-list .card", has_text="Moestuin")).to_be_visible()
    expect(idea).to_have_value("Een leesclub voor")
    expect(idea).to_be_focused()

    assert not_reloaded(tim)
    assert tim.errors == [] and lotte.errors == []  # type: ignore[attr-defined]


def test_a_screen_reconnects_by_itself_and_catches_up(new_context, restartable_server, world, app):
    set_locale(app, world.leader, "en")
    base = restartable_server.url
    tim = person(new_context, base, world.teacher, world.board.id)
    lotte = person(new_context, base, world.leader, world.board.id)
    expect(tim.locator("#live-status")).to_be_hidden()

    restartable_server.stop()
    expect(tim.locator("#live-status")).to_be_visible()
    expect(tim.locator("#live-status")).to_have_text("offline · we verbinden opnieuw")
    expect(lotte.locator("#live-status")).to_be_visible()
    expect(lotte.locator("#live-status")).to_have_text("offline · reconnecting")

    # a change nobody's screen could hear about
    new_action(app, world.teacher, world.board.id, "Tijdens de storing bedacht")
    restartable_server.start()

    for page in (tim, lotte):
        expect(card(page, "todo", "Tijdens de storing bedacht")).to_be_visible()
        expect(page.locator("#live-status")).to_be_hidden()
        assert not_reloaded(page)

    # and the channel is live again: a change after the restart arrives as well
    add_action(lotte, "Na de storing")
    expect(card(tim, "todo", "Na de storing")).to_be_visible()
    assert not_reloaded(tim)


def test_a_stale_edit_shows_both_versions_and_either_can_win(new_context, live_server, world, app):
    action = new_action(app, world.teacher, world.board.id, "Leesplan")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    lotte = person(new_context, live_server, world.leader, world.board.id)

    # 1. both edit; Lotte saves first; Tim keeps his own version
    tims = open_edit(tim, action.id)
    tims.get_by_label("Wat", exact=True).fill("Leesplan van Tim")
    lottes = open_edit(lotte, action.id)
    lottes.get_by_label("Wat", exact=True).fill("Leesplan van Lotte")
    lottes.get_by_role("button", name="Bewaren").click()
    expect(lotte.locator(f"#action-{action.id} .card-title")).to_have_text("Leesplan van Lotte")
    # Lotte's save reaches Tim's screen, but his form stays as he left it
    expect(tims.get_by_label("Wat", exact=True)).to_have_value("Leesplan van Tim")

    tims.get_by_role("button", name="Bewaren").click()
    panel = tim.locator(f"#action-{action.id}.card--conflict")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Iemand anders heeft dit net gewijzigd.")
    expect(panel.locator(".conflict-version--mine")).to_contain_text("Leesplan van Tim")
    expect(panel.locator(".conflict-version--theirs")).to_contain_text("Leesplan van Lotte")
    expect(panel).to_be_focused()
    panel.get_by_role("button", name="Mijn versie bewaren").click()
    expect(tim.locator(f"#action-{action.id} .card-title")).to_have_text("Leesplan van Tim")
    expect(tim.locator(".card--conflict")).to_have_count(0)
    expect(lotte.locator(f"#action-{action.id} .card-title")).to_have_text("Leesplan van Tim")

    # 2. again, and this time Tim takes Lotte's version
    tims = open_edit(tim, action.id)
    tims.get_by_label("Wat", exact=True).fill("Tims tweede poging")
    lottes = open_edit(lotte, action.id)
    lottes.get_by_label("Wat", exact=True).fill("Lottes tweede versie")
    lottes.get_by_role("button", name="Bewaren").click()
    expect(lotte.locator(f"#action-{action.id} .card-title")).to_have_text("Lottes tweede versie")
    expect(tims.get_by_label("Wat", exact=True)).to_have_value("Tims tweede poging")
    tims.get_by_role("button", name="Bewaren").click()
    panel = tim.locator(f"#action-{action.id}.card--conflict")
    expect(panel.locator(".conflict-version--mine")).to_contain_text("Tims tweede poging")
    expect(panel.locator(".conflict-version--theirs")).to_contain_text("Lottes tweede versie")
    panel.get_by_role("button", name="Hun versie nemen").click()
    expect(tim.locator(".card--conflict")).to_have_count(0)
    expect(tim.locator(f"#action-{action.id} .card-title")).to_have_text("Lottes tweede versie")
    expect(lotte.locator(f"#action-{action.id} .card-title")).to_have_text("Lottes tweede versie")

    with app.state.db.session(write=False) as session:
        assert session.get(Action, action.id).title == "Lottes tweede versie"
    assert tim.errors == [] and lotte.errors == []  # type: ignore[attr-defined]


def test_live_status_and_presence_speak_each_persons_language(new_context, live_server, world, app):
    set_locale(app, world.teacher, "en")
    tim = person(new_context, live_server, world.teacher, world.board.id)  # English
    lotte = person(new_context, live_server, world.leader, world.board.id)  # Dutch

    expect(tim.locator("#live-status")).to_have_text("offline · reconnecting")
    expect(lotte.locator("#live-status")).to_have_text("offline · we verbinden opnieuw")

    # the presence bar is pushed: once per language, each with the same names
    expect(tim.locator("#presence")).to_have_text("Watching: Lotte Leider, Tim Teacher")
    expect(lotte.locator("#presence")).to_have_text("Kijken mee: Lotte Leider, Tim Teacher")

    # a pushed board section is in each person's language too
    new_action(app, world.teacher, world.board.id, "Voorleeswedstrijd")
    expect(card(tim, "todo", "Voorleeswedstrijd")).to_be_visible()
    expect(card(lotte, "todo", "Voorleeswedstrijd")).to_be_visible()
    expect(tim.locator("#col-doing")).to_have_text("Doing 0")
    expect(card(tim, "todo", "Voorleeswedstrijd").locator("[data-card=edit]")).to_have_text("Edit")
    expect(card(lotte, "todo", "Voorleeswedstrijd").locator("[data-card=edit]")).to_have_text(
        "Bewerken"
    )


def test_a_renamed_card_is_repainted_in_place_on_every_screen(new_context, live_server, world, app):
    """A title edit is pushed as the card alone: it keeps its place, a person who had it in
    focus keeps the focus, and the wall shows it without the controls."""
    for title in ("Leesrooster", "Rekenmuur", "Voorleeshoek"):
        made = new_action(app, world.teacher, world.board.id, title)
        if title == "Rekenmuur":
            renamed = made
    tim = person(new_context, live_server, world.teacher, world.board.id)
    with app.state.db.session() as session:
        token, _link = screens.create(session, session.get(User, world.teacher.id), world.board.id)
        take_outbox(session)
    wall = new_context().new_page()
    wall.goto(f"{live_server}{screens.screen_path(token)}")
    expect(card(wall, "todo", "Rekenmuur")).to_be_visible()
    tim.locator(f"#action-{renamed.id}").focus()
    for page in (tim, wall):  # a list swapped whole would lose this mark
        page.evaluate("document.getElementById('list-actions').dataset.unswapped = 'yes'")

    def rename(session: Session) -> object:
        update = ActionUpdate(title="Rekenmuur in elke klas", version=renamed.version)
        user = session.get(User, world.leader.id)
        return items.update_item(session, user, item_kinds.ACTION, renamed.id, update)

    change(app, rename)
    order = ["Leesrooster", "Rekenmuur in elke klas", "Voorleeshoek"]
    for page in (tim, wall):
        expect(column(page, "todo").locator(".card-title")).to_have_text(order)
    expect(tim.locator(f"#action-{renamed.id}")).to_be_focused()
    expect(wall.locator(f"#action-{renamed.id} [data-card-menu]")).to_have_count(0)
    for page in (tim, wall):  # the card alone was swapped, not its list
        expect(page.locator("#list-actions")).to_have_attribute("data-unswapped", "yes")
    assert not_reloaded(tim)
    assert tim.errors == []  # type: ignore[attr-defined]


def test_an_answer_rendered_before_a_pushed_card_does_not_bring_the_old_card_back(
    new_context, live_server, world, app
):
    """Tim's own request is answered with the list as it was; someone's rename of another card
    reaches his screen, alone, before that answer does. The answer must not undo the rename."""
    kept = new_action(app, world.teacher, world.board.id, "Leesrooster")
    renamed = new_action(app, world.teacher, world.board.id, "Rekenmuur")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    held = []

    def hold(route) -> None:
        held.append((route, route.fetch()))  # answered now, handed to the page later

    tim.route(f"**/boards/{world.board.id}/sections/actions", hold)
    editing = open_edit(tim, kept.id)
    editing.get_by_role("button", name="Annuleren").click()  # asks for the list again
    for _ in range(200):
        if held:
            break
        tim.wait_for_timeout(50)
    assert held, "the list was never asked for"

    def rename(session: Session) -> object:
        update = ActionUpdate(title="Rekenmuur in elke klas", version=renamed.version)
        user = session.get(User, world.leader.id)
        return items.update_item(session, user, item_kinds.ACTION, renamed.id, update)

    change(app, rename)
    title = tim.locator(f"#action-{renamed.id} .card-title")
    expect(title).to_have_text("Rekenmuur in elke klas")
    route, answer = held[0]
    route.fulfill(response=answer)
    expect(tim.locator(f"#action-{kept.id}.card--editing")).to_have_count(0)
    expect(title).to_have_text("Rekenmuur in elke klas")
    assert tim.errors == []  # type: ignore[attr-defined]
