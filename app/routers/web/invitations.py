"""Inviting colleagues (the leader's page) and accepting an invitation (the mailed link)."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.config import Settings
from app.deps import BaseUrl, CurrentUser, IdPath, OptionalAuth, SessionDep, SettingsDep
from app.errors import Conflict, Invalid, InvalidLines, NotFound
from app.handlers import Rejected
from app.models import Invitation, User
from app.models.links import InvitationBulk, InvitationCreate, LinkState
from app.models.types import MAX_ID
from app.routing import APIRouter
from app.services import invitations
from app.templating import render
from app.web import forms, onetime
from app.web.common import FormDep, locale_of
from app.web.forms import GENERAL, N_, FormErrors, parse

router = APIRouter(include_in_schema=False)

MANAGE = "pages/invitations/manage.html"
ACCEPT = "pages/invitations/accept.html"
CLOSED = "pages/links/closed.html"
Token = Annotated[str, Path(max_length=200)]
# The fields each form shows its messages next to (the rest go above the form).
ONE = ("email", "name", "role", "locale", "team_ids")
MANY = ("addresses", "role", "locale", "team_ids")
ACCEPTING = ("name", "password", "account")

LINE = N_("Regel %(line)s: %(problem)s")
SENT = N_("De uitnodiging is verstuurd.")
SENT_MANY = N_("%(count)s uitnodigingen zijn verstuurd.")
MADE = N_("Geef deze link door: hij wordt niet bewaard en is straks niet meer te zien.")
WITHDRAWN = N_("De uitnodiging is ingetrokken; de link werkt niet meer.")
NOT_NOW = N_("Deze uitnodiging is al gebruikt of ingetrokken.")
EXPIRED_FORM = N_("Het formulier was verlopen. Probeer het nog een keer.")


async def chosen_teams(request: Request) -> list[str]:
    """The ticked team boxes (a repeated field, which FormDep keeps only once)."""
    form = await request.form()
    return [v for v in form.getlist("team_ids") if isinstance(v, str)]


TeamChoice = Annotated[list[str], Depends(chosen_teams)]


def _errors_of(exc: Invalid, locale: str, shown: tuple[str, ...]) -> dict[str, str]:
    """A service's refusal as messages chosen by its kind; a pasted list's, line by line."""
    if isinstance(exc, InvalidLines):
        lines = [
            i18n.gettext(locale, LINE, line=fault.line, problem=_say(fault.kind, exc.field, locale))
            for fault in exc.lines
        ]
        return {exc.field: " ".join(lines)}
    return forms.from_invalid(exc, locale, shown)


def _say(kind: str, field: str, locale: str) -> str:
    return forms.message({"type": kind, "loc": (field,)}, locale)


def _team_ids(raw: list[str]) -> list[int]:
    try:
        ids = [int(v) for v in raw]
    except ValueError:
        ids = [0]
    if not all(1 <= i <= MAX_ID for i in ids):
        raise invitations.refusal("team_ids", invitations.UNKNOWN_TEAM)
    return ids


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    user: User,
    school_id: int,
    *,
    form: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    notice: str = "",
    sent: Sequence[invitations.Sent] = (),
    status_code: int = 200,
) -> Response:
    shown = invitations.listing(session, user, school_id)
    context = {
        "school": shown.school,
        "teams": shown.teams,
        "invitations": shown.invitations,
        "form": form,
        "values": values or {},
        "errors": errors or {},
        "notice": notice,
        "links": [] if settings.mail_enabled else sent,
        "mail_enabled": settings.mail_enabled,
        "csrf": request.state.csrf_token,
    }
    return render(request, MANAGE, context, status_code=status_code)


def _refuse(
    request: Request,
    session: Session,
    settings: Settings,
    user: User,
    school_id: int,
    form: str,
    values: dict[str, Any],
    errors: dict[str, str],
) -> Rejected:
    """The page with the messages next to their fields; raised, so nothing is kept."""
    page = _page(
        request,
        session,
        settings,
        user,
        school_id,
        form=form,
        values=values,
        errors=errors,
        status_code=422,
    )
    return Rejected(page)


@router.get("/schools/{school_id}/invitations")
def manage(
    request: Request,
    school_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    return _page(request, session, settings, user, school_id)


@router.post("/schools/{school_id}/invitations")
def invite(
    request: Request,
    school_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
    form: FormDep,
    teams: TeamChoice,
) -> Response:
    locale = locale_of(request)
    values = {**form, "team_ids": teams}
    try:
        team_ids = _team_ids(teams)
        data = parse(
            InvitationCreate,
            form,
            locale,
            ("email", "name", "role", "locale"),
            optional=("locale",),
        )
        data.team_ids = team_ids
        sent = [invitations.invite(session, settings, user, school_id, data, base_url)]
    except FormErrors as exc:
        if "email" in exc.errors and form.get("email", "").strip():
            exc.errors["email"] = _say(invitations.BAD_ADDRESS, "email", locale)
        raise _refuse(
            request, session, settings, user, school_id, "one", values, exc.errors
        ) from None
    except Invalid as exc:
        errors = _errors_of(exc, locale, ONE)
        raise _refuse(request, session, settings, user, school_id, "one", values, errors) from None
    notice = i18n.gettext(locale, SENT if settings.mail_enabled else MADE)
    return _page(request, session, settings, user, school_id, notice=notice, sent=sent)


@router.post("/schools/{school_id}/invitations/bulk")
def invite_many(
    request: Request,
    school_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
    form: FormDep,
    teams: TeamChoice,
) -> Response:
    locale = locale_of(request)
    values = {**form, "team_ids": teams}
    try:
        team_ids = _team_ids(teams)
        data = parse(
            InvitationBulk, form, locale, ("addresses", "role", "locale"), optional=("locale",)
        )
        data.team_ids = team_ids
        sent = invitations.invite_many(session, settings, user, school_id, data, base_url)
    except FormErrors as exc:
        raise _refuse(
            request, session, settings, user, school_id, "many", values, exc.errors
        ) from None
    except Invalid as exc:
        errors = _errors_of(exc, locale, MANY)
        raise _refuse(request, session, settings, user, school_id, "many", values, errors) from None
    if settings.mail_enabled:
        notice = i18n.gettext(locale, SENT_MANY, count=len(sent))
    else:
        notice = i18n.gettext(locale, MADE)
    return _page(request, session, settings, user, school_id, notice=notice, sent=sent)


@router.post("/schools/{school_id}/invitations/{invitation_id}/resend")
def resend(
    request: Request,
    school_id: IdPath,
    invitation_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> Response:
    locale = locale_of(request)
    try:
        sent = [invitations.resend(session, settings, user, invitation_id, base_url, school_id)]
    except Conflict:
        errors = {GENERAL: i18n.gettext(locale, NOT_NOW)}
        raise _refuse(request, session, settings, user, school_id, "", {}, errors) from None
    notice = i18n.gettext(locale, SENT if settings.mail_enabled else MADE)
    return _page(request, session, settings, user, school_id, notice=notice, sent=sent)


@router.post("/schools/{school_id}/invitations/{invitation_id}/withdraw")
def withdraw(
    request: Request,
    school_id: IdPath,
    invitation_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    locale = locale_of(request)
    try:
        invitations.withdraw(session, user, invitation_id, school_id)
    except Conflict:
        errors = {GENERAL: i18n.gettext(locale, NOT_NOW)}
        raise _refuse(request, session, settings, user, school_id, "", {}, errors) from None
    notice = i18n.gettext(locale, WITHDRAWN)
    return _page(request, session, settings, user, school_id, notice=notice)


# --- the invited colleague ----------------------------------------------------------------------


def _closed(request: Request, state: LinkState | None) -> Response:
    """A link that no longer works says why, and what to do next."""
    status = 404 if state is None else 410
    context = {"what": "invitation", "state": state.value if state else "unknown"}
    return render(request, CLOSED, context, status_code=status)


def _accept_page(
    request: Request,
    settings: Settings,
    session: Session,
    invitation: Invitation,
    current: User | None,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    token = onetime.form_token(request)
    existing = invitations.existing_account(session, invitation)
    context = {
        "invitation": invitation,
        "school": invitations.school_of(session, invitation),
        "existing": existing is not None,
        "signed_in_as_invitee": current is not None
        and existing is not None
        and current.id == existing.id,
        "signed_in_as_other": current is not None
        and (existing is None or current.id != existing.id),
        "values": values or {"name": invitation.name},
        "errors": errors or {},
        "form_csrf": token,
        "path": request.url.path,
    }
    response = render(request, ACCEPT, context, status_code=status_code)
    return onetime.keep_form_token(response, token, settings, "/invitations")


@router.get("/invitations/{token}")
def invitation_page(
    request: Request, token: Token, auth: OptionalAuth, session: SessionDep, settings: SettingsDep
) -> Response:
    invitation = invitations.find(session, token)
    if invitation is None or invitations.state(invitation) != LinkState.pending:
        return _closed(request, invitations.state(invitation) if invitation else None)
    return _accept_page(request, settings, session, invitation, auth.user if auth else None)


@router.post("/invitations/{token}")
def accept(
    request: Request,
    token: Token,
    auth: OptionalAuth,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
) -> Response:
    locale = locale_of(request)
    invitation = invitations.find(session, token)
    if invitation is None or invitations.state(invitation) != LinkState.pending:
        return _closed(request, invitations.state(invitation) if invitation else None)
    current = auth.user if auth else None
    values = {"name": form.get("name", "")[:120]}

    def again(errors: dict[str, str], status_code: int = 422) -> Rejected:
        page = _accept_page(
            request,
            settings,
            session,
            invitation,
            current,
            values=values,
            errors=errors,
            status_code=status_code,
        )
        return Rejected(page)

    if not onetime.form_token_ok(request, form):
        raise again({GENERAL: i18n.gettext(locale, EXPIRED_FORM)}, 403)
    try:
        user = invitations.accept(
            session,
            token,
            name=values["name"],
            password=form.get("password", "")[:2000],
            current=current,
        )
    except Invalid as exc:
        raise again(_errors_of(exc, locale, ACCEPTING)) from None
    except NotFound:
        raise Rejected(_closed(request, LinkState.accepted)) from None
    target = invitations.landing(session, user, invitation)
    if current is not None:
        return RedirectResponse(target, status_code=303)
    return onetime.signed_in(session, settings, user, target)
