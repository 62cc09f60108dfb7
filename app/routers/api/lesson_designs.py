"""Gezamenlijk lesontwerp: a lesson designed on a board, its evaluation, and the school's
kwaliteitskaarten."""

from typing import Annotated

from fastapi import Query, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.lesson_design import (
    EvaluationCreate,
    LessonDesignCreate,
    LessonDesignPublic,
    LessonDesignUpdate,
    QualityCardCreate,
    QualityCardPublic,
)
from app.routing import APIRouter
from app.services import lesson_designs
from app.web.api_common import STALE, set_board_version, versioned

router = APIRouter(tags=["lesson designs"])

SearchQuery = Annotated[str, Query(max_length=200, description="Words to find in the cards")]


@router.post(
    "/boards/{board_id}/lesson-designs",
    status_code=201,
    response_model=LessonDesignPublic,
    responses=versioned(201),
)
def create_design(
    board_id: IdPath,
    data: LessonDesignCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> LessonDesignPublic:
    """Design a lesson together: lesdoel, opbouw, what to watch for, who gives it when, and the
    board's lesbezoeken that observe it (`visit_ids`). For the board's members; a care board
    has none (404)."""
    design = lesson_designs.create_design(session, user, board_id, data)
    set_board_version(response, session, design.board_id)
    return lesson_designs.design_public(session, design)


@router.get("/lesson-designs/{design_id}", response_model=LessonDesignPublic)
def read_design(design_id: IdPath, user: CurrentUser, session: SessionDep) -> LessonDesignPublic:
    design, _board = lesson_designs.get_design(session, user, design_id)
    return lesson_designs.design_public(session, design)


@router.patch(
    "/lesson-designs/{design_id}",
    response_model=LessonDesignPublic,
    responses={**versioned(200), **STALE},
)
def update_design(
    design_id: IdPath,
    data: LessonDesignUpdate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> LessonDesignPublic:
    """Change the fields sent (`visit_ids` replaces the linked visits), against the `version`
    you read: 409 with the design as it is now when someone changed it meanwhile."""
    design = lesson_designs.update_design(session, user, design_id, data)
    set_board_version(response, session, design.board_id)
    return lesson_designs.design_public(session, design)


@router.post(
    "/lesson-designs/{design_id}/evaluation",
    response_model=LessonDesignPublic,
    responses=versioned(200),
)
def evaluate(
    design_id: IdPath,
    data: EvaluationCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> LessonDesignPublic:
    """What worked and what to change, once the lesson was given (422 `not_given_yet` before
    its day); written again, it replaces the last."""
    design = lesson_designs.evaluate(session, user, design_id, data)
    set_board_version(response, session, design.board_id)
    return lesson_designs.design_public(session, design)


@router.post(
    "/lesson-designs/{design_id}/quality-card",
    status_code=201,
    response_model=QualityCardPublic,
    responses=versioned(201),
)
def make_quality_card(
    design_id: IdPath,
    data: QualityCardCreate,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
) -> QualityCardPublic:
    """The evaluated design as the school's kwaliteitskaart ("wat werkt bij `subject`"); `works`
    defaults to the evaluation's "what worked". 409 before the evaluation, or when the design
    has its card already."""
    card = lesson_designs.make_quality_card(session, user, design_id, data)
    design, _board = lesson_designs.get_design(session, user, design_id)
    set_board_version(response, session, design.board_id)
    return lesson_designs.card_public(card)


@router.get("/schools/{school_id}/quality-cards", response_model=list[QualityCardPublic])
def school_cards(
    school_id: IdPath, user: CurrentUser, session: SessionDep, q: SearchQuery = ""
) -> list[QualityCardPublic]:
    """The school's kwaliteitskaarten, newest first, for every member of the school; `q` finds
    words in their texts."""
    _school, cards = lesson_designs.school_cards(session, user, school_id, q)
    return [lesson_designs.card_public(card) for card in cards]
