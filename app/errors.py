"""One exception hierarchy for the whole app; main.py registers its handlers once."""

from dataclasses import dataclass
from typing import Any


class BordError(Exception):
    status_code = 400
    detail = "Bad request"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.detail)
        self.detail = detail or self.detail


class NotAuthenticated(BordError):
    status_code = 401
    detail = "Not authenticated"


class CsrfFailed(BordError):
    status_code = 403
    detail = "CSRF token missing or wrong"


class NotFound(BordError):
    """Unknown, or outside the user's reach: the two look the same on purpose."""

    status_code = 404
    detail = "Not found"


class Conflict(BordError):
    """A stale edit: `current` is the row as it is now, so the client can show both versions."""

    status_code = 409
    detail = "This item was changed by someone else"

    def __init__(self, current: Any = None, detail: str | None = None) -> None:
        super().__init__(detail)
        self.current = current


class Archived(BordError):
    """A change of an archived board or team: read-only until it is restored."""

    status_code = 409
    detail = "This board is archived"


class Gone(BordError):
    """Something that took part for a while and has ended (a closed poll)."""

    status_code = 410
    detail = "Gone"


class Invalid(BordError):
    """A value that passed parsing but breaks a rule; `field` names it, `kind` names the rule
    (as pydantic's error types do) so a page can say it in the reader's language."""

    status_code = 422

    def __init__(self, field: str, message: str, kind: str = "value_error") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.kind = kind


class TooLarge(BordError):
    """A body or upload larger than the rule allows (a Trello export above 10 MB); `field`
    names the upload's form field, answered as a field error is."""

    status_code = 413
    detail = "Request body too large"

    def __init__(self, detail: str | None = None, field: str = "") -> None:
        super().__init__(detail)
        self.field = field


class TooManyAttempts(BordError):
    status_code = 429
    detail = "Too many failed attempts"


@dataclass(frozen=True)
class LineFault:
    """The fault of one line of a pasted list: its number, the rule it breaks (`kind`, as
    Invalid names it) and what the API says of it in English."""

    line: int
    kind: str
    message: str


class InvalidLines(Invalid):
    """A pasted list with faults on some of its lines, one LineFault each."""

    def __init__(self, field: str, lines: list[LineFault]) -> None:
        message = "; ".join(f"line {fault.line}: {fault.message}" for fault in lines)
        super().__init__(field, message, kind="invalid_lines")
        self.lines = lines
