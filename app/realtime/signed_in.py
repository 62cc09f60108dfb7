"""A live channel's join for a scope a signed-in person reaches by its id (a poll, a network):
the person the credential names, the id in the path, and the scope's own reach rule."""

from collections.abc import Callable

from sqlmodel import Session

from app import i18n
from app.db import Database
from app.errors import NotFound
from app.models import User
from app.models.types import MAX_ID
from app.realtime.channel import Connection, Credential, Join, Screen, Variant
from app.services import accounts

# The scope's reach rule: returns it, or raises NotFound when the person may not see it.
Reach = Callable[[Session, User, int], object]


def join_by_id(kind: str, audience: str, reach: Reach) -> Join:
    def join(
        db: Database, credential: Credential | None, path_id: str, connection: Connection
    ) -> Screen | None:
        if credential is None or not (path_id.isascii() and path_id.isdigit()):
            return None
        scope_id = int(path_id)
        if not 0 < scope_id <= MAX_ID:
            return None
        with db.session(write=False) as session:
            if credential.token:
                user = accounts.token_user(session, credential.secret)
            else:
                found = accounts.session_user(session, credential.secret)
                user = found[0] if found else None
            if user is None:
                return None
            try:
                reach(session, user, scope_id)
            except NotFound:
                return None
            variant = Variant(audience, i18n.pick_locale(user.locale))
            return Screen(connection, scope_id, variant, kind=kind, user_id=user.id)

    return join
