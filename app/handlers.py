"""The exception handlers, registered once: JSON under /api, a page or fragment elsewhere."""

import math
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from app import i18n
from app.admission import RETRY_AFTER_SECONDS, body_limit, nul_in_url
from app.db import is_nul_refused, is_overload
from app.errors import BordError, Conflict, Invalid, InvalidLines, NotAuthenticated, TooLarge
from app.loop_connections import ReadsBusy
from app.models.types import nul_refusal
from app.templating import render

BUSY = "Server busy: nothing was changed; send the same request again after Retry-After"


E = TypeVar("E", bound=Exception)


class Rejected(Exception):
    """A web handler's refusal, already rendered (a form with its errors, a conflict panel).

    Raised rather than returned so that the session dependency rolls the transaction back:
    a rejected request changes nothing, even when a service had begun its change.
    """

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _registered(exc: Exception, kind: type[E]) -> E:
    """Starlette types every handler's exception as Exception; each is registered for one kind."""
    if isinstance(exc, kind):
        return exc
    raise exc


async def rejected(request: Request, exc: Exception) -> Response:
    exc = _registered(exc, Rejected)
    return exc.response


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _json(exc: BordError) -> JSONResponse:
    body: dict[str, Any] = {"detail": exc.detail}
    if isinstance(exc, Invalid):
        body["detail"] = [{"loc": ["body", exc.field], "msg": exc.message, "type": exc.kind}]
    if isinstance(exc, InvalidLines):
        body["detail"] = [
            {"loc": ["body", exc.field, fault.line], "msg": fault.message, "type": fault.kind}
            for fault in exc.lines
        ]
    if isinstance(exc, TooLarge) and exc.field:
        body["detail"] = [{"loc": ["body", exc.field], "msg": exc.detail, "type": "too_large"}]
    if isinstance(exc, Conflict):
        body["current"] = jsonable_encoder(exc.current)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthenticated) else None
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


async def bord_error(request: Request, exc: Exception) -> Response:
    exc = _registered(exc, BordError)
    if is_api(request):
        return _json(exc)
    if isinstance(exc, NotAuthenticated):
        target = "/login?next=" + quote(request.url.path)
        if request.headers.get("HX-Request"):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    return render(
        request,
        "errors/error.html",
        {"status": exc.status_code},
        status_code=exc.status_code,
    )


async def http_error(request: Request, exc: Exception) -> Response:
    exc = _registered(exc, StarletteHTTPException)
    if is_api(request):
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
    return render(
        request, "errors/error.html", {"status": exc.status_code}, status_code=exc.status_code
    )


def _printable(value: Any) -> Any:
    """Echoed input made safe for JSON: no lone surrogates, no NaN or infinities."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


async def validation_error(request: Request, exc: Exception) -> Response:
    exc = _registered(exc, RequestValidationError)
    if is_api(request):
        # Name the field and the rule, never echo what was sent: it may be about a pupil.
        errors = [{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]
        detail = _printable(jsonable_encoder(errors))
        return JSONResponse({"detail": detail}, status_code=422)
    return render(request, "errors/error.html", {"status": 422}, status_code=422)


def busy(request: Request) -> Response:
    """503 with Retry-After: nothing was changed, the same request may be sent again."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if is_api(request):
        return JSONResponse({"detail": BUSY}, status_code=503, headers=headers)
    _pick_locale(request)
    # a page asked for directly asks again by itself, a little later than a script would
    context = {"status": 503, "retry_after": 2 * RETRY_AFTER_SECONDS}
    return render(request, "errors/error.html", context, status_code=503, headers=headers)


def _pick_locale(request: Request) -> None:
    """The reader's language for an answer given before the request reached the app."""
    if not hasattr(request.state, "locale"):
        request.state.locale = i18n.pick_locale(
            request.cookies.get("bord_lang"), request.app.state.settings.default_locale
        )


def too_large(request: Request) -> Response:
    """413, naming the limit: for the API as a field error on the upload's field (or as the
    detail), for a page in the reader's language, with a way back to the page it came from.
    (htmx does not swap it: static/js/bord.js says it in place.)"""
    limit = body_limit(request.scope)
    if is_api(request):
        return _json(TooLarge(limit.message, field=limit.field))
    _pick_locale(request)
    came_from = urlsplit(request.headers.get("referer", ""))
    same_site = came_from.netloc == request.url.netloc and came_from.path.startswith("/")
    context = {"status": 413, "notice": limit.notice, "back": came_from.path if same_site else ""}
    return render(request, "errors/error.html", context, status_code=413)


async def refused(status: int, scope: Scope, receive: Receive, send: Send) -> None:
    """The admission gate's answer to a request it did not let in: busy (503), a body too
    large to read (413), or a NUL in its URL (422)."""
    request = Request(scope, receive)
    if status == 422:
        _pick_locale(request)
        where = nul_in_url(scope) or ("path",)
        answer = await validation_error(request, RequestValidationError([nul_refusal(where)]))
    else:
        answer = busy(request) if status == 503 else too_large(request)
    await answer(scope, receive, send)


async def database_error(request: Request, exc: Exception) -> Response:
    if is_overload(exc):
        return busy(request)
    if is_nul_refused(exc):  # a form field passed on as it came (the models refuse it first)
        return await validation_error(request, RequestValidationError([nul_refusal(("body",))]))
    raise exc


async def no_read_connection(request: Request, exc: Exception) -> Response:
    """A board read waited too long for one of its connections (app/realtime/reads.py)."""
    return busy(request)


def register(app: FastAPI) -> None:
    app.add_exception_handler(ReadsBusy, no_read_connection)
    app.add_exception_handler(PoolTimeout, database_error)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(Rejected, rejected)
    app.add_exception_handler(BordError, bord_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
