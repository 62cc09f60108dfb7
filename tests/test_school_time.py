"""School time: weeks, today, late and stuck are the school's (Europe/Amsterdam), never UTC's,
on SQLite and PostgreSQL alike. The clock is set to the minutes around a Monday midnight, the
hour in which UTC still calls it Sunday."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from app import clock
from app.models import Action

API = "/api/v1"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# Monday 00:30 in Amsterdam, in winter (Sunday 23:30 UTC) and in summer time (Sunday 22:30 UTC)
MONDAYS = [
    pytest.param(datetime(2026, 11, 30, 0, 30, tzinfo=AMSTERDAM), id="winter"),
    pytest.param(datetime(2027, 6, 28, 0, 30, tzinfo=AMSTERDAM), id="summer"),
]


def add_action(client, headers, board_id: int, **data) -> dict:
    r = client.post(f"{API}/boards/{board_id}/actions", json=data, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def finish(client, headers, action: dict) -> None:
    r = client.patch(
        f"{API}/actions/{action['id']}",
        json={"status": "done", "version": action["version"]},
        headers=headers,
    )
    assert r.status_code == 200, r.text


def overview(client, headers, school_id: int) -> dict:
    r = client.get(f"{API}/schools/{school_id}/overview", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("monday", MONDAYS)
def test_an_action_finished_at_half_past_midnight_on_monday_counts_in_the_new_week(
    client, factory, monday
):
    w = factory.world()
    lead = factory.api(w.leader)
    assert monday.astimezone(UTC).weekday() == 6  # UTC still calls it Sunday

    # Sunday 23:50 in Amsterdam: the clock runs on, and must not reach midnight before the finish
    clock.set_now(monday - timedelta(minutes=40))
    finish(client, lead, add_action(client, lead, w.board.id, title="Zondagavond af"))
    clock.set_now(monday)
    finish(client, lead, add_action(client, lead, w.board.id, title="Maandagnacht af"))

    body = overview(client, lead, w.school.id)
    assert body["finished_weeks"][-1] == monday.date().isoformat()
    assert body["finished_weeks"][-2] == (monday.date() - timedelta(weeks=1)).isoformat()
    (team,) = [t for t in body["teams"] if t["team_id"] == w.team.id]
    assert team["finished_per_week"][-1] == 1  # this week: the one finished on Monday
    assert team["finished_per_week"][-2] == 1  # last week: the one finished on Sunday
    assert sum(team["finished_per_week"]) == 2
    assert team["sessions"][-1]["week"] == clock.iso_week(monday.date())
    assert team["sessions"][-1]["state"] == "upcoming"


@pytest.mark.parametrize("monday", MONDAYS)
def test_an_action_due_on_sunday_is_late_from_midnight_in_the_school(client, factory, monday):
    w = factory.world()
    lead = factory.api(w.leader)
    sunday = (monday.date() - timedelta(days=1)).isoformat()

    clock.set_now(monday - timedelta(hours=1))  # Sunday 23:30 in Amsterdam
    action = add_action(client, lead, w.board.id, title="Voor zondag", due=sunday)
    assert action["late"] is False
    body = overview(client, lead, w.school.id)
    assert [t["overdue"] for t in body["teams"] if t["team_id"] == w.team.id] == [0]
    assert body["attention"] == []
    factory.login(w.leader)
    assert "card--late" not in client.get(f"/boards/{w.board.id}").text

    clock.set_now(monday)  # Monday 00:30 in Amsterdam, still Sunday in UTC
    (card,) = client.get(f"{API}/boards/{w.board.id}", headers=lead).json()["actions"]
    assert card["late"] is True
    body = overview(client, lead, w.school.id)
    assert [t["overdue"] for t in body["teams"] if t["team_id"] == w.team.id] == [1]
    assert [(a["title"], a["late"]) for a in body["attention"]] == [("Voor zondag", True)]
    assert "card--late" in client.get(f"/boards/{w.board.id}").text


def test_an_action_is_stuck_after_three_weeks_of_school_days(client, factory):
    """Touched at 00:30 on a Monday three weeks ago (Sunday evening in UTC): not stuck yet on
    Monday; touched at 23:30 the evening before: stuck."""
    monday = datetime(2026, 11, 30, 0, 30, tzinfo=AMSTERDAM)
    clock.set_now(monday)
    w = factory.world()
    lead = factory.api(w.leader)
    fresh = add_action(client, lead, w.board.id, title="Net op tijd aangeraakt")
    stale = add_action(client, lead, w.board.id, title="Te lang stil")
    three_weeks_ago = monday - timedelta(weeks=3)
    with factory.session() as s:
        for action, touched in (
            (fresh, three_weeks_ago),
            (stale, three_weeks_ago - timedelta(hours=1)),
        ):
            s.exec(update(Action).where(Action.id == action["id"]).values(updated_at=touched))
        s.commit()

    body = overview(client, lead, w.school.id)
    assert [t["stuck"] for t in body["teams"] if t["team_id"] == w.team.id] == [1]
    assert [(a["title"], a["late"]) for a in body["attention"]] == [("Te lang stil", False)]


def test_a_session_started_just_after_midnight_is_this_weeks(client, factory):
    monday = datetime(2026, 11, 30, 0, 30, tzinfo=AMSTERDAM)
    clock.set_now(monday)
    w = factory.world()
    r = client.post(f"{API}/boards/{w.board.id}/sessions", headers=factory.api(w.leader))
    assert r.status_code in (200, 201), r.text
    assert r.json()["week"] == "2026-W49"


# --- the clock itself ----------------------------------------------------------------------------


def test_today_and_the_weeks_are_the_schools():
    clock.set_now(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 11, 30)
    assert clock.iso_week(clock.today()) == "2026-W49"
    assert clock.monday(date(2026, 12, 6)) == date(2026, 11, 30)
    # the school's midnight as an instant, either side of the change to summer time
    assert clock.start_of(date(2027, 3, 28)) == datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    assert clock.start_of(date(2027, 3, 29)) == datetime(2027, 3, 28, 22, 0, tzinfo=UTC)


def test_the_clock_runs_on_from_where_it_was_set():
    start = datetime(2027, 6, 27, 23, 59, 59, tzinfo=AMSTERDAM)
    clock.set_now(start)
    assert start <= clock.now() < start + timedelta(minutes=1)
    assert clock.now().tzinfo is UTC
    with pytest.raises(ValueError):
        clock.set_now(datetime(2027, 6, 27, 12, 0))
