"""Jinja2 with named-block fragments (jinja2-fragments), one environment per language."""

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import segno
from fastapi import Request
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from jinja2_fragments import render_block
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup
from starlette.responses import Response

from app import formatting, i18n
from app.services import item_kinds
from app.services.board_view import week_ahead
from app.services.deadlines import is_late

TEMPLATES_DIR = Path(__file__).parent / "templates"


@lru_cache(maxsize=64)
def qr_code(url: str) -> Markup:
    """A QR code of `url` as inline SVG (a poll's class screen pushes it with every answer)."""
    return Markup(segno.make(url).svg_inline(border=2, omitsize=True))  # noqa: S704 - segno's SVG


@lru_cache
def templates_for(locale: str) -> Jinja2Blocks:
    templates = Jinja2Blocks(directory=TEMPLATES_DIR)
    env = templates.env
    # The templates ship with the code and change only with a new release (and a restart):
    # never ask the file system whether they changed, at every render.
    env.auto_reload = False
    env.add_extension("jinja2.ext.i18n")
    # the i18n extension adds this method to the environment when it is added, unseen by mypy
    install = env.install_gettext_translations  # type: ignore[attr-defined]
    translations = i18n.translations(locale)
    install(translations, newstyle=True)
    env.globals["_"] = quick_gettext(translations.gettext)
    env.globals["locale"] = locale
    env.filters["day"] = lambda d, fmt=formatting.DAY: formatting.day(d, locale, fmt)
    env.filters["moment"] = lambda dt: formatting.moment(dt, locale)
    env.filters["week"] = formatting.week_number
    env.filters["number"] = lambda value: formatting.number(value, locale)
    env.filters["decimal"] = lambda value, places=1: formatting.decimal(value, locale, places)
    env.filters["by_week"] = by_week
    env.filters["qr"] = qr_code
    env.globals["is_late"] = is_late
    env.globals["week_ahead"] = week_ahead
    env.globals["item_kinds"] = item_kinds.KINDS
    env.globals["sparkline"] = sparkline
    env.globals["bar_chart"] = bar_chart
    return templates


def quick_gettext(gettext: Any) -> Any:
    """`_()` as the i18n extension's newstyle `gettext` answers it (escaped where the template
    escapes, always formatted with its `%(name)s` values), with a string's translation without
    values made once: a card says six of them, and the extension's `_` takes three context calls
    for each (a third of a pushed card's render)."""

    @lru_cache(maxsize=4096)  # the templates' strings (a few pass a label from the code)
    def plain(message: str, autoescape: bool) -> str:
        text = gettext(message)
        return (Markup(text) if autoescape else text) % {}  # noqa: S704 - a catalog string, as the i18n extension marks it

    @pass_eval_context
    def translate(eval_ctx: EvalContext, message: str, **values: Any) -> str:
        if not values:
            return plain(message, eval_ctx.autoescape)
        text = gettext(message)
        return (Markup(text) if eval_ctx.autoescape else text) % values  # noqa: S704 - as above; the values are escaped by %

    return translate


def by_week(items: list[Any]) -> list[tuple[int, date, date, list[Any]]]:
    """Dated items grouped per ISO week: (week number, Monday, Sunday, items)."""
    groups: dict[date, list[Any]] = {}
    for item in items:
        monday = item.date - timedelta(days=item.date.weekday())
        groups.setdefault(monday, []).append(item)
    return [
        (formatting.week_number(monday), monday, monday + timedelta(days=6), group)
        for monday, group in sorted(groups.items())
    ]


def sparkline(values: list[float], width: int = 120, height: int = 32) -> str:
    """The `points` of an SVG polyline through `values`, scaled to the box."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{height - (v - low) / span * (height - 4) - 2:.1f}"
        for i, v in enumerate(values)
    )


def bar_chart(values: list[int], height: int = 32, step: int = 10) -> list[tuple]:
    """(x, y, height, value) of an SVG bar per value, scaled to the tallest; empty weeks get a
    1-unit stub so the weeks stay visible."""
    top = max(max(values, default=0), 1)
    bars = []
    for i, value in enumerate(values):
        h = value / top * (height - 4)
        bars.append((i * step + 1, f"{height - 1 - h:.1f}", f"{h + 1:.1f}", value))
    return bars


@lru_cache(maxsize=256)
def _macro(locale: str, template: str, name: str) -> Any:
    """A macro of a template's module, made once per language (templates are not reloaded)."""
    return getattr(templates_for(locale).env.get_template(template).module, name)


def render_macro(locale: str, template: str, macro: str, *args: Any, **kwargs: Any) -> str:
    """One macro of a template, called on the template's module: the smallest fragments the
    hub renders for every change, without a whole template's context."""
    return str(_macro(locale, template, macro)(*args, **kwargs))


def render_string(locale: str, template: str, block: str | None = None, **context: Any) -> str:
    """Render without a request: the hub renders a fragment once per variant with this."""
    env = templates_for(locale).env
    if block is None:
        return env.get_template(template).render(**context)
    return render_block(env, template, block, **context)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    blocks: list[str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
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
