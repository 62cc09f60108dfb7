from fastapi import APIRouter
from sqlalchemy import text

from app.deps import SessionDep

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz(session: SessionDep) -> dict[str, str]:
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return {"status": "ok"}
