"""Care board pages: the board (cases and this week's review), a case during a care meeting,
its printable export, erasure (confirmed when agreements are open) and the audit log.

Forms answer with their block (reset, or with errors) and the changed sections out of band,
like the team board; every other screen follows through the hub.
"""

from collections.abc import Callable
from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from app import i18n
from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Conflict, Invalid
from app.handlers import Rejected
from app.models import Board, School, User
from app.models.care import (
    AgreementCreate,
    AgreementUpdate,
    CaseCreate,
    CaseUpdate,
    MeetingCreate,
    ParticipantCreate,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.security import policy
from app.services import audit, care, care_members
from app.templating import render
from app.web import forms
from app.web.audited import AuditedSessionDep
from app.web.care_page import TEMPLATE, agreement_undo, care_context, case_context, place
from app.web.common import FormDep, fragments, locale_of

router = APIRouter(include_in_schema=False)

AUDIT_TEMPLATE = "pages/care/audit.html"
EXPORT_TEMPLATE = "pages/care/export.html"
ERASE_TEMPLATE = "pages/care/erase.html"
LISTS = ["review", "cases", "version"]


def _errors(exc: Exception, locale: str, fields: tuple[str, ...]) -> dict[str, str]:
    if isinstance(exc, forms.FormErrors):
        return exc.errors
    assert isinstance(exc, Invalid)
    return forms.from_invalid(exc, locale, fields)


# --- pages -------------------------------------------------------------------------------------


@router.get("/cases/{case_id}")
def case_page(
    case_id: IdPath, request: Request, user: CurrentUser, session: AuditedSessionDep
) -> Response:
    """One case on the screen of a care meeting: open agreements first, then the rest."""
    case, board = care.get_case(session, user, case_id)
    audit.record(session, board, user, "viewed", case.id)
    context = case_context(session, board, require_id(case), **place(session, board))
    return render(request, TEMPLATE, context)


@router.get("/cases/{case_id}/export")
def export_page(
    case_id: IdPath, request: Request, user: CurrentUser, session: AuditedSessionDep
) -> Response:
    """Everything held about the pupil, as a page to print (a data-subject request)."""
    export = care.export_case(session, user, case_id)
    return render(
        request, EXPORT_TEMPLATE, {"export": export}, headers={"Cache-Control": "no-store"}
    )


@router.get("/cases/{case_id}/erase")
def erase_page(
    case_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    case, board = care.get_case(session, user, case_id)
    context = {
        "case": case,
        "board": board,
        "open": care.open_agreements(session, require_id(case)),
    }
    return render(request, ERASE_TEMPLATE, context)


@router.post("/cases/{case_id}/erase")
def erase_case(
    case_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """Into the prullenbak, or (`how=now`) erased at once; with open agreements only when the
    confirmation box was ticked."""
    case, board = care.get_case(session, user, case_id)
    confirm, permanent = form.get("confirm") == "yes", form.get("how") == "now"
    try:
        care.erase_case(session, user, case_id, confirm=confirm, permanent=permanent)
    except Conflict:
        context = {
            "case": case,
            "board": board,
            "open": care.open_agreements(session, case_id),
            "must_confirm": True,
        }
        raise Rejected(render(request, ERASE_TEMPLATE, context, status_code=409)) from None
    # the page says what happened (and offers to undo a delete); the pupil code stays out of
    # the address (and the logs)
    done = "erased=1" if permanent else f"deleted={case_id}"
    return Response(status_code=303, headers={"Location": f"/boards/{board.id}?{done}"})


@router.get("/boards/{board_id}/audit")
def audit_page(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The care board's audit log: for its members and the school's privacy officer."""
    board = audit.readable_board(session, user, board_id)
    entries = audit.public(session, audit.board_entries(session, require_id(board)))
    rows = audit.page_rows(session, user, entries)
    return render(request, AUDIT_TEMPLATE, {"board": board, "entries": rows})


@router.get("/schools/{school_id}/care-audit")
def school_audit_page(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """Every care board's audit log of the school: the privacy officer's page."""
    rows = audit.page_rows(session, user, audit.school_log(session, user, school_id))
    school = session.get(School, school_id)
    return render(request, AUDIT_TEMPLATE, {"board": None, "school": school, "entries": rows})


def _members(
    request: Request, session: Session, user: User, board: Board, **extra: Any
) -> Response:
    status = extra.pop("status", 200)
    context = {
        "board": board,
        "members": care_members.members_of(session, user, require_id(board)),
        "values": {},
        "errors": {},
        **extra,
    }
    return fragments(request, TEMPLATE, context, ["members"], status_code=status)


@router.get("/boards/{board_id}/members")
def members_panel(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    board = policy.care_board(session, user, board_id)
    return _members(request, session, user, board)


@router.post("/boards/{board_id}/members")
def add_member(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    board = policy.care_board(session, user, board_id)
    try:
        care_members.add_member(session, user, require_id(board), form.get("email", "").strip())
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale_of(request), ("email",))
        raise Rejected(
            _members(request, session, user, board, values=form, errors=errors, status=422)
        ) from None
    return _members(request, session, user, board)


@router.post("/boards/{board_id}/members/{user_id}/remove")
def remove_member(
    board_id: IdPath, user_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    board = care_members.remove_member(session, user, board_id, user_id)
    return _members(request, session, user, board)


# --- changes -----------------------------------------------------------------------------------


@router.post("/boards/{board_id}/cases")
def add_case(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    board = policy.care_board(session, user, board_id)
    locale = locale_of(request)
    fields = ("pupil_code", "group", "concern", "review_date")
    try:
        data = forms.parse(CaseCreate, form, locale, fields, optional=("review_date",))
        care.create_case(session, user, require_id(board), data)
    except (forms.FormErrors, Invalid) as exc:
        context = care_context(session, board, values=form, errors=_errors(exc, locale, fields))
        raise Rejected(
            fragments(request, TEMPLATE, context, ["form_case"], status_code=422)
        ) from None
    return fragments(request, TEMPLATE, care_context(session, board), ["form_case"], LISTS)


def _case_change(
    request: Request,
    session: Session,
    user: User,
    case_id: int,
    block: str,
    form: dict[str, str],
    fields: tuple[str, ...],
    apply: Callable[[str], None],
) -> Response:
    _case, board = care.get_case(session, user, case_id)
    locale = locale_of(request)
    try:
        apply(locale)
    except (forms.FormErrors, Invalid) as exc:
        context = case_context(
            session, board, case_id, values=form, errors=_errors(exc, locale, fields)
        )
        raise Rejected(fragments(request, TEMPLATE, context, [block], status_code=422)) from None
    except Conflict:
        errors = {forms.GENERAL: i18n.gettext(locale, forms.STALE_FORM)}
        context = case_context(session, board, case_id, values=form, errors=errors)
        raise Rejected(fragments(request, TEMPLATE, context, [block], status_code=409)) from None
    context = case_context(session, board, case_id)
    return fragments(request, TEMPLATE, context, [block], ["case_detail", *LISTS])


@router.post("/cases/{case_id}/agreements")
def add_agreement(
    case_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    fields = ("title", "owner", "due")

    def apply(locale: str) -> None:
        data = forms.parse(AgreementCreate, form, locale, fields, optional=("due",))
        care.create_agreement(session, user, case_id, data)

    return _case_change(request, session, user, case_id, "form_agreement", form, fields, apply)


@router.post("/cases/{case_id}/meetings")
def add_meeting(
    case_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    fields = ("date", "attendees", "notes", "next_review")
    names = [n.strip() for n in form.get("attendees", "").split(",") if n.strip()]

    def apply(locale: str) -> None:
        data = forms.parse(
            MeetingCreate,
            form,
            locale,
            ("date", "notes", "next_review"),
            optional=("next_review",),
            shown=fields,
            values={"attendees": names},
            overrides={"attendees": forms.BAD_TEXT},
        )
        care.add_meeting(session, user, case_id, data)

    return _case_change(request, session, user, case_id, "form_meeting", form, fields, apply)


@router.post("/cases/{case_id}/participants")
def add_participant(
    case_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    fields = ("name", "role", "organisation")

    def apply(locale: str) -> None:
        data = forms.parse(ParticipantCreate, form, locale, fields)
        care.add_participant(session, user, case_id, data)

    return _case_change(request, session, user, case_id, "form_participant", form, fields, apply)


@router.post("/cases/{case_id}")
def edit_case(
    case_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    fields = ("status", "review_date")

    def apply(locale: str) -> None:
        data = forms.parse(
            CaseUpdate,
            form,
            locale,
            (*fields, "version"),
            optional=("review_date",),
            shown=fields,
        )
        care.update_case(session, user, case_id, data)

    return _case_change(request, session, user, case_id, "form_case_edit", form, fields, apply)


@router.post("/agreements/{agreement_id}/status")
def agreement_status(
    agreement_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """Mark an agreement done (or open again); the screens follow through the hub."""
    try:
        data = forms.parse(AgreementUpdate, form, locale_of(request), ("status", "version"))
        agreement = care.update_agreement(session, user, agreement_id, data)
    except (forms.FormErrors, Invalid):
        raise Rejected(Response(status_code=422)) from None
    except Conflict:
        raise Rejected(Response(status_code=409)) from None
    board = session.get(Board, agreement.board_id)
    return Response(
        status_code=204, headers={"X-Board-Version": str(board.version if board else 0)}
    )


@router.post("/agreements/{agreement_id}/delete")
def delete_agreement(
    agreement_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """Into the care board's prullenbak, with "Verwijderd · Ongedaan maken" for a few seconds;
    the case as it is now when the agreement changed meanwhile."""
    agreement, board = care.get_agreement(session, user, agreement_id)
    version = forms.whole_number(form.get("version"))
    try:
        care.delete_agreement(session, user, agreement_id, version)
    except Conflict:
        context = case_context(session, board, agreement.case_id)
        raise Rejected(
            fragments(request, TEMPLATE, context, ["case_detail"], status_code=409)
        ) from None
    context = {
        **case_context(session, board, agreement.case_id),
        "undo": agreement_undo(agreement),  # the deleted row: its version names the undo
    }
    return fragments(request, TEMPLATE, context, ["case_detail"], ["version", "toasts"])
