"""Form input for the web pages: strings in, a schema out, or translated messages per field.

Browsers send every value as text; the shared schemas are strict (a number must be a number), so
the text is converted here first: empty optional fields become None, Dutch decimals ("7,5") are
read, and whatever fails is reported next to its field in the user's language.
"""

import math
from typing import Any

from pydantic import ValidationError
from sqlmodel import SQLModel

from app import i18n
from app.errors import Invalid

GENERAL = "_form"


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated when shown."""
    return message


REQUIRED = N_("Vul dit veld in.")
TOO_LONG = N_("Dit is te lang: hoogstens %(max)s tekens.")
BAD_DATE = N_("Vul een geldige datum in.")
DATE_RANGE = N_("Kies een datum tussen 2000 en 2100.")
BAD_NUMBER = N_("Vul een getal in, bijvoorbeeld 7 of 7,5.")
NUMBER_RANGE = N_("Dit getal is te groot of te klein.")
BAD_CHOICE = N_("Kies een van de mogelijkheden.")
BAD_TEXT = N_("Deze tekst bevat een teken dat niet kan.")
BAD_VALUE = N_("Deze waarde klopt niet.")
STALE_FORM = N_("Dit formulier is verouderd. Laad het bord opnieuw.")
UNKNOWN_GOAL = N_("Dat doel staat niet op dit bord.")
UNKNOWN_ITEM = N_("Dat onderdeel staat niet op dit bord.")

# What the services say (in English, for the API) and what a teacher reads instead.
SERVICE_MESSAGES = {
    "unknown goal on this board": UNKNOWN_GOAL,
    "unknown item on this board": UNKNOWN_ITEM,
}


class FormErrors(Exception):
    """Translated messages keyed by field name; GENERAL for the form as a whole."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _number(text: str) -> float:
    value = float(text.replace(" ", "").replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def convert(
    form: dict[str, str],
    fields: tuple[str, ...],
    *,
    numbers: tuple[str, ...] = (),
    ints: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values for the `fields` that were sent, and messages for the ones that fail."""
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name in fields:
        if name not in form:
            continue
        text = form[name].strip()
        if text == "" and (name in numbers or name in ints or name in optional):
            data[name] = None
            continue
        try:
            if name in numbers:
                data[name] = _number(text)
            elif name in ints:
                data[name] = int(text)
            else:
                data[name] = form[name]
        except ValueError:
            problems[name] = BAD_NUMBER
    return data, problems


def _message(error: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("missing", "string_too_short"):
        return REQUIRED, {}
    if kind == "string_too_long":
        return TOO_LONG, {"max": ctx.get("max_length", "")}
    if kind.startswith("date"):
        return BAD_DATE, {}
    if kind in ("enum", "literal_error"):
        return BAD_CHOICE, {}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return NUMBER_RANGE, {}
    if kind.startswith(("float", "int")):
        return BAD_NUMBER, {}
    if kind == "value_error":
        text = str(ctx.get("error", ""))
        if "date" in text:
            return DATE_RANGE, {}
        if "NUL" in text:
            return BAD_TEXT, {}
        if "number" in text:
            return BAD_NUMBER, {}
    return BAD_VALUE, {}


def parse(
    schema: type[SQLModel],
    form: dict[str, str],
    locale: str,
    fields: tuple[str, ...],
    *,
    numbers: tuple[str, ...] = (),
    ints: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    shown: tuple[str, ...] | None = None,
) -> Any:
    """The validated schema, or FormErrors; errors on fields not `shown` go to GENERAL."""
    data, problems = convert(form, fields, numbers=numbers, ints=ints, optional=optional)
    messages: dict[str, tuple[str, dict[str, Any]]] = {k: (v, {}) for k, v in problems.items()}
    model = None
    try:
        model = schema.model_validate({k: v for k, v in data.items() if k not in problems})
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else GENERAL
            blank = field in form and form[field].strip() == ""
            messages.setdefault(field, (REQUIRED, {}) if blank else _message(error))
    if messages:
        raise FormErrors(translate(messages, locale, shown or fields))
    return model


def translate(
    messages: dict[str, tuple[str, dict[str, Any]]], locale: str, shown: tuple[str, ...]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, (message, params) in messages.items():
        key = field if field in shown else GENERAL
        if key == GENERAL and field == "version":
            message, params = STALE_FORM, {}
        errors.setdefault(key, i18n.gettext(locale, message, **params))
    return errors


def from_invalid(exc: Invalid, locale: str, shown: tuple[str, ...]) -> dict[str, str]:
    """A service's Invalid as a message next to its field."""
    message = SERVICE_MESSAGES.get(exc.message, BAD_VALUE)
    return translate({exc.field: (message, {})}, locale, shown)
