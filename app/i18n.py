"""Translations (Babel catalogs under app/translations) and Dutch-first formatting."""

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import dates as babel_dates
from babel.support import NullTranslations, Translations

from app import clock

LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


@lru_cache
def translations(locale: str) -> NullTranslations:
    """Source strings are Dutch; other languages come from their catalog."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(TRANSLATIONS_DIR, [locale], domain="messages")


def gettext(locale: str, message: str, **params: object) -> str:
    text = translations(locale).gettext(message)
    return text % params if params else text


def pick_locale(value: str | None, fallback: str = DEFAULT_LOCALE) -> str:
    return value if value in LOCALES else fallback


def format_day(value: date | str | None, locale: str, fmt: str = "EEE d MMM") -> str:
    """'ma 23 nov' as Dutch teachers write it; 'Mon 23 Nov' in English."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    return babel_dates.format_date(day, format=fmt, locale=locale).replace(".", "")


def format_moment(value: datetime | None, locale: str) -> str:
    if value is None:
        return ""
    local = clock.local(value)
    return babel_dates.format_datetime(local, format="d MMM HH:mm", locale=locale).replace(".", "")


def iso_week(value: date) -> int:
    return value.isocalendar().week
