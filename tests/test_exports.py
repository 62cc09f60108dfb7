"""Exports that open right: the overview's and a board's actions as CSV for the reader's
spreadsheet (Dutch Excel: `;`, a BOM, Dutch words, local times) and as .xlsx with real dates;
every download under a name that says what it is; care data never in an export."""

import csv
import io
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from app import clock
from app.models import Action, Board, BoardKind, Role, School, StandUp, User
from app.models.care import Case

API = "/api/v1"
# 02:30 UTC on Monday 30 November 2026 is still Sunday evening, 22:30, in Curaçao
INSTANT = datetime(2026, 11, 30, 2, 30, tzinfo=UTC)
LOCAL = datetime(2026, 11, 29, 22, 30)
MARKER = "MARKER-zorg-4711"
DUTCH_HEADER = ["Team", "Bord", "Wat", "Status", "Wie", "Wanneer", "Gemaakt op", "Afgerond op"]


@pytest.fixture
def school(client, factory):
    """The world's school on Curaçao's clock, with a goal and actions in every column."""
    clock.set_now(INSTANT)
    w = factory.world()
    with factory.session() as s:
        s.exec(update(School).where(School.id == w.school.id).values(time_zone="America/Curacao"))
        s.commit()
    lead = factory.api(w.leader)
    goal = post(client, f"/boards/{w.board.id}/goals", lead, title="Leesplezier")
    post(client, f"/boards/{w.board.id}/actions", lead, title="Leeshoek inrichten", owner="Ans")
    post(
        client,
        f"/boards/{w.board.id}/actions",
        lead,
        title="Ouderavond; één keer per jaar",
        owner="Joris",
        due="2026-12-07",
        status="doing",
        goal_id=goal["id"],
    )
    post(client, f"/boards/{w.board.id}/actions", lead, title="Rapporten klaar", status="done")
    post(client, f"/boards/{w.outsider_board.id}/actions", lead, title="=HYPERLINK(1)")
    care_board_with_marker(factory, w)
    return w


def post(client, path: str, headers: dict, **body) -> dict:
    r = client.post(f"{API}{path}", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def care_board_with_marker(factory, w):
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(w.leader, w.teacher))
    factory._save(Action(board_id=care.id, title=MARKER, owner=MARKER, rank="a0"))
    factory._save(Case(board_id=care.id, pupil_code="AB12", concern=MARKER))
    return care


def english(factory, user: User) -> None:
    with factory.session() as s:
        s.exec(update(User).where(User.id == user.id).values(locale="en"))
        s.commit()


def rows_of(answer, separator: str) -> list[list[str]]:
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=separator))


def file_name(answer) -> str:
    """The name a browser saves the answer as (RFC 5987's filename*)."""
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


def workbook(answer):
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(answer.content))


def minute(value):
    """A time as the sheet shows it (the clock ran on for some seconds while the test ran)."""
    return value.replace(second=0) if isinstance(value, datetime) else value


def every_value(book) -> str:
    return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)


# --- CSV -----------------------------------------------------------------------------------------


