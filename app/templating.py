"""Jinja2 with named-block fragments (jinja2-fragments), one environment per language."""

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import HTMLResponse

from app import i18n

TEMPLATES_DIR = Path(__file__).parent / "templates"


@lru_cache
def templates_for(locale: str) -> Jinja2Blocks:
    templates = Jinja2Blocks(directory=TEMPLATES_DIR)
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.globals["locale"] = locale
    env.filters["day"] = lambda d, fmt="EEE d MMM": i18n.format_day(d, locale, fmt)
    env.filters["moment"] = lambda dt: i18n.format_moment(dt, locale)
    env.filters["week"] = i18n.iso_week
    env.filters["number"] = _number
    return templates


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def render_string(locale: str, template: str, block: str | None = None, **context: Any) -> str:
    """Render without a request: the hub renders a fragment once per variant with this."""
    env = templates_for(locale).env
    tmpl = env.get_template(template)
    if block is None:
        return tmpl.render(**context)
    return "".join(tmpl.blocks[block](tmpl.new_context(context)))


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    blocks: list[str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    locale = getattr(request.state, "locale", i18n.DEFAULT_LOCALE)
    templates = templates_for(locale)
    ctx = {"request": request, **(context or {})}
    kwargs: dict[str, Any] = {}
    if block:
        kwargs["block_name"] = block
    elif blocks:
        kwargs["block_names"] = blocks
    return templates.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=headers, **kwargs
    )
