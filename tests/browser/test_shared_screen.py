"""The shared screen: the TV (a display link) and the smartboard fit the screen they are on.

Measured in the DOM at 1080p, 4K and a phone: no card of an area is cut off without the area's
"+ N meer" marker, the area being discussed is in the viewport and large, the type is big
enough to read from the back of the room. Screenshots of the TV and the smartboard during a
session at 1080p and 4K go to test-artifacts/ (not committed).
"""

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from app import clock
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import NewContext
from tests.factories import Factory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENS = {
    "1080p": {"width": 1920, "height": 1080},
    "4k": {"width": 3840, "height": 2160},
    "phone": {"width": 390, "height": 844},
    "smartboard": {"width": 1366, "height": 768},
}
ACTIONS_PART = 3  # the default agenda: Check-in, Successen, Doelen, Acties, …
SUCCESSES_PART = 1

# Every fit box of the board: its visible cards must lie inside it, and the cards it hides
# must be counted by its marker.
MEASURE = """
() => {
  const problems = [];
  const inside = (r, box) => r.top >= box.top - 1 && r.bottom <= box.bottom + 1
    && r.left >= box.left - 1 && r.right <= box.right + 1;
  const boxes = document.querySelectorAll(
    "[data-live-board] .area-list, [data-live-board] .column, [data-live-board] .carried-over");
  let markers = 0;
  for (const box of boxes) {
    if (!box.getClientRects().length) continue;
    const area = box.closest(".area").getBoundingClientRect();
    const rect = box.getBoundingClientRect();
    const hidden = box.querySelectorAll(".card[data-fit-hidden], li[data-fit-hidden]").length;
    const marker = box.querySelector(":scope > .more");
    for (const card of box.querySelectorAll(".card, li")) {
      if (!card.getClientRects().length) continue;
      const r = card.getBoundingClientRect();
      if (!inside(r, rect) || !inside(r, area)) problems.push("cut: " + card.id);
    }
    if (hidden) {
      markers += 1;
      const name = box.closest(".area").id;
      if (!marker || marker.dataset.more !== String(hidden)) problems.push("uncounted: " + name);
      else if (!inside(marker.getBoundingClientRect(), rect)) problems.push("marker cut: " + name);
    }
  }
  const scrolls = document.scrollingElement.scrollHeight > innerHeight + 1;
  if (document.scrollingElement.scrollWidth > innerWidth) problems.push("sticks out sideways");
  return {problems, markers, scrolls};
}
"""


def make_board(base: str, app, world) -> dict:
    """A full board, made through the API: more cards than any screen can show."""
    factory = Factory(app, None)  # type: ignore[arg-type]
    headers = factory.api(world.teacher)
    board = world.board.id
    today = clock.today()
    with httpx.Client(base_url=base + "/api/v1", headers=headers) as api:

        def post(path: str, body: dict) -> dict:
            answer = api.post(path, json=body)
            assert answer.status_code == 201, answer.text
            return answer.json()

        for n in range(14):
            status = ("todo", "doing", "done")[n % 3]
            post(
                f"/boards/{board}/actions",
                {"title": f"Actie {n + 1}: leesrooster", "status": status},
            )
        for n in range(9):
            post(f"/boards/{board}/successes", {"text": f"Succes {n + 1}: de kring ging goed"})
        for title in ("Leesplezier groep 5", "Rekenen op tijd"):
            goal = post(
                f"/boards/{board}/goals",
                {"title": title, "unit": "%", "baseline": 40, "target": 80},
            )
            for days, value in ((21, 45), (14, 55), (7, 60)):
                day = today.fromordinal(today.toordinal() - days).isoformat()
                post(f"/goals/{goal['id']}/measurements", {"date": day, "value": value})
        for n in range(6):
            post(f"/boards/{board}/ideas", {"text": f"Idee {n + 1}: samen lezen"})
        for n in range(3):
            post(f"/boards/{board}/help-requests", {"text": f"Hulpvraag {n + 1}: tijd"})
        for n in range(5):
            day = today.fromordinal(today.toordinal() + n).isoformat()
            post(
                f"/boards/{board}/plan-items",
                {"text": f"Plan {n + 1}", "date": day, "kind": "overig"},
            )
        link = post(f"/boards/{board}/screens", {})
    return {"headers": headers, "link": base + link["path"]}


def session_part(base: str, headers: dict, board_id: int, part: int) -> None:
    with httpx.Client(base_url=base + "/api/v1", headers=headers) as api:
        started = api.post(f"/boards/{board_id}/sessions", json={})
        assert started.status_code in (200, 201), started.text
        moved = api.patch(f"/sessions/{started.json()['id']}", json={"part": part})
        assert moved.status_code == 200, moved.text


def fitted(page: Page) -> dict:
    page.wait_for_function("document.body.hasAttribute('data-fitted')")
    page.wait_for_timeout(300)  # the last swap's fit has run
    return page.evaluate(MEASURE)


