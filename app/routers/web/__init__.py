from fastapi import APIRouter

from app.routers.web import (
    accessibility,
    admin,
    auth,
    board,
    care,
    health,
    home,
    invitations,
    me,
    overview,
    password,
    people,
    screens,
    session,
    sso,
    teams,
    visits,
)

router = APIRouter()
router.include_router(health.router)
router.include_router(auth.router)
router.include_router(sso.router)
router.include_router(home.router)
router.include_router(board.router)
router.include_router(screens.router)
router.include_router(session.router)
router.include_router(overview.router)
router.include_router(care.router)
router.include_router(people.router)
router.include_router(me.router)
router.include_router(invitations.router)
router.include_router(password.router)
router.include_router(teams.router)
router.include_router(admin.router)
router.include_router(accessibility.router)
router.include_router(visits.router)
