"""A table to download, written for the reader's spreadsheet program: CSV or .xlsx.

A `Sheet` names its columns in Dutch (the msgids) and says what each holds; the writers put the
headers, status words, dates and times in the reader's language and the school's time zone.
CSV for Dutch Excel: ';' between columns, UTF-8 with a BOM (else Excel reads it as Latin-1),
dd-mm-jjjj. The .xlsx holds real date cells, a frozen header row and a filter on it.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import xlsxwriter

from app import formatting, i18n
from app.models import ActionStatus
from app.web.forms import N_

ColumnKind = Literal["text", "status", "date", "moment"]

STATUS = {
    ActionStatus.todo: N_("te doen"),
    ActionStatus.doing: N_("mee bezig"),
    ActionStatus.done: N_("klaar"),
}
BOM = "\ufeff"
# Excel's own codes for the date cells (the file format's, the same in every language of Excel)
XLSX_DATE = {"nl": "dd-mm-yyyy", "en": "yyyy-mm-dd"}
XLSX_TIME = " hh:mm"


@dataclass(frozen=True)
class Column:
    title: str  # the Dutch header, translated on writing
    kind: ColumnKind = "text"
    width: int = 14  # characters, in the .xlsx


@dataclass(frozen=True)
class Sheet:
    title: str  # the Dutch sheet name (at most 31 characters), translated on writing
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]


def to_csv(sheet: Sheet, locale: str, tz: ZoneInfo) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=formatting.list_separator(locale))
    writer.writerow([i18n.gettext(locale, column.title) for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow(
            [
                _text(column, value, locale, tz)
                for column, value in zip(sheet.columns, row, strict=True)
            ]
        )
    return (BOM + out.getvalue()).encode("utf-8")


def _text(column: Column, value: Any, locale: str, tz: ZoneInfo) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "status":
        return i18n.gettext(locale, STATUS[ActionStatus(value)])
    if column.kind == "date":
        return formatting.sheet_date(value, locale)
    if column.kind == "moment":
        return formatting.sheet_moment(value, locale, tz)
    return guard(str(value))


def guard(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_xlsx(sheets: Sequence[Sheet], locale: str, tz: ZoneInfo) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = book.add_format({"bold": True, "bottom": 1})
    cell_formats = {
        "date": book.add_format({"num_format": XLSX_DATE[locale]}),
        "moment": book.add_format({"num_format": XLSX_DATE[locale] + XLSX_TIME}),
    }
    for sheet in sheets:
        page = book.add_worksheet(i18n.gettext(locale, sheet.title))
        for c, column in enumerate(sheet.columns):
            page.set_column(c, c, column.width)
            page.write_string(0, c, i18n.gettext(locale, column.title), header)
        for r, row in enumerate(sheet.rows, start=1):
            for c, (column, value) in enumerate(zip(sheet.columns, row, strict=True)):
                if value is None or value == "":
                    continue
                if column.kind in cell_formats:
                    page.write_datetime(r, c, _cell_time(value, tz), cell_formats[column.kind])
                elif column.kind == "status":
                    page.write_string(r, c, i18n.gettext(locale, STATUS[ActionStatus(value)]))
                else:  # a string cell is never run as a formula: no guard needed
                    page.write_string(r, c, str(value))
        page.freeze_panes(1, 0)
        page.autofilter(0, 0, len(sheet.rows), len(sheet.columns) - 1)
    book.close()
    return buffer.getvalue()


def _cell_time(value: date | datetime, tz: ZoneInfo) -> date | datetime:
    if isinstance(value, datetime):
        return formatting.school_clock(value, tz).replace(microsecond=0)
    return value
