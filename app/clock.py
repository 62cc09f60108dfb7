"""The one clock, and the school's calendar.

Every instant the app stamps or compares comes from `now()` (aware, UTC); every "today", week and
day boundary is the school's (Europe/Amsterdam), never UTC's: an action finished at 00:30 on a
Monday belongs to that Monday's week. Queries compare instants with the UTC instants of the
school's midnights (`start_of`), never the date of a UTC timestamp. Tests set the clock with
`set_now`.
"""

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")

# Set by `set_now`: the instant the clock was set to, and the monotonic time it was set at.
_set: tuple[datetime, float] | None = None


def now() -> datetime:
    """The current instant (aware, UTC)."""
    if _set is None:
        return datetime.now(UTC)
    instant, at = _set
    return instant + timedelta(seconds=time.monotonic() - at)


def set_now(instant: datetime | None) -> None:
    """Set the clock to `instant` (aware), from where it runs on; None: the real time again.

    It keeps running so that what happens later in a test is stamped later, as in life."""
    global _set
    if instant is not None and instant.utcoffset() is None:
        raise ValueError("the clock needs an aware datetime")
    _set = None if instant is None else (instant.astimezone(UTC), time.monotonic())


def local(instant: datetime) -> datetime:
    """An instant as the school's wall clock shows it."""
    return instant.astimezone(SCHOOL_TZ)


def today() -> date:
    """Today as the school sees it."""
    return local(now()).date()


def start_of(day: date) -> datetime:
    """The instant (UTC) the school's `day` begins: its local midnight."""
    return datetime.combine(day, clock_time(), tzinfo=SCHOOL_TZ).astimezone(UTC)


def monday(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    """`day`'s ISO week as stand-ups and holiday weeks name it: "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
