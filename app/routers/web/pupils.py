"""Stem van de leerling on the web, the pupils' pages: `/s` (type a code) and `/s/{code}`
(answer), without an account, Dutch unless `?lang=en`."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from app import i18n
from app.deps import SessionDep, SettingsDep
from app.errors import Conflict, Gone, Invalid, TooManyAttempts
from app.handlers import Rejected
from app.models.poll import AnswerCreate
from app.routing import APIRouter
from app.services import poll_answers
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.device import DEVICE_COOKIE, client_ip, device_of, keep_device
from app.web.forms import GENERAL, N_

router = APIRouter(include_in_schema=False)

ANSWER_TEMPLATE = "pages/polls/answer.html"
# What a pupil's device may keep or pass on of these pages: nothing.
PUPIL_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}
NOTHING_ANSWERED = N_("Beantwoord minstens één vraag.")


Lang = Annotated[str | None, Query(max_length=5)]


def _pupil_locale(request: Request, lang: str | None) -> None:
    """Dutch, whoever holds the device; `?lang=en` reads it in English."""
    request.state.locale = "en" if lang == "en" else "nl"


def _pupil_page(request: Request, state: str, status_code: int = 200, **context: Any) -> Response:
    return render(
        request,
        ANSWER_TEMPLATE,
        {"state": state, "poll": None, **context},
        status_code=status_code,
        headers=PUPIL_HEADERS,
    )


@router.get("/s")
def code_form(
    request: Request, code: Annotated[str | None, Query(max_length=40)] = None, lang: Lang = None
) -> Response:
    """Where a pupil types the code from the class screen."""
    _pupil_locale(request, lang)
    if code and code.strip():
        suffix = "?lang=en" if lang == "en" else ""
        target = f"/s/{quote(poll_answers.normal_code(code), safe='')}{suffix}"
        return RedirectResponse(target, status_code=303)
    return _pupil_page(request, "code")


@router.get("/s/{code}")
def answer_page(
    code: str, request: Request, session: SessionDep, settings: SettingsDep, lang: Lang = None
) -> Response:
    _pupil_locale(request, lang)
    try:
        poll = poll_answers.find(session, settings, code, client_ip(request))
    except TooManyAttempts:
        return _pupil_page(request, "throttled", 429)
    if poll is None:
        return _pupil_page(request, "unknown", 404, code=poll_answers.normal_code(code))
    if poll_answers.has_answered(session, poll, request.cookies.get(DEVICE_COOKIE)):
        return _pupil_page(request, "thanks", poll=poll)
    if not poll_answers.takes_answers(session, poll):
        return _pupil_page(request, "closed", 410, poll=poll)
    return _pupil_page(request, "questions", poll=poll, values={}, errors={})


@router.post("/s/{code}")
def answer(
    code: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
    lang: Lang = None,
) -> Response:
    _pupil_locale(request, lang)
    try:
        poll = poll_answers.find(session, settings, code, client_ip(request))
    except TooManyAttempts:
        return _pupil_page(request, "throttled", 429)
    if poll is None:
        return _pupil_page(request, "unknown", 404, code=poll_answers.normal_code(code))
    device = device_of(request)
    answers: list[int | str | None] = [
        form.get(f"q{i}", "") or None for i in range(len(poll.questions))
    ]
    try:
        poll_answers.answer(session, poll, device, AnswerCreate(answers=answers))
    except Gone:
        raise Rejected(_pupil_page(request, "closed", 410, poll=poll)) from None
    except Conflict:
        raise Rejected(_pupil_page(request, "thanks", 409, poll=poll)) from None
    except (Invalid, ValidationError) as exc:
        kind = exc.kind if isinstance(exc, Invalid) else ""
        message = NOTHING_ANSWERED if kind == "no_answers" else forms.BAD_CHOICE
        errors = {GENERAL: i18n.gettext(locale_of(request), message)}
        page = _pupil_page(request, "questions", 422, poll=poll, values=form, errors=errors)
        raise Rejected(page) from None
    suffix = "?lang=en" if lang == "en" else ""
    response = RedirectResponse(f"/s/{poll.code}{suffix}", status_code=303)
    keep_device(response, device, settings)
    return response
