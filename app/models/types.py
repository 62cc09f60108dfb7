"""Validated field types shared by every API and form schema.

Refusals are raised with an error type of their own or pydantic's (`text_nul`, `int_type`,
`float_type`, `finite_number`, `date_out_of_range`): the web forms choose their message by it.
"""

import math
import zoneinfo
from datetime import date
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

MAX_ID = 2**31 - 1
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)


NUL_MESSAGE = "text may not contain NUL characters"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("text_nul", NUL_MESSAGE)
    return value


def nul_refusal(loc: tuple[str, ...]) -> dict[str, Any]:
    """A request's NUL where `loc` says, as a validation error (422) names it."""
    return {"type": "text_nul", "loc": loc, "msg": NUL_MESSAGE}


def _strict_int(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "must be a whole number")
    return value


def _strict_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("float_type", "must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "must be a finite number")
    return value


def _sane_date(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise PydanticCustomError("date_out_of_range", "date must lie between 2000 and 2100")
    return value


def text_length(max_length: int, min_length: int = 1) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


NO_NUL = AfterValidator(_no_nul)
Title = Annotated[str, text_length(200), NO_NUL]
ShortText = Annotated[str, text_length(120), NO_NUL]
LongText = Annotated[str, text_length(2000), NO_NUL]
Name = Annotated[str, text_length(120), NO_NUL]
OptionalName = Annotated[str, text_length(120, min_length=0), NO_NUL]
Unit = Annotated[str, text_length(30, min_length=0), NO_NUL]
Note = Annotated[str, text_length(500, min_length=0), NO_NUL]
Slug = Annotated[
    str, StringConstraints(min_length=2, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$"
    ),
    NO_NUL,
]


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _known_zone(value: str) -> str:
    if value not in time_zones():
        raise PydanticCustomError(
            "unknown_time_zone", "unknown time zone (an IANA name such as Europe/Amsterdam)"
        )
    return value


# A school's BRIN code: two digits, then two letters or digits ("12AB").
Brin = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(min_length=4, max_length=4, pattern=r"^[0-9]{2}[A-Z0-9]{2}$"),
]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_known_zone)]
Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_strict_int)]
Version = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_strict_int)]
BoardVersion = Annotated[int, Field(ge=0, le=MAX_ID), BeforeValidator(_strict_int)]  # new: 0
Position = Annotated[int, Field(ge=0, le=10_000), BeforeValidator(_strict_int)]
Number = Annotated[float, Field(ge=-1e12, le=1e12), BeforeValidator(_strict_number)]
Day = Annotated[date, AfterValidator(_sane_date)]


def _id_as_text(value: Any) -> Any:
    """A template is named by text ("teambord") or by its id, as a number or as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# A built-in template's name, or the id of a school's own template (a number or its digits).
TemplateRef = Annotated[
    str,
    BeforeValidator(_id_as_text),
    text_length(40),
    NO_NUL,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1, "maxLength": 40},
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            ]
        }
    ),
]
