"""A leernetwerk's bijeenkomsten on the web (planning one is a form of the network page, in
app/routers/web/networks.py): the meeting's page (bring and fetch, the facilitator's ordering
with up and down buttons, sending the agenda, running it, notes, agreements and adopting one
onto my board) and its shared screen. Every form posts and is redirected back, so each works
without script and by keyboard."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.config import Settings
from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep, SettingsDep
from app.errors import Conflict, Invalid
from app.handlers import Rejected
from app.models import User
from app.models.meeting import (
    AgreementCreate,
    ContributionCreate,
    ContributionUpdate,
    MeetingNotes,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import (
    meeting_view,
    network_meeting_runs,
    network_meetings,
    network_questions,
    networks,
    overview,
)
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.forms import N_

router = APIRouter(include_in_schema=False)
MEETING = "pages/networks/meeting.html"
SCREEN = "pages/networks/meeting_screen.html"
BRING_FIELDS = ("kind", "text", "practice_id", "question_id")
MESSAGES: forms.Overrides = {
    ("text", "missing"): N_("Zeg wat je brengt of haalt, of kies een praktijk of vraag."),
    ("kind", "ended"): N_("Deze bijeenkomst is afgelopen."),
    ("board_id", "care"): N_("Kies een teambord."),
    ("status", "not_running"): N_("De bijeenkomst loopt nog niet."),
    ("order", "order"): N_("De agenda is intussen veranderd. Bekijk hem opnieuw."),
    ("order", "under_way"): N_("Wat al besproken is of nu loopt, houdt zijn plek."),
    ("kind", "under_way"): N_("Dit punt is al besproken of loopt nu."),
    ("order", "ended"): N_("Deze bijeenkomst is afgelopen."),
}
DONE = {
    "planned": N_("De bijeenkomst is gepland."),
    "brought": N_("Je inbreng staat op de agenda."),
    "withdrawn": N_("Je inbreng is van de agenda gehaald."),
    "sent": N_("De agenda is naar alle leden gemaild."),
    "noted": N_("Opgeschreven."),
    "agreed": N_("De afspraak staat erbij."),
    "adopted": N_("Overgenomen: het staat als actie op je bord."),
}
STALE = N_("De agenda is intussen veranderd. Bekijk hem opnieuw.")


def _page(
    request: Request,
    session: Session,
    user: User,
    meeting_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    done: str = "",
    moved: tuple[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    meeting, network = network_meetings.get_meeting(session, user, meeting_id)
    message = DONE.get(done)
    context: dict[str, Any] = {
        "overview_url": overview.overview_link(session, user),
        "network": network,
        "mv": meeting_view.view(session, meeting),
        "facilitator": network_meetings.is_facilitator(network, user),
        "me": user,
        "practices": networks.all_practices(session, require_id(network)),
        "questions": network_questions.recent(session, require_id(network)),
        "boards": networks.my_boards(session, user),
        "moved": moved,
        "values": values or {},
        "errors": errors or {},
        "done": i18n.gettext(locale_of(request), message) if message else "",
    }
    return render(request, MEETING, context, status_code=status_code)


def _back(meeting_id: int, done: str = "", anchor: str = "") -> RedirectResponse:
    query = f"?done={done}" if done else ""
    return RedirectResponse(f"/meetings/{meeting_id}{query}{anchor}", status_code=303)


def _refused(
    request: Request,
    session: Session,
    user: User,
    meeting_id: int,
    exc: Invalid | forms.FormErrors,
    fields: tuple[str, ...],
    form: dict[str, str],
) -> Rejected:
    session.rollback()  # the page shows the meeting as it stands, not the refused change
    if isinstance(exc, Invalid):
        errors = forms.from_invalid(exc, locale_of(request), fields, MESSAGES)
    else:
        errors = exc.errors
    page = _page(request, session, user, meeting_id, values=form, errors=errors, status_code=422)
    return Rejected(page)


@router.get("/meetings/{meeting_id}")
def meeting_page(
    meeting_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    done: str = "",
    moved: str = "",
    to: str = "",
) -> Response:
    part = forms.whole_number(moved)
    shown = (part, to) if part and to in ("up", "down") else None
    return _page(request, session, user, meeting_id, done=done, moved=shown)


@router.get("/meetings/{meeting_id}/screen")
def meeting_screen(
    meeting_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The shared screen: large type, the current part and its timer, the agenda, live."""
    meeting, network = network_meetings.get_meeting(session, user, meeting_id)
    context = {"network": network, "mv": meeting_view.view(session, meeting)}
    return render(request, SCREEN, context)


