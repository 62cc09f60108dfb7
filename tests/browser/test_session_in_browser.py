"""The weekly bordsessie in the browser: the smartboard runs it, two phones take part.

Also: a goal's chart following a measurement made on another screen, and a display link that
follows the board until it is revoked.
"""

import re

from playwright.sync_api import Page, expect

from app.models import Board
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import NewContext, add_action, person
from tests.factories import Factory

# A phone whose clock is 90 seconds fast: the timer must still agree with the others.
FAST_CLOCK = """
(() => {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + 90000;
})();
"""


def seconds_left(page: Page) -> int:
    return int(page.locator("#session-clock").get_attribute("data-left"))


def test_a_whole_bordsessie_with_two_phones(new_context: NewContext, live_server, world):
    board_id = world.board.id
    smartboard = person(new_context, live_server, world.teacher, board_id)
    phone = person(new_context, live_server, world.teacher, board_id)
    fast = new_context()
    fast.add_init_script(FAST_CLOCK)
    other_phone = fast.new_page()
    other_phone.set_default_timeout(10_000)
    log_in(other_phone, live_server, world.leader.email)
    other_phone.goto(f"{live_server}/boards/{board_id}")
    expect(other_phone.locator("#presence")).to_contain_text(world.leader.name)

    # the bordleider starts the session on the smartboard; every screen switches to session mode
    smartboard.get_by_role("button", name="Start bordsessie").click()
    for page in (smartboard, phone, other_phone):
        expect(page.locator("#session-clock")).to_be_visible()
        expect(page.locator(".agenda-part--current")).to_contain_text("Check-in")

    # the timer runs in step on both phones, whatever their own clocks say
    expect(phone.locator("#session-clock")).to_have_attribute("data-left", re.compile(r"\d+"))
    expect(other_phone.locator("#session-clock")).to_have_attribute("data-left", re.compile(r"\d"))
    for _ in range(3):
        assert abs(seconds_left(phone) - seconds_left(other_phone)) <= 1
        phone.wait_for_timeout(700)

    # check-in from both phones: anonymous counts on the smartboard
    phone.locator("#mood-4").click()
    # (once the push of the first has reached the other phone: a tap on a button the push is
    # replacing at that moment is lost, on a real phone too)
    expect(other_phone.locator("#mood-4 .mood-count")).to_have_text("1")
    other_phone.locator("#mood-5").click()
    expect(smartboard.locator("#mood-4 .mood-count")).to_have_text("1")
    expect(smartboard.locator("#mood-5 .mood-count")).to_have_text("1")

    # who is here: tapped on the smartboard, seen on the phones
    smartboard.locator(".person", has_text=world.teacher.name).click()
    expect(phone.locator(".person--here", has_text=world.teacher.name)).to_be_visible()

    # on to Successen: the area is highlighted; a phone adds a success, everyone sees it
    smartboard.locator("#session-next").click()
    expect(other_phone.locator(".agenda-part--current")).to_contain_text("Successen")
    expect(phone.locator("#session-panel")).to_have_attribute("data-focus", "successes")
    phone.locator("#section-successes summary").click()
    phone.locator("#add-successes-text").fill("Iedereen las vandaag 15 minuten")
    phone.locator("#add-successes button.button--primary").click()
    success = smartboard.locator("#list-successes .card--success", has_text="15 minuten")
    expect(success).to_be_visible()
    expect(success).to_have_class(re.compile("card--celebrate"))

    # the other phone adds an action; the schrijver writes a decision
    add_action(other_phone, "Leesrooster ophangen")
    expect(smartboard.locator("#list-actions")).to_contain_text("Leesrooster ophangen")
    # while a part runs the panel is folded to a bar; its notes are one tap away
    expect(phone.locator("details.session-more")).not_to_have_attribute("open", "")
    phone.locator("details.session-more > summary").click()
    phone.locator("#note-text").fill("We lezen elke ochtend na de pauze.")
    phone.get_by_role("button", name="Notitie opslaan").click()
    expect(smartboard.locator(".notes-list")).to_contain_text("elke ochtend")

    # tip en top, then Afronden: everyone sees the summary
    other_phone.locator("details.session-more > summary").click()
    other_phone.locator(".tip-top summary").click()
    other_phone.locator("#tip-text").fill("Iets strakker op tijd")
    other_phone.locator("#top-text").fill("Fijne, vrolijke sessie")
    other_phone.get_by_role("button", name="Tip en top opslaan").click()
    expect(phone.locator("#tip-text")).to_have_value("Iets strakker op tijd")
    smartboard.once("dialog", lambda dialog: dialog.accept())
    smartboard.get_by_role("button", name="Afronden").click()
    for page in (smartboard, phone, other_phone):
        summary = page.locator(".session-summary")
        expect(summary).to_contain_text("Leesrooster ophangen")
        expect(summary).to_contain_text("Iedereen las vandaag 15 minuten")
        expect(summary).to_contain_text("We lezen elke ochtend na de pauze.")
        expect(summary).to_contain_text("Fijne, vrolijke sessie")
        expect(summary).to_contain_text(world.teacher.name)
    assert phone.errors == [] and smartboard.errors == []  # type: ignore[attr-defined]

    # the summary stays in the board's session history
    smartboard.get_by_role("link", name="Alle sessies").click()
    expect(smartboard.locator(".session-record")).to_contain_text("Fijne, vrolijke sessie")


