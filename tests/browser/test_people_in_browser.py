"""A school leader helps colleagues from the people page: unlocking a locked-out teacher, and
taking away a leaving colleague's access while their board is open."""

from playwright.sync_api import Page, expect

from app.config import Settings
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import NewContext, person
from tests.factories import PASSWORD


def try_wrong_password(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("niet-mijn-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()


def test_a_locked_out_teacher_is_unlocked_by_the_leader(
    new_context: NewContext, live_server, world, app
):
    settings: Settings = app.state.settings
    teacher = new_context().new_page()
    for _ in range(settings.login_max_failures):
        try_wrong_password(teacher, live_server, world.teacher.email)
    teacher.get_by_label("Wachtwoord").fill(PASSWORD)
    teacher.get_by_role("button", name="Inloggen").click()
    expect(teacher.get_by_role("alert")).to_contain_text("vraag je schoolleider om hulp")

    leader = new_context().new_page()
    log_in(leader, live_server, world.leader.email)
    leader.get_by_role("link", name="Collega's", exact=True).click()
    expect(leader.locator(f"#person-{world.teacher.id}")).to_contain_text("Geblokkeerd")
    leader.get_by_role("button", name="Ontgrendelen").click()
    expect(leader.get_by_role("status").filter(has_text="kan weer inloggen")).to_be_visible()
    expect(leader.locator(f"#person-{world.teacher.id}")).to_contain_text("Actief")

    log_in(teacher, live_server, world.teacher.email)
    expect(teacher.get_by_role("link", name="Teambord")).to_be_visible()


def test_a_removed_colleagues_open_board_closes_at_once(
    new_context: NewContext, live_server, world
):
    tim = person(new_context, live_server, world.teacher, world.board.id)

    leader = new_context().new_page()
    log_in(leader, live_server, world.leader.email)
    leader.goto(f"{live_server}/schools/{world.school.id}/people")
    section = leader.locator("section.staff-person", has_text=world.teacher.email)
    section.get_by_text("Toegang intrekken").click()
    section.get_by_role("button", name=f"Toegang van {world.teacher.name} intrekken").click()
    expect(leader.get_by_role("status").filter(has_text="geen toegang meer")).to_be_visible()

    notice = tim.locator("#live-ended")
    expect(notice).to_be_visible(timeout=5_000)
    expect(notice).to_contain_text("Je hebt geen toegang meer tot dit bord.")
    expect(notice.get_by_role("link", name="Opnieuw inloggen")).to_be_visible()
    assert tim.evaluate("window.notReloaded === true")
    expect(tim.locator("#live-status")).to_be_hidden()  # no "reconnecting" badge: it has ended
    tim.get_by_role("link", name="Naar mijn borden").click()
    expect(tim).to_have_url(f"{live_server}/login?next=/")
