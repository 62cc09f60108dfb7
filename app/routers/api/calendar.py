"""Private calendar (iCal) addresses: your own agenda, and a board's planning and bordsessies.

The address is shown once, when it is made (only its hash is kept); a new one replaces the old.
"""

from fastapi import Response

from app.deps import BaseUrl, CurrentUser, IdPath, SessionDep
from app.models.calendar import CalendarFeedCreated
from app.routing import APIRouter
from app.services import calendar_feeds

router = APIRouter(tags=["calendar"])
PRIVATE = {"Cache-Control": "no-store"}


@router.post("/me/calendar", status_code=201, response_model=CalendarFeedCreated)
def create_my_calendar(
    user: CurrentUser, session: SessionDep, base_url: BaseUrl, response: Response
) -> CalendarFeedCreated:
    """A private address of your agenda: the due dates of your open actions and the plan items
    that name you, and your teams' bordsessies. The previous address stops working."""
    token = calendar_feeds.create(session, user)
    response.headers.update(PRIVATE)
    return CalendarFeedCreated(url=base_url + calendar_feeds.feed_path(token))


@router.delete("/me/calendar", status_code=204, response_class=Response)
def revoke_my_calendar(user: CurrentUser, session: SessionDep) -> Response:
    """Your agenda's address stops working (also when there was none)."""
    calendar_feeds.revoke(session, user)
    return Response(status_code=204)


@router.post("/boards/{board_id}/calendar", status_code=201, response_model=CalendarFeedCreated)
def create_board_calendar(
    board_id: IdPath, user: CurrentUser, session: SessionDep, base_url: BaseUrl, response: Response
) -> CalendarFeedCreated:
    """Your private address of the board's planning and bordsessies; it works as long as you may
    open the board. A care board has none (404). Your previous address of it stops working."""
    token = calendar_feeds.create(session, user, board_id)
    response.headers.update(PRIVATE)
    return CalendarFeedCreated(url=base_url + calendar_feeds.feed_path(token))


@router.delete("/boards/{board_id}/calendar", status_code=204, response_class=Response)
def revoke_board_calendar(board_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    """Your address of the board's calendar stops working (also when there was none)."""
    calendar_feeds.revoke(session, user, board_id)
    return Response(status_code=204)
