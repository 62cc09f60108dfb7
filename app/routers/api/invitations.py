"""Invitations to a school (CONTRACT.md §3b): the school's leaders, or an admin."""

from fastapi import Response

from app.config import Settings
from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep, SettingsDep
from app.models.links import InvitationBulk, InvitationCreate, InvitationPublic
from app.routing import APIRouter
from app.services import invitations
from app.web.api_common import STALE

router = APIRouter(tags=["invitations"])


def _answer(sent: invitations.Sent, settings: Settings) -> InvitationPublic:
    """`link` only when this server sends no mail: then the leader passes it on."""
    return invitations.public(sent.invitation, None if settings.mail_enabled else sent.link)


@router.get("/schools/{school_id}/invitations", response_model=list[InvitationPublic])
def list_invitations(
    school_id: IdPath, user: CurrentUser, session: SessionDep
) -> list[InvitationPublic]:
    """Every invitation of the school, newest first, with its status."""
    return [invitations.public(i) for i in invitations.invitations_of(session, user, school_id)]


@router.post("/schools/{school_id}/invitations", status_code=201, response_model=InvitationPublic)
def invite(
    school_id: IdPath,
    data: InvitationCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> InvitationPublic:
    """A mail with a one-time link to `/invitations/{token}` goes out after commit."""
    sent = invitations.invite(session, settings, user, school_id, data, base_url)
    return _answer(sent, settings)


@router.post(
    "/schools/{school_id}/invitations/bulk",
    status_code=201,
    response_model=list[InvitationPublic],
)
def invite_many(
    school_id: IdPath,
    data: InvitationBulk,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> list[InvitationPublic]:
    """A pasted list, one colleague a line (at most 200). Any fault refuses the whole list:
    422 with `loc` `["body", "addresses", <line>]` for each faulty line."""
    sent = invitations.invite_many(session, settings, user, school_id, data, base_url)
    return [_answer(s, settings) for s in sent]


@router.post(
    "/invitations/{invitation_id}/resend",
    response_model=InvitationPublic,
    responses=STALE,
)
def resend(
    invitation_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> InvitationPublic:
    """A new link and expiry in a new mail; the old link stops working. 409 once accepted or
    withdrawn."""
    sent = invitations.resend(session, settings, user, invitation_id, base_url)
    return _answer(sent, settings)


@router.delete("/invitations/{invitation_id}", status_code=204, responses=STALE)
def withdraw(invitation_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    """The link stops working; 409 when it was accepted already."""
    invitations.withdraw(session, user, invitation_id)
    return Response(status_code=204)
