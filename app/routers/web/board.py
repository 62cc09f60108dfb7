"""The board page and every change made on it.

Each answer to an htmx request is made of named blocks of pages/board/board.html: the section
that changed (swapped into its list) and the board version (out of band). Refusals (a form with
its errors, a conflict panel) are raised as `Rejected`, so the transaction rolls back.
"""

from collections.abc import Callable
from datetime import date

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from sqlmodel import Session
from starlette.responses import Response

from app import clock, i18n
from app.db import Database
from app.deps import CurrentUser, IdPath, SessionDep
from app.errors import Conflict, Invalid, NotFound
from app.handlers import Rejected
from app.models import Board, BoardKind, School, Team, User
from app.models.action import ActionUpdate
from app.models.goal import MeasurementCreate
from app.models.notes import (
    HelpAnswer,
    IdeaUpdate,
)
from app.models.rows import require_id
from app.realtime import reads
from app.routing import APIRouter
from app.security import policy
from app.services import actions, board_view, class_pupils, item_kinds, item_reads, items
from app.services.item_kinds import ItemKind
from app.templating import render_string
from app.web import forms
from app.web.board_page import (
    TEMPLATE,
    SectionName,
    board_context,
    board_fragments,
    field_text,
    form_context,
    values_of,
    view_context,
)
from app.web.care_page import care_page
from app.web.common import FormDep, locale_of
from app.web.reads import answer, cached_read
from app.web.undo import Undo

router = APIRouter(include_in_schema=False)

GOAL_REACHED = forms.N_("Doel bereikt: %(title)s (%(value)s)")


def _swap_to(selector: str) -> dict[str, str]:
    return {"HX-Retarget": selector, "HX-Reswap": "outerHTML"}


# --- the page ----------------------------------------------------------------------------------


def _overview_url(found: policy.BoardRead) -> str | None:
    """Where "Overzicht" leads, as services.overview.overview_link says, from the read."""
    if not found.leads:
        return None
    if found.is_admin or found.led_schools != 1:
        return "/overview"
    return f"/schools/{found.school_id}/overview"


def page_entry(
    db: Database,
    board_id: int,
    locale: str,
    key: tuple,
    *,
    today: date,
    can_answer: bool,
    overview_url: str | None,
    has_csrf: bool,
) -> reads.Page:
    """The page as it is now for one variant, with marks for the per-login parts."""
    with db.session(write=False) as session:
        board = session.get(Board, board_id)
        if board is None:
            raise NotFound()
        view = board_view.load_board(session, board, with_session=True, today=today)
        team = session.get(Team, board.team_id)
        layout = {
            "user_name": reads.NAME_MARK,
            "csrf_token": reads.CSRF_MARK if has_csrf else None,
            "path": f"/boards/{board.id}",
        }
        html = render_string(
            locale,
            TEMPLATE,
            None,
            **view_context(view, can_answer),
            team=team,
            school=session.get(School, team.school_id) if team else None,
            overview_url=overview_url,
            layout=layout,
            class_roles=class_pupils.week_roles(session, board, today)
            if board.kind == BoardKind.klas
            else None,
        )
        etag = f'W/"{board.id}-{board.version}.page.{reads.tag(locale, *key)}"'
        return reads.page_entry(board.version, etag, html)


