"""Care boards: cases, their agreements, meetings and people, the audit log and the export."""

from typing import Annotated

from fastapi import Query, Request, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.care import (
    AgreementCreate,
    AgreementPublic,
    AgreementUpdate,
    AuditPublic,
    CareMemberAdd,
    CareMemberPublic,
    CareSettings,
    CareSettingsUpdate,
    CaseCreate,
    CaseExport,
    CasePublic,
    CaseUpdate,
    MeetingCreate,
    MeetingPublic,
    ParticipantCreate,
    ParticipantPublic,
    StatusCounts,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import audit, care, care_members, care_settings
from app.web.api_common import (
    STALE,
    VersionQuery,
    board_version,
    no_content,
    set_board_version,
    versioned,
)
from app.web.audited import AuditedSessionDep
from app.web.common import locale_of
from app.web.downloads import attachment
from app.web.exports import case_file_name

router = APIRouter(tags=["care"])

ConfirmQuery = Annotated[
    bool, Query(description="Erase even though the case still has open agreements")
]
PermanentQuery = Annotated[
    bool, Query(description="Erase at once instead of keeping it in the prullenbak for 30 days")
]


@router.post(
    "/boards/{board_id}/cases",
    status_code=201,
    response_model=CasePublic,
    responses=versioned(201),
)
def create_case(
    board_id: IdPath, data: CaseCreate, user: CurrentUser, session: SessionDep, response: Response
) -> CasePublic:
    """A new case on a care board you are a member of; the pupil by code or initials."""
    case = care.create_case(session, user, board_id, data)
    set_board_version(response, session, case.board_id)
    return care.case_public(session, case)


@router.get("/cases/{case_id}", response_model=CasePublic)
def get_case(case_id: IdPath, user: CurrentUser, session: AuditedSessionDep) -> CasePublic:
    """The case with its people, agreements (open first) and meetings; the read is audited."""
    return care.view_case(session, user, case_id)


@router.patch("/cases/{case_id}", response_model=CasePublic, responses={**versioned(200), **STALE})
def update_case(
    case_id: IdPath, data: CaseUpdate, user: CurrentUser, session: SessionDep, response: Response
) -> CasePublic:
    case = care.update_case(session, user, case_id, data)
    set_board_version(response, session, case.board_id)
    return care.case_public(session, case)


@router.delete(
    "/cases/{case_id}",
    status_code=204,
    response_class=Response,
    responses={
        **versioned(204),
        **STALE,
    },
)
def erase_case(
    case_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    version: VersionQuery = None,
    confirm: ConfirmQuery = False,
    permanent: PermanentQuery = False,
) -> Response:
    """Delete the case: into the care board's prullenbak for 30 days (its members can restore
    it), then erased; with `permanent=true` (a data-subject request) everything about the pupil
    in it is erased at once. A case with open agreements answers 409 unless `confirm=true`."""
    board = care.erase_case(session, user, case_id, version, confirm, permanent)
    return no_content(board.version)


@router.get("/cases/{case_id}/audit", response_model=list[AuditPublic])
def case_audit(case_id: IdPath, user: CurrentUser, session: AuditedSessionDep) -> list[AuditPublic]:
    """Who viewed, changed or exported the case: for its members and the privacy officer."""
    return audit.case_log(session, user, case_id)


@router.get("/cases/{case_id}/export", response_model=CaseExport)
def export_case(
    case_id: IdPath,
    request: Request,
    response: Response,
    user: CurrentUser,
    session: AuditedSessionDep,
) -> CaseExport:
    """Everything held about the pupil of this case (a data-subject request), as a file named
    after the care board and the case."""
    export = care.export_case(session, user, case_id)
    response.headers.update(attachment(case_file_name(session, export, locale_of(request))))
    return export


@router.post(
    "/cases/{case_id}/agreements",
    status_code=201,
    response_model=AgreementPublic,
    responses=versioned(201),
)
def create_agreement(
    case_id: IdPath,
    data: AgreementCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> AgreementPublic:
    agreement = care.create_agreement(session, user, case_id, data)
    set_board_version(response, session, agreement.board_id)
    return care.agreement_public(session, agreement)


@router.patch(
    "/agreements/{agreement_id}",
    response_model=AgreementPublic,
    responses={**versioned(200), **STALE},
)
def update_agreement(
    agreement_id: IdPath,
    data: AgreementUpdate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> AgreementPublic:
    agreement = care.update_agreement(session, user, agreement_id, data)
    set_board_version(response, session, agreement.board_id)
    return care.agreement_public(session, agreement)


@router.delete(
    "/agreements/{agreement_id}",
    status_code=204,
    response_class=Response,
    responses={**versioned(204), **STALE},
)
def delete_agreement(
    agreement_id: IdPath, user: CurrentUser, session: SessionDep, version: VersionQuery = None
) -> Response:
    board = care.delete_agreement(session, user, agreement_id, version)
    return no_content(board.version)


@router.post(
    "/cases/{case_id}/meetings",
    status_code=201,
    response_model=MeetingPublic,
    responses=versioned(201),
)
def add_meeting(
    case_id: IdPath, data: MeetingCreate, user: CurrentUser, session: SessionDep, response: Response
) -> MeetingPublic:
    """A care meeting: its date, who attended, notes and (optionally) the next review date."""
    meeting = care.add_meeting(session, user, case_id, data)
    case, _board = care.get_case(session, user, case_id)
    set_board_version(response, session, case.board_id)
    return MeetingPublic.model_validate(meeting.model_dump())


@router.post(
    "/cases/{case_id}/participants",
    status_code=201,
    response_model=ParticipantPublic,
    responses=versioned(201),
)
def add_participant(
    case_id: IdPath,
    data: ParticipantCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> ParticipantPublic:
    """Someone involved: the teacher, a parent, the pupil, an external partner (no account)."""
    row = care.add_participant(session, user, case_id, data)
    case, _board = care.get_case(session, user, case_id)
    set_board_version(response, session, case.board_id)
    return ParticipantPublic.model_validate(row.model_dump())


@router.get("/schools/{school_id}/care-overview", response_model=StatusCounts)
def care_overview(school_id: IdPath, user: CurrentUser, session: SessionDep) -> StatusCounts:
    """For the school's leader: how many cases there are per status, and nothing more."""
    return care.case_counts(session, user, school_id)


@router.get("/schools/{school_id}/care-audit", response_model=list[AuditPublic])
def school_audit(school_id: IdPath, user: CurrentUser, session: SessionDep) -> list[AuditPublic]:
    """The care audit log of the whole school, for its privacy officer."""
    return audit.school_log(session, user, school_id)


@router.get("/schools/{school_id}/care-settings", response_model=CareSettings)
def get_care_settings(school_id: IdPath, user: CurrentUser, session: SessionDep) -> CareSettings:
    """The school's retention period, whether pupils may be named in full, its privacy
    officers (leader)."""
    return care_settings.read(session, user, school_id)


@router.patch("/schools/{school_id}/care-settings", response_model=CareSettings)
def update_care_settings(
    school_id: IdPath, data: CareSettingsUpdate, user: CurrentUser, session: SessionDep
) -> CareSettings:
    """Change them (leader): `retention_days` (30–3650, default 730), `full_names`, and
    `privacy_officer` (the email of a leader of the school; `privacy_officer_on: false` drops
    the flag)."""
    return care_settings.update(session, user, school_id, data)


@router.get("/boards/{board_id}/members", response_model=list[CareMemberPublic])
def list_care_members(
    board_id: IdPath, user: CurrentUser, session: SessionDep
) -> list[CareMemberPublic]:
    """Who may open this care board (its members only)."""
    return care_members.members_of(session, user, board_id)


@router.post("/boards/{board_id}/members", status_code=201, response_model=CareMemberPublic)
def add_care_member(
    board_id: IdPath, data: CareMemberAdd, user: CurrentUser, session: SessionDep
) -> CareMemberPublic:
    """Share the care board with a colleague of the school (by email)."""
    return care_members.add_member(session, user, board_id, data.email)


@router.delete("/boards/{board_id}/members/{user_id}", status_code=204, response_class=Response)
def remove_care_member(
    board_id: IdPath,
    user_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
) -> Response:
    """Take someone off the care board; their open screens of it close on every instance and,
    reconnecting, are refused."""
    board = care_members.remove_member(session, user, board_id, user_id)
    return no_content(board_version(session, require_id(board)))
