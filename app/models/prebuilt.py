"""Statements of the hottest paths (an edit, its answer, a request's sign-in), built once and
run on the session's connection in SQLAlchemy Core: a fraction of what an ORM query costs.

They see what an ORM query would see (pending changes are flushed first, as autoflush does),
but not the ORM's rules: a statement over board items says `deleted_at IS NULL` itself, which
models/item.hide_deleted adds to every ORM query.
"""

from typing import Any

from sqlalchemy import Connection, Executable, Row
from sqlmodel import Session


def _connection(session: Session) -> Connection:
    if session.autoflush:
        session.flush()
    return session.connection()


def scalar(session: Session, statement: Executable, **params: Any) -> Any:
    return _connection(session).execute(statement, params).scalar()


def first(session: Session, statement: Executable, **params: Any) -> Row | None:
    return _connection(session).execute(statement, params).first()


def run(session: Session, statement: Executable, **params: Any) -> None:
    _connection(session).execute(statement, params)
