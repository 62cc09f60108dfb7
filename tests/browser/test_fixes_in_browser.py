"""What a person saw go wrong on single pages, measured in the browser: the login form's
spacing, whole words in the conflict panel, one print dialog, the erase confirmation."""

from playwright.sync_api import Page, expect
from sqlmodel import Session

from app.models import BoardKind, Role, User
from app.models.care import AgreementCreate, CaseCreate
from app.services import care
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import NewContext, change, new_action, open_edit, person
from tests.browser.test_overview_in_browser import leader_overview
from tests.factories import Factory


def gap_below(page: Page, upper: str, lower: str) -> float:
    """Pixels between the bottom of `upper` and the top of `lower`."""
    above = page.locator(upper).bounding_box()
    below = page.locator(lower).bounding_box()
    assert above is not None and below is not None
    return below["y"] - (above["y"] + above["height"])


def test_the_login_form_has_no_empty_space_under_its_fields(new_context: NewContext, live_server):
    for size in ({"width": 1920, "height": 1080}, {"width": 390, "height": 844}):
        page = new_context().new_page()
        page.set_viewport_size(size)
        page.goto(f"{live_server}/login")
        assert gap_below(page, "#login-email", "label[for=login-password]") < 40, size
        assert gap_below(page, "#login-password", ".login-card button") < 40, size


def test_the_conflict_panel_keeps_words_whole_at_1080p(new_context, live_server, world, app):
    title = "Woordenschat-quiz voorbereiden met leesbegrip"
    action = new_action(app, world.teacher, world.board.id, "Quiz")
    tim = person(new_context, live_server, world.teacher, world.board.id)
    lotte = person(new_context, live_server, world.leader, world.board.id)
    tims = open_edit(tim, action.id)
    tims.get_by_label("Wat", exact=True).fill(title)
    lottes = open_edit(lotte, action.id)
    lottes.get_by_label("Wat", exact=True).fill("Woordenschatquiz")
    lottes.get_by_role("button", name="Bewaren").click()
    expect(lotte.locator(f"#action-{action.id} .card-title")).to_have_text("Woordenschatquiz")
    tims.get_by_role("button", name="Bewaren").click()
    panel = tim.locator(f"#action-{action.id}.card--conflict")
    expect(panel.locator(".conflict-version--mine")).to_contain_text(title)
    # every word of both versions is on one line (a word broken over two lines has two boxes)
    broken = panel.evaluate(
        """panel => {
          const broken = [];
          const walker = document.createTreeWalker(panel.querySelector('.conflict-versions'),
            NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            for (const m of node.data.matchAll(/[^\\s-]+/g)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              if (range.getClientRects().length > 1) broken.push(m[0]);
            }
          }
          return broken;
        }"""
    )
    assert broken == []


def test_the_overviews_print_button_opens_one_print_dialog(new_context, live_server, world):
    lotte = leader_overview(new_context, live_server, world.leader, world.school.id)
    lotte.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    lotte.get_by_role("button", name="Afdrukken").click()
    lotte.wait_for_timeout(300)
    assert lotte.evaluate("window.printed") == 1


def test_erasing_a_case_asks_beside_its_label_and_says_it_is_done(page, live_server, app):
    factory = Factory(app, None)  # type: ignore[arg-type]
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ingrid IB")
    board = factory.board(w.team, BoardKind.care, "Zorgbord", members=(ib,))

    def make(session: Session):
        user = session.get(User, ib.id)
        assert user is not None
        case = care.create_case(
            session, user, board.id, CaseCreate(pupil_code="E-42", concern="Leest moeizaam")
        )
        care.create_agreement(session, user, case.id, AgreementCreate(title="Leesplan"))
        return case.id

    case_id = change(app, make)
    log_in(page, live_server, ib.email)
    page.goto(f"{live_server}/cases/{case_id}/erase")
    box = page.get_by_label("Ja, wis de casus met de open afspraken")
    checkbox = box.bounding_box()
    label = page.locator("label[for=erase-confirm]").bounding_box()
    assert checkbox is not None and label is not None
    assert 0 <= label["x"] - (checkbox["x"] + checkbox["width"]) < 24  # right beside it
    assert abs((label["y"] + label["height"] / 2) - (checkbox["y"] + checkbox["height"] / 2)) < 8
    box.check()
    page.get_by_role("button", name="Nu definitief wissen").click()
    expect(page).to_have_url(f"{live_server}/boards/{board.id}?erased=1")
    expect(page.get_by_role("status").filter(has_text="De casus is gewist.")).to_be_visible()
    expect(page.locator("#list-cases")).not_to_contain_text("E-42")
