"""The one clock, and the school's calendar.

Every instant the app stamps or compares comes from `now()` (aware, UTC); every "today", week and
day boundary is the school's (its `School.time_zone`, Europe/Amsterdam unless set otherwise), never
UTC's: an action finished at 00:30 on a Monday belongs to that Monday's week. Queries compare
instants with the UTC instants of the school's midnights (`start_of`), never the date of a UTC
timestamp. Functions that depend on the school's day take its zone (`zone(school.time_zone)`);
without one they use the default. Tests set the clock with `set_now`.
"""

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Amsterdam"
SCHOOL_TZ = ZoneInfo(DEFAULT_ZONE)

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


@cache
def zone(name: str | None) -> ZoneInfo:
    """A school's time zone by its IANA name; the default for none, or a name unknown here (a
    school's calendar must never fail to read)."""
    if not name or name == DEFAULT_ZONE:
        return SCHOOL_TZ
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return SCHOOL_TZ


def local(instant: datetime, tz: ZoneInfo = SCHOOL_TZ) -> datetime:
    """An instant as the school's wall clock shows it."""
    return instant.astimezone(tz)


def today(tz: ZoneInfo = SCHOOL_TZ) -> date:
    """Today as the school sees it."""
    return local(now(), tz).date()


def start_of(day: date, tz: ZoneInfo = SCHOOL_TZ) -> datetime:
    """The instant (UTC) the school's `day` begins: its local midnight."""
    return datetime.combine(day, clock_time(), tzinfo=tz).astimezone(UTC)


def monday(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def sunday(day: date) -> date:
    """The Sunday that ends `day`'s ISO week."""
    return monday(day) + timedelta(days=6)


def month_start(day: date) -> date:
    """The first day of `day`'s month: how a month of the school's calendar is named."""
    return day.replace(day=1)


def iso_week(day: date) -> str:
    """`day`'s ISO week as stand-ups and holiday weeks name it: "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
