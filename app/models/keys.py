"""The primary key of a stored row, typed as the `int` it is once the row is flushed or loaded."""

from typing import Protocol


class _Stored(Protocol):
    id: int | None


def require_id(row: _Stored) -> int:
    """`row.id`, which every table fills on flush: a row without one was never stored (a bug)."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id: add and flush it first")
    return row.id
