"""WCAG 2.2 AA as a test: axe-core on every kind of page, with the content a school would have.

Each test walks a set of pages as one person and fails once, with every serious or critical
violation listed by rule, impact and element.
"""

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from app import clock
from app.models import BoardKind, Invitation, PasswordReset, Role, TeamMember, User
from app.models.action import ActionCreate
from app.models.care import CaseCreate
from app.models.notes import IdeaCreate, IdeaUpdate, Level
from app.models.rows import require_id
from app.models.visit import VisitCreate
from app.models.webhook import WebhookCreate
from app.security.tokens import token_hash
from app.services import (
    care,
    class_pupils,
    class_screens,
    item_kinds,
    items,
    screens,
    visits,
    webhooks,
)
from tests.browser.axe_audit import Audit
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import NewContext
from tests.factories import Factory, World

FULL_HD = {"width": 1920, "height": 1080}
UHD_4K = {"width": 3840, "height": 2160}


def fill_board(app, world: World) -> None:
    """Actions and ideas (one placed in the impact matrix, one in its tray), so cards, badges
    and buttons are on the page."""
    with app.state.db.session() as session:
        teacher = session.get(User, world.teacher.id)
        assert teacher is not None and world.board.id is not None
        for title in ("Leeshoek inrichten", "Rekenmuur maken"):
            items.create_item(
                session, teacher, item_kinds.ACTION, world.board.id, ActionCreate(title=title)
            )
        for text in ("Leesmaatjes", "Ouders uitnodigen"):
            idea = items.create_item(
                session, teacher, item_kinds.IDEA, world.board.id, IdeaCreate(text=text)
            )
        place = IdeaUpdate(impact=Level.high, effort=Level.low, version=idea.version)
        items.update_item(session, teacher, item_kinds.IDEA, require_id(idea), place)
        session.info.pop("outbox", None)


def plan_visit(app, world: World) -> int:
    """A colleague in the teacher's team, and a lesbezoek of the teacher at the colleague's."""
    factory = Factory(app, None)  # type: ignore[arg-type]
    factory._n = 1000  # past the numbers of the world's addresses
    colleague = factory.user(world.school, Role.teacher, name="Vera de Vries")
    factory._save(TeamMember(team_id=world.team.id, user_id=colleague.id))
    with app.state.db.session() as session:
        teacher = session.get(User, world.teacher.id)
        assert teacher is not None and world.board.id is not None
        data = VisitCreate(
            visitor_id=require_id(teacher),
            visited_id=require_id(colleague),
            date=clock.today(),
            question="Hoe lang wacht ik na een vraag?",
            group="groep 5",
        )
        visit = visits.plan_visit(session, teacher, world.board.id, data)
        session.info.pop("outbox", None)
        return require_id(visit)


def screen_link(app, world: World) -> str:
    with app.state.db.session() as session:
        teacher = session.get(User, world.teacher.id)
        assert teacher is not None and world.board.id is not None
        token, _ = screens.create(session, teacher, world.board.id, "Tv teamkamer")
        session.info.pop("outbox", None)
    return screens.screen_path(token)


def start_session(page: Page, base: str, board_id: int) -> None:
    """Started on the smartboard, with a guest among those present."""
    page.goto(f"{base}/boards/{board_id}")
    page.get_by_role("button", name="Start bordsessie").click()
    expect(page.locator(".agenda-part--current")).to_contain_text("Check-in")
    page.locator("#guest-name").fill("Gerda Gast")
    page.locator("#guest-name").press("Enter")
    expect(page.locator(".person-guest")).to_be_visible()


def next_part(page: Page, focus: str) -> None:
    page.locator("#session-next").click()
    expect(page.locator("#session-panel")).to_have_attribute("data-focus", focus)