@router.get("/boards/{board_id}")
async def board_page(board_id: IdPath, request: Request) -> Response:
    """The board, from what was rendered for its version and the reader's variant (a care
    board's page writes an audit entry, so it is made for each read)."""
    app = request.app
    cache = app.state.board_reads.cache

    def key_of(found: policy.BoardRead) -> tuple:
        audience = "leader" if found.leads else "member"
        today = clock.today(clock.zone(found.time_zone))
        key = ("page", audience, request.state.locale, today, found.team, found.school)
        return (*key, found.people, _overview_url(found), found.csrf_token is not None)

    def cached(found: policy.BoardRead) -> reads.Page | None:
        if found.kind == BoardKind.care:
            return None
        entry = cache.get(board_id, key_of(found), found.version)
        return entry if isinstance(entry, reads.Page) else None

    def render(found: policy.BoardRead) -> reads.Page | Response:
        if found.kind == BoardKind.care:
            with app.state.db.session(write=False) as session:
                user = session.get(User, found.user_id)
                board = session.get(Board, board_id)
                assert user is not None and board is not None
                return care_page(request, session, user, board)
        key = key_of(found)
        entry = page_entry(
            app.state.db,
            board_id,
            request.state.locale,
            key,
            today=key[3],
            can_answer=found.leads,
            overview_url=_overview_url(found),
            has_csrf=found.csrf_token is not None,
        )
        cache.put(board_id, key, entry)
        return entry

    found, entry = await cached_read(request, board_id, page=True, cached=cached, render=render)
    if isinstance(entry, Response):
        return entry
    head = reads.page_head(entry, found.name, found.csrf_token)
    return answer(
        request,
        entry.version,
        reads.page_etag(entry, found.name, found.csrf_token),
        "text/html",
        lambda: reads.page_body(entry, head),
        lambda: reads.page_gzip(entry, head),
    )


@router.get("/boards/{board_id}/sections/{section}")
def board_section(
    board_id: IdPath, section: SectionName, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """One section as it is now: after a cancelled edit, a failed move, or to catch up."""
    board = policy.visible_board(session, user, board_id)
    return board_fragments(request, board_context(session, user, board), [section], ["version"])


# --- add, edit, delete: the same for every area ------------------------------------------------


def _create_item(
    area: ItemKind, board_id: int, request: Request, user: User, session: Session, form: dict
) -> Response:
    board = policy.visible_board(session, user, board_id)
    locale = locale_of(request)
    try:
        data = forms.parse(area.create, form, locale, area.fields, optional=area.optional)
        items.create_item(session, user, area, require_id(board), data)
    except forms.FormErrors as exc:
        errors = exc.errors
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, area.fields)
    else:
        context = board_context(session, user, board)
        return board_fragments(
            request, context, [f"form_{area.section}"], [area.section, "version"]
        )
    context = form_context(session, board, values=form, errors=errors)
    raise Rejected(board_fragments(request, context, [f"form_{area.section}"], status_code=422))


def _edit_form(
    area: ItemKind, item_id: int, request: Request, user: User, session: Session
) -> Response:
    item, board = items.get_item(session, user, area, item_id)
    context = form_context(
        session,
        board,
        area=area,
        item_id=item.id,
        version=item.version,
        values=values_of(item, area.fields, locale_of(request)),
    )
    return board_fragments(request, context, ["edit_form"])


def _conflict(
    area: ItemKind,
    item_id: int,
    request: Request,
    session: Session,
    board: Board,
    exc: Conflict,
    mine: dict[str, str] | None,
) -> Rejected:
    current = jsonable_encoder(exc.current) if exc.current is not None else {}
    context = form_context(
        session,
        board,
        area=area,
        item_id=item_id,
        version=current.get("version", 0),
        mine=mine,
        theirs=values_of(current, area.fields, locale_of(request)),
    )
    return Rejected(
        board_fragments(
            request,
            context,
            ["conflict"],
            status_code=409,
            headers=_swap_to("#" + area.card_id(item_id)),
        )
    )


def _update_item(
    area: ItemKind, item_id: int, request: Request, user: User, session: Session, form: dict
) -> Response:
    _item, board = items.get_item(session, user, area, item_id)
    locale = locale_of(request)
    sent = {name: form.get(name, "") for name in area.fields if name in form}
    try:
        data = forms.parse(
            area.update,
            form,
            locale,
            (*area.fields, "version"),
            optional=area.optional,
            shown=area.fields,
        )
        items.update_item(session, user, area, item_id, data)
    except forms.FormErrors as exc:
        errors = exc.errors
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, area.fields)
    except Conflict as exc:
        raise _conflict(area, item_id, request, session, board, exc, sent) from None
    else:
        context = board_context(session, user, board)
        return board_fragments(request, context, [area.section], ["version"])
    context = form_context(
        session,
        board,
        area=area,
        item_id=item_id,
        version=form.get("version", ""),
        values=form,
        errors=errors,
    )
    raise Rejected(
        board_fragments(
            request,
            context,
            ["edit_form"],
            status_code=422,
            headers=_swap_to("#" + area.card_id(item_id)),
        )
    )


