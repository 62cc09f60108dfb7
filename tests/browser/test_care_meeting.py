"""A care meeting in the browser: the IB'er opens a case on their laptop, the meeting room's
screen follows it live, agreements appear there at once, and the privacy screen blurs."""

from playwright.sync_api import Page, expect

from app.models import Board, BoardKind, Role
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import NewContext
from tests.factories import Factory


def screen(new_context: NewContext, base: str, email: str, name: str, path: str) -> Page:
    page = new_context().new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # htmx says so on the console when a pushed fragment finds no place (oobErrorNoTarget)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    # every page load notes when its live socket is open
    page.add_init_script(
        "document.addEventListener('htmx:wsOpen', function () { window.liveOpen = true; });"
    )
    page.errors = errors  # type: ignore[attr-defined]
    log_in(page, base, email)
    page.goto(base + path)
    expect(page.locator("#presence")).to_contain_text(name)
    page.evaluate("window.notReloaded = true")
    return page


def test_a_care_meeting_from_opening_a_case_to_an_agreement_on_the_second_screen(
    new_context, live_server, app
):
    factory = Factory(app, None)  # type: ignore[arg-type]
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ingrid IB")
    room = factory.user(w.school, Role.teacher, name="Overlegkamer")
    care = factory.board(w.team, BoardKind.care, "Zorgbord", members=(ib, room))

    laptop = screen(new_context, live_server, ib.email, ib.name, f"/boards/{care.id}")
    wall = screen(new_context, live_server, room.email, room.name, f"/boards/{care.id}")

    # a new case on the laptop appears on the meeting room's screen
    laptop.locator("#section-cases summary").click()
    laptop.get_by_label("Leerlingcode of initialen").fill("B-2211")
    laptop.get_by_label("Groep").fill("4")
    laptop.get_by_label("Zorg in één zin").fill("Praat weinig in de kring")
    laptop.get_by_role("button", name="Casus toevoegen").click()
    expect(wall.locator("#list-cases")).to_contain_text("B-2211")
    expect(wall.locator("#list-cases")).to_contain_text("Praat weinig in de kring")

    # both open the case for the meeting (the laptop once its answer and its push are in:
    # each replaces the list)
    expect(laptop.get_by_label("Leerlingcode of initialen")).to_have_value("")
    version = str(factory.get(Board, care.id).version)
    expect(laptop.locator("[data-live-board]")).to_have_attribute("data-version", version)
    laptop.locator("#list-cases").get_by_role("link", name="B-2211").click()
    expect(laptop.locator("h1")).to_contain_text("B-2211")
    wall.locator("#list-cases").get_by_role("link", name="B-2211").click()
    expect(wall.locator("h1")).to_contain_text("B-2211")
    wall.wait_for_function("window.liveOpen === true")
    wall.evaluate("window.notReloaded = true")

    # the privacy screen on the wall: blurred until tapped
    wall.get_by_role("button", name="Privacyscherm uit").click()
    concern = wall.locator(".care-case-detail .case-concern")
    assert "blur" in concern.evaluate("el => getComputedStyle(el).filter")
    concern.click()
    assert concern.evaluate("el => getComputedStyle(el).filter") == "none"

    # an agreement made on the laptop, owned by an external partner, shows up on the wall
    laptop.get_by_label("Wat").fill("Observatie door logopedist")
    laptop.get_by_label("Wie").fill("Mw. Vos (logopedie)")
    laptop.get_by_role("button", name="Afspraak maken").click()
    open_list = wall.locator(".care-case-detail .agreements--open")
    expect(open_list).to_contain_text("Observatie door logopedist")
    expect(open_list).to_contain_text("Mw. Vos (logopedie)")
    # still blurred there after the push, because the privacy screen is on
    assert "blur" in open_list.locator(".agreement-what").evaluate(
        "el => getComputedStyle(el).filter"
    )
    assert wall.evaluate("window.notReloaded === true")

    # marked done on the wall, it moves out of the laptop's open agreements
    wall.get_by_role("button", name="Privacyscherm aan").click()
    wall.locator(".care-case-detail .agreements--open").get_by_role(
        "button", name="Markeer als afgerond"
    ).click()
    expect(laptop.locator(".care-case-detail .agreements--done")).to_contain_text(
        "Observatie door logopedist"
    )
    expect(laptop.locator(".care-case-detail")).to_contain_text("Geen open afspraken.")
    assert laptop.errors == [] and wall.errors == []  # type: ignore[attr-defined]


def test_undo_on_a_care_board_for_an_agreement_and_a_case(new_context, live_server, app):
    """A deleted agreement or case goes at once, with "Ongedaan maken" where the keyboard is;
    undo brings it back on every member's screen."""
    factory = Factory(app, None)  # type: ignore[arg-type]
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ingrid IB")
    room = factory.user(w.school, Role.teacher, name="Overlegkamer")
    care = factory.board(w.team, BoardKind.care, "Zorgbord", members=(ib, room))
    laptop = screen(new_context, live_server, ib.email, ib.name, f"/boards/{care.id}")
    laptop.locator("#section-cases summary").click()
    laptop.get_by_label("Leerlingcode of initialen").fill("U-1")
    laptop.get_by_label("Zorg in één zin").fill("Slaapt slecht")
    laptop.get_by_role("button", name="Casus toevoegen").click()
    # the answer and the push each replace the list: follow the link once both are in
    expect(laptop.get_by_label("Leerlingcode of initialen")).to_have_value("")
    version = str(factory.get(Board, care.id).version)
    expect(laptop.locator("[data-live-board]")).to_have_attribute("data-version", version)
    laptop.locator("#list-cases").get_by_role("link", name="U-1").click()
    expect(laptop.locator("h1")).to_contain_text("U-1")
    laptop.get_by_label("Wat").fill("Gesprek met ouders")
    laptop.get_by_role("button", name="Afspraak maken").click()
    open_list = laptop.locator(".care-case-detail .agreements--open")
    expect(open_list).to_contain_text("Gesprek met ouders")
    wall = screen(new_context, live_server, room.email, room.name, laptop.url.split(live_server)[1])
    expect(wall.locator(".care-case-detail")).to_contain_text("Gesprek met ouders")

    laptop.locator(".care-case-detail").get_by_role("button", name="Verwijderen").click()
    expect(laptop.locator(".care-case-detail")).to_contain_text("Geen open afspraken.")
    expect(wall.locator(".care-case-detail")).to_contain_text("Geen open afspraken.")
    undo = laptop.get_by_role("button", name="Ongedaan maken")
    expect(undo).to_be_focused()
    laptop.keyboard.press("Enter")
    expect(laptop.locator(".care-case-detail .agreements--open")).to_contain_text(
        "Gesprek met ouders"
    )
    expect(wall.locator(".care-case-detail .agreements--open")).to_contain_text(
        "Gesprek met ouders"
    )
    expect(undo).to_have_count(0)

    # the case itself, from its erase page: back on the board, with the undo to hand
    laptop.get_by_role("link", name="Wissen").click()
    laptop.get_by_label("Ja, wis de casus met de open afspraken").check()
    laptop.get_by_role("button", name="Naar de prullenbak").click()
    expect(laptop.locator("#list-cases")).not_to_contain_text("U-1")
    undo = laptop.get_by_role("button", name="Ongedaan maken")
    expect(undo).to_be_focused()
    laptop.keyboard.press("Enter")
    expect(laptop.locator("#list-cases")).to_contain_text("U-1")
    expect(undo).to_have_count(0)
    assert laptop.errors == [] and wall.errors == []  # type: ignore[attr-defined]