def test_pages_without_a_login(page: Page, live_server, app):
    factory = Factory(app, None)  # type: ignore[arg-type]
    factory._n = 1000  # past the numbers of the world's addresses
    school = factory.school()
    user = factory.user(school, Role.teacher, name="Tim Teacher")
    with factory.session() as s:
        expires = clock.now() + timedelta(days=1)
        s.add(PasswordReset(user_id=user.id, token_hash=token_hash("reset-1"), expires_at=expires))
        s.add(
            Invitation(
                school_id=school.id,
                email="nieuw@school.nl",
                name="Nina Nieuw",
                role=Role.teacher,
                token_hash=token_hash("invite-1"),
                expires_at=expires,
            )
        )
        s.commit()
    audit = Audit()
    for path in (
        "/login",
        "/login?lang=en",
        "/password/forgot",
        "/password/reset/reset-1",
        "/invitations/invite-1",
        "/toegankelijkheid",
        "/toegankelijkheid?lang=en",
    ):
        page.goto(live_server + path)
        audit.check(page, path)
    audit.assert_clean()


def test_a_teachers_pages_outside_and_during_a_session(page: Page, live_server, world, app):
    fill_board(app, world)
    audit = Audit()
    log_in(page, live_server, world.teacher.email)
    audit.check(page, "home")
    board = f"/boards/{world.board.id}"
    page.goto(live_server + board)
    audit.check(page, "board")
    page.locator("#section-ideas").get_by_role("button", name="Matrix", exact=True).click()
    expect(page.locator("#section-ideas .idea-matrix")).to_be_visible()
    audit.check(page, "board, the ideas as an impact matrix")
    page.goto(live_server + "/me")
    audit.check(page, "/me")
    visit = plan_visit(app, world)
    page.goto(f"{live_server}{board}/visits/new")
    audit.check(page, "planning a lesson visit")
    page.goto(f"{live_server}/visits/{visit}")
    audit.check(page, "a lesson visit with its feedback form")
    page.locator("#share-text").fill("Wachttijd werkt")
    page.get_by_role("button", name="Bekijk wat er gedeeld wordt").click()
    expect(page.locator("#share-preview")).to_have_text("Wachttijd werkt")
    audit.check(page, "a lesson visit, sharing previewed")
    page.goto(live_server + "/visits")
    audit.check(page, "my lesson visits")

    assert world.board.id is not None
    start_session(page, live_server, world.board.id)
    audit.check(page, "board during a session (check-in)")
    next_part(page, "successes")
    audit.check(page, "board during a session (successen)")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Afronden").click()
    expect(page.locator(".session-summary")).to_be_visible()
    audit.check(page, "board after the session (summary)")

    page.goto(f"{live_server}{board}/sessions")
    audit.check(page, "session history")
    page.get_by_role("link", name="Afdrukken").click()
    audit.check(page, "a session's printable summary")

    page.goto(live_server + board)
    page.locator(".card--action").first.get_by_role(
        "button", name="Bewerken of verwijderen"
    ).click()
    page.get_by_role("button", name="Archiveren").click()
    expect(page.locator(".card--action")).to_have_count(1)
    page.goto(f"{live_server}{board}/archive")
    audit.check(page, "the board's archive")
    page.get_by_role("button", name="Terugzetten · Leeshoek inrichten").click()
    expect(page.get_by_role("status").filter(has_text="weer op het bord")).to_be_visible()
    audit.check(page, "the board's archive after a restore")
    page.goto(f"{live_server}{board}/import")
    fixture = Path(__file__).parent.parent / "fixtures" / "trello_board.json"
    page.get_by_label("Trello-export (.json, hoogstens 10 MB)").set_input_files(str(fixture))
    expect(page.get_by_label("Notulen")).to_be_visible()
    audit.check(page, "the Trello import with its lists")
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_role("status")).to_contain_text("Geïmporteerd")
    audit.check(page, "the Trello import's report")
    audit.assert_clean()


def test_a_leaders_and_an_admins_pages(new_context: NewContext, live_server, world, app):
    with app.state.db.session() as session:  # so the webhooks page lists the board's actions
        leader_row = session.get(User, world.leader.id)
        assert leader_row is not None and world.school.id is not None
        hook = WebhookCreate(url="http://127.0.0.1:9/hook", events=["action.created"])
        webhooks.create(session, leader_row, world.school.id, hook, reach_private=True)
    fill_board(app, world)
    audit = Audit()
    leader = new_context().new_page()
    log_in(leader, live_server, world.leader.email)
    school = world.school.id
    for path in (
        "/",
        f"/schools/{school}/overview",
        f"/schools/{school}/people",
        f"/schools/{school}/invitations",
        f"/schools/{school}/teams",
        f"/schools/{school}/webhooks",
    ):
        leader.goto(live_server + path)
        audit.check(leader, path)

    admin = new_context().new_page()
    log_in(admin, live_server, world.admin.email)
    admin.goto(live_server + "/admin/schools")
    audit.check(admin, "/admin/schools")
    audit.assert_clean()