def test_a_measurement_updates_the_chart_on_another_screen(
    new_context: NewContext, live_server, world, app
):
    board_id = world.board.id
    mine = person(new_context, live_server, world.teacher, board_id)
    theirs = person(new_context, live_server, world.leader, board_id)
    mine.locator("#section-goals summary").first.click()
    mine.locator("#add-goals-title").fill("Leesplezier")
    mine.locator("#add-goals-baseline").fill("40")
    mine.locator("#add-goals-target").fill("80")
    mine.locator("#add-goals-unit").fill("%")
    mine.locator("#add-goals button.button--primary").click()
    goal = theirs.locator(".card--goal", has_text="Leesplezier")
    expect(goal).to_have_attribute("data-measurements", "0")

    for value in ("50", "60"):
        # once the last answer and its push are both in (each replaces the goals, closing an
        # open form)
        version = str(Factory(app, None).get(Board, board_id).version)  # type: ignore[arg-type]
        expect(mine.locator("[data-live-board]")).to_have_attribute("data-version", version)
        mine_goal = mine.locator(".card--goal", has_text="Leesplezier")
        mine_goal.locator("details.measure summary").click()
        mine_goal.locator("input[name=value]").fill(value)
        mine_goal.get_by_role("button", name="Meting toevoegen").click()
        expect(mine.locator(".card--goal", has_text="Leesplezier")).to_contain_text(f"{value} %")

    expect(goal).to_have_attribute("data-measurements", "2")
    chart = goal.locator("svg.goal-chart")
    expect(chart).to_have_attribute("aria-label", re.compile(r"50 %.*60 %.*Doel: 80 %"))
    expect(goal.locator(".badge--on-track")).to_have_text("Op koers")
    assert theirs.evaluate("window.notReloaded === true")


def test_a_display_link_follows_the_board_until_it_is_revoked(
    new_context: NewContext, live_server, world
):
    board_id = world.board.id
    teacher = person(new_context, live_server, world.teacher, board_id)
    teacher.get_by_text("Schermlink", exact=True).click()
    teacher.locator("#screen-label").fill("Tv teamkamer")
    teacher.get_by_role("button", name="Schermlink maken").click()
    url = teacher.locator(".screen-url").inner_text()

    wall = new_context().new_page()
    wall.set_default_timeout(10_000)
    wall.goto(url)
    expect(teacher.locator("#presence")).to_contain_text("1")  # the display is counted
    add_action(teacher, "Zichtbaar op de tv")
    expect(wall.locator("#list-actions")).to_contain_text("Zichtbaar op de tv")
    expect(wall.locator("#list-actions button")).to_have_count(0)  # read-only

    teacher.once("dialog", lambda dialog: dialog.accept())
    teacher.get_by_role("button", name="Intrekken").click()
    # the wall says so calmly at once, and stops reconnecting
    expect(wall.get_by_text("Deze schermlink is ingetrokken")).to_be_visible(timeout=2000)
    expect(wall.locator("#live-status")).to_be_hidden()
    expect(wall.locator("#list-actions")).to_be_hidden()
    add_action(teacher, "Niet meer op de tv")
    wall.wait_for_timeout(1500)
    expect(wall.locator("#list-actions")).not_to_contain_text("Niet meer op de tv")
    assert wall.goto(url).status == 404
    expect(wall.get_by_text("Deze schermlink is ingetrokken")).to_be_visible()
    expect(wall.get_by_role("link", name="Naar mijn borden")).to_have_count(0)
