"""The downloads of actions, for the pages and the API alike: a school's (the leader overview's)
and a board's, as CSV or .xlsx in the reader's language, each under a name that says what it is.
"""

from typing import Literal

from sqlmodel import Session
from starlette.responses import Response

from app import i18n
from app.models.care import CaseExport
from app.services import exports
from app.services.exports import BoardActions, SchoolActions
from app.web.downloads import attachment, file_name
from app.web.forms import N_
from app.web.spreadsheet import Column, Sheet, to_csv, to_xlsx

Format = Literal["csv", "xlsx"]
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

WHAT = Column(N_("Wat"), width=40)
WHO = Column(N_("Wie"), width=18)
WHEN = Column(N_("Wanneer"), "date", 12)
STATUS = Column(N_("Status"), "status", 11)
CREATED = Column(N_("Gemaakt op"), "moment", 17)
FINISHED = Column(N_("Afgerond op"), "moment", 17)

SCHOOL_COLUMNS = (
    Column(N_("Team"), width=18),
    Column(N_("Bord"), width=22),
    WHAT,
    STATUS,
    WHO,
    WHEN,
    CREATED,
    FINISHED,
)
BOARD_COLUMNS = (WHAT, WHO, WHEN, STATUS, Column(N_("Doel"), width=30), CREATED, FINISHED)
ARCHIVED = Column(N_("Gearchiveerd op"), "moment", 17)


def school_download(export: SchoolActions, fmt: Format, locale: str) -> Response:
    sheets = [Sheet(N_("Acties"), SCHOOL_COLUMNS, export.rows)]
    kind = i18n.gettext(locale, N_("overzicht"))
    name = file_name(kind, export.school.name, export.today, fmt)
    return _download(sheets, fmt, locale, export, name)


def board_download(export: BoardActions, fmt: Format, locale: str) -> Response:
    """The workbook: the board's actions, and its archive on a second sheet "Archief". The CSV,
    one table: the board's actions, then the archived ones, with one more column "Gearchiveerd
    op" (empty for those on the board)."""
    if fmt == "csv":
        on_board = [(*row, None) for row in export.actions]
        rows = [*on_board, *export.archived]
        sheets = [Sheet(N_("Acties"), (*BOARD_COLUMNS, ARCHIVED), rows)]
    else:
        sheets = [
            Sheet(N_("Acties"), BOARD_COLUMNS, export.actions),
            Sheet(N_("Archief"), (*BOARD_COLUMNS, ARCHIVED), export.archived),
        ]
    kind = i18n.gettext(locale, N_("acties"))
    name = file_name(kind, export.board.title, export.today, fmt)
    return _download(sheets, fmt, locale, export, name)


def _download(
    sheets: list[Sheet], fmt: Format, locale: str, export: SchoolActions | BoardActions, name: str
) -> Response:
    if fmt == "csv":
        body = to_csv(sheets[0], locale, export.zone)
    else:
        body = to_xlsx(sheets, locale, export.zone)
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=attachment(name))


def case_file_name(session: Session, export: CaseExport, locale: str) -> str:
    """'zorgbord-zorgbord-groep-5-casus-12-2026-11-30.json': the board, never the pupil."""
    title, today = exports.board_title_and_today(session, export.board_id)
    case = i18n.gettext(locale, N_("casus"))
    kind = i18n.gettext(locale, N_("zorgbord"))
    return file_name(kind, f"{title} {case} {export.case.id}", today, "json")
