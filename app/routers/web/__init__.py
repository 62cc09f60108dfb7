from app.routers.web import (
    accessibility,
    admin,
    archive,
    auth,
    board,
    calendar,
    care,
    exports,
    health,
    home,
    imports,
    invitations,
    klas,
    lesson_designs,
    me,
    network_meetings,
    networks,
    overview,
    password,
    people,
    polls,
    pupils,
    screens,
    session,
    sso,
    teams,
    trash,
    visits,
    webhooks,
)
from app.routing import APIRouter

router = APIRouter()
router.include_router(health.router)
router.include_router(auth.router)
router.include_router(sso.router)
router.include_router(home.router)
router.include_router(board.router)
router.include_router(archive.router)
router.include_router(screens.router)
router.include_router(session.router)
router.include_router(overview.router)
router.include_router(exports.router)
router.include_router(care.router)
router.include_router(people.router)
router.include_router(me.router)
router.include_router(invitations.router)
router.include_router(password.router)
router.include_router(teams.router)
router.include_router(trash.router)


router.include_router(webhooks.router)
router.include_router(admin.router)
router.include_router(accessibility.router)
router.include_router(calendar.router)


router.include_router(polls.router)
router.include_router(pupils.router)


router.include_router(visits.router)
router.include_router(imports.router)


router.include_router(lesson_designs.router)


router.include_router(klas.router)


router.include_router(networks.router)
router.include_router(network_meetings.router)
