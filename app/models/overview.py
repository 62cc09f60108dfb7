"""API schemas of the leader overview (no tables: the overview is read from the boards)."""

from datetime import date, datetime

from sqlmodel import SQLModel

from app.models.action import ActionStatus


class SessionDotPublic(SQLModel):
    week: str
    state: str  # held | skipped | holiday | upcoming


class GoalLinePublic(SQLModel):
    goal_id: int
    board_id: int
    title: str
    unit: str
    target: float | None
    latest: float | None
    latest_date: date | None


class WaitingHelpPublic(SQLModel):
    id: int
    board_id: int
    text: str
    version: int
    created_at: datetime


class VisitsHeldPublic(SQLModel):
    month: str  # "2026-11"
    count: int  # lesbezoeken held (feedback written) in that month: nothing more of them


class TeamOverviewPublic(SQLModel):
    team_id: int
    name: str
    todo: int
    doing: int
    done: int
    overdue: int
    sessions_held_8w: int
    open_help_requests: int
    board_id: int | None
    stuck: int
    finished_per_week: list[int]
    sessions: list[SessionDotPublic]
    goals: list[GoalLinePublic]
    help_requests: list[WaitingHelpPublic]
    visits_held: list[VisitsHeldPublic] = []


class AttentionPublic(SQLModel):
    action_id: int
    board_id: int
    team_id: int
    team: str
    title: str
    owner: str
    due: date | None
    status: ActionStatus
    late: bool


class NetworkSchoolPublic(SQLModel):
    """One school in a leernetwerk: practices its people shared, adoptions by its teams."""

    school_id: int
    shared: int
    adopted: int
    shared_titles: list[str]
    adopted_titles: list[str]


class SchoolNetworkPublic(SQLModel):
    """A leernetwerk people of the school take part in (services/network_rollup.py)."""

    network_id: int
    name: str
    schools: list[NetworkSchoolPublic]


class OverviewPublic(SQLModel):
    school_id: int
    teams: list[TeamOverviewPublic]
    attention: list[AttentionPublic]
    finished_weeks: list[date]
    networks: list[SchoolNetworkPublic] = []
