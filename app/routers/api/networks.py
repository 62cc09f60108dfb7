"""Leernetwerken: networks, members, shared practices, Dutch search, adopting a practice.
Everything here is for the network's members only (404 for anyone else)."""

from typing import Annotated

from fastapi import Query, Response

from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep, SettingsDep
from app.models import Goal
from app.models.action import ActionPublic
from app.models.goal import GoalPublic
from app.models.network import (
    AdoptionCreate,
    AdoptionPublic,
    AdoptionStory,
    MemberAdd,
    MemberPublic,
    NetworkCreate,
    NetworkPublic,
    PracticePublic,
    PracticeShare,
    QuestionPublic,
    Sector,
    TextCreate,
)
from app.routing import APIRouter
from app.services import item_kinds, network_questions, networks
from app.web.api_common import set_board_version, versioned

router = APIRouter(tags=["networks"])
SearchText = Annotated[str, Query(max_length=200)]


class AdoptedAction(ActionPublic):
    practice_id: int
    adoption_id: int


class AdoptedGoal(GoalPublic):
    practice_id: int
    adoption_id: int


@router.get("/networks", response_model=list[NetworkPublic])
def list_networks(user: CurrentUser, session: SessionDep) -> list[NetworkPublic]:
    """The networks you are a member of."""
    return [networks.network_public(session, n) for n in networks.my_networks(session, user)]


@router.post("/networks", status_code=201, response_model=NetworkPublic)
def create_network(data: NetworkCreate, user: CurrentUser, session: SessionDep) -> NetworkPublic:
    """Start a leernetwerk: you are its facilitator and first member."""
    return networks.network_public(session, networks.create_network(session, user, data))


@router.get("/networks/{network_id}", response_model=NetworkPublic)
def read_network(network_id: IdPath, user: CurrentUser, session: SessionDep) -> NetworkPublic:
    return networks.network_public(session, networks.get_network(session, user, network_id))


@router.get("/networks/{network_id}/members", response_model=list[MemberPublic])
def list_members(network_id: IdPath, user: CurrentUser, session: SessionDep) -> list[MemberPublic]:
    return networks.members(session, user, network_id)


@router.post("/networks/{network_id}/members", status_code=201, response_model=MemberPublic)
def add_member(
    network_id: IdPath, data: MemberAdd, user: CurrentUser, session: SessionDep
) -> MemberPublic:
    """The facilitator adds a person with a Bord account by e-mail address; a member who leads a
    school adds that school's people (422 `email` for an address you may not add)."""
    member = networks.add_member(session, user, network_id, data.email)
    person = next(m for m in networks.members(session, user, network_id) if m.id == member.id)
    return person


@router.post("/networks/{network_id}/practices", status_code=201, response_model=PracticePublic)
def share_practice(
    network_id: IdPath, data: PracticeShare, user: CurrentUser, session: SessionDep
) -> PracticePublic:
    """Share what works. Exactly the fields sent are shared; `success_id` only links the success
    it came from (422 for a success of a care board: nothing of a care board is shared). The
    school and your name appear only with `name_school` / `name_person`."""
    return networks.practice_public(networks.share_practice(session, user, network_id, data))


@router.get("/networks/{network_id}/practices", response_model=list[PracticePublic])
def list_practices(
    network_id: IdPath,
    user: CurrentUser,
    session: SessionDep,
    q: SearchText = "",
    theme: Annotated[str, Query(max_length=120)] = "",
    sector: Sector | None = None,
) -> list[PracticePublic]:
    """The network's practices, newest first; `q` searches in Dutch ("lezen" finds "gelezen")."""
    found = networks.practices(session, user, network_id, q, theme, sector or "")
    return [networks.practice_public(p) for p in found]


@router.get("/practices/{practice_id}", response_model=PracticePublic)
def read_practice(practice_id: IdPath, user: CurrentUser, session: SessionDep) -> PracticePublic:
    practice, _network = networks.get_practice(session, user, practice_id)
    return networks.practice_public(practice)


@router.get("/practices/{practice_id}/adoptions", response_model=list[AdoptionPublic])
def list_adoptions(
    practice_id: IdPath, user: CurrentUser, session: SessionDep
) -> list[AdoptionPublic]:
    return networks.adoptions(session, user, practice_id)


@router.post(
    "/practices/{practice_id}/adopt",
    status_code=201,
    response_model=AdoptedAction | AdoptedGoal,
    responses=versioned(201),
)
def adopt_practice(
    practice_id: IdPath,
    data: AdoptionCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> AdoptedAction | AdoptedGoal:
    """Adopt a practice: it becomes a new action on one of your boards (or, with `"as": "goal"`,
    a new goal), linked to the practice."""
    item, adoption = networks.adopt(session, user, practice_id, data.board_id, data.as_)
    set_board_version(response, session, item.board_id)
    linked = {"practice_id": practice_id, "adoption_id": adoption.id or 0}
    if isinstance(item, Goal):
        answer = item_kinds.GOAL.answer(session, item).model_dump()
        return AdoptedGoal.model_validate({**answer, **linked})
    answer = item_kinds.ACTION.answer(session, item).model_dump()
    return AdoptedAction.model_validate({**answer, **linked})


@router.patch("/adoptions/{adoption_id}", response_model=AdoptionPublic)
def tell_how_it_went(
    adoption_id: IdPath, data: AdoptionStory, user: CurrentUser, session: SessionDep
) -> AdoptionPublic:
    """The adopter tells how it went (404 for anyone else's adoption)."""
    adoption = networks.tell_how_it_went(session, user, adoption_id, data.how_it_went)
    return networks.adoption_public(adoption, user)


@router.get("/networks/{network_id}/questions", response_model=list[QuestionPublic])
def list_questions(
    network_id: IdPath, user: CurrentUser, session: SessionDep
) -> list[QuestionPublic]:
    """The questions and casussen members brought, newest first, with their answers."""
    return network_questions.questions(session, user, network_id)


@router.post("/networks/{network_id}/questions", status_code=201, response_model=QuestionPublic)
def ask_question(
    network_id: IdPath, data: TextCreate, user: CurrentUser, session: SessionDep
) -> QuestionPublic:
    """Bring a question or a casus (never about an identifiable pupil)."""
    question = network_questions.ask(session, user, network_id, data.text)
    return network_questions.question_public(session, user, question)


@router.post("/questions/{question_id}/answers", status_code=201, response_model=QuestionPublic)
def answer_question(
    question_id: IdPath,
    data: TextCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    base_url: BaseUrl,
) -> QuestionPublic:
    """Answer a member's question; the asker gets a mail with a link to it (not when you answer
    your own question)."""
    answer = network_questions.answer(session, user, question_id, data.text, settings, base_url)
    question = network_questions.question_of(session, user, answer.question_id)
    return network_questions.question_public(session, user, question)


@router.post("/answers/{answer_id}/helpful", response_model=QuestionPublic)
def mark_helpful(answer_id: IdPath, user: CurrentUser, session: SessionDep) -> QuestionPublic:
    """The asker marks the answer that helped (404 for anyone else)."""
    question = network_questions.mark_helpful(session, user, answer_id)
    return network_questions.question_public(session, user, question)
