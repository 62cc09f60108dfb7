"""Form input for the web pages: the shared schemas validate it, refusals become messages.

Browsers send every value as text; the schemas are strict (a number must be a number, as in the
JSON API), so the text of a number field is read first, by the schema's own field types: a
decimal as the reader's locale writes it ("7,5" in Dutch), a whole number as digits, and an
empty number or optional field as none. Then the schema validates.

Every refusal (of that reading, of the schema, or a service's `Invalid`) is an error with a
`type`, as pydantic names them, and a field. MESSAGES turns the type into the message the reader
sees in their language; a form may give a field its own message. Pydantic's English `msg` is
never read, so a reworded pydantic or FastAPI changes nothing here.
"""

from collections.abc import Callable, Mapping, Sequence
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import ValidationError
from sqlmodel import SQLModel

from app import formatting, i18n
from app.errors import Invalid
from app.i18n import N_

GENERAL = "_form"


REQUIRED = N_("Vul dit veld in.")
TOO_LONG = N_("Dit is te lang: hoogstens %(max_length)s tekens.")
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
NOT_A_NAME = N_("Gebruik een leerlingcode of initialen, geen volledige naam.")
NO_COLLEAGUE = N_("Niemand van deze school heeft dit e-mailadres.")
TEAM_NAME_TAKEN = N_("Er is al een team met deze naam.")
SLUG_TAKEN = N_("Er is al een school met dit webadres.")
BRIN_TAKEN = N_("Er is al een school met deze BRIN-code.")
CARE_BOARD_NEEDS_IB = N_("Een zorgbord hoort bij een IB'er: vul het e-mailadres van de IB'er in.")
UNKNOWN_IB = N_("Geen IB'er van deze school heeft dit e-mailadres.")
LEADER_NAMES_IB = N_("Alleen een schoolleider kiest de IB'er van een zorgbord.")
UNKNOWN_TIME_ZONE = N_("Kies een tijdzone uit de lijst.")
BAD_ADDRESS = N_("Dit is geen geldig e-mailadres.")
ALREADY_INVITED = N_("Deze collega is al uitgenodigd.")
ALREADY_MEMBER = N_("Deze collega hoort al bij de school.")
LISTED_TWICE = N_("Dit adres staat twee keer in de lijst.")
UNKNOWN_TEAM = N_("Kies teams van deze school.")
TOO_MANY_LINES = N_("Hoogstens 200 collega's tegelijk; verdeel de lijst.")
EMPTY_LIST = N_("Plak minstens één adres.")
NAME_TOO_LONG = N_("Deze naam is te lang: hoogstens 120 tekens.")
SIGN_IN_FIRST = N_("Log eerst in met het account waarvoor deze uitnodiging is.")
SHORT_PASSWORD = N_("Kies een wachtwoord van minstens 8 tekens.")
LONG_PASSWORD = N_("Dit wachtwoord is te lang.")
WRONG_PASSWORD = N_("Dit is niet je huidige wachtwoord.")
SESSION_ENDED = N_("Deze bordsessie is afgerond; de check-in is gesloten.")
FUTURE_DATE = N_("Deze datum ligt in de toekomst. Vul de datum van de meting in.")
PERCENT_RANGE = N_("Een percentage ligt tussen 0 en 100.")
UNKNOWN_TEAM_GOAL = N_("Kies een doel van een teambord van dit team.")
NO_SESSION = N_("Er loopt nu geen bordsessie.")
LAST_PART = N_("Dit is het laatste onderdeel van de agenda.")
NOT_CLASS_BOARD = N_("Alleen een klassenbord heeft leerlingen en een klasscherm.")

# Error type (pydantic's, app/models/types.py's custom ones, a service Invalid's `kind`) ->
# message. A message may name the error's ctx values, e.g. %(max_length)s.
UNKNOWN_PROVIDER = N_("Kies een van de inlogdiensten in de lijst.")
BAD_DOMAINS = N_("Vul e-maildomeinen in, gescheiden door spaties, bijvoorbeeld school.nl.")
UNKNOWN_TEMPLATE = N_("Kies een van de sjablonen in de lijst.")
TEMPLATE_KIND = N_("Deze soort past niet bij het sjabloon. Kies de soort van het sjabloon.")

