"""API schemas of the start page (`GET /api/v1/me/home`; no tables: it is read from the boards)."""

from datetime import date, datetime
from typing import Literal

from sqlmodel import SQLModel

from app.models.action import ActionStatus


class MyActionPublic(SQLModel):
    id: int
    board_id: int
    board: str
    team: str
    title: str
    due: date | None
    status: ActionStatus
    group: Literal["late", "week", "later"]  # late, due this week, later or without a date


class TeamSessionsPublic(SQLModel):
    team_id: int
    team: str
    board_id: int | None
    this_week: Literal["held", "holiday", "upcoming"]
    next_week: date | None  # the Monday of the next bordsessie's week


class AnsweredHelpPublic(SQLModel):
    id: int
    board_id: int
    board: str
    text: str
    answer: str
    answered_at: datetime | None


class TeamAttentionPublic(SQLModel):
    school_id: int
    team_id: int
    team: str
    board_id: int | None
    overdue: int
    stuck: int
    open_help_requests: int
    skipped_last_week: bool


class HomePublic(SQLModel):
    actions: list[MyActionPublic]
    sessions: list[TeamSessionsPublic]
    answers: list[AnsweredHelpPublic]
    attention: list[TeamAttentionPublic]  # only for the schools the user leads
