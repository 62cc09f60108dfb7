"""The school's teams and boards, managed by its leader: create, rename, archive, restore.

Plain forms that answer with a redirect back to the page (so a reload never sends twice); a
refused form answers 422 with the page again, the message next to the field that was wrong.
"""

from typing import Any

from fastapi import Request
from sqlmodel import Session, SQLModel
from starlette.responses import RedirectResponse, Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Invalid
from app.handlers import Rejected
from app.models import Board, BoardKind, User
from app.models.board import BoardCreate, BoardUpdate
from app.models.school import TeamCreate, TeamUpdate
from app.models.template import TemplateCreate
from app.routing import APIRouter
from app.security import policy
from app.services import boards, schools, teams, templates
from app.templating import render
from app.web import forms
from app.web.common import FormDep, locale_of
from app.web.manage_forms import OVERRIDES, form_errors

router = APIRouter(include_in_schema=False)

TEMPLATE = "pages/teams/teams.html"


def _page(
    request: Request,
    session: Session,
    user: User,
    school_id: int,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "page": teams.school_teams(session, user, school_id),
        "kinds": [k.value for k in BoardKind],
        "built_in": list(templates.BUILT_IN),
        "templates": templates.of_school(session, user, school_id),
        "errors": errors or {},
        "values": values or {},
    }
    return render(request, TEMPLATE, context, status_code=status_code)


def _back(school_id: int, anchor: str = "") -> Response:
    target = f"/schools/{school_id}/teams" + (f"#{anchor}" if anchor else "")
    return RedirectResponse(target, status_code=303)


def _refuse(
    request: Request,
    session: Session,
    user: User,
    school_id: int,
    form_id: str,
    errors: dict[str, str],
    form: dict[str, str],
) -> Rejected:
    return Rejected(
        _page(
            request,
            session,
            user,
            school_id,
            errors={form_id: errors},
            values={form_id: form},
            status_code=422,
        )
    )


def _parse(
    request: Request,
    schema: type[SQLModel],
    form: dict[str, str],
    fields: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> Any:
    return forms.parse(
        schema, form, locale_of(request), fields, optional=optional, overrides=OVERRIDES
    )


@router.get("/schools/{school_id}/teams")
def teams_page(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """The school's leader (or an admin); anyone else 404."""
    return _page(request, session, user, school_id)


@router.post("/schools/{school_id}/teams")
def create_team(
    school_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    policy.led_school(session, user, school_id)
    fields = ("name",)
    try:
        team = schools.create_team(
            session, user, school_id, _parse(request, TeamCreate, form, fields)
        )
    except (forms.FormErrors, Invalid) as exc:
        errors = form_errors(exc, locale_of(request), fields)
        raise _refuse(request, session, user, school_id, "new-team", errors, form) from None
    return _back(school_id, f"team-{team.id}")


@router.post("/teams/{team_id}/rename")
def rename_team(
    team_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    team = policy.managed_team(session, user, team_id)
    fields = ("name",)
    try:
        teams.update_team(session, user, team_id, _parse(request, TeamUpdate, form, fields))
    except (forms.FormErrors, Invalid) as exc:
        errors = form_errors(exc, locale_of(request), fields)
        form_id = f"team-{team.id}-rename"
        raise _refuse(request, session, user, team.school_id, form_id, errors, form) from None
    return _back(team.school_id, f"team-{team.id}")


@router.post("/teams/{team_id}/archive")
def archive_team(team_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    team = teams.update_team(session, user, team_id, TeamUpdate(archived=True))
    return _back(team.school_id, "archived")


@router.post("/teams/{team_id}/restore")
def restore_team(team_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    team = teams.update_team(session, user, team_id, TeamUpdate(archived=False))
    return _back(team.school_id, f"team-{team.id}")


@router.post("/teams/{team_id}/boards")
def create_board(
    team_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    team = policy.managed_team(session, user, team_id)
    fields = ("title", "kind", "template", "ib_email")
    # An empty choice leaves the field out: no template, and the kind the template gives.
    chosen = {k: v for k, v in form.items() if not (k in ("kind", "template") and v == "")}
    try:
        data = _parse(request, BoardCreate, chosen, fields, optional=("ib_email",))
        schools.create_board(session, user, team_id, data)
    except (forms.FormErrors, Invalid) as exc:
        errors = form_errors(exc, locale_of(request), fields)
        form_id = f"team-{team.id}-board"
        raise _refuse(request, session, user, team.school_id, form_id, errors, form) from None
    return _back(team.school_id, f"team-{team.id}")


def _managed(session: Session, user: User, board_id: int) -> tuple[Board, int]:
    board = policy.managed_board(session, user, board_id)
    return board, policy.school_of_board(session, board)


@router.post("/boards/{board_id}/rename")
def rename_board(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    board, school_id = _managed(session, user, board_id)
    fields = ("title",)
    try:
        boards.update_board(session, user, board_id, _parse(request, BoardUpdate, form, fields))
    except (forms.FormErrors, Invalid) as exc:
        errors = form_errors(exc, locale_of(request), fields)
        form_id = f"board-{board.id}-rename"
        raise _refuse(request, session, user, school_id, form_id, errors, form) from None
    return _back(school_id, f"team-{board.team_id}")


@router.post("/boards/{board_id}/archive")
def archive_board(board_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    board, school_id = _managed(session, user, board_id)
    boards.update_board(session, user, board_id, BoardUpdate(archived=True))
    return _back(school_id, f"team-{board.team_id}")


@router.post("/boards/{board_id}/restore")
def restore_board(board_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    board, school_id = _managed(session, user, board_id)
    boards.update_board(session, user, board_id, BoardUpdate(archived=False))
    return _back(school_id, f"team-{board.team_id}")


@router.post("/boards/{board_id}/template")
def save_template(
    board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    board, school_id = _managed(session, user, board_id)
    fields = ("name",)
    try:
        templates.save(session, user, board_id, _parse(request, TemplateCreate, form, fields))
    except (forms.FormErrors, Invalid) as exc:
        errors = form_errors(exc, locale_of(request), fields)
        form_id = f"board-{board.id}-template"
        raise _refuse(request, session, user, school_id, form_id, errors, form) from None
    return _back(school_id, "templates")


@router.post("/templates/{template_id}/delete")
def delete_template(template_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    template = templates.delete(session, user, template_id)
    return _back(template.school_id, "templates")