def _delete_item(
    area: ItemKind, item_id: int, request: Request, user: User, session: Session, form: dict
) -> Response:
    """Into the prullenbak, with "Verwijderd · Ongedaan maken" for a few seconds."""
    _item, board = items.get_item(session, user, area, item_id)
    version = forms.whole_number(form.get("version"))
    try:
        item, _board = items.delete_item(session, user, area, item_id, version)
    except Conflict as exc:
        raise _conflict(area, item_id, request, session, board, exc, None) from None
    undo = Undo(area.name, require_id(item), item.version, f"#list-{area.section}")
    context = {**board_context(session, user, board), "undo": undo}
    return board_fragments(request, context, [area.section], ["version", "toasts"])


def _register(area: ItemKind) -> None:
    def create(
        board_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
    ) -> Response:
        return _create_item(area, board_id, request, user, session, form)

    def edit_form(
        item_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
    ) -> Response:
        return _edit_form(area, item_id, request, user, session)

    def update(
        item_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
    ) -> Response:
        return _update_item(area, item_id, request, user, session, form)

    def delete(
        item_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
    ) -> Response:
        return _delete_item(area, item_id, request, user, session, form)

    name = area.section
    router.add_api_route(
        f"/boards/{{board_id}}/{area.slug}", create, methods=["POST"], name=f"add_{name}"
    )
    router.add_api_route(
        f"/{area.slug}/{{item_id}}/edit", edit_form, methods=["GET"], name=f"edit_{name}"
    )
    router.add_api_route(
        f"/{area.slug}/{{item_id}}", update, methods=["POST"], name=f"update_{name}"
    )
    router.add_api_route(
        f"/{area.slug}/{{item_id}}/delete", delete, methods=["POST"], name=f"delete_{name}"
    )


for _area in item_kinds.KINDS:
    _register(_area)


# --- what only some areas do -------------------------------------------------------------------


