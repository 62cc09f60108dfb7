"""Translations: Babel catalogs under app/translations (numbers and dates: app/formatting.py)."""

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


@lru_cache
def N_(message: str) -> str:
    """Marks a message for extraction; it is translated when shown."""
    return message


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
