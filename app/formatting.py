"""Numbers and dates as the reader's locale writes them, through Babel: one formatter each.

Templates use them as filters (app/templating.py), forms parse decimals with `parse_decimal`, and
services that write text for people (a celebrated goal's success) call them directly.
"""

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from app import clock

NOTHING = "–"  # what a missing number reads as


def number(value: int | float | Decimal | None, locale: str) -> str:
    """7,5 and 1.234 in Dutch, 7.5 and 1,234 in English; at most three decimals; – for none."""
    if value is None:
        return NOTHING
    return babel_numbers.format_decimal(value, locale=locale)


def decimal(value: float, locale: str, places: int = 1) -> str:
    """Always `places` decimals, as an average reads: 3,0 and 4,5 in Dutch, 3.0 in English."""
    return babel_numbers.format_decimal(value, format="#,##0." + "0" * places, locale=locale)


def parse_decimal(text: str, locale: str) -> float:
    """A number as the locale writes it ("7,5" in Dutch, "7.5" in English); ValueError else.

    Strict, so a Dutch "7.5" is refused rather than read as 75 (the dot groups thousands).
    """
    try:
        value = float(babel_numbers.parse_decimal(text.strip(), locale=locale, strict=True))
    except babel_numbers.NumberFormatError as exc:
        raise ValueError(text) from exc
    if not math.isfinite(value):
        raise ValueError(text)
    return value


DAY = "EEE d MMM"
DAY_WITH_YEAR = "EEE d MMM yyyy"


def day(value: date | str | None, locale: str, fmt: str = DAY) -> str:
    """'ma 23 nov' as Dutch teachers write it; 'Mon 23 Nov' in English. A day of another
    year than this one says its year ('vr 3 jan 2031'), so it is not read as this year's."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            when = date.fromisoformat(value)
        except ValueError:
            return value
    else:
        when = value
    if fmt == DAY and when.year != clock.today().year:
        fmt = DAY_WITH_YEAR
    return babel_dates.format_date(when, format=fmt, locale=locale).replace(".", "")


def moment(value: datetime | None, locale: str) -> str:
    """'23 nov 14:05' in the school's time zone."""
    if value is None:
        return ""
    local = clock.local(value)
    return babel_dates.format_datetime(local, format="d MMM HH:mm", locale=locale).replace(".", "")


def week_number(value: date) -> int:
    """The ISO week number, as Dutch schools name their weeks ("week 48")."""
    return value.isocalendar().week


# Dates and times in a spreadsheet download: what the reader's spreadsheet program reads as a
# date ("30-11-2026" in Dutch; ISO in English, which every English Excel reads right).
SHEET_DATE = {"nl": "dd-MM-yyyy", "en": "yyyy-MM-dd"}
SHEET_TIME = " HH:mm"


def sheet_date(value: date, locale: str) -> str:
    return babel_dates.format_date(value, format=SHEET_DATE[locale], locale=locale)


def sheet_moment(value: datetime, locale: str, tz: ZoneInfo) -> str:
    """An instant as the school's wall clock showed it: '30-11-2026 00:30'."""
    return babel_dates.format_datetime(
        _instant(value), format=SHEET_DATE[locale] + SHEET_TIME, tzinfo=tz, locale=locale
    )


def school_clock(value: datetime, tz: ZoneInfo) -> datetime:
    """The school's wall-clock time of an instant, without a zone (as spreadsheets hold it)."""
    return clock.local(_instant(value), tz).replace(tzinfo=None)


def _instant(value: datetime) -> datetime:
    """The database gives instants back without a zone: they are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def list_separator(locale: str) -> str:
    """What a spreadsheet program splits CSV columns on: ';' where the decimal sign is a
    comma (Dutch Excel), ',' elsewhere."""
    return ";" if babel_numbers.get_decimal_symbol(locale) == "," else ","
