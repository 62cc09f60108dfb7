"""When an action or an agreement is late, due this week, or stuck: each rule once, as a Python
test for what is rendered and as a SQL expression for what is counted, side by side (stuck is
only ever counted).

`today` is always the school's today (`clock.today(zone)`, services/school_time.py), so a school
in Curaçao and one in Amsterdam each see an action turn late at their own midnight.

Late: not done, and its due date lies before the school's today (due today is not late yet).
This week: not done, not late, and due by the Sunday that ends the school's ISO week.
Carried over (discussed first in a bordsessie): not done, and due by that Sunday, late or not.
Stuck: not done, and untouched since the school's midnight three weeks before today.
A term: a success is on the board for one term (ten weeks) from the day it was added; the
bordsessie closed after that moves it to the board's archive (services/archive.py).
A school year: from 1 August (the school's today) to the next 31 July; when it has ended, a
class board's pupils' first names are removed (services/class_pupils.py).
"""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlmodel import col

from app import clock
from app.models.action import ActionStatus

STUCK_AFTER = timedelta(weeks=3)
TERM = timedelta(weeks=10)
SCHOOL_YEAR_STARTS = (8, 1)  # (month, day): 1 August


def is_late(item: Any, today: date) -> bool:
    """An action or agreement (anything with `due` and `status`)."""
    return item.due is not None and item.status != ActionStatus.done and item.due < today


def is_carried_over(item: Any, today: date) -> bool:
    """Not done, and due by the end of the school's week (late ones too)."""
    return (
        item.due is not None
        and item.status != ActionStatus.done
        and item.due <= clock.sunday(today)
    )


def is_due_this_week(item: Any, today: date) -> bool:
    """Not done, due from today up to the end of the school's week."""
    return (
        item.due is not None
        and item.status != ActionStatus.done
        and today <= item.due <= clock.sunday(today)
    )


def late_clause(model: Any, today: date) -> ColumnElement[bool]:
    """`is_late` in SQL, for the table `model` (Action, Agreement)."""
    # `due IS NOT NULL` keeps the test two-valued: NOT (NULL < today) would be NULL, not true
    return (
        (col(model.status) != ActionStatus.done)
        & col(model.due).is_not(None)
        & (col(model.due) < today)
    )


def stuck_clause(model: Any, today: date, tz: ZoneInfo) -> ColumnElement[bool]:
    """Not done, and untouched since the school's midnight `STUCK_AFTER` before today."""
    untouched_since = clock.start_of(today - STUCK_AFTER, tz)
    return (col(model.status) != ActionStatus.done) & (col(model.updated_at) < untouched_since)


def term_start(today: date, tz: ZoneInfo) -> datetime:
    """The school's midnight one `TERM` before today: a success added before it is archived."""
    return clock.start_of(today - TERM, tz)


def school_year(today: date) -> int:
    """The year the school year holding `today` began: 2026 for 2026-27."""
    starts = date(today.year, *SCHOOL_YEAR_STARTS)
    return today.year if today >= starts else today.year - 1
