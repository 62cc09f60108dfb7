"""Stem van de leerling (CONTRACT §3b): a teacher's polls, and the answer endpoints pupils use
without an account (`/answer/{code}`, with a random device cookie)."""

from typing import Annotated

from fastapi import Path, Request, Response
from fastapi.responses import JSONResponse

from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep, SettingsDep
from app.models import Measurement
from app.models.goal import MeasurementPublic
from app.models.poll import (
    AnswerCreate,
    MeasureCreate,
    OpenAnswerPublic,
    PollCreate,
    PollCreated,
    PollResults,
    PollSummary,
    PollToAnswer,
    TextUpdate,
)
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import poll_answers, poll_results, polls
from app.web.device import DEVICE_COOKIE, client_ip, device_of, keep_device

router = APIRouter(tags=["polls"])
Code = Annotated[str, Path(min_length=1, max_length=12)]
UNKNOWN_CODE = {"detail": "Not found"}


@router.post("/boards/{board_id}/polls", status_code=201, response_model=PollCreated)
def create_poll(
    board_id: IdPath, data: PollCreate, user: CurrentUser, session: SessionDep, base_url: BaseUrl
) -> PollCreated:
    """A poll of 1–5 questions on a team, class or leadership board (members); a care board
    refuses (422 `board_id`). `closes_at` without a zone is the school's time."""
    poll = polls.create(session, user, board_id, data)
    return PollCreated(
        id=require_id(poll), code=poll.code, answer_url=base_url + polls.answer_path(poll)
    )


@router.get("/boards/{board_id}/polls", response_model=list[PollSummary])
def list_polls(
    board_id: IdPath, user: CurrentUser, session: SessionDep, base_url: BaseUrl
) -> list[PollSummary]:
    found = polls.of_board(session, user, board_id)
    counts = polls.response_counts(session, [require_id(p) for p in found])
    return [polls.summary(p, base_url, counts.get(require_id(p), 0)) for p in found]


@router.get("/polls/{poll_id}", response_model=PollSummary)
def get_poll(
    poll_id: IdPath, user: CurrentUser, session: SessionDep, base_url: BaseUrl
) -> PollSummary:
    poll, _ = polls.get(session, user, poll_id)
    counts = polls.response_counts(session, [poll_id])
    return polls.summary(poll, base_url, counts.get(poll_id, 0))


@router.get("/polls/{poll_id}/results", response_model=PollResults)
def get_results(poll_id: IdPath, user: CurrentUser, session: SessionDep) -> PollResults:
    """Counts per question; every open answer with its status (new, shown, hidden)."""
    poll, _ = polls.get(session, user, poll_id)
    return poll_results.results(session, poll, open_=polls.is_open(poll), teacher=True)


@router.post("/polls/{poll_id}/close", response_model=PollSummary)
def close_poll(
    poll_id: IdPath, user: CurrentUser, session: SessionDep, base_url: BaseUrl
) -> PollSummary:
    """Close now: answers are refused from here on (410)."""
    poll = polls.close(session, user, poll_id)
    counts = polls.response_counts(session, [poll_id])
    return polls.summary(poll, base_url, counts.get(poll_id, 0))


@router.patch("/polls/{poll_id}/open-answers/{answer_id}", response_model=OpenAnswerPublic)
def set_open_answer(
    poll_id: IdPath, answer_id: IdPath, data: TextUpdate, user: CurrentUser, session: SessionDep
) -> OpenAnswerPublic:
    """`shown`: on the class screen too; `hidden`: on no screen."""
    text = polls.set_text_status(session, user, poll_id, answer_id, data.status)
    return OpenAnswerPublic.model_validate(text, from_attributes=True)


@router.post("/polls/{poll_id}/measurement", status_code=201, response_model=MeasurementPublic)
def save_measurement(
    poll_id: IdPath, data: MeasureCreate, user: CurrentUser, session: SessionDep
) -> Measurement:
    """A smiley question's % happy or a scale's mean score, as a measurement of a goal."""
    return polls.measure(session, user, poll_id, data)


# --- pupils, without an account -----------------------------------------------------------------


@router.get(
    "/answer/{code}", response_model=PollToAnswer, responses={429: {"description": "Throttled"}}
)
def poll_to_answer(
    code: Code, request: Request, session: SessionDep, settings: SettingsDep
) -> PollToAnswer | JSONResponse:
    """The poll's questions, for a pupil's device (`answered`: this device has answered). An
    unknown code counts towards the throttle."""
    poll = poll_answers.find(session, settings, code, client_ip(request))
    if poll is None:
        return JSONResponse(UNKNOWN_CODE, status_code=404)
    answered = poll_answers.has_answered(session, poll, request.cookies.get(DEVICE_COOKIE))
    return polls.public(poll, open_=poll_answers.takes_answers(session, poll), answered=answered)


@router.post(
    "/answer/{code}",
    status_code=201,
    response_class=Response,
    responses={
        201: {"description": "Counted"},
        409: {"description": "This device answered the poll already"},
        410: {"description": "The poll is closed"},
        429: {"description": "Throttled"},
    },
)
def answer_poll(
    code: Code, data: AnswerCreate, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    """One answer per device (the `bord_device` cookie, set here when missing)."""
    poll = poll_answers.find(session, settings, code, client_ip(request))
    if poll is None:
        return JSONResponse(UNKNOWN_CODE, status_code=404)
    device = device_of(request)
    poll_answers.answer(session, poll, device, data)
    response = Response(status_code=201)
    keep_device(response, device, settings)
    return response