MESSAGES: dict[str, str] = {
    "missing": REQUIRED,
    "string_too_short": REQUIRED,
    "string_too_long": TOO_LONG,
    "date_type": BAD_DATE,
    "date_parsing": BAD_DATE,
    "date_from_datetime_parsing": BAD_DATE,
    "date_from_datetime_inexact": BAD_DATE,
    "date_out_of_range": DATE_RANGE,
    "enum": BAD_CHOICE,
    "literal_error": BAD_CHOICE,
    "greater_than": NUMBER_RANGE,
    "greater_than_equal": NUMBER_RANGE,
    "less_than": NUMBER_RANGE,
    "less_than_equal": NUMBER_RANGE,
    "decimal_parsing": BAD_NUMBER,
    "float_type": BAD_NUMBER,
    "finite_number": BAD_NUMBER,
    "int_parsing": BAD_NUMBER,
    "int_type": BAD_NUMBER,
    "text_nul": BAD_TEXT,
    "unknown_goal": UNKNOWN_GOAL,
    "unknown_team_goal": UNKNOWN_TEAM_GOAL,
    "no_session": NO_SESSION,
    "last_part": LAST_PART,
    "not_class_board": NOT_CLASS_BOARD,
    "unknown_item": UNKNOWN_ITEM,
    "full_name": NOT_A_NAME,
    "unknown_colleague": NO_COLLEAGUE,
    "team_name_taken": TEAM_NAME_TAKEN,
    "slug_taken": SLUG_TAKEN,
    "brin_taken": BRIN_TAKEN,
    "care_board_needs_ib": CARE_BOARD_NEEDS_IB,
    "unknown_ib": UNKNOWN_IB,
    "unknown_template": UNKNOWN_TEMPLATE,
    "template_kind": TEMPLATE_KIND,
    "leader_names_ib": LEADER_NAMES_IB,
    "unknown_time_zone": UNKNOWN_TIME_ZONE,
    "bad_address": BAD_ADDRESS,
    "already_invited": ALREADY_INVITED,
    "already_member": ALREADY_MEMBER,
    "listed_twice": LISTED_TWICE,
    "unknown_team": UNKNOWN_TEAM,
    "too_many_lines": TOO_MANY_LINES,
    "empty_list": EMPTY_LIST,
    "name_too_long": NAME_TOO_LONG,
    "sign_in_first": SIGN_IN_FIRST,
    "unknown_provider": UNKNOWN_PROVIDER,
    "bad_domains": BAD_DOMAINS,
    "password_too_short": SHORT_PASSWORD,
    "password_too_long": LONG_PASSWORD,
    "wrong_password": WRONG_PASSWORD,
    "session_ended": SESSION_ENDED,
    "future_date": FUTURE_DATE,
    "percent_range": PERCENT_RANGE,
}

# A form's own messages: for a field, or for one error type of a field ((field, type)).
Overrides = Mapping[str | tuple[str, str], str]

# A version the form carried that no longer holds: the form itself is out of date.
ALWAYS: dict[str | tuple[str, str], str] = {"version": STALE_FORM}


