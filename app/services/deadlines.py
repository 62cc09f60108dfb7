"""When an action or an agreement is late, and when an action is stuck: each rule once, as a
Python test for what is rendered and as a SQL expression for what is counted, side by side
(stuck is only ever counted).

Late: not done, and its due date lies before the school's today (due today is not late yet).
Stuck: not done, and untouched since the school's midnight three weeks before today.
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import col

from app import clock
from app.models.action import ActionStatus

STUCK_AFTER = timedelta(weeks=3)


def is_late(item: Any, today: date | None = None) -> bool:
    """An action or agreement (anything with `due` and `status`)."""
    return (
        item.due is not None
        and item.status != ActionStatus.done
        and item.due < (today or clock.today())
    )


def late_clause(model: Any, today: date) -> ColumnElement[bool]:
    """`is_late` in SQL, for the table `model` (Action, Agreement)."""
    # `due IS NOT NULL` keeps the test two-valued: NOT (NULL < today) would be NULL, not true
    return (
        (col(model.status) != ActionStatus.done)
        & col(model.due).is_not(None)
        & (col(model.due) < today)
    )


def stuck_clause(model: Any, today: date) -> ColumnElement[bool]:
    """Not done, and untouched since the school's midnight `STUCK_AFTER` before today."""
    untouched_since = clock.start_of(today - STUCK_AFTER)
    return (col(model.status) != ActionStatus.done) & (col(model.updated_at) < untouched_since)
