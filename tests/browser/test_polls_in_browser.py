"""Stem van de leerling in the browser: a teacher makes a poll and puts it on the class screen;
three pupils answer from devices of their own without logging in; the screen follows live,
shows an open answer once the teacher did, and the poll refuses answers once closed. The
pupils' page is checked with axe-core on a phone."""

import httpx
from playwright.sync_api import Browser, Page, expect

from app.models import BoardKind, Measurement
from app.models.goal import GoalCreate
from app.services import item_kinds, items
from tests.browser.axe_audit import Audit
from tests.browser.test_board_in_browser import log_in
from tests.factories import Factory

PHONE = {"width": 390, "height": 844}

SERVER_WAITS = 30.0


def patient_post(url: str, **kwargs) -> httpx.Response:
    """A request with more patience than the server's own waits (a lock, its queue): on a busy
    machine the answer is slow, or a 503, never a client time-out."""
    return httpx.post(url, timeout=SERVER_WAITS, **kwargs)


def test_a_class_answers_a_poll_live_on_the_class_screen(
    page: Page, browser: Browser, live_server, world, app
):
    with app.state.db.session() as session:
        teacher = session.get(type(world.teacher), world.teacher.id)
        assert teacher is not None and world.board.id is not None
        goal = items.create_item(
            session,
            teacher,
            item_kinds.GOAL,
            world.board.id,
            GoalCreate(title="Plezier in rekenen"),
        )
        goal_id = goal.id
    log_in(page, live_server, world.teacher.email)
    page.goto(f"{live_server}/boards/{world.board.id}")
    page.get_by_role("link", name="Stem van de leerling").click()

    page.get_by_label("Titel").fill("Hoe ging rekenen?")
    first = page.locator("fieldset", has_text="Vraag 1")
    first.get_by_label("Soort").select_option("smiley")
    first.get_by_label("Vraag", exact=True).fill("Hoe vond je de les?")
    second = page.locator("fieldset", has_text="Vraag 2")
    second.get_by_label("Soort").select_option("open")
    second.get_by_label("Vraag", exact=True).fill("Wat kan beter?")
    page.get_by_role("button", name="Peiling maken").click()
    expect(page.locator("h1")).to_have_text("Hoe ging rekenen?")
    answer_url = page.locator(".poll-code-line a").get_attribute("href")
    assert answer_url and answer_url.startswith(f"{live_server}/s/")

    screen = page.context.new_page()
    screen.goto(page.url + "/screen")
    expect(screen.locator(".poll-qr svg")).to_be_visible()
    expect(screen.locator("body")).to_have_attribute("data-live", "ready")
    expect(screen.locator("#poll-results")).to_have_attribute("data-responses", "0")

    audit = Audit()
    typing = browser.new_context(viewport=PHONE, locale="nl-NL")
    code_page = typing.new_page()
    code_page.goto(f"{live_server}/s")
    audit.check(code_page, "typing a code")
    code_page.get_by_label("Typ de code van het bord").fill(answer_url.rsplit("/", 1)[1].lower())
    code_page.get_by_role("button", name="Verder").click()
    expect(code_page.locator("h1")).to_have_text("Hoe ging rekenen?")
    typing.close()
    pupils = [browser.new_context(viewport=PHONE, locale="nl-NL") for _ in range(3)]
    try:
        for n, pupil in enumerate(pupils):
            phone = pupil.new_page()
            phone.goto(answer_url)
            if n == 0:
                audit.check(phone, "the pupils' page")
            phone.get_by_text("Fijn", exact=True).click()
            if n == 0:
                phone.get_by_label("Wat kan beter?").fill("Meer tijd voor sommen")
            phone.get_by_role("button", name="Versturen").click()
            expect(phone.locator("h1")).to_have_text("Bedankt!")
            if n == 0:
                audit.check(phone, "the pupils' page after answering")
            expect(screen.locator("#poll-results")).to_have_attribute("data-responses", str(n + 1))
        expect(screen.locator("#poll-q0")).to_contain_text("100% blij")
        expect(screen.locator("#poll-q1")).not_to_contain_text("Meer tijd voor sommen")

        page.get_by_role("button", name="Tonen op het klasscherm").click()
        expect(screen.locator("#poll-q1")).to_contain_text("Meer tijd voor sommen")
        expect(page.locator("#poll-q1")).to_contain_text("op het klasscherm")
        audit.check(page, "the teacher's results")
        audit.check(screen, "the class screen")

        page.get_by_label("Doel", exact=True).select_option(str(goal_id))
        page.get_by_role("button", name="Bewaren als meting").click()
        expect(page.get_by_role("status").filter(has_text="Opgeslagen")).to_be_visible()

        page.get_by_role("button", name="Peiling sluiten").click()
        expect(screen.locator(".poll-state")).to_contain_text("Gesloten")
        late = browser.new_context(viewport=PHONE, locale="nl-NL")
        pupils.append(late)
        phone = late.new_page()
        phone.goto(answer_url)
        expect(phone.locator("h1")).to_have_text("Deze peiling is gesloten")
        audit.check(phone, "a closed poll on the pupils' page")
    finally:
        for pupil in pupils:
            pupil.close()
    audit.assert_clean()
    factory = Factory(app, None)  # type: ignore[arg-type]
    assert [m.value for m in factory.all(Measurement)] == [100.0]


def test_the_klasscherm_shows_the_class_poll_while_it_is_open(page: Page, live_server, world, app):
    """The class board on the smartboard (no login) shows a poll the teacher opens, follows its
    answers, keeps following the board itself, and lets the poll go when it closes."""
    factory = Factory(app, None)  # type: ignore[arg-type]
    klas = factory.board(world.team, BoardKind.klas, "Groep 5")
    teacher = factory.api(world.teacher)
    api = f"{live_server}/api/v1"
    link = patient_post(f"{api}/boards/{klas.id}/class-screens", json={}, headers=teacher).json()
    page.goto(live_server + link["path"])
    expect(page.locator("body")).to_have_attribute("data-live", "ready")
    expect(page.locator("#klas-poll")).to_be_hidden()

    poll = {"title": "Hoe ging gym?", "questions": [{"kind": "smiley", "text": "Leuk?"}]}
    made = patient_post(f"{api}/boards/{klas.id}/polls", json=poll, headers=teacher).json()
    panel = page.locator("#klas-poll")
    expect(panel).to_be_visible()
    expect(panel.locator(".poll-code")).to_have_text(made["code"])
    expect(panel.locator(".poll-qr svg")).to_be_visible()
    expect(panel.locator("#poll-results")).to_have_attribute("data-responses", "0")
    audit = Audit()
    audit.check(page, "the klasscherm with an open poll")

    for device in ("a" * 32, "b" * 32):
        answered = patient_post(
            f"{api}/answer/{made['code']}", json={"answers": [3]}, cookies={"bord_device": device}
        )
        assert answered.status_code in (200, 201), answered.text
    expect(panel.locator("#poll-results")).to_have_attribute("data-responses", "2")
    expect(panel.locator("#poll-q0")).to_contain_text("100% blij")

    # the board's own socket still follows the board
    success = {"text": "Iedereen deed mee"}
    patient_post(f"{api}/boards/{klas.id}/successes", json=success, headers=teacher)
    expect(page.locator("#list-successes")).to_contain_text("Iedereen deed mee")

    patient_post(f"{api}/polls/{made['id']}/close", headers=teacher)
    expect(panel).to_be_hidden()
    expect(page.locator("#klas-poll .poll-code")).to_have_count(0)
    audit.assert_clean()