@router.post("/actions/{action_id}/move")
def move_action(
    action_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """A drag or a key press: `{status, position, version}`. On any refusal, the column reloads."""
    _action, board = items.get_item(session, user, item_kinds.ACTION, action_id)

    def move() -> None:
        fields = ("status", "position", "version")
        data = forms.parse(ActionUpdate, form, locale_of(request), fields)
        items.update_item(session, user, item_kinds.ACTION, action_id, data)

    return _section_after(request, session, user, board, "actions", move)


@router.post("/goals/{goal_id}/measurements")
def add_measurement(
    goal_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    goal, board = items.get_item(session, user, item_kinds.GOAL, goal_id)
    locale = locale_of(request)
    fields = ("date", "value", "note")
    try:
        data = forms.parse(MeasurementCreate, form, locale, fields)
        items.add_measurement(session, user, goal_id, data)
    except forms.FormErrors as exc:
        errors = exc.errors
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, fields)
    else:
        context = board_context(session, user, board)
        return board_fragments(request, context, ["goals"], ["version"])
    context = form_context(session, board, goal=goal, values=form, errors=errors)
    raise Rejected(
        board_fragments(
            request,
            context,
            ["measure_form"],
            status_code=422,
            headers=_swap_to(f"#measure-{goal_id}"),
        )
    )


@router.post("/goals/{goal_id}/celebrate")
def celebrate_goal(
    goal_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """'Vier het als succes': a reached goal becomes a success that names it, in one tap."""
    locale = locale_of(request)

    def describe(view: item_reads.GoalView) -> str:
        goal, latest = view.goal, view.latest
        if latest is None:
            raise RuntimeError("a reached goal has a measurement")
        value = f"{field_text(latest.value, locale)} {goal.unit}".strip()
        return i18n.gettext(locale, GOAL_REACHED, title=goal.title, value=value)

    _goal, board = items.get_item(session, user, item_kinds.GOAL, goal_id)
    shown = ("successes", "goals")
    try:
        items.celebrate_goal(session, user, goal_id, describe)
    except Conflict:
        # celebrated meanwhile (a second tap, another screen): show the success that is there
        context = board_context(session, user, board, shown)
        raise Rejected(board_fragments(request, context, [], shown, status_code=409)) from None
    context = board_context(session, user, board, shown)
    return board_fragments(request, context, [], [*shown, "version"])


@router.post("/ideas/{idea_id}/promote")
def promote_idea(
    idea_id: IdPath, request: Request, user: CurrentUser, session: SessionDep
) -> Response:
    """'Maak er een actie van': the idea leaves the parking lot and lands in Te doen."""
    action = actions.promote_idea(session, user, idea_id)
    board = policy.visible_board(session, user, action.board_id)
    context = board_context(session, user, board)
    return board_fragments(request, context, ["ideas"], ["actions", "version"])


@router.post("/ideas/{idea_id}/place")
def place_idea(
    idea_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    """'Plaats in matrix' (a choice or a drag): `{quadrant: "high-low"…, version}`; an empty
    quadrant puts the idea back in the tray. On any refusal, the ideas reload."""
    _idea, board = items.get_item(session, user, item_kinds.IDEA, idea_id)
    impact, _, effort = form.get("quadrant", "").partition("-")
    place = {"impact": impact, "effort": effort, "version": form.get("version", "")}

    def move() -> None:
        optional = ("impact", "effort")
        data = forms.parse(IdeaUpdate, place, locale_of(request), tuple(place), optional=optional)
        items.update_item(session, user, item_kinds.IDEA, idea_id, data)

    return _section_after(request, session, user, board, "ideas", move)


def _section_after(
    request: Request,
    session: Session,
    user: User,
    board: Board,
    section: str,
    move: Callable[[], None],
) -> Response:
    """A drag's change, answered with its section; on any refusal the section as it stands
    (rolled back), so the screen drops what was dragged and shows the truth."""
    try:
        move()
    except (forms.FormErrors, Invalid):
        status_code = 422
    except Conflict:
        status_code = 409
    else:
        context = board_context(session, user, board)
        return board_fragments(request, context, [section], ["version"])
    context = board_context(session, user, board)
    raise Rejected(board_fragments(request, context, [section], status_code=status_code))


@router.post("/help-requests/{item_id}/answer")
def answer_help_request(
    item_id: IdPath, request: Request, user: CurrentUser, session: SessionDep, form: FormDep
) -> Response:
    item, board = items.get_item(session, user, item_kinds.HELP_REQUEST, item_id)
    locale = locale_of(request)
    try:
        data = forms.parse(HelpAnswer, form, locale, ("text", "version"), shown=("text",))
        items.answer_help_request(session, user, item_id, data)
    except forms.FormErrors as exc:
        errors = exc.errors
    except Invalid as exc:
        errors = forms.from_invalid(exc, locale, ("text",))
    except Conflict:
        # Answered meanwhile by someone else: show the answer that is there now.
        context = board_context(session, user, board)
        raise Rejected(board_fragments(request, context, ["help"], status_code=409)) from None
    else:
        context = board_context(session, user, board)
        return board_fragments(request, context, ["help"], ["version"])
    context = form_context(session, board, item=item, values=form, errors=errors)
    raise Rejected(
        board_fragments(
            request,
            context,
            ["answer_form"],
            status_code=422,
            headers=_swap_to(f"#answer-{item_id}"),
        )
    )
