"""The JSON API under /api/v1 (CONTRACT.md §3)."""

from fastapi import APIRouter

from app.routers.api import actions, boards, items, me, schools, tokens
from app.routers.api.common import COMMON_RESPONSES

router = APIRouter(prefix="/api/v1", responses=COMMON_RESPONSES)
for _module in (me, schools, boards, actions, items, tokens):
    router.include_router(_module.router)