def px(page: Page, selector: str) -> float:
    return page.evaluate(
        f"parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)"
    )


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_tv_fits_its_screen_outside_and_during_a_session(
    new_context: NewContext, live_server, world, app, screen
):
    board = make_board(live_server, app, world)
    size = SCREENS[screen]
    wall = new_context().new_page()
    wall.set_viewport_size(size)
    wall.set_default_timeout(10_000)
    wall.goto(board["link"])

    report = fitted(wall)
    assert report["problems"] == []
    if screen == "phone":  # no wall screen: one column that scrolls, nothing hidden
        assert report["markers"] == 0 and report["scrolls"]
    else:  # more cards than fit: the rest is counted, not cut, and the page stands still
        assert report["markers"] > 0 and not report["scrolls"]
        expect(wall.locator("#section-actions .more").first).to_contain_text("meer")
    # the first goal shows its numbers and its chart, whole
    goal = wall.locator("#list-goals .card--goal").first
    expect(goal.locator(".goal-latest dd")).to_have_text("60 %")
    expect(goal.locator("svg.goal-chart")).to_be_visible()
    # big type: 32px at 1080p, scaled with the screen
    least = {"1080p": 31.5, "4k": 63, "phone": 16, "smartboard": 22}[screen]
    assert px(wall, "#list-actions .card-title") >= least
    assert px(wall, "#list-successes .card-text") >= least

    # a session moves to Acties: a slim bar, and the actions large
    session_part(live_server, board["headers"], world.board.id, ACTIONS_PART)
    expect(wall.locator("#session-panel")).to_have_attribute("data-focus", "actions")
    expect(wall.locator(".session-bar--slim")).to_contain_text(world.teacher.name)
    expect(wall.locator(".session-bar--slim #session-clock")).to_be_visible()
    report = fitted(wall)
    assert report["problems"] == []
    bar = wall.locator("#session-panel").bounding_box()
    actions = wall.locator("#section-actions").bounding_box()
    assert bar and actions
    if screen != "phone":
        assert not report["scrolls"]
        assert bar["height"] <= 0.15 * size["height"]
        assert actions["height"] >= 0.7 * size["height"]
        assert actions["y"] + actions["height"] <= size["height"] + 1
    expect(wall.locator("#section-successes")).to_be_hidden()
    if screen in ("1080p", "4k"):
        shot(wall, f"tv-session-{screen}.png")

    # the agenda moves on: the TV follows without a reload
    wall.evaluate("window.notReloaded = true")
    session_part(live_server, board["headers"], world.board.id, SUCCESSES_PART)
    expect(wall.locator("#session-panel")).to_have_attribute("data-focus", "successes")
    expect(wall.locator("#section-successes")).to_be_visible()
    report = fitted(wall)
    assert report["problems"] == []
    assert wall.evaluate("window.notReloaded === true")


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_smartboard_follows_the_agenda(
    new_context: NewContext, live_server, world, app, screen
):
    board = make_board(live_server, app, world)
    size = SCREENS[screen]
    smartboard = new_context().new_page()
    smartboard.set_viewport_size(size)
    smartboard.set_default_timeout(10_000)
    log_in(smartboard, live_server, world.teacher.email)
    smartboard.goto(f"{live_server}/boards/{world.board.id}")
    expect(smartboard.locator("#presence")).to_contain_text(world.teacher.name)
    # nothing sticks out sideways; the text is at least the page's size
    assert smartboard.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    assert px(smartboard, "#list-actions .card-title") >= (30 if screen == "4k" else 16)

    # someone moves the session on to Acties: the smartboard brings the actions into view
    session_part(live_server, board["headers"], world.board.id, ACTIONS_PART)
    expect(smartboard.locator("#session-panel")).to_have_attribute("data-focus", "actions")
    panel = smartboard.locator("#session-panel")
    expect(panel.locator("details.session-more")).not_to_have_attribute("open", "")
    box = panel.bounding_box()
    assert box and box["height"] <= 0.35 * size["height"]  # folded to a bar
    smartboard.wait_for_function(
        """() => {
          const area = document.getElementById("section-actions").getBoundingClientRect();
          return area.top >= -1 && area.top < innerHeight / 3;
        }"""
    )
    # the first card of every column is in the viewport, whole (on a phone the columns stack:
    # the first column's)
    columns = smartboard.locator("#list-actions .column-cards").all()
    for column in columns[:1] if screen == "phone" else columns:
        first = column.locator(".card").first.bounding_box()
        assert first and first["y"] >= 0 and first["y"] + first["height"] <= size["height"]
        assert first["x"] >= 0 and first["x"] + first["width"] <= size["width"]
    assert smartboard.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    if screen in ("1080p", "4k"):
        shot(smartboard, f"smartboard-session-{screen}.png")

    # the rest is one tap away
    smartboard.get_by_role("navigation", name="Naar een onderdeel van het bord").get_by_role(
        "link", name="Doelen"
    ).click()
    smartboard.wait_for_function(
        "Math.abs(document.getElementById('section-goals').getBoundingClientRect().top)"
        " < innerHeight"
    )


def test_card_actions_sit_behind_one_menu_for_the_keyboard(page: Page, live_server, world, app):
    make_board(live_server, app, world)
    log_in(page, live_server, world.teacher.email)
    page.goto(f"{live_server}/boards/{world.board.id}")
    card = page.locator("#list-actions .card--action").first
    expect(card.get_by_role("button", name="Bewerken", exact=True)).to_be_hidden()
    menu = card.get_by_role("button", name="Bewerken of verwijderen")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(card.get_by_role("button", name="Bewerken", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # Bewerken
    expect(page.locator(".card--editing")).to_be_visible()
