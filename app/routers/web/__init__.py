from fastapi import APIRouter

from app.routers.web import health

router = APIRouter()
router.include_router(health.router)
