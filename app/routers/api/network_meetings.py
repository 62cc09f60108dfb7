"""Bijeenkomsten of a leernetwerk: plan, bring and fetch, order the agenda, send it, run the
meeting, agreements and adopting one. For the network's members only (404 for anyone else);
planning and running are the facilitator's (404 for other members)."""

from typing import Any

from fastapi import Response

from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep, SettingsDep
from app.models.action import ActionPublic
from app.models.meeting import (
    AgendaOrder,
    AgendaSent,
    AgreementAdopt,
    AgreementCreate,
    AgreementPublic,
    ContributionCreate,
    ContributionPublic,
    ContributionUpdate,
    MeetingCreate,
    MeetingNotes,
    MeetingPublic,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import item_kinds, network_meeting_runs, network_meetings
from app.web.api_common import set_board_version, versioned

router = APIRouter(tags=["networks"])
STALE: dict[int | str, dict[str, Any]] = {409: {"description": "The agenda was changed meanwhile"}}


def _meeting(session: SessionDep, user: CurrentUser, meeting_id: int) -> MeetingPublic:
    meeting, _network = network_meetings.get_meeting(session, user, meeting_id)
    return network_meetings.meeting_public(session, user, meeting)


@router.get("/networks/{network_id}/meetings", response_model=list[MeetingPublic])
def list_meetings(
    network_id: IdPath, user: CurrentUser, session: SessionDep
) -> list[MeetingPublic]:
    """The network's meetings, soonest first, each with its agenda and agreements."""
    found = network_meetings.meetings(session, user, network_id)
    return [network_meetings.meeting_public(session, user, m) for m in found]


@router.post("/networks/{network_id}/meetings", status_code=201, response_model=MeetingPublic)
def plan_meeting(
    network_id: IdPath, data: MeetingCreate, user: CurrentUser, session: SessionDep
) -> MeetingPublic:
    """The facilitator plans a bijeenkomst; without `host_school_id` the next member school in
    turn hosts it (422 `host_school_id` for a school no member works at)."""
    meeting = network_meetings.plan(session, user, network_id, data)
    return network_meetings.meeting_public(session, user, meeting)


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic)
def read_meeting(meeting_id: IdPath, user: CurrentUser, session: SessionDep) -> MeetingPublic:
    return _meeting(session, user, meeting_id)


@router.patch("/meetings/{meeting_id}", response_model=MeetingPublic)
def write_notes(
    meeting_id: IdPath, data: MeetingNotes, user: CurrentUser, session: SessionDep
) -> MeetingPublic:
    """The meeting's general notes (any member)."""
    network_meeting_runs.set_notes(session, user, meeting_id, data.notes)
    return _meeting(session, user, meeting_id)


@router.post(
    "/meetings/{meeting_id}/contributions", status_code=201, response_model=ContributionPublic
)
def contribute(
    meeting_id: IdPath, data: ContributionCreate, user: CurrentUser, session: SessionDep
) -> ContributionPublic:
    """What you come to bring (`kind` "bring", a practice) or fetch ("fetch", a question):
    free `text`, or a `practice_id` / `question_id` of this network."""
    contribution = network_meetings.contribute(session, user, meeting_id, data)
    return network_meetings.contribution_public(contribution, user, {user.id or 0: user.name})


@router.patch("/contributions/{contribution_id}", response_model=MeetingPublic)
def note_part(
    contribution_id: IdPath, data: ContributionUpdate, user: CurrentUser, session: SessionDep
) -> MeetingPublic:
    """A part's note, or whether it was covered (any member)."""
    part = network_meeting_runs.note_part(session, user, contribution_id, data)
    return _meeting(session, user, part.meeting_id)


@router.delete("/contributions/{contribution_id}", status_code=204)
def withdraw(contribution_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    """Withdraw what you said you would bring or fetch (your own only)."""
    network_meetings.withdraw(session, user, contribution_id)
    return Response(status_code=204)


@router.put("/meetings/{meeting_id}/agenda", response_model=MeetingPublic, responses=STALE)
def order_agenda(
    meeting_id: IdPath, data: AgendaOrder, user: CurrentUser, session: SessionDep
) -> MeetingPublic:
    """The facilitator's order: `order` names every part once; `version` is the meeting's
    version it was read at (409 when it changed meanwhile)."""
    network_meetings.order(session, user, meeting_id, data.version, data.order)
    return _meeting(session, user, meeting_id)


@router.post("/meetings/{meeting_id}/agenda/send", response_model=AgendaSent)
def send_agenda(
    meeting_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> AgendaSent:
    """Every member gets the agenda by mail, in their own language (the facilitator)."""
    sent = network_meeting_runs.send_agenda(session, settings, user, meeting_id, base_url)
    return AgendaSent(sent=sent)


@router.post("/meetings/{meeting_id}/start", response_model=MeetingPublic)
def start(meeting_id: IdPath, user: CurrentUser, session: SessionDep) -> MeetingPublic:
    network_meeting_runs.start(session, user, meeting_id)
    return _meeting(session, user, meeting_id)


@router.post("/meetings/{meeting_id}/next", response_model=MeetingPublic)
def next_part(meeting_id: IdPath, user: CurrentUser, session: SessionDep) -> MeetingPublic:
    """The current part is covered; the next one starts its timer."""
    network_meeting_runs.next_part(session, user, meeting_id)
    return _meeting(session, user, meeting_id)


@router.post("/meetings/{meeting_id}/end", response_model=MeetingPublic)
def end(
    meeting_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> MeetingPublic:
    """The meeting ends; its summary goes to every member by mail."""
    network_meeting_runs.end(session, settings, user, meeting_id, base_url)
    return _meeting(session, user, meeting_id)


@router.post("/meetings/{meeting_id}/agreements", status_code=201, response_model=AgreementPublic)
def agree(
    meeting_id: IdPath, data: AgreementCreate, user: CurrentUser, session: SessionDep
) -> AgreementPublic:
    agreement = network_meeting_runs.agree(session, user, meeting_id, data.text)
    return AgreementPublic(id=require_id(agreement), text=agreement.text, adoptions=0)


@router.post(
    "/meeting-agreements/{agreement_id}/adopt",
    status_code=201,
    response_model=ActionPublic,
    responses=versioned(201),
)
def adopt_agreement(
    agreement_id: IdPath,
    data: AgreementAdopt,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> ActionPublic:
    """An agreement becomes a new action on one of your team boards (422 for a care board)."""
    action = network_meeting_runs.adopt_agreement(session, user, agreement_id, data.board_id)
    set_board_version(response, session, action.board_id)
    return ActionPublic.model_validate(item_kinds.ACTION.answer(session, action).model_dump())
