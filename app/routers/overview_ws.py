"""The leader overview's live channel: `/schools/{id}/overview/ws`, for the school's leaders."""

import asyncio
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.responses import Response

from app import i18n
from app.deps import SESSION_COOKIE
from app.errors import NotFound
from app.models.types import MAX_ID
from app.realtime.connection import Outgoing, WebSocketConnection
from app.realtime.overview import OverviewScreen
from app.security.policy import led_school
from app.services import accounts

router = APIRouter()
PONG = Outgoing('<div id="live-pong" hx-swap-oob="true" hidden></div>')


def _leader_locale(ws: WebSocket, school_id: int) -> str | None:
    """The connecting leader's language, or None when the overview is out of their reach."""
    scheme, _, token = ws.headers.get("authorization", "").partition(" ")
    with ws.app.state.db.session(write=False) as session:
        if scheme.lower() == "bearer" and token.strip():
            user = accounts.token_user(session, token.strip())
        else:
            cookie = ws.cookies.get(SESSION_COOKIE)
            origin = ws.headers.get("origin")
            same_origin = origin is None or urlsplit(origin).netloc == ws.headers.get("host")
            found = accounts.session_user(session, cookie) if cookie and same_origin else None
            user = found[0] if found else None
        if user is None:
            return None
        try:
            led_school(session, user, school_id)
        except NotFound:
            return None
        return i18n.pick_locale(user.locale)


@router.websocket("/schools/{school_id}/overview/ws")
async def overview_ws(ws: WebSocket, school_id: int) -> None:
    in_range = 0 < school_id <= MAX_ID
    locale = await asyncio.to_thread(_leader_locale, ws, school_id) if in_range else None
    if locale is None:
        if "websocket.http.response" in ws.scope.get("extensions", {}):
            await ws.send_denial_response(Response(status_code=404))
        else:
            await ws.close(code=1008)
        return
    hub = ws.app.state.overview
    screen = OverviewScreen(WebSocketConnection(ws), school_id, locale)
    await ws.accept()
    hub.attach(screen)
    try:
        while True:
            message = await ws.receive_text()
            if "ping" in message:
                await screen.connection.send(PONG)
    except WebSocketDisconnect:
        pass
    finally:
        hub.detach(screen)
