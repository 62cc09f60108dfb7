"""The leader overview of a big school: how long it takes to serve.

    python bench/overview.py [--teams 30] [--actions 5000] [--weeks 104] [--runs 30]

Seeds a temporary SQLite database (migrated with Alembic, filled with bulk inserts) with one
school of N teams, each with a team board and a care board, A actions spread over the team
boards (every status, due dates, finish times over the whole period), a stand-up in most weeks
of the period, goals with weekly measurements and help requests. Then times, in process
(FastAPI's TestClient, no network):

- `GET /schools/{id}/overview` (the HTML page a leader opens, cookie session),
- `GET /api/v1/schools/{id}/overview` (the JSON, Bearer token),
- the render of one team's card, as the live channel does after a change,
- `GET /schools/{id}/overview.csv` (every action).

Reports the median and p95 of each; the last line of output is one JSON object.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app import clock  # noqa: E402
from app.config import Settings  # noqa: E402
from app.main import create_app  # noqa: E402
from app.models import (  # noqa: E402
    Action,
    Board,
    BoardMember,
    Goal,
    HelpRequest,
    Measurement,
    Membership,
    School,
    StandUp,
    Team,
    User,
)
from app.realtime.overview import OverviewRenderer  # noqa: E402
from app.security.passwords import hash_password  # noqa: E402
from app.services import accounts  # noqa: E402
from app.services.changes import take_outbox  # noqa: E402

PASSWORD = "bench-password"


def seed(app, teams: int, actions: int, weeks: int) -> tuple[int, int]:
    """Returns (school id, leader id)."""
    rnd = random.Random(7)
    today = clock.today()
    now = clock.now()
    start = today - timedelta(weeks=weeks)
    with app.state.db.session() as s:
        school = School(name="Grote school", slug="grote-school")
        leader = User(email="leider@bench.nl", name="Leider", password_hash=hash_password(PASSWORD))
        ib = User(email="ib@bench.nl", name="IB", password_hash=leader.password_hash)
        s.add_all([school, leader, ib])
        s.flush()
        s.add(Membership(user_id=leader.id, school_id=school.id, role="leader"))
        s.add(Membership(user_id=ib.id, school_id=school.id, role="ib"))
        board_ids = []
        for n in range(teams):
            team = Team(school_id=school.id, name=f"Team {n + 1:02d}")
            s.add(team)
            s.flush()
            board = Board(team_id=team.id, title=f"Teambord {n + 1}")
            care = Board(team_id=team.id, title=f"Zorg {n + 1}", kind="care")
            s.add_all([board, care])
            s.flush()
            s.add(BoardMember(board_id=care.id, user_id=ib.id))
            board_ids.append((board.id, care.id))
        rows = []
        for i in range(actions):
            board_id = board_ids[i % teams][0]
            created = now - timedelta(days=rnd.uniform(0, weeks * 7))
            status = rnd.choices(["todo", "doing", "done"], [2, 1, 5])[0]
            done_at = created + timedelta(days=rnd.uniform(0, 30)) if status == "done" else None
            due = (
                (created + timedelta(days=rnd.randint(3, 60))).date()
                if rnd.random() < 0.8
                else None
            )
            rows.append(
                {
                    "board_id": board_id,
                    "title": f"Actie {i}",
                    "owner": rnd.choice(["Joris", "Fatima", "Sanne", ""]),
                    "due": due,
                    "status": status,
                    "rank": f"a{i:06d}",
                    "done_at": min(done_at, now) if done_at else None,
                    "version": 1,
                    "created_at": created,
                    "updated_at": done_at or created,
                }
            )
        # a few on care boards, which the overview must skip
        rows += [
            {**rows[0], "board_id": care, "title": "Zorgactie", "rank": "z0"}
            for _, care in board_ids
        ]
        s.execute(insert(Action), rows)
        stand_ups = [
            {
                "board_id": board_id,
                "week": clock.iso_week(start + timedelta(weeks=w)),
                "started_at": now,
                "agenda": [],
                "attendance": [],
                "notes": {},
                "tip": "",
                "top": "",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for board_id, _ in board_ids
            for w in range(weeks + 1)
            if rnd.random() < 0.85
        ]
        s.execute(insert(StandUp), stand_ups)
        for board_id, _ in board_ids:
            for g in range(3):
                goal = Goal(board_id=board_id, title=f"Doel {g}", target=80.0, unit="%")
                s.add(goal)
                s.flush()
                s.execute(
                    insert(Measurement),
                    [
                        {
                            "goal_id": goal.id,
                            "date": start + timedelta(weeks=w),
                            "value": 50 + w * 0.3,
                            "note": "",
                            "created_at": now,
                        }
                        for w in range(weeks)
                    ],
                )
            s.add(HelpRequest(board_id=board_id, text="Kunnen we inval krijgen?"))
            s.add(HelpRequest(board_id=board_id, text="Beantwoord", answer="Ja"))
        s.flush()
        take_outbox(s)
        return school.id, leader.id


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm up caches, templates, the query planner
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.attributes["database_url"] = url
        command.upgrade(cfg, "head")
        settings = Settings(env="test", database_url=url, redis_url=None, secret_key="bench")
        app = create_app(settings)
        t0 = time.perf_counter()
        school_id, leader_id = seed(app, args.teams, args.actions, args.weeks)
        seeded_s = time.perf_counter() - t0
        with TestClient(app) as client:
            with app.state.db.session() as s:
                leader = s.get(User, leader_id)
                token, _ = accounts.create_token(s, leader)
                cookie, _ = accounts.start_session(s, settings, leader)
                take_outbox(s)
            client.cookies.set("bord_session", cookie)
            bearer = {"Authorization": f"Bearer {token}"}
            page = client.get(f"/schools/{school_id}/overview")
            assert page.status_code == 200, page.text[:500]
            data = client.get(f"/api/v1/schools/{school_id}/overview", headers=bearer).json()
            assert len(data["teams"]) == args.teams
            assert sum(t["todo"] + t["doing"] + t["done"] for t in data["teams"]) == args.actions

            def html():
                assert client.get(f"/schools/{school_id}/overview").status_code == 200

            def api():
                assert (
                    client.get(f"/api/v1/schools/{school_id}/overview", headers=bearer).status_code
                    == 200
                )

            def csv_export():
                assert client.get(f"/schools/{school_id}/overview.csv").status_code == 200

            renderer = OverviewRenderer(app.state.db)
            team_id = data["teams"][0]["team_id"]

            def card():
                renderer.teams(school_id, {team_id}, ["nl"])

            results = {
                "html": timed(html, args.runs),
                "api": timed(api, args.runs),
                "card": timed(card, args.runs),
                "csv": timed(csv_export, max(5, args.runs // 3)),
            }
    for name, (p50, p95) in results.items():
        print(f"{name:5s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"seeded in {seeded_s:.1f} s; page {len(page.content) / 1024:.0f} KiB")
    print(
        json.dumps(
            {
                "teams": args.teams,
                "actions": args.actions,
                "weeks": args.weeks,
                "html_p50_ms": round(results["html"][0], 1),
                "html_p95_ms": round(results["html"][1], 1),
                "api_p50_ms": round(results["api"][0], 1),
                "card_p50_ms": round(results["card"][0], 1),
                "csv_p50_ms": round(results["csv"][0], 1),
                "page_kib": round(len(page.content) / 1024),
                "under_150_ms": results["html"][1] < 150,
            }
        )
    )


if __name__ == "__main__":
    main()
