"""A whole bordsessie with the keyboard only: Tab, Shift+Tab, Enter, Space and Escape.

At every stop the focused element must show a visible focus indicator (WCAG 2.4.7), and after
every action the focus must be where the person left it or where the next step is.
"""

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.test_live_board import NewContext, person
from tests.factories import PASSWORD

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 80),
    indicated: outline || style.boxShadow !== 'none',
    shown: box.width > 0 && box.height > 0,
  };
}"""

LIMIT = 150  # Tab presses allowed to reach one control


def focused(page: Page) -> dict[str, Any]:
    found = page.evaluate(FOCUSED)
    assert found is not None, "the focus was lost to the page itself"
    return found


def press(page: Page, key: str) -> dict[str, Any]:
    """One key; the focus that follows it must be visible."""
    page.keyboard.press(key)
    where = focused(page)
    assert where["indicated"] and where["shown"], f"focus not visible after {key}: {where}"
    return where


def tab_to(page: Page, selector: str, back: bool = False) -> None:
    """Tab (or Shift+Tab) until `selector` has the focus, every stop on the way visible."""
    target = page.locator(selector)
    expect(target).to_be_visible()
    for _ in range(LIMIT):
        press(page, "Shift+Tab" if back else "Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached in {LIMIT} Tab presses")


def has_focus(page: Page, selector: str) -> bool:
    return page.locator(selector).evaluate("el => el === document.activeElement")


def test_a_bordsessie_from_login_to_summary_with_the_keyboard_only(page: Page, live_server, world):
    page.goto(f"{live_server}/login")
    # the address field has the focus at once
    assert focused(page)["id"] == "login-email"
    page.keyboard.type(world.teacher.email)
    press(page, "Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/")

    # the first Tab on a page reaches the skip link, which leads to the content
    press(page, "Tab")
    assert has_focus(page, ".skip-link")
    page.keyboard.press("Enter")
    tab_to(page, f'a.board-link[href="/boards/{world.board.id}"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Verbeteracties")).to_be_visible()

    # start the session; the focus moves on to the agenda's next step
    tab_to(page, "#session-panel form button.button--primary")
    page.keyboard.press("Enter")
    expect(page.locator(".agenda-part--current")).to_contain_text("Check-in")
    expect(page.locator("#session-next")).to_be_focused()

    # a mood with Space: the focus stays on the smiley that was chosen
    tab_to(page, "#mood-4")
    page.keyboard.press("Space")
    expect(page.locator("#mood-4 .mood-count")).to_have_text("1")
    expect(page.locator("#mood-4")).to_be_focused()

    # back to "Volgende" with Shift+Tab, then through the agenda with Enter: the focus stays on
    # the button, which names the next part each time
    tab_to(page, "#session-next", back=True)
    for focus in ("successes", "goals", "actions"):
        page.keyboard.press("Enter")
        expect(page.locator("#session-panel")).to_have_attribute("data-focus", focus)
        expect(page.locator("#session-next")).to_be_focused()
        assert focused(page)["indicated"]

    # an action, added from the keyboard: the form opens with Enter, closes with Escape
    tab_to(page, "#section-actions details.add summary")
    page.keyboard.press("Enter")
    press(page, "Tab")
    assert has_focus(page, "#add-actions-title")
    page.keyboard.type("Leesrooster ophangen")
    page.keyboard.press("Enter")
    expect(page.locator("#list-actions")).to_contain_text("Leesrooster ophangen")
    # the field is empty for the next one, and keeps the focus
    expect(page.locator("#add-actions-title")).to_have_value("")
    expect(page.locator("#add-actions-title")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#section-actions details.add")).not_to_have_attribute("open", "")
    expect(page.locator("#section-actions details.add summary")).to_be_focused()

    # finish: the confirmation is accepted, the summary is there and has the focus
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, "#session-panel .session-end", back=True)
    page.keyboard.press("Enter")
    expect(page.locator(".session-summary")).to_contain_text("Leesrooster ophangen")
    expect(page.locator("#session-summary-title")).to_be_focused()
    assert focused(page)["indicated"]


def test_a_push_from_another_screen_leaves_the_keyboard_focus_where_it_was(
    new_context: NewContext, live_server, world
):
    board_id = world.board.id
    smartboard = person(new_context, live_server, world.teacher, board_id)
    phone = person(new_context, live_server, world.leader, board_id)
    smartboard.get_by_role("button", name="Start bordsessie").click()
    expect(phone.locator(".agenda-part--current")).to_contain_text("Check-in")

    # the bordleider is on the session's fold-out (a control without an id) when a phone's
    # check-in replaces the whole session panel
    expect(smartboard.locator("#session-next")).to_be_focused()
    more = smartboard.locator("#session-panel details.session-more > summary")
    tab_to(smartboard, "#session-panel details.session-more > summary")
    phone.locator("#mood-5").click()
    expect(smartboard.locator("#mood-5 .mood-count")).to_have_text("1")
    expect(more).to_be_focused()
    assert focused(smartboard)["indicated"]

    # and on "Volgende" when the next check-in comes: the next Enter is not lost to the page
    tab_to(smartboard, "#session-next", back=True)
    phone.locator("#mood-3").click()
    expect(smartboard.locator("#mood-3 .mood-count")).to_have_text("1")
    expect(smartboard.locator("#session-next")).to_be_focused()
    smartboard.keyboard.press("Enter")
    expect(smartboard.locator("#session-panel")).to_have_attribute("data-focus", "successes")


def test_the_next_step_s_button_works_the_moment_it_appears(page: Page, live_server, world):
    """A quick second Enter on "Volgende" lands: the button that replaced the pressed one is
    live as soon as it has the focus, not a moment later."""
    page.goto(f"{live_server}/login")
    page.keyboard.type(world.teacher.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/")
    page.goto(f"{live_server}/boards/{world.board.id}")
    page.get_by_role("button", name="Start bordsessie").click()
    expect(page.locator("#session-next")).to_be_focused()
    # the next press comes as soon as the next step is shown (by the answer or, when it came
    # first, by the step's push), before any timer of the page's has run
    page.evaluate(
        """() => {
             const press = () => {
               const panel = document.getElementById("session-panel");
               if (window.pressedAgain || panel.dataset.focus !== "successes") return;
               window.pressedAgain = true;
               setTimeout(() => document.activeElement.click(), 0);
             };
             document.addEventListener("htmx:afterRequest", press);
             document.addEventListener("htmx:oobAfterSwap", press);
           }"""
    )
    page.keyboard.press("Enter")
    expect(page.locator("#session-panel")).to_have_attribute("data-focus", "goals")
