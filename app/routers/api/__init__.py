"""The JSON API under /api/v1 (CONTRACT.md §3)."""

from typing import Any

from fastapi.security import APIKeyCookie, HTTPBearer

from app.deps import SESSION_COOKIE
from app.routers.api import (
    actions,
    archive,
    boards,
    calendar,
    care,
    events,
    exports,
    imports,
    invitations,
    items,
    klas,
    lesson_designs,
    me,
    network_meetings,
    networks,
    overview,
    people,
    polls,
    schools,
    screens,
    sessions,
    templates,
    tokens,
    trash,
    visits,
    webhooks,
)
from app.routing import APIRouter
from app.web.api_common import COMMON_RESPONSES

# Declared for OpenAPI only (`declare_security`); app.deps.CurrentUser does the checking (401,
# CSRF for cookies).
bearer = HTTPBearer(
    auto_error=False, description="An API token (`bord token create`, or POST /api/v1/tokens)"
)
session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description="A browser session; unsafe requests also need the X-CSRF-Token header",
)

router = APIRouter(prefix="/api/v1", responses=COMMON_RESPONSES)
# The commonest requests first (a board's read, an item's edit): a request is matched against
# the routes in this order.
for _module in (
    boards,
    items,
    actions,
    me,
    schools,
    people,
    overview,
    exports,
    care,
    screens,
    sessions,
    events,
    tokens,
    invitations,
    templates,
    trash,
    calendar,
    webhooks,
    polls,
    archive,
    visits,
    imports,
    lesson_designs,
    klas,
    networks,
    network_meetings,
):
    router.include_router(_module.router)


def declare_security(schema: dict[str, Any]) -> None:
    """Name the API's two ways in on every operation of its OpenAPI document, as the schemes'
    dependencies would, without running them (they check nothing) on every request."""
    schemes = {
        scheme.scheme_name: scheme.model.model_dump(mode="json", by_alias=True, exclude_none=True)
        for scheme in (bearer, session_cookie)
    }
    schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(schemes)
    for path, operations in schema.get("paths", {}).items():
        if path.startswith(router.prefix):
            for operation in operations.values():
                operation["security"] = [{name: []} for name in schemes]
