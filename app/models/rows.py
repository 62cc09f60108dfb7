"""Typed helpers for stored rows and the queries over them."""

from typing import Any, Protocol, cast

from sqlalchemy.orm import Mapped
from sqlmodel import col
from sqlmodel.sql.expression import Select


class _Stored(Protocol):
    id: int | None


def require_id(row: _Stored) -> int:
    """`row.id`, which every table fills on flush: a row without one was never stored (a bug)."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id: add and flush it first")
    return row.id


def key_column(table: type[_Stored]) -> Mapped[int]:
    """The primary key column, typed `int` in a query: the field is optional only on a Python
    row not yet flushed, while a selected key is never NULL."""
    return cast("Mapped[int]", col(table.id))


def select_columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """sqlmodel's `select` for more than four columns: its typed overloads stop at four, so a
    wider row is typed as a tuple of Any (unpack it into named variables at the call)."""
    return Select(*columns)