@router.post("/meetings/{meeting_id}/contributions")
def bring(
    meeting_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    sent = {k: v for k, v in form.items() if v != "" or k == "kind"}
    try:
        data = forms.parse(
            ContributionCreate,
            sent,
            locale_of(request),
            BRING_FIELDS,
            optional=("text", "practice_id", "question_id"),
            overrides=MESSAGES,
        )
        network_meetings.contribute(session, user, meeting_id, data)
    except (forms.FormErrors, Invalid) as exc:
        raise _refused(request, session, user, meeting_id, exc, BRING_FIELDS, form) from None
    return _back(meeting_id, "brought")


@router.post("/contributions/{contribution_id}/withdraw")
def withdraw(
    contribution_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    _part, meeting, _network = network_meetings.get_contribution(session, user, contribution_id)
    try:
        network_meetings.withdraw(session, user, contribution_id)
    except Invalid as exc:
        raise _refused(request, session, user, require_id(meeting), exc, (), {}) from None
    return _back(require_id(meeting), "withdrawn")


@router.post("/contributions/{contribution_id}/move")
def move(
    contribution_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """One place up or down; the form carries the version the page was read at (409 when the
    agenda changed meanwhile: the page shows it as it is now)."""
    to = form.get("to", "")
    version = forms.whole_number(form.get("version")) or 0
    step = -1 if to == "up" else 1
    _part, meeting, _network = network_meetings.get_contribution(session, user, contribution_id)
    meeting_id = require_id(meeting)
    try:
        network_meetings.move(session, user, contribution_id, step, version)
    except Invalid as exc:
        raise _refused(request, session, user, meeting_id, exc, (), {}) from None
    except Conflict:
        session.rollback()  # the page shows the agenda as it stands, with its version
        errors = {forms.GENERAL: i18n.gettext(locale_of(request), STALE)}
        page = _page(request, session, user, meeting_id, errors=errors, status_code=409)
        raise Rejected(page) from None
    # no #order: a fragment in the address would stop the browser's autofocus, which puts
    # the keyboard (and the view) at the part that moved
    to = "up" if step < 0 else "down"
    return RedirectResponse(f"/meetings/{meeting_id}?moved={contribution_id}&to={to}", 303)


def _run(
    session: Session, settings: Settings, user: User, meeting_id: int, what: str, base_url: str
) -> None:
    if what == "send":
        network_meeting_runs.send_agenda(session, settings, user, meeting_id, base_url)
    elif what == "start":
        network_meeting_runs.start(session, user, meeting_id)
    elif what == "next":
        network_meeting_runs.next_part(session, user, meeting_id)
    else:
        network_meeting_runs.end(session, settings, user, meeting_id, base_url)


def _button(
    request: Request,
    session: Session,
    settings: Settings,
    user: User,
    meeting_id: int,
    what: str,
    base_url: str,
) -> Response:
    """The facilitator's buttons: send the agenda, start, next part, end."""
    try:
        _run(session, settings, user, meeting_id, what, base_url)
    except Invalid as exc:
        raise _refused(request, session, user, meeting_id, exc, ("status",), {}) from None
    return _back(meeting_id, "sent" if what == "send" else "", "#run")


@router.post("/meetings/{meeting_id}/send")
def send(
    meeting_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> Response:
    return _button(request, session, settings, user, meeting_id, "send", base_url)


@router.post("/meetings/{meeting_id}/start")
def start(
    meeting_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> Response:
    return _button(request, session, settings, user, meeting_id, "start", base_url)


@router.post("/meetings/{meeting_id}/next")
def next_part(
    meeting_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> Response:
    return _button(request, session, settings, user, meeting_id, "next", base_url)


@router.post("/meetings/{meeting_id}/end")
def end(
    meeting_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> Response:
    return _button(request, session, settings, user, meeting_id, "end", base_url)


@router.post("/contributions/{contribution_id}/note")
def note(
    contribution_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    _part, meeting, _network = network_meetings.get_contribution(session, user, contribution_id)
    try:
        data = forms.parse(
            ContributionUpdate, form, locale_of(request), ("note",), overrides=MESSAGES
        )
    except forms.FormErrors as exc:
        raise _refused(request, session, user, require_id(meeting), exc, ("note",), form) from None
    network_meeting_runs.note_part(session, user, contribution_id, data)
    return _back(require_id(meeting), "noted", "#run")


@router.post("/meetings/{meeting_id}/notes")
def notes(
    meeting_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        data = forms.parse(MeetingNotes, form, locale_of(request), ("notes",), overrides=MESSAGES)
    except forms.FormErrors as exc:
        raise _refused(request, session, user, meeting_id, exc, ("notes",), form) from None
    network_meeting_runs.set_notes(session, user, meeting_id, data.notes)
    return _back(meeting_id, "noted", "#notes")


@router.post("/meetings/{meeting_id}/agreements")
def agree(
    meeting_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        data = forms.parse(AgreementCreate, form, locale_of(request), ("text",), overrides=MESSAGES)
    except forms.FormErrors as exc:
        raise _refused(request, session, user, meeting_id, exc, ("text",), form) from None
    network_meeting_runs.agree(session, user, meeting_id, data.text)
    return _back(meeting_id, "agreed", "#agreements")


@router.post("/meeting-agreements/{agreement_id}/adopt")
def adopt(
    agreement_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    agreement = network_meeting_runs.get_agreement(session, user, agreement_id)
    board_id = forms.whole_number(form.get("board_id"))
    try:
        if not board_id:
            raise Invalid("board_id", "choose a board", kind="care")
        network_meeting_runs.adopt_agreement(session, user, agreement_id, board_id)
    except Invalid as exc:
        meeting_id = agreement.meeting_id
        raise _refused(request, session, user, meeting_id, exc, ("board_id",), form) from None
    return _back(agreement.meeting_id, "adopted", "#agreements")
