"""Your own API tokens: the token itself is shown once, when it is created."""

from fastapi import Response

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.auth import ApiToken, TokenCreate, TokenCreated, TokenPublic
from app.models.rows import require_id
from app.routing import APIRouter
from app.services import accounts

router = APIRouter(tags=["tokens"])


@router.get("/tokens", response_model=list[TokenPublic])
def list_tokens(user: CurrentUser, session: SessionDep) -> list[ApiToken]:
    return accounts.tokens_of(session, user)


@router.post("/tokens", status_code=201, response_model=TokenCreated)
def create_token(data: TokenCreate, user: CurrentUser, session: SessionDep) -> TokenCreated:
    token, row = accounts.create_token(session, user, data.label)
    return TokenCreated(
        id=require_id(row),
        label=row.label,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        token=token,
    )


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response)
def revoke_token(token_id: IdPath, user: CurrentUser, session: SessionDep) -> Response:
    accounts.revoke_token(session, user, token_id)
    return Response(status_code=204)