def test_the_overview_csv_opens_in_dutch_excel_as_columns_with_local_times(client, factory, school):
    w = school
    factory.login(w.leader)
    answer = client.get(f"/schools/{w.school.id}/overview.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    header, *rows = rows_of(answer, ";")
    assert header == DUTCH_HEADER
    by_title = {row[2]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_title) == {
        "Leeshoek inrichten",
        "Ouderavond; één keer per jaar",  # the separator inside a cell stays in its cell
        "Rapporten klaar",
        "'=HYPERLINK(1)",  # a spreadsheet will not run it
    }
    assert by_title["Leeshoek inrichten"]["Status"] == "te doen"
    assert by_title["Ouderavond; één keer per jaar"]["Status"] == "mee bezig"
    assert by_title["Rapporten klaar"]["Status"] == "klaar"
    evening = by_title["Ouderavond; één keer per jaar"]
    assert (evening["Team"], evening["Bord"], evening["Wie"]) == ("Bovenbouw", "Teambord", "Joris")
    assert evening["Wanneer"] == "07-12-2026"
    # made at 02:30 UTC on the 30th: the school's Sunday evening
    assert evening["Gemaakt op"] == "29-11-2026 22:30" and evening["Afgerond op"] == ""
    assert by_title["Rapporten klaar"]["Afgerond op"] == "29-11-2026 22:30"
    assert [row["Team"] for row in by_title.values()].count("Onderbouw") == 1
    assert file_name(answer) == "overzicht-de-regenboog-2026-11-29.csv"  # the school's today


def test_the_english_interface_gets_commas_and_english(client, factory, school):
    w = school
    english(factory, w.leader)
    factory.login(w.leader)
    answer = client.get(f"/schools/{w.school.id}/overview.csv")
    header, *rows = rows_of(answer, ",")
    assert header == ["Team", "Board", "What", "Status", "Who", "When", "Created", "Finished"]
    by_title = {row[2]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_title["Leeshoek inrichten"]["Status"] == "to do"
    assert by_title["Ouderavond; één keer per jaar"]["Status"] == "in progress"
    assert by_title["Rapporten klaar"]["Status"] == "done"
    assert by_title["Ouderavond; één keer per jaar"]["When"] == "2026-12-07"
    assert by_title["Rapporten klaar"]["Finished"] == "2026-11-29 22:30"
    assert file_name(answer) == "overview-de-regenboog-2026-11-29.csv"
    # the API answers in the token's user's language too
    api = client.get(f"{API}/schools/{w.school.id}/overview.csv", headers=factory.api(w.leader))
    assert rows_of(api, ",")[0][1] == "Board"


def test_a_school_without_teams_exports_only_the_header(client, factory):
    school = factory.school("Lege school")
    factory.login(factory.user(school, Role.leader))
    answer = client.get(f"/schools/{school.id}/overview.csv")
    assert rows_of(answer, ";") == [DUTCH_HEADER]


def test_a_board_member_downloads_the_boards_actions_with_every_column(client, factory, school):
    w = school
    factory.login(w.teacher)
    answer = client.get(f"/boards/{w.board.id}/actions.csv")
    header, *rows = rows_of(answer, ";")
    assert header == [
        "Wat",
        "Wie",
        "Wanneer",
        "Status",
        "Doel",
        "Gemaakt op",
        "Afgerond op",
        "Gearchiveerd op",
    ]
    assert rows == [  # the board's order: to do, doing, done
        ["Leeshoek inrichten", "Ans", "", "te doen", "", "29-11-2026 22:30", "", ""],
        [
            "Ouderavond; één keer per jaar",
            "Joris",
            "07-12-2026",
            "mee bezig",
            "Leesplezier",
            "29-11-2026 22:30",
            "",
            "",
        ],
        ["Rapporten klaar", "", "", "klaar", "", "29-11-2026 22:30", "29-11-2026 22:30", ""],
    ]
    assert file_name(answer) == "acties-teambord-2026-11-29.csv"


# --- .xlsx ---------------------------------------------------------------------------------------


def test_the_overview_workbook_has_real_dates_a_frozen_header_and_dutch_words(
    client, factory, school
):
    w = school
    factory.login(w.leader)
    answer = client.get(f"/schools/{w.school.id}/overview.xlsx")
    assert file_name(answer) == "overzicht-de-regenboog-2026-11-29.xlsx"
    book = workbook(answer)
    assert book.sheetnames == ["Acties"]
    sheet = book["Acties"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H5"
    assert [c.value for c in sheet[1]] == DUTCH_HEADER
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    evening = rows["Ouderavond; één keer per jaar"]
    assert evening[3].value == "mee bezig"
    assert evening[5].is_date and evening[5].value == datetime(2026, 12, 7)
    assert evening[5].number_format == "dd-mm-yyyy"
    assert evening[6].is_date and minute(evening[6].value) == LOCAL
    assert evening[6].number_format == "dd-mm-yyyy hh:mm"
    assert evening[7].value is None
    done = rows["Rapporten klaar"]
    assert done[3].value == "klaar" and minute(done[7].value) == LOCAL
    assert rows["=HYPERLINK(1)"][2].data_type == "s"  # text, never a formula
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["D"].width


def test_the_board_workbook_in_english(client, factory, school):
    w = school
    english(factory, w.teacher)
    answer = client.get(f"{API}/boards/{w.board.id}/actions.xlsx", headers=factory.api(w.teacher))
    assert file_name(answer) == "actions-teambord-2026-11-29.xlsx"
    sheet = workbook(answer)["Actions"]
    assert [c.value for c in sheet[1]] == [
        "What",
        "Who",
        "When",
        "Status",
        "Goal",
        "Created",
        "Finished",
    ]
    assert [[minute(c.value) for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["Leeshoek inrichten", "Ans", None, "to do", None, LOCAL, None],
        [
            "Ouderavond; één keer per jaar",
            "Joris",
            datetime(2026, 12, 7),
            "in progress",
            "Leesplezier",
            LOCAL,
            None,
        ],
        ["Rapporten klaar", None, None, "done", None, LOCAL, LOCAL],
    ]
    assert sheet["C3"].number_format == "yyyy-mm-dd"


# --- care data stays on the care board -----------------------------------------------------------


def test_care_data_never_reaches_an_export(client, factory, school):
    w = school
    care = factory.all(Board)[-1]
    assert care.kind == BoardKind.care
    lead = factory.api(w.leader)
    for path in ("overview.csv", "overview.xlsx"):
        for answer in (
            client.get(f"{API}/schools/{w.school.id}/{path}", headers=lead),
            client.get(f"/schools/{w.school.id}/{path}", headers=lead),
        ):
            assert answer.status_code == 200
            text = answer.text if path.endswith("csv") else every_value(workbook(answer))
            assert MARKER not in text and "Zorgoverleg" not in text
    # not even its own members download a care board's actions
    for member in (w.teacher, w.leader):
        for path in ("actions.csv", "actions.xlsx"):
            answer = client.get(f"{API}/boards/{care.id}/{path}", headers=factory.api(member))
            assert answer.status_code == 404 and MARKER not in answer.text


# --- who may download ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["overview.csv", "overview.xlsx"])
def test_the_overview_exports_are_for_the_schools_leader(client, factory, path):
    w = factory.world()
    url = f"{API}/schools/{w.school.id}/{path}"
    assert client.get(url).status_code == 401
    for user, status in (
        (w.teacher, 404),
        (w.other_leader, 404),
        (w.leader, 200),
        (w.admin, 200),
    ):
        answer = client.get(url, headers=factory.api(user))
        assert answer.status_code == status, user.name
        if status == 404:
            assert "Bovenbouw" not in answer.text
        factory.login(user)
        assert client.get(f"/schools/{w.school.id}/{path}").status_code == status
        client.cookies.clear()
    assert (
        client.get(f"{API}/schools/999999/{path}", headers=factory.api(w.admin)).status_code == 404
    )


@pytest.mark.parametrize("path", ["actions.csv", "actions.xlsx"])
def test_a_boards_actions_are_for_whoever_may_open_the_board(client, factory, path):
    w = factory.world()
    url = f"{API}/boards/{w.board.id}/{path}"
    assert client.get(url).status_code == 401
    for user, status in (
        (w.teacher, 200),
        (w.leader, 200),
        (w.admin, 200),
        (w.other_teacher, 404),
        (w.other_leader, 404),
    ):
        assert client.get(url, headers=factory.api(user)).status_code == status, user.name
        factory.login(user)
        assert client.get(f"/boards/{w.board.id}/{path}").status_code == status
        client.cookies.clear()


# --- file names ----------------------------------------------------------------------------------


def test_a_name_beyond_ascii_is_kept_for_browsers_with_a_plain_fallback(client, factory):
    school = factory.school("Één & Zee")
    factory.login(factory.user(school, Role.leader))
    answer = client.get(f"/schools/{school.id}/overview.xlsx")
    assert file_name(answer) == f"overzicht-één-zee-{clock.today().isoformat()}.xlsx"
    assert 'filename="overzicht-een-zee-' in answer.headers["content-disposition"]


def test_the_care_case_export_is_named_after_its_board_and_case(client, factory, school):
    w = school
    case = factory.all(Case)[0]
    answer = client.get(f"{API}/cases/{case.id}/export", headers=factory.api(w.teacher))
    assert answer.status_code == 200 and answer.json()["case"]["pupil_code"] == "AB12"
    assert file_name(answer) == f"zorgbord-zorgoverleg-casus-{case.id}-2026-11-29.json"
    assert "AB12" not in answer.headers["content-disposition"]  # the pupil stays out of it


def test_the_session_summary_downloads_under_its_board_and_week(client, factory):
    w = factory.world()
    stand_up = StandUp(board_id=w.board.id, week="2026-W48", ended_at=clock.now())
    factory._save(stand_up)
    factory.login(w.teacher)
    answer = client.get(f"/boards/{w.board.id}/sessions/{stand_up.id}.md")
    assert answer.status_code == 200
    assert file_name(answer) == "bordsessie-teambord-2026-W48.md"


def test_the_pages_offer_the_downloads(client, factory):
    w = factory.world()
    factory.login(w.leader)
    page = client.get(f"/schools/{w.school.id}/overview").text
    assert f'href="/schools/{w.school.id}/overview.xlsx" download>Exporteren (Excel)</a>' in page
    assert f'href="/schools/{w.school.id}/overview.csv" download>Exporteren (CSV)</a>' in page
    board = client.get(f"/boards/{w.board.id}").text
    assert f'<a href="/boards/{w.board.id}/actions.xlsx" download>' in board
    assert f'<a href="/boards/{w.board.id}/actions.csv" download>' in board
    english(factory, w.leader)
    assert "Actions as an Excel file (.xlsx)" in client.get(f"/boards/{w.board.id}").text


def test_the_boards_archive_is_the_workbooks_second_sheet_and_the_csvs_last_rows(
    client, factory, school
):
    w = school
    lead = factory.api(w.leader)
    board = client.get(f"{API}/boards/{w.board.id}", headers=lead).json()
    done = next(a for a in board["actions"] if a["title"] == "Rapporten klaar")
    r = client.post(f"{API}/actions/{done['id']}/archive", headers=lead)
    assert r.status_code == 200, r.text
    sheets = workbook(client.get(f"{API}/boards/{w.board.id}/actions.xlsx", headers=lead))
    assert sheets.sheetnames == ["Acties", "Archief"]
    on_board = [row[0].value for row in sheets["Acties"].iter_rows(min_row=2)]
    assert on_board == ["Leeshoek inrichten", "Ouderavond; één keer per jaar"]
    archive = sheets["Archief"]
    assert [c.value for c in archive[1]][-1] == "Gearchiveerd op"
    [row] = [[minute(c.value) for c in r] for r in archive.iter_rows(min_row=2)]
    assert row == ["Rapporten klaar", None, None, "klaar", None, LOCAL, LOCAL, LOCAL]
    assert archive["H2"].number_format == "dd-mm-yyyy hh:mm"
    header, *rows = rows_of(client.get(f"{API}/boards/{w.board.id}/actions.csv", headers=lead), ";")
    assert header[-1] == "Gearchiveerd op"
    assert [(r[0], r[-1]) for r in rows] == [
        ("Leeshoek inrichten", ""),
        ("Ouderavond; één keer per jaar", ""),
        ("Rapporten klaar", "29-11-2026 22:30"),  # the archive after the board
    ]
    english(factory, w.leader)
    book = workbook(client.get(f"{API}/boards/{w.board.id}/actions.xlsx", headers=lead))
    assert book.sheetnames == ["Actions", "Archive"]
    assert book["Archive"]["H1"].value == "Archived"


def test_deleted_actions_are_not_exported_nor_archived_ones_in_the_overview(
    client, factory, school
):
    w = school
    lead = factory.api(w.leader)
    gone = post(client, f"/boards/{w.board.id}/actions", lead, title="In de prullenbak")
    shelved = post(client, f"/boards/{w.board.id}/actions", lead, title="In het archief")
    r = client.delete(f"{API}/actions/{gone['id']}?version={gone['version']}", headers=lead)
    assert r.status_code == 204, r.text
    with factory.session() as s:
        s.exec(update(Action).where(Action.id == shelved["id"]).values(archived_at=clock.now()))
        s.commit()
    for url in (
        f"{API}/boards/{w.board.id}/actions.csv",
        f"{API}/schools/{w.school.id}/overview.csv",
    ):
        titles = [
            row[0 if "boards" in url else 2] for row in rows_of(client.get(url, headers=lead), ";")
        ]
        assert "Leeshoek inrichten" in titles
        assert "In de prullenbak" not in titles
        # the board's export lists its archive too (with the day it was archived)
        assert ("In het archief" in titles) == ("boards" in url)