class FormErrors(Exception):
    """Translated messages keyed by field name; GENERAL for the form as a whole."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def message(error: Mapping[str, Any], locale: str, overrides: Overrides | None = None) -> str:
    """The reader's message for one error: the field's own, else the one for its type."""
    field = str(error["loc"][0]) if error.get("loc") else GENERAL
    own = {**ALWAYS, **(overrides or {})}
    text = own.get((field, error["type"])) or own.get(field) or MESSAGES.get(error["type"])
    ctx = {
        key: formatting.number(value, locale) if isinstance(value, int | float) else value
        for key, value in (error.get("ctx") or {}).items()
    }
    try:
        return i18n.translations(locale).gettext(text or BAD_VALUE) % ctx
    except (KeyError, TypeError, ValueError):  # the error lacks a value the message names
        return i18n.gettext(locale, BAD_VALUE)


def messages(
    errors: list[Mapping[str, Any]],
    locale: str,
    shown: tuple[str, ...],
    overrides: Overrides | None = None,
) -> dict[str, str]:
    """The first message per field; a field the form does not show reports on the whole form."""
    result: dict[str, str] = {}
    for error in errors:
        field = str(error["loc"][0]) if error.get("loc") else GENERAL
        result.setdefault(field if field in shown else GENERAL, message(error, locale, overrides))
    return result


def _leaf_types(annotation: Any) -> set[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _leaf_types(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return set().union(*(_leaf_types(arg) for arg in get_args(annotation)))
    return {annotation}


def _whole(text: str, _locale: str) -> int:
    return int(text.strip())


def _reader(schema: type[SQLModel], name: str) -> tuple[str, Callable[[str, str], Any]] | None:
    """How the text of a field is read, by the schema's type: (the error type when it cannot
    be, the reader) for a decimal or a whole number; None for text, which the schema reads."""
    field = schema.model_fields.get(name)
    types = _leaf_types(field.annotation) if field is not None else set()
    if float in types:
        return "decimal_parsing", formatting.parse_decimal
    if int in types:
        return "int_parsing", _whole
    return None


def read(
    schema: type[SQLModel],
    form: Mapping[str, str],
    locale: str,
    fields: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> tuple[dict[str, Any], list[Mapping[str, Any]]]:
    """The values of the `fields` that were sent, as the schema takes them, and the errors."""
    data: dict[str, Any] = {}
    errors: list[Mapping[str, Any]] = []
    for name in fields:
        if name not in form:
            continue
        text = form[name]
        reader = _reader(schema, name)
        if text.strip() == "" and (reader is not None or name in optional):
            data[name] = None
        elif reader is None:
            data[name] = text
        else:
            kind, parse = reader
            try:
                data[name] = parse(text, locale)
            except ValueError:
                errors.append({"type": kind, "loc": (name,), "ctx": {}})
    return data, errors


def parse(
    schema: type[SQLModel],
    form: Mapping[str, str],
    locale: str,
    fields: tuple[str, ...],
    *,
    optional: tuple[str, ...] = (),
    shown: tuple[str, ...] | None = None,
    values: Mapping[str, Any] | None = None,
    overrides: Overrides | None = None,
) -> Any:
    """The validated schema, or FormErrors; errors on fields not `shown` go to GENERAL.

    `values` are already read (a list made of one field, say) and validated with the rest.
    """
    data, errors = read(schema, form, locale, fields, optional)
    failed = {error["loc"][0] for error in errors}
    try:
        model = schema.model_validate(
            {**{k: v for k, v in data.items() if k not in failed}, **(values or {})}
        )
    except ValidationError as exc:
        errors += [
            {**error, "type": "missing"} if _blank(form, error) else error for error in exc.errors()
        ]
    if errors:
        raise FormErrors(messages(errors, locale, fields if shown is None else shown, overrides))
    return model


def _blank(form: Mapping[str, str], error: Mapping[str, Any]) -> bool:
    """A field left empty is reported as missing, whatever else its type refuses."""
    loc: Sequence[Any] = error.get("loc") or ()
    return bool(loc) and str(loc[0]) in form and form[str(loc[0])].strip() == ""


def from_invalid(
    exc: Invalid, locale: str, shown: tuple[str, ...], overrides: Overrides | None = None
) -> dict[str, str]:
    """A service's Invalid as a message next to its field, chosen by its `kind`."""
    return messages([{"type": exc.kind, "loc": (exc.field,)}], locale, shown, overrides)


def one_message(exc: ValidationError | Invalid, locale: str) -> str:
    """The message of a form that shows its refusal on one line (a bordsessie's buttons)."""
    if isinstance(exc, Invalid):
        errors: list[Mapping[str, Any]] = [{"type": exc.kind, "loc": (exc.field,)}]
    else:
        errors = list(exc.errors())
    return messages(errors, locale, ()).get(GENERAL) or i18n.gettext(locale, BAD_VALUE)


def whole_number(text: str | None) -> int | None:
    """A whole number sent as text (an item's version, say), or None."""
    try:
        return int((text or "").strip())
    except ValueError:
        return None
