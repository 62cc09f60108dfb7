"""Downloads in the browser: the board's export menu, by keyboard alone, saves the board's
actions under their own name as a workbook that opens; the overview's Excel button too."""

import io

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from app import clock
from tests.browser.test_board_in_browser import log_in
from tests.browser.test_live_board import new_action


def test_a_teacher_downloads_the_boards_actions_by_keyboard(page: Page, live_server, world, app):
    new_action(app, world.teacher, world.board.id, "Leeshoek inrichten")
    log_in(page, live_server, world.teacher.email)
    page.goto(f"{live_server}/boards/{world.board.id}")
    menu = page.locator(".board-export > summary")
    menu.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    link = page.get_by_role("link", name="Acties als Excel-bestand (.xlsx)")
    expect(link).to_be_focused()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    today = clock.today().isoformat()
    assert download.suggested_filename == f"acties-teambord-{today}.xlsx"
    sheet = load_workbook(io.BytesIO(download.path().read_bytes()))["Acties"]
    assert [c.value for c in sheet[2]][:4] == ["Leeshoek inrichten", None, None, "te doen"]


def test_the_leader_downloads_the_overview_as_a_workbook(page: Page, live_server, world):
    log_in(page, live_server, world.leader.email)
    page.goto(f"{live_server}/schools/{world.school.id}/overview")
    with page.expect_download() as info:
        page.get_by_role("link", name="Exporteren (Excel)").click()
    download = info.value
    assert download.suggested_filename == f"overzicht-de-regenboog-{clock.today().isoformat()}.xlsx"
    assert load_workbook(io.BytesIO(download.path().read_bytes())).sheetnames == ["Acties"]
