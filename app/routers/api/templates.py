"""A school's own board templates: saved from a board, listed, deleted (CONTRACT §3b)."""

from fastapi import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.template import BoardTemplate, TemplateCreate, TemplatePublic
from app.routing import APIRouter
from app.services import templates

router = APIRouter(tags=["templates"])


@router.post("/boards/{board_id}/template", status_code=201, response_model=TemplatePublic)
def save_template(
    board_id: IdPath, data: TemplateCreate, user: CurrentUser, session: SessionDep
) -> BoardTemplate:
    """The board's kind, stand-up agenda and goals (without measurements; no people, no items)
    as a template for the school's other teams. The school's leader, or an admin."""
    return templates.save(session, user, board_id, data)


@router.get("/schools/{school_id}/templates", response_model=list[TemplatePublic])
def list_templates(school_id: IdPath, user: CurrentUser, session: SessionDep) -> list:
    """The school's own templates (members of the school); the built-in ones are named in
    `POST /teams/{id}/boards`."""
    return templates.of_school(session, user, school_id)


@router.delete("/templates/{template_id}", status_code=204)
def delete_template(template_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    """The school's leader, or an admin; boards made from it keep what they got."""
    templates.delete(session, user, template_id)
    return Response(status_code=204)
