"""What the web routers share: the locale, fragments of a page, raw form data, safe redirects."""

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.responses import HTMLResponse

from app import i18n
from app.templating import render_string


def locale_of(request: Request) -> str:
    return getattr(request.state, "locale", i18n.DEFAULT_LOCALE)


def fragments(
    request: Request,
    template: str,
    context: dict[str, Any],
    main: Iterable[str] = (),
    oob: Iterable[str] = (),
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Named blocks of a page: `main` for htmx's target, `oob` swapped out of band by id.

    Blocks are rendered without the request, exactly as the realtime hub renders them.
    """
    locale = locale_of(request)  # render_string puts it in the context, as `locale`
    ctx = {k: v for k, v in context.items() if k != "locale"}
    parts = [render_string(locale, template, block, **ctx, oob=False) for block in main]
    parts += [render_string(locale, template, block, **ctx, oob=True) for block in oob]
    return HTMLResponse("".join(parts), status_code=status_code, headers=headers)


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(form_data)]


def local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(c in target for c in "\r\n\t\\")
    ):
        return default
    return target