def test_the_care_board_and_a_case(page: Page, live_server, app):
    factory = Factory(app, None)  # type: ignore[arg-type]
    factory._n = 1000  # past the numbers of the world's addresses
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ingrid IB")
    board = factory.board(w.team, BoardKind.care, "Zorgbord", members=(ib,))
    with app.state.db.session() as session:
        me = session.get(User, ib.id)
        assert me is not None and board.id is not None
        data = CaseCreate(pupil_code="B-2211", group="4", concern="Praat weinig in de kring")
        case = care.create_case(session, me, board.id, data)
        session.info.pop("outbox", None)
    audit = Audit()
    log_in(page, live_server, ib.email)
    page.goto(f"{live_server}/boards/{board.id}")
    audit.check(page, "care board")
    page.goto(f"{live_server}/cases/{case.id}")
    audit.check(page, "case page")
    audit.assert_clean()


def test_the_tv_at_1080p_and_4k_outside_and_during_a_session(
    new_context: NewContext, live_server, world, app
):
    fill_board(app, world)
    path = screen_link(app, world)
    audit = Audit()
    tvs: dict[str, Page] = {}
    for name, size in (("1080p", FULL_HD), ("4K", UHD_4K)):
        tv = new_context().new_page()
        tv.set_viewport_size(size)
        tv.goto(live_server + path)
        audit.check(tv, f"TV {name}")
        tvs[name] = tv

    smartboard = new_context().new_page()
    log_in(smartboard, live_server, world.teacher.email)
    assert world.board.id is not None
    start_session(smartboard, live_server, world.board.id)
    for name, tv in tvs.items():
        expect(tv.locator(".agenda-part--current")).to_contain_text("Check-in")
        audit.check(tv, f"TV {name} during a session (check-in)")
    next_part(smartboard, "successes")
    for name, tv in tvs.items():
        expect(tv.locator("#session-panel")).to_have_attribute("data-focus", "successes")
        audit.check(tv, f"TV {name} during a session (successen)")
    audit.assert_clean()


def test_the_klasscherm_and_the_class_panel(new_context: NewContext, live_server, world, app):
    """A class board: the teacher's panel (names, roles, klasscherm links) and the klasscherm
    on the smartboard, before and during the class's session, after a pupil added a success."""
    factory = Factory(app, None)  # type: ignore[arg-type]
    klas = factory.board(world.team, BoardKind.klas, "Groep 5")
    with app.state.db.session() as session:
        teacher = session.get(User, world.teacher.id)
        assert teacher is not None and klas.id is not None
        class_pupils.set_names(session, teacher, klas.id, ["Ada", "Bram", "Cas", "Dewi"])
        token, _ = class_screens.create(session, teacher, klas.id, "Digibord")
        session.info.pop("outbox", None)
    audit = Audit()
    teacher_page = new_context().new_page()
    log_in(teacher_page, live_server, world.teacher.email)
    teacher_page.goto(f"{live_server}/boards/{klas.id}")
    teacher_page.locator(".class-share summary").click()
    expect(teacher_page.locator("#class-pupil-names")).to_have_value("Ada\nBram\nCas\nDewi")
    audit.check(teacher_page, "class board with its class panel")

    smartboard = new_context().new_page()
    smartboard.goto(live_server + class_screens.class_path(token))
    expect(smartboard.locator("#class-roles")).to_contain_text("Bordleider")
    audit.check(smartboard, "klasscherm")
    smartboard.fill("#klas-success", "Wij hielpen elkaar met rekenen")
    smartboard.get_by_role("button", name="Succes toevoegen").click()
    expect(smartboard.locator("#list-successes")).to_contain_text("Wij hielpen elkaar")
    start_session(teacher_page, live_server, klas.id)
    smartboard.reload()
    expect(smartboard.locator("#h-klas-checkin")).to_be_visible()
    audit.check(smartboard, "klasscherm during a session")
    audit.assert_clean()
