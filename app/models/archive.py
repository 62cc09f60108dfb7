"""A board's archive as the API reads it: what to look for, and what is found."""

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from app.models.types import MAX_ID, NO_NUL, Day

SearchText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), NO_NUL]
OwnerName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), NO_NUL]
MAX_PAGE = 10_000


class ArchiveQuery(SQLModel):
    """Every filter is optional; given together, an item must meet them all."""

    q: SearchText = Field(default="", description="Words in its text, or its owner's name")
    kind: Annotated[str, NO_NUL] | None = Field(
        default=None, max_length=20, description="`action` or `success` only"
    )
    goal_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="Names this goal")
    owner: OwnerName | None = Field(default=None, description="An action's owner, exactly")
    start: Day | None = Field(
        default=None, alias="from", description="Archived on or after this day (school's)"
    )
    end: Day | None = Field(
        default=None, alias="to", description="Archived on or before this day (school's)"
    )
    page: int = Field(default=1, ge=1, le=MAX_PAGE, description="50 items a page, newest first")

    model_config = {"populate_by_name": True}


class ArchivedPublic(SQLModel):
    kind: str  # "action" or "success": the {kind} of its restore URL
    id: int
    text: str  # an action's title, a success's text
    owner: str | None  # an action's owner ("" when nobody); none for a success
    goal_id: int | None
    done_at: datetime | None  # when an action was finished; none for a success or an open action
    archived_at: datetime
