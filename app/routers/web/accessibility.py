"""The accessibility statement (toegankelijkheidsverklaring): public, in the reader's language."""

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response

from app import i18n
from app.deps import OptionalAuth
from app.routing import APIRouter
from app.templating import render

router = APIRouter(include_in_schema=False)

PATH = "/toegankelijkheid"


@router.get(PATH)
def statement(
    request: Request,
    _: OptionalAuth,
    lang: Annotated[str | None, Query(max_length=5)] = None,
) -> Response:
    """`?lang=` reads it in another language once, without changing anyone's choice."""
    if lang in i18n.LOCALES:
        request.state.locale = lang
    return render(request, "pages/accessibility/statement.html")
