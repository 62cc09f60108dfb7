"""The installation's schools, for its admin: the list, a new school, a school's details."""

from fastapi import Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.config import Settings
from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep, SettingsDep
from app.errors import Invalid, NotFound
from app.handlers import Rejected
from app.models import User
from app.models.links import InvitationCreate
from app.models.rows import require_id
from app.models.school import NewSchoolForm, SchoolCreate, SchoolUpdate
from app.routing import APIRouter
from app.services import invitations, schools, sso
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.manage_forms import OVERRIDES, form_errors

router = APIRouter(include_in_schema=False)

TEMPLATE = "pages/admin/schools.html"
FIELDS = ("name", "slug", "brin", "time_zone")
LEADER_FIELDS = ("leader_name", "leader_email")
SIGN_IN_FIELDS = ("provider", "domains")
# The zones a Dutch school board is likely to need; the API takes any IANA name.
COMMON_ZONES = (
    "Europe/Amsterdam",
    "Europe/Brussels",
    "America/Curacao",
    "America/Aruba",
    "America/Kralendijk",
    "America/Lower_Princes",
    "America/Paramaribo",
    "Europe/London",
    "UTC",
)


def _page(
    request: Request,
    session: Session,
    user: User,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    sent: invitations.Sent | None = None,
    status_code: int = 200,
) -> Response:
    listed = schools.all_schools(session, user)
    providers = request.app.state.settings.oidc_providers
    zones = list(COMMON_ZONES) + sorted({s.time_zone for s in listed} - set(COMMON_ZONES))
    context = {
        "schools": listed,
        "zones": zones,
        "errors": errors or {},
        "values": values or {},
        "sent": sent,
        "providers": [(key, p.title) for key, p in providers.items()],
        "sign_ins": sso.all_settings(session) if providers else {},
    }
    return render(request, TEMPLATE, context, status_code=status_code)


def _refused(
    request: Request, session: Session, user: User, form_id: str, exc: Exception, form: dict
) -> Rejected:
    assert isinstance(exc, forms.FormErrors | Invalid)
    shown = FIELDS + LEADER_FIELDS + SIGN_IN_FIELDS
    errors = {form_id: form_errors(exc, locale_of(request), shown)}
    page = _page(request, session, user, errors=errors, values={form_id: form}, status_code=422)
    return Rejected(page)


@router.get("/admin/schools")
def schools_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """Admins only; anyone else 404."""
    return _page(request, session, user)


@router.post("/admin/schools")
def create_school(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
    form: FormDep,
) -> Response:
    """A new school and, when named, the invitation of its first leader, in one transaction.
    Without mail the page shows the invitation link to pass on (it is not kept)."""
    if not user.is_admin:
        raise NotFound()
    try:
        data = forms.parse(
            NewSchoolForm,
            form,
            locale_of(request),
            FIELDS + LEADER_FIELDS,
            optional=("brin", *LEADER_FIELDS),
            overrides=OVERRIDES,
        )
        school = schools.create_school(session, user, SchoolCreate.model_validate(data))
        sent = _invite_leader(session, settings, user, require_id(school), data, base_url)
    except (forms.FormErrors, Invalid) as exc:
        raise _refused(request, session, user, "new-school", exc, form) from None
    if sent is not None and not settings.mail_enabled:
        return _page(request, session, user, sent=sent, status_code=201)
    return RedirectResponse(f"/admin/schools#school-{school.id}", status_code=303)


def _invite_leader(
    session: Session,
    settings: Settings,
    user: User,
    school_id: int,
    data: NewSchoolForm,
    base_url: str,
) -> invitations.Sent | None:
    if data.leader_name is None and data.leader_email is None:
        return None
    for field in LEADER_FIELDS:
        if getattr(data, field) is None:
            raise Invalid(field, "needed to invite the first leader", kind="missing")
    assert data.leader_name is not None and data.leader_email is not None
    leader = InvitationCreate(email=data.leader_email, name=data.leader_name, role="leader")
    try:
        return invitations.invite(session, settings, user, school_id, leader, base_url)
    except Invalid as exc:  # the invitation's fields are the form's leader fields
        raise Invalid(f"leader_{exc.field}", exc.message, kind=exc.kind) from None


@router.post("/admin/schools/{school_id}")
def update_school(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """The details form of one school: every field is sent; an empty BRIN removes it."""
    try:
        data = forms.parse(
            SchoolUpdate, form, locale_of(request), FIELDS, optional=("brin",), overrides=OVERRIDES
        )
        school = schools.update_school(session, user, school_id, data)
    except (forms.FormErrors, Invalid) as exc:
        if not user.is_admin:
            raise NotFound() from None
        raise _refused(request, session, user, f"school-{school_id}", exc, form) from None
    return RedirectResponse(f"/admin/schools#school-{school.id}", status_code=303)


@router.post("/admin/schools/{school_id}/sign-in")
def school_sign_in(
    school_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
) -> Response:
    """Sign-in with the school's own account: its provider (none: off), domains and rules."""
    try:
        sso.save_settings(
            session,
            user,
            school_id,
            provider=form.get("provider", "").strip(),
            domains=form.get("domains", "")[:1000],
            auto_accounts=form.get("auto_accounts") == "1",
            passwords_off=form.get("passwords_off") == "1",
            providers=settings.oidc_providers,
        )
    except Invalid as exc:
        raise _refused(request, session, user, f"sign-in-{school_id}", exc, form) from None
    return RedirectResponse(f"/admin/schools#school-{school_id}", status_code=303)
