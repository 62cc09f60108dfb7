"""The leader overview and the school's holiday weeks."""

from typing import Annotated

from fastapi import Path, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.holiday import HolidayWeek, HolidayWeekCreate, HolidayWeekPublic
from app.models.overview import (
    GoalLinePublic,
    OverviewPublic,
    SessionDotPublic,
    TeamOverviewPublic,
    VisitsHeldPublic,
    WaitingHelpPublic,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import network_rollup
from app.services import overview as service

router = APIRouter(tags=["overview"])
WeekPath = Annotated[str, Path(pattern=r"^20\d\d-W\d\d$")]


def overview_public(view: service.Overview) -> OverviewPublic:
    return OverviewPublic(
        school_id=require_id(view.school),
        teams=[
            TeamOverviewPublic(
                team_id=row.team_id,
                name=row.name,
                todo=row.todo,
                doing=row.doing,
                done=row.done,
                overdue=row.overdue,
                sessions_held_8w=row.sessions_held_8w,
                open_help_requests=row.open_help_requests,
                board_id=row.board_id,
                stuck=row.stuck,
                finished_per_week=row.finished_per_week,
                sessions=[SessionDotPublic(week=d.week, state=d.state) for d in row.sessions],
                goals=[GoalLinePublic.model_validate(g, from_attributes=True) for g in row.goals],
                help_requests=[
                    WaitingHelpPublic.model_validate(h, from_attributes=True)
                    for h in row.help_requests
                ],
                visits_held=[
                    VisitsHeldPublic(month=month.strftime("%Y-%m"), count=count)
                    for month, count in row.visits_held
                ],
            )
            for row in view.teams
        ],
        attention=view.attention,
        finished_weeks=view.finished_weeks,
    )


@router.get("/schools/{school_id}/overview", response_model=OverviewPublic)
def school_overview(school_id: IdPath, user: CurrentUser, session: SessionDep) -> OverviewPublic:
    """Per team of the school: actions to do, in progress, done and overdue; stand-ups held in
    the last 8 weeks; open help requests (the school's leader). Only team boards count.
    `networks`: the leernetwerken the school's people take part in, with the practices they
    shared and their teams adopted (counts and titles only)."""
    view = service.overview(session, user, school_id)
    answer = overview_public(view)
    answer.networks = network_rollup.public(network_rollup.per_network(session, [view.school]))
    return answer


@router.get("/schools/{school_id}/holiday-weeks", response_model=list[HolidayWeekPublic])
def list_holiday_weeks(
    school_id: IdPath, user: CurrentUser, session: SessionDep
) -> list[HolidayWeek]:
    return service.list_holidays(session, user, school_id)


@router.post(
    "/schools/{school_id}/holiday-weeks", status_code=201, response_model=HolidayWeekPublic
)
def mark_holiday_week(
    school_id: IdPath,
    data: HolidayWeekCreate,
    user: CurrentUser,
    session: SessionDep,
) -> HolidayWeek:
    """`{week: "2026-W52", label?}`: a skipped stand-up in that week does not count."""
    return service.mark_holiday(session, user, school_id, data)


@router.delete(
    "/schools/{school_id}/holiday-weeks/{week}", status_code=204, response_class=Response
)
def unmark_holiday_week(
    school_id: IdPath,
    week: WeekPath,
    user: CurrentUser,
    session: SessionDep,
) -> Response:
    service.unmark_holiday(session, user, school_id, week)
    return Response(status_code=204)
