"""Leernetwerken on the web: my networks, a network's page (its practices, live; search; members),
sharing a practice after a preview, a practice's page (adopt it onto my board, how it went)."""

from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep, SettingsDep
from app.errors import Invalid
from app.handlers import Rejected
from app.models import User
from app.models.meeting import MeetingCreate
from app.models.network import (
    AdoptAs,
    AdoptionStory,
    Network,
    NetworkCreate,
    PracticeCreate,
    TextCreate,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import meeting_view, network_meetings, network_questions, networks, overview
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.forms import N_

router = APIRouter(include_in_schema=False)
LIST = "pages/networks/list.html"
NETWORK = "pages/networks/network.html"
SHARE = "pages/networks/share.html"
PRACTICE = "pages/networks/practice.html"

SHARE_FIELDS = (
    "title",
    "text",
    "strength",
    "needs",
    "for_whom",
    "sector",
    "theme",
    "contact",
    "name_school",
    "name_person",
    "success_id",
    "card_id",
)
MESSAGES: forms.Overrides = {
    ("email", "unknown_person"): N_("Je kunt niemand met dit e-mailadres toevoegen."),
    ("email", "already_member"): N_("Deze persoon is al lid van het netwerk."),
    ("success_id", "care"): N_("Niets van een zorgbord kan gedeeld worden."),
    ("card_id", "care"): N_("Niets van een zorgbord kan gedeeld worden."),
    ("board_id", "care"): N_("Kies een teambord."),
}
PLAN_FIELDS = ("date", "start_time", "host_school_id", "theme", "part_minutes")
PLAN_MESSAGES: forms.Overrides = {
    ("host_school_id", "host"): N_("Kies de school van een van de leden."),
    "start_time": N_("Vul een tijd in als 15:30."),
}
DONE = {
    "member": N_("Het lid is toegevoegd."),
    "shared": N_("Gedeeld met het netwerk."),
    "adopted": N_("Opgepakt: het staat als actie op je bord."),
    "adopted_goal": N_("Opgepakt: het staat als doel op je bord."),
    "story": N_("Dank je: je ervaring staat erbij."),
    "asked": N_("Je vraag staat in het netwerk."),
    "answered": N_("Je antwoord staat erbij."),
    "helpful": N_("Gemarkeerd als het antwoord dat hielp."),
}


def _layout(session: Session, user: User) -> dict[str, Any]:
    return {"overview_url": overview.overview_link(session, user)}


def _done(request: Request, done: str) -> str:
    message = DONE.get(done)
    return i18n.gettext(locale_of(request), message) if message else ""


def _message(request: Request, exc: Invalid, fields: tuple[str, ...]) -> dict[str, str]:
    return forms.from_invalid(exc, locale_of(request), fields, MESSAGES)


# --- my networks --------------------------------------------------------------------------------


def _list_page(
    request: Request,
    session: Session,
    user: User,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        **_layout(session, user),
        "networks": [
            networks.network_public(session, n) for n in networks.my_networks(session, user)
        ],
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, LIST, context, status_code=status_code)


@router.get("/networks")
def my_networks(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return _list_page(request, session, user)


@router.post("/networks")
def create_network(
    request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        data = forms.parse(NetworkCreate, form, locale_of(request), ("name",))
    except forms.FormErrors as exc:
        page = _list_page(request, session, user, values=form, errors=exc.errors, status_code=422)
        raise Rejected(page) from None
    network = networks.create_network(session, user, data)
    return RedirectResponse(f"/networks/{network.id}", status_code=303)


# --- a network's page ---------------------------------------------------------------------------


def _network_page(
    request: Request,
    session: Session,
    user: User,
    network_id: int,
    *,
    q: str = "",
    theme: str = "",
    sector: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    network = networks.get_network(session, user, network_id)
    sector = sector if sector in ("po", "vo") else ""
    found = networks.practices(session, user, network_id, q[:200], theme[:120], sector)
    context = {
        **_layout(session, user),
        "network": network,
        "practices": found,
        "filtered": bool(q.strip() or theme or sector),
        "q": q,
        "theme": theme,
        "sector": sector,
        "themes": networks.themes(session, network_id),
        "members": networks.members(session, user, network_id),
        "questions": network_questions.listed(session, network_id, user),
        "me": user.id,
        "may_add": networks.may_add_members(session, user, network),
        "meetings": [
            meeting_view.view(session, m)
            for m in network_meetings.network_meetings(session, network_id)
        ],
        "facilitator": network_meetings.is_facilitator(network, user),
        "hosts": network_meetings.member_schools(session, network_id),
        "next_host": network_meetings.next_host(session, network_id),
        "values": values or {},
        "errors": errors or {},
        "done": _done(request, done),
    }
    return render(request, NETWORK, context, status_code=status_code)


@router.post("/networks/{network_id}/meetings")
def plan_meeting(
    network_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """The facilitator plans a bijeenkomst (app/routers/web/network_meetings.py has its page)."""
    sent = {k: v for k, v in form.items() if v != "" or k == "date"}
    try:
        data = forms.parse(
            MeetingCreate,
            sent,
            locale_of(request),
            PLAN_FIELDS,
            optional=("host_school_id", "start_time", "theme", "part_minutes"),
            overrides=PLAN_MESSAGES,
        )
        meeting = network_meetings.plan(session, user, network_id, data)
    except (forms.FormErrors, Invalid) as exc:
        if isinstance(exc, Invalid):
            errors = forms.from_invalid(exc, locale_of(request), (exc.field,), PLAN_MESSAGES)
        else:
            errors = exc.errors
        page = _network_page(
            request, session, user, network_id, values=form, errors=errors, status_code=422
        )
        raise Rejected(page) from None
    return RedirectResponse(f"/meetings/{require_id(meeting)}?done=planned", status_code=303)


@router.get("/networks/{network_id}")
def network_page(
    network_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    q: str = "",
    theme: str = "",
    sector: str = "",
    done: str = "",
) -> Response:
    return _network_page(
        request, session, user, network_id, q=q, theme=theme, sector=sector, done=done
    )


@router.post("/networks/{network_id}/members")
def add_member(
    network_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        networks.add_member(session, user, network_id, form.get("email", "")[:254])
    except Invalid as exc:
        errors = _message(request, exc, ("email",))
        page = _network_page(
            request, session, user, network_id, values=form, errors=errors, status_code=422
        )
        raise Rejected(page) from None
    return RedirectResponse(f"/networks/{network_id}?done=member", status_code=303)


# --- sharing --------------------------------------------------------------------------------------


def _share_page(
    request: Request,
    session: Session,
    user: User,
    network: Network,
    *,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    preview: PracticeCreate | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        **_layout(session, user),
        "network": network,
        "successes": networks.shareable_successes(session, user),
        "cards": networks.shareable_cards(session, user),
        "values": values,
        "errors": errors or {},
        "preview": preview,
        "school": networks.sharer_school(session, user, preview) if preview else "",
        "me": user,
    }
    return render(request, SHARE, context, status_code=status_code)


@router.get("/networks/{network_id}/share")
def share_form(
    network_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    success_id: str = "",
    card_id: str = "",
) -> Response:
    """The share form; `success_id` starts it from a success of my team board (its text),
    `card_id` from a kwaliteitskaart of my school (what the card lets leave the school). The
    member can change it: only what the form holds is shared, after the preview."""
    network = networks.get_network(session, user, network_id)
    values: dict[str, Any] = {}
    chosen, card = forms.whole_number(success_id), forms.whole_number(card_id)
    try:
        if card:
            values = networks.card_values(networks.card_source(session, user, card))
        elif chosen:
            source = networks.share_source(session, user, chosen)
            values = {"text": source.success.text, "success_id": str(chosen)}
    except Invalid as exc:
        errors = _message(request, exc, SHARE_FIELDS)
        page = _share_page(
            request, session, user, network, values={}, errors=errors, status_code=422
        )
        raise Rejected(page) from None
    return _share_page(request, session, user, network, values=values)


@router.post("/networks/{network_id}/share")
def share(
    network_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """Two steps: `preview` shows exactly what will be shared; `confirm` shares it (`edit` goes
    back to the form)."""
    network = networks.get_network(session, user, network_id)
    sent = {
        **form,
        "name_school": form.get("name_school", ""),
        "name_person": form.get("name_person", ""),
    }
    sent = {k: v for k, v in sent.items() if v != "" or k in ("title", "text")}
    try:
        data = forms.parse(
            PracticeCreate,
            sent,
            locale_of(request),
            SHARE_FIELDS,
            optional=("success_id", "card_id"),
        )
        if data.success_id:
            networks.share_source(session, user, data.success_id)
        if data.card_id:
            networks.card_source(session, user, data.card_id)
    except forms.FormErrors as exc:
        page = _share_page(
            request, session, user, network, values=form, errors=exc.errors, status_code=422
        )
        raise Rejected(page) from None
    except Invalid as exc:
        errors = _message(request, exc, SHARE_FIELDS)
        page = _share_page(
            request, session, user, network, values=form, errors=errors, status_code=422
        )
        raise Rejected(page) from None
    step = form.get("step")
    if step != "confirm":
        preview = data if step == "preview" else None
        return _share_page(request, session, user, network, values=form, preview=preview)
    practice = networks.share_practice(session, user, network_id, data)
    return RedirectResponse(f"/practices/{practice.id}?done=shared", status_code=303)


# --- a practice ---------------------------------------------------------------------------------


def _practice_page(
    request: Request,
    session: Session,
    user: User,
    practice_id: int,
    *,
    errors: dict[str, str] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    practice, network = networks.get_practice(session, user, practice_id)
    context = {
        **_layout(session, user),
        "network": network,
        "practice": practice,
        "adoptions": networks.adoptions(session, user, practice_id),
        "boards": networks.my_boards(session, user),
        "errors": errors or {},
        "done": _done(request, done),
    }
    return render(request, PRACTICE, context, status_code=status_code)


@router.get("/practices/{practice_id}")
def practice_page(
    practice_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, done: str = ""
) -> Response:
    return _practice_page(request, session, user, practice_id, done=done)


@router.post("/practices/{practice_id}/adopt")
def adopt(
    practice_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """The practice onto my board as an action, or (`as=goal`) as a goal."""
    board_id = forms.whole_number(form.get("board_id"))
    made: AdoptAs = "goal" if form.get("as") == "goal" else "action"
    try:
        if not board_id:
            raise Invalid("board_id", "choose a board", kind="care")
        networks.adopt(session, user, practice_id, board_id, made)
    except Invalid as exc:
        errors = _message(request, exc, ("board_id",))
        page = _practice_page(request, session, user, practice_id, errors=errors, status_code=422)
        raise Rejected(page) from None
    done = "adopted_goal" if made == "goal" else "adopted"
    return RedirectResponse(f"/practices/{practice_id}?done={done}", status_code=303)


@router.post("/adoptions/{adoption_id}/story")
def tell_how_it_went(
    adoption_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        data = forms.parse(AdoptionStory, form, locale_of(request), ("how_it_went",))
    except forms.FormErrors as exc:
        adoption = networks.own_adoption(session, user, adoption_id)
        page = _practice_page(
            request, session, user, adoption.practice_id, errors=exc.errors, status_code=422
        )
        raise Rejected(page) from None
    adoption = networks.tell_how_it_went(session, user, adoption_id, data.how_it_went)
    return RedirectResponse(f"/practices/{adoption.practice_id}?done=story", status_code=303)


# --- questions ----------------------------------------------------------------------------------


def _text(request: Request, form: dict[str, str]) -> TextCreate:
    return forms.parse(TextCreate, form, locale_of(request), ("text",))  # type: ignore[no-any-return]


@router.post("/networks/{network_id}/questions")
def ask(
    network_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    try:
        data = _text(request, form)
    except forms.FormErrors as exc:
        page = _network_page(request, session, user, network_id, errors=exc.errors, status_code=422)
        raise Rejected(page) from None
    network_questions.ask(session, user, network_id, data.text)
    return RedirectResponse(f"/networks/{network_id}?done=asked#questions", status_code=303)


@router.post("/questions/{question_id}/answers")
def answer(
    question_id: IdPath,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    form: FormDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> Response:
    question = network_questions.question_of(session, user, question_id)
    try:
        data = _text(request, form)
    except forms.FormErrors as exc:
        page = _network_page(
            request, session, user, question.network_id, errors=exc.errors, status_code=422
        )
        raise Rejected(page) from None
    network_questions.answer(session, user, question_id, data.text, settings, base_url)
    return RedirectResponse(
        f"/networks/{question.network_id}?done=answered#question-{question_id}", status_code=303
    )


@router.post("/answers/{answer_id}/helpful")
def helpful(answer_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    question = network_questions.mark_helpful(session, user, answer_id)
    return RedirectResponse(
        f"/networks/{question.network_id}?done=helpful#question-{question.id}", status_code=303
    )
