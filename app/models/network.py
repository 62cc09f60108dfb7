"""Leernetwerken: schools learning from each other's successes.

A network, its members and everything shared in it are visible to its members only. A practice
names its school and its person only when the member who shared it chose so (`school`,
`person` stay empty otherwise). `search_text` holds the practice's words in the stemmed form the
search compares (app/services/network_search.py).
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import StrictBool
from sqlmodel import Field, SQLModel, UniqueConstraint

from app import clock
from app.models.types import NO_NUL, Id, LongText, Note, OptionalName, Title

PRACTICE_TEXT = 2000


Sector = Literal["", "po", "vo"]  # primair or voortgezet onderwijs; "": not said


class Network(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    facilitator_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=clock.now)


class NetworkMember(SQLModel, table=True):
    __tablename__ = "network_member"
    __table_args__ = (UniqueConstraint("network_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    added_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=clock.now)


class Practice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    text: str = Field(max_length=PRACTICE_TEXT)  # wat we deden
    strength: str = Field(default="", max_length=PRACTICE_TEXT)  # wat het liet werken
    needs: str = Field(default="", max_length=500)  # tijd, materialen
    for_whom: str = Field(default="", max_length=120)  # groepen, klassen
    sector: str = Field(default="", max_length=2)
    theme: str = Field(default="", max_length=120)
    contact: str = Field(default="", max_length=120)  # wie te vragen
    school: str = Field(default="", max_length=200)  # only when the sharer chose to name it
    person: str = Field(default="", max_length=120)  # only when the sharer chose to name it
    success_id: int | None = Field(default=None, foreign_key="success.id", ondelete="SET NULL")
    card_id: int | None = Field(default=None, foreign_key="quality_card.id", ondelete="SET NULL")
    shared_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    adoptions: int = 0
    search_text: str = Field(default="", max_length=20000)
    created_at: datetime = Field(default_factory=clock.now)


class Adoption(SQLModel, table=True):
    """A team took a practice up: the action or the goal it became on their board (one of the
    two), and how it went."""

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    board_id: int = Field(foreign_key="board.id", index=True, ondelete="CASCADE")
    action_id: int | None = Field(default=None, foreign_key="action.id", ondelete="SET NULL")
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    adopted_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    how_it_went: str = Field(default="", max_length=PRACTICE_TEXT)
    created_at: datetime = Field(default_factory=clock.now)


# --- API shapes -----------------------------------------------------------------------------------


class NetworkCreate(SQLModel):
    name: Title


class NetworkPublic(SQLModel):
    id: int
    name: str
    facilitator_id: int | None
    members: int
    practices: int


class MemberAdd(SQLModel):
    email: Annotated[str, NO_NUL] = Field(min_length=3, max_length=254)


class MemberPublic(SQLModel):
    id: int
    user_id: int
    name: str


class PracticeCreate(SQLModel):
    title: Title
    text: LongText
    strength: Note = ""
    needs: Note = ""
    for_whom: OptionalName = ""
    sector: Sector = ""
    theme: OptionalName = ""
    contact: OptionalName = ""
    name_school: bool = False
    name_person: bool = False
    success_id: Id | None = None
    card_id: Id | None = None  # a kwaliteitskaart of the member's school it comes from


class PracticeShare(PracticeCreate):
    """The JSON API's body: the choices to name school and person are JSON booleans only (the
    web form's checkboxes are read into PracticeCreate)."""

    name_school: StrictBool = False
    name_person: StrictBool = False


class PracticePublic(SQLModel):
    id: int
    network_id: int
    title: str
    text: str
    strength: str
    needs: str
    for_whom: str
    sector: str
    theme: str
    contact: str
    school: str
    person: str
    success_id: int | None
    card_id: int | None
    adoptions: int
    created_at: datetime


AdoptAs = Literal["action", "goal"]


class AdoptionCreate(SQLModel):
    board_id: Id
    as_: AdoptAs = Field(default="action", alias="as")  # what it becomes on the board


class AdoptionStory(SQLModel):
    how_it_went: LongText


class AdoptionPublic(SQLModel):
    id: int
    practice_id: int
    how_it_went: str
    made: AdoptAs  # an action or a goal on the adopter's board
    mine: bool
    created_at: datetime


class Question(SQLModel, table=True):
    """A question or casus a member brings (never about an identifiable pupil: the form says so)."""

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True, ondelete="CASCADE")
    asked_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    text: str = Field(max_length=PRACTICE_TEXT)
    helpful_answer_id: int | None = None  # the answer the asker marked as the one that helped
    created_at: datetime = Field(default_factory=clock.now)


class Answer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    answered_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    text: str = Field(max_length=PRACTICE_TEXT)
    created_at: datetime = Field(default_factory=clock.now)


class TextCreate(SQLModel):
    text: LongText


class AnswerPublic(SQLModel):
    id: int
    text: str
    name: str
    helpful: bool


class QuestionPublic(SQLModel):
    id: int
    text: str
    name: str
    mine: bool
    answers: list[AnswerPublic]
