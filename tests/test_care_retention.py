"""Retention: closed cases are anonymised after the school's period, once, and screens follow."""

import json
import os
from datetime import UTC, datetime, timedelta

from app.cli import main
from app.models import Agreement, AuditEntry, CareMeeting, Case, CaseParticipant, School
from app.services import retention
from tests.care_world import API, care_world, new_case
from tests.test_realtime_ws import frames_until

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def closed_case(client, factory, cw, code: str, closed_days_ago: int) -> int:
    case = new_case(client, factory, cw, pupil_code=code, concern=f"Zorg om {code}")
    headers = factory.api(cw.ib)
    client.post(
        f"{API}/cases/{case['id']}/participants",
        json={"name": f"Ouder van {code}"},
        headers=headers,
    )
    client.post(
        f"{API}/cases/{case['id']}/agreements", json={"title": f"Plan {code}"}, headers=headers
    )
    client.post(
        f"{API}/cases/{case['id']}/meetings",
        json={"date": "2024-01-10", "attendees": ["Vader"], "notes": f"Over {code}"},
        headers=headers,
    )
    with factory.session() as s:
        row = s.get(Case, case["id"])
        row.status = "afgesloten"
        row.closed_at = NOW - timedelta(days=closed_days_ago)
        s.add(row)
        s.commit()
    return case["id"]


def test_an_old_closed_case_is_anonymised_and_a_recent_one_left_alone(client, factory, app):
    cw = care_world(factory)
    old = closed_case(client, factory, cw, "OUD-1", closed_days_ago=731)
    recent = closed_case(client, factory, cw, "NIEUW-2", closed_days_ago=200)
    still_open = new_case(client, factory, cw, pupil_code="OPEN-3")["id"]

    assert retention.run(app.state.db, now=NOW) == 1
    gone = factory.get(Case, old)
    assert gone.pupil_code == retention.ANONYMOUS and "OUD-1" not in gone.concern
    assert gone.anonymised_at is not None and gone.closed_at is not None
    assert [p for p in factory.all(CaseParticipant) if p.case_id == old] == []
    assert all("OUD-1" not in a.title for a in factory.all(Agreement))
    assert all("OUD-1" not in m.notes for m in factory.all(CareMeeting))
    assert factory.get(Case, recent).pupil_code == "NIEUW-2"
    assert factory.get(Case, still_open).pupil_code == "OPEN-3"
    trail = [e for e in factory.all(AuditEntry) if e.action == "anonymised"]
    assert [(e.case_id, e.user_id) for e in trail] == [(old, None)]

    # idempotent: a second run (and the same run a day later) changes nothing more
    assert retention.run(app.state.db, now=NOW) == 0
    assert retention.run(app.state.db, now=NOW + timedelta(days=1)) == 0
    # the recent one's turn comes when its own period has passed
    assert retention.run(app.state.db, now=NOW + timedelta(days=531)) == 1
    assert factory.get(Case, recent).pupil_code == retention.ANONYMOUS


def test_the_school_sets_the_period(client, factory, app):
    cw = care_world(factory)
    case_id = closed_case(client, factory, cw, "KORT-1", closed_days_ago=40)
    assert retention.run(app.state.db, now=NOW) == 0
    with factory.session() as s:
        school = s.get(School, cw.w.school.id)
        school.care_retention_days = 30
        s.add(school)
        s.commit()
    assert retention.run(app.state.db, now=NOW) == 1
    assert factory.get(Case, case_id).anonymised_at is not None


def test_a_case_reopened_before_the_run_is_left_alone(client, factory, app):
    cw = care_world(factory)
    case_id = closed_case(client, factory, cw, "TERUG-1", closed_days_ago=900)
    with app.state.db.session(write=False) as s:
        due = retention.due_cases(s, NOW)
    assert [c for c, _ in due] == [case_id]
    version = factory.get(Case, case_id).version
    answer = client.patch(
        f"{API}/cases/{case_id}",
        json={"status": "begeleiding", "version": version},
        headers=factory.api(cw.ib),
    )
    assert answer.status_code == 200
    with app.state.db.session() as s:
        assert retention.anonymise(s, case_id, NOW) is False
    assert factory.get(Case, case_id).pupil_code == "TERUG-1"


def test_open_screens_follow_the_anonymisation(client, factory, app):
    cw = care_world(factory)
    case_id = closed_case(client, factory, cw, "SCHERM-1", closed_days_ago=800)
    with client.websocket_connect(f"/boards/{cw.care.id}/ws", headers=factory.api(cw.ib)) as ws:
        ws.send_text(json.dumps({"since": 0}))
        assert "SCHERM-1" in frames_until(ws, 'id="list-cases"')
        assert retention.run(app.state.db, now=NOW, publish=app.state.bus.publish) == 1
        frame = frames_until(ws, f'id="case-{case_id}"')
        assert "SCHERM-1" not in frame


def test_bord_retention_run(client, factory, settings, monkeypatch, capsys):
    cw = care_world(factory)
    closed_case(client, factory, cw, "CLI-1", closed_days_ago=3000)
    monkeypatch.setenv("BORD_DATABASE_URL", settings.database_url)
    from app.config import get_settings

    get_settings.cache_clear()
    try:
        assert main(["retention", "run"]) == 0
        assert "1 closed case(s) anonymised" in capsys.readouterr().out
        assert main(["retention", "run"]) == 0
        assert "0 closed case(s) anonymised" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()


def test_the_server_runs_retention_in_the_background(client, factory, settings, monkeypatch):
    import time

    from fastapi.testclient import TestClient

    from app import clock, jobs
    from app.main import create_app

    cw = care_world(factory)
    case_id = closed_case(client, factory, cw, "DAGELIJKS-1", closed_days_ago=0)
    with factory.session() as s:
        row = s.get(Case, case_id)
        row.closed_at = clock.now() - timedelta(days=1000)
        s.add(row)
        s.commit()
    monkeypatch.setattr(jobs, "FIRST_RUN_DELAY", 0.0)
    with TestClient(create_app(settings.model_copy(update={"retention_interval_hours": 24}))):
        deadline = time.monotonic() + 10
        while factory.get(Case, case_id).anonymised_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
    assert factory.get(Case, case_id).pupil_code == retention.ANONYMOUS


def test_bord_retention_run_tells_the_servers_screens_through_redis(
    client, factory, settings, monkeypatch, capsys, redis_url
):
    from redis import Redis

    from app.realtime.bus import decode

    cw = care_world(factory)
    closed_case(client, factory, cw, "CLI-2", closed_days_ago=3000)
    channel = f"bord-test-retention-{os.getpid()}-{cw.care.id}"
    monkeypatch.setenv("BORD_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BORD_REDIS_URL", redis_url)
    monkeypatch.setenv("BORD_REDIS_CHANNEL", channel)
    from app.config import get_settings

    listener = Redis.from_url(redis_url).pubsub()
    listener.subscribe(channel)
    listener.get_message(timeout=2)  # the subscription's confirmation
    get_settings.cache_clear()
    try:
        assert main(["retention", "run"]) == 0
    finally:
        get_settings.cache_clear()
    assert "1 closed case(s) anonymised" in capsys.readouterr().out
    message = listener.get_message(timeout=5)
    listener.close()
    assert message is not None and message["type"] == "message"
    (change,) = decode(message["data"])  # one message per commit
    assert change.board_id == cw.care.id and change.entity == "case"
