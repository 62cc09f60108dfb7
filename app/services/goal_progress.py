"""How a goal is doing: reached, on track or at risk, the geometry of its small chart, and (on a
leadership board) its monthly dashboard.

On track means the latest measurement is at least where a straight line from the baseline (when
the goal was set) to the target (on the target date) says it should be by now. Without a target
date, the direction of the last few measurements decides.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app import clock
from app.models import Goal, Measurement
from app.services.deadlines import SCHOOL_YEAR_STARTS, school_year

RECENT = 3  # measurements that show the direction when there is no target date
WIDTH, HEIGHT, PAD = 240, 72, 6


class Progress(StrEnum):
    reached = "reached"
    on_track = "on_track"
    at_risk = "at_risk"


def _direction(goal: Goal, target: float, measurements: list[Measurement]) -> int:
    start = goal.baseline if goal.baseline is not None else measurements[0].value
    return 1 if target >= start else -1


def progress(goal: Goal, measurements: list[Measurement], today: date) -> Progress | None:
    """None while there is too little to say (no target, no measurement yet)."""
    if goal.target is None or not measurements:
        return None
    latest = measurements[-1]
    direction = _direction(goal, goal.target, measurements)
    if (latest.value - goal.target) * direction >= 0:
        return Progress.reached
    if goal.target_date is not None and goal.baseline is not None:
        start = min(goal.created_at.date(), measurements[0].date)
        span = (goal.target_date - start).days
        done = (latest.date - start).days
        share = 1.0 if span <= 0 else min(max(done / span, 0.0), 1.0)
        expected = goal.baseline + (goal.target - goal.baseline) * share
        return Progress.on_track if (latest.value - expected) * direction >= 0 else Progress.at_risk
    recent = measurements[-RECENT:]
    if len(recent) < 2:
        return None
    moving = (recent[-1].value - recent[0].value) * direction
    return Progress.on_track if moving > 0 else Progress.at_risk


@dataclass(frozen=True)
class Chart:
    """Points in a WIDTH × HEIGHT box: the measurements, and the target and baseline levels."""

    line: str
    last: tuple[float, float]
    target_y: float | None
    baseline_y: float | None


def chart(goal: Goal, measurements: list[Measurement]) -> Chart | None:
    if not measurements:
        return None
    values = [m.value for m in measurements]
    levels = values + [v for v in (goal.target, goal.baseline) if v is not None]
    low, high = min(levels), max(levels)
    span = (high - low) or 1.0

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD), 1)

    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = [(round(PAD + i * step, 1), y(v)) for i, v in enumerate(values)]
    if len(points) == 1:
        points = [(PAD, points[0][1]), (WIDTH - PAD, points[0][1])]
    return Chart(
        line=" ".join(f"{px},{py}" for px, py in points),
        last=points[-1],
        target_y=y(goal.target) if goal.target is not None else None,
        baseline_y=y(goal.baseline) if goal.baseline is not None else None,
    )


# --- a leadership board's monthly dashboard --------------------------------------------------

DASHBOARD_MONTHS = 4  # this month and the three before it, within the school year


@dataclass(frozen=True)
class MonthValue:
    """A goal in one month of its dashboard: that month's latest measurement, if any."""

    month: date  # its first day (clock.month_start)
    latest: Measurement | None
    reached: bool  # the latest measurement is at the target (or past it)


def dashboard_months(today: date) -> list[date]:
    """The months a dashboard shows, oldest first: the last `DASHBOARD_MONTHS` of the school
    year up to today's month (`today` is the school's)."""
    first = clock.month_start(date(school_year(today), *SCHOOL_YEAR_STARTS))
    months = [clock.month_start(today)]
    while len(months) < DASHBOARD_MONTHS and months[0] > first:
        months.insert(0, clock.month_start(months[0] - timedelta(days=1)))
    return months


def by_month(goal: Goal, measurements: list[Measurement], months: list[date]) -> list[MonthValue]:
    """Each month's latest measurement (`measurements` oldest first, as the board reads them)."""
    latest = {clock.month_start(m.date): m for m in measurements}
    rows = []
    for month in months:
        found = latest.get(month)
        reached = (
            found is not None
            and goal.target is not None
            and (found.value - goal.target) * _direction(goal, goal.target, measurements) >= 0
        )
        rows.append(MonthValue(month, found, reached))
    return rows
