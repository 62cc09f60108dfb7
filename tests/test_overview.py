"""The school leader's overview: reach, exact counts, care boards kept out, CSV, answers in
place, holiday weeks, the roll-up of a bestuur and the live channel."""

import csv
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select
from starlette.testclient import WebSocketDenialResponse

from app import clock
from app.models import (
    Action,
    Board,
    BoardKind,
    HelpRequest,
    Membership,
    Role,
    School,
    StandUp,
    User,
)
from app.models.care import Case
from app.services import demo
from app.services.changes import take_outbox

# in the care board's cards; never in what a leader sees (a marker no timestamp or id can hold)
CARE_MARKER = "MARKER-zorg-leerling"


def overview(client, school_id: int, headers: dict) -> dict:
    r = client.get(f"/api/v1/schools/{school_id}/overview", headers=headers)
    assert r.status_code == 200, r.text
    return {t["name"]: t for t in r.json()["teams"]}


def add_action(client, board_id: int, headers: dict, **data) -> dict:
    r = client.post(f"/api/v1/boards/{board_id}/actions", json=data, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def age(factory, action_id: int, *, updated_days: int = 0, done_days: int | None = None):
    """Move an action's timestamps back in time, as if it had been made weeks ago."""
    now = clock.now()
    values: dict = {"updated_at": now - timedelta(days=updated_days)}
    if done_days is not None:
        values["done_at"] = now - timedelta(days=done_days)
    with factory.session() as s:
        s.exec(update(Action).where(Action.id == action_id).values(**values))
        s.commit()


def held(factory, board_id: int, weeks_ago: int) -> str:
    week = clock.iso_week(clock.today() - timedelta(weeks=weeks_ago))
    factory._save(StandUp(board_id=board_id, week=week))
    return week


@pytest.fixture
def seeded(client, factory):
    """De Regenboog with a busy team, a team without a board, a quiet team, and a care board
    whose content must never reach the overview."""
    w = factory.world()
    lead = factory.api(w.leader)
    today = clock.today()
    yesterday = (today - timedelta(days=1)).isoformat()
    board = w.board.id
    add_action(client, board, lead, title="Te laat", due=yesterday, owner="Joris")
    add_action(client, board, lead, title="Zonder datum")
    stuck = add_action(client, board, lead, title="Blijft liggen", status="doing", owner="Sanne")
    age(factory, stuck["id"], updated_days=30)
    late_doing = add_action(client, board, lead, title="Ook te laat", status="doing", due=yesterday)
    for title, done_days in (("Net klaar", 0), ("Klaar vorige week", 7), ("Lang geleden", 200)):
        a = add_action(client, board, lead, title=title, status="done", due=yesterday)
        age(factory, a["id"], done_days=done_days)
    client.post(f"/api/v1/boards/{board}/help-requests", json={"text": "Inval?"}, headers=lead)
    r = client.post(
        f"/api/v1/boards/{board}/goals", json={"title": "Lezen", "target": 80}, headers=lead
    )
    goal = r.json()["id"]
    for day, value in (("2026-10-01", 60), ("2026-11-01", 70)):
        client.post(
            f"/api/v1/goals/{goal}/measurements", json={"date": day, "value": value}, headers=lead
        )
    held(factory, board, 0)
    held(factory, board, 3)
    holiday = clock.iso_week(today - timedelta(weeks=2))
    r = client.post(
        f"/api/v1/schools/{w.school.id}/holiday-weeks",
        json={"week": holiday, "label": "Herfstvakantie"},
        headers=lead,
    )
    assert r.status_code == 201

    ib = factory.user(w.school, Role.ib, name="Ina IB")
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(ib,))
    ib_api = factory.api(ib)
    add_action(client, care.id, ib_api, title=f"Pupil {CARE_MARKER} dyslexie", due=yesterday)
    client.post(
        f"/api/v1/boards/{care.id}/help-requests",
        json={"text": f"Geheim {CARE_MARKER}"},
        headers=ib_api,
    )

    factory.team(w.school, "Zonder bord")
    return w, lead, late_doing, stuck


# --- refusals ----------------------------------------------------------------------------------


def test_anyone_but_the_schools_leader_gets_404(client, factory):
    w = factory.world()
    url = f"/api/v1/schools/{w.school.id}/overview"
    assert client.get(url).status_code == 401
    for outsider in (w.teacher, w.other_teacher, w.other_leader):
        headers = factory.api(outsider)
        assert client.get(url, headers=headers).status_code == 404
        assert (
            client.get(f"/api/v1/schools/{w.school.id}/holiday-weeks", headers=headers).status_code
            == 404
        )
        assert (
            client.post(
                f"/api/v1/schools/{w.school.id}/holiday-weeks",
                json={"week": "2026-W52"},
                headers=headers,
            ).status_code
            == 404
        )
    assert (
        client.get("/api/v1/schools/999999/overview", headers=factory.api(w.leader)).status_code
        == 404
    )
    assert client.get(url, headers=factory.api(w.admin)).status_code == 200


@pytest.mark.parametrize("who", ["teacher", "other_leader"])
def test_the_overview_page_and_export_are_404_outside_the_leaders_reach(client, factory, who):
    w = factory.world()
    factory.login(getattr(w, who))
    for path in ("overview", "overview.csv"):
        r = client.get(f"/schools/{w.school.id}/overview".replace("overview", path))
        assert r.status_code == 404
        assert "Bovenbouw" not in r.text
    rollup = client.get("/overview")  # 404 for a teacher; only their own school for a leader
    assert rollup.status_code == (404 if who == "teacher" else 200)
    assert w.school.name not in rollup.text
    assert f'href="/schools/{w.school.id}/overview"' not in client.get("/").text


# --- what the leader sees ----------------------------------------------------------------------


def test_counts_match_the_seeded_school_exactly(client, seeded):
    w, lead, _, _ = seeded
    teams = overview(client, w.school.id, lead)
    assert list(teams) == ["Bovenbouw", "Onderbouw", "Zonder bord"]
    busy = teams["Bovenbouw"]
    assert {k: busy[k] for k in ("todo", "doing", "done", "overdue", "stuck")} == {
        "todo": 2,
        "doing": 2,
        "done": 3,
        "overdue": 2,  # done actions past their date are not late
        "stuck": 1,  # untouched for 30 days and not already late
    }
    assert busy["sessions_held_8w"] == 2
    assert [d["state"] for d in busy["sessions"]] == [
        "skipped",
        "skipped",
        "skipped",
        "skipped",
        "held",
        "holiday",
        "skipped",
        "held",
    ]
    assert busy["finished_per_week"][-2:] == [1, 1] and sum(busy["finished_per_week"]) == 2
    assert busy["open_help_requests"] == 1
    assert busy["help_requests"][0]["text"] == "Inval?"
    assert [(g["title"], g["latest"], g["target"]) for g in busy["goals"]] == [("Lezen", 70, 80)]
    assert busy["board_id"] == w.board.id

    quiet = teams["Onderbouw"]
    assert (quiet["todo"], quiet["overdue"], quiet["sessions_held_8w"]) == (0, 0, 0)
    assert [d["state"] for d in quiet["sessions"]][-3:] == ["holiday", "skipped", "upcoming"]
    nothing = teams["Zonder bord"]
    assert nothing["board_id"] is None and nothing["todo"] == nothing["open_help_requests"] == 0


def test_late_and_stuck_actions_are_listed_with_team_owner_and_due(client, seeded):
    w, lead, _late_doing, _stuck = seeded
    r = client.get(f"/api/v1/schools/{w.school.id}/overview", headers=lead)
    listed = [(a["title"], a["team"], a["owner"], a["late"]) for a in r.json()["attention"]]
    assert listed == [
        ("Te laat", "Bovenbouw", "Joris", True),
        ("Ook te laat", "Bovenbouw", "", True),
        ("Blijft liggen", "Bovenbouw", "Sanne", False),
    ]


def test_care_boards_never_reach_the_overview(client, factory, seeded):
    w, lead, _, _ = seeded
    r = client.get(f"/api/v1/schools/{w.school.id}/overview", headers=lead)
    assert CARE_MARKER not in r.text and "Geheim" not in r.text
    factory.login(w.leader)
    page = client.get(f"/schools/{w.school.id}/overview")
    assert page.status_code == 200
    assert CARE_MARKER not in page.text and "Geheim" not in page.text
    assert "Zorgoverleg" not in page.text
    export = client.get(f"/schools/{w.school.id}/overview.csv")
    assert CARE_MARKER not in export.text and "Geheim" not in export.text


def test_the_leader_sees_how_many_care_cases_there_are_and_nothing_of_them(client, factory, seeded):
    w, _, _, _ = seeded
    with factory.session() as s:
        care = s.exec(select(Board).where(Board.kind == BoardKind.care)).one()
        cases = (("AB12", "signalering"), ("CD34", "signalering"), ("EF56", "onderzoek"))
        for code, status in cases:
            s.add(Case(board_id=care.id, pupil_code=code, concern="MARKER-zorg", status=status))
        s.commit()
    factory.login(w.leader)
    page = client.get(f"/schools/{w.school.id}/overview").text
    care_part = page[page.index('id="h-ov-care"') :]
    assert "<dt>Signalering</dt><dd>2</dd>" in care_part
    assert "<dt>In onderzoek</dt><dd>1</dd>" in care_part
    assert "MARKER-zorg" not in page and "AB12" not in page
    assert "care-audit" not in page  # the audit log is for the privacy officer


def test_the_page_shows_every_team_and_opens_its_board(client, factory, seeded):
    w, _, _, _ = seeded
    factory.login(w.leader)
    r = client.get(f"/schools/{w.school.id}/overview")
    assert r.status_code == 200
    assert f'<a href="/boards/{w.board.id}">Bovenbouw</a>' in r.text
    assert "Nog geen teambord" in r.text  # the team without a board
    assert "Blijft liggen" in r.text and "Sanne" in r.text
    assert f'ws-connect="/schools/{w.school.id}/overview/ws"' in r.text
    assert f'href="/schools/{w.school.id}/overview"' in client.get("/").text  # the navigation


def test_a_school_without_teams(client, factory):
    school = factory.school("Lege school")
    leader = factory.user(school, Role.leader)
    assert (
        client.get(f"/api/v1/schools/{school.id}/overview", headers=factory.api(leader)).json()[
            "teams"
        ]
        == []
    )
    factory.login(leader)
    assert "Deze school heeft nog geen teams." in client.get(f"/schools/{school.id}/overview").text
    export = client.get(f"/schools/{school.id}/overview.csv")
    assert export.status_code == 200
    assert export.content.decode("utf-8-sig").strip() == (
        "Team;Bord;Wat;Status;Wie;Wanneer;Gemaakt op;Afgerond op"
    )


def test_the_csv_has_one_row_per_action(client, factory, seeded):
    w, lead, _, _ = seeded
    add_action(client, w.outsider_board.id, lead, title="=HYPERLINK(1)")
    factory.login(w.leader)
    r = client.get(f"/schools/{w.school.id}/overview.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 8  # seven on Bovenbouw's team board, one on Onderbouw's; none of care
    by_title = {row["Wat"]: row for row in rows}
    assert by_title["Te laat"]["Team"] == "Bovenbouw" and by_title["Te laat"]["Wie"] == "Joris"
    assert by_title["Net klaar"]["Status"] == "klaar" and by_title["Net klaar"]["Afgerond op"]
    assert by_title["Zonder datum"]["Wanneer"] == ""
    assert by_title["Zonder datum"]["Afgerond op"] == ""
    assert "'=HYPERLINK(1)" in by_title  # a spreadsheet will not run it


# --- answering help requests in place ----------------------------------------------------------


def test_the_leader_answers_a_help_request_from_the_overview(client, factory, seeded):
    w, lead, _, _ = seeded
    request = factory.all(HelpRequest)[0]
    csrf = factory.login(w.leader)
    r = client.post(
        f"/overview/help-requests/{request.id}/answer",
        data={"text": "Ja, vanaf maandag", "version": str(request.version), "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert f'id="team-{w.team.id}"' in r.text and "Inval?" not in r.text  # no longer waiting
    assert factory.get(HelpRequest, request.id).answer == "Ja, vanaf maandag"
    board = client.get(f"/api/v1/boards/{w.board.id}", headers=lead).json()
    assert board["help_requests"][0]["answer"] == "Ja, vanaf maandag"

    # the same form sent again (another tab, a double click): refused, the first answer stays
    r = client.post(
        f"/overview/help-requests/{request.id}/answer",
        data={"text": "Nee toch niet", "version": str(request.version), "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 409
    assert factory.get(HelpRequest, request.id).answer == "Ja, vanaf maandag"
    r = client.post(
        f"/api/v1/help-requests/{request.id}/answer", json={"text": "Twee keer"}, headers=lead
    )
    assert r.status_code == 409 and r.json()["current"]["answer"] == "Ja, vanaf maandag"
    assert overview(client, w.school.id, lead)["Bovenbouw"]["open_help_requests"] == 0


def test_an_empty_answer_or_a_teacher_changes_nothing(client, factory, seeded):
    w, _, _, _ = seeded
    request = factory.all(HelpRequest)[0]
    csrf = factory.login(w.leader)
    r = client.post(
        f"/overview/help-requests/{request.id}/answer",
        data={"text": "  ", "version": str(request.version), "csrf_token": csrf},
    )
    assert r.status_code == 422
    csrf = factory.login(w.teacher)
    r = client.post(
        f"/overview/help-requests/{request.id}/answer",
        data={"text": "Zelf gedaan", "version": str(request.version), "csrf_token": csrf},
    )
    assert r.status_code == 404
    assert factory.get(HelpRequest, request.id).answer is None


# --- holiday weeks -----------------------------------------------------------------------------


def test_holiday_weeks_are_marked_listed_and_removed(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    url = f"/api/v1/schools/{w.school.id}/holiday-weeks"
    for bad in ("2026-52", "2026-W54", "", "1999-W01"):
        r = client.post(url, json={"week": bad}, headers=lead)
        assert r.status_code == 422 and "week" in r.text
    last_week = clock.iso_week(clock.today() - timedelta(weeks=1))
    assert client.post(url, json={"week": last_week}, headers=lead).status_code == 201
    r = client.post(url, json={"week": last_week, "label": "Kerst"}, headers=lead)
    assert r.status_code == 201 and r.json()["label"] == "Kerst"  # no duplicate, a new label
    assert [h["week"] for h in client.get(url, headers=lead).json()] == [last_week]
    dots = overview(client, w.school.id, lead)["Bovenbouw"]["sessions"]
    assert dots[-2]["state"] == "holiday"
    assert client.get(url, headers=factory.api(w.other_leader)).status_code == 404
    assert client.delete(f"{url}/{last_week}", headers=lead).status_code == 204
    assert client.delete(f"{url}/{last_week}", headers=lead).status_code == 404
    assert overview(client, w.school.id, lead)["Bovenbouw"]["sessions"][-2]["state"] == "skipped"


def test_the_leader_marks_a_holiday_week_on_the_page(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    r = client.post(
        f"/schools/{w.school.id}/holiday-weeks",
        data={"week": "2026-W52", "label": "Kerstvakantie", "csrf_token": csrf},
    )
    assert r.status_code == 200 and "week 52 2026 · Kerstvakantie" in r.text  # after the redirect
    r = client.post(
        f"/schools/{w.school.id}/holiday-weeks", data={"week": "kerst", "csrf_token": csrf}
    )
    assert r.status_code == 422
    r = client.post(
        f"/schools/{w.school.id}/holiday-weeks/2026-W52/delete", data={"csrf_token": csrf}
    )
    assert r.status_code == 200 and "week 52 2026 · Kerstvakantie" not in r.text


# --- a bestuur ---------------------------------------------------------------------------------


def test_a_leader_of_several_schools_sees_a_rollup_and_drills_down(client, factory, seeded):
    w, _, _, _ = seeded
    second = factory.school("De Klimroos")
    factory._save(Membership(user_id=w.leader.id, school_id=second.id, role=Role.leader))
    factory.login(w.leader)
    home = client.get("/")
    assert 'href="/overview"' in home.text
    r = client.get("/overview")
    assert r.status_code == 200
    assert f'href="/schools/{w.school.id}/overview"' in r.text
    assert f'href="/schools/{second.id}/overview"' in r.text
    assert w.other_school.name not in r.text
    row = r.text.split(f'id="school-row-{w.school.id}"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[:5] == ["3", "2", "2", "3", "2"]  # teams, todo, doing, done, late
    assert client.get(f"/schools/{second.id}/overview").status_code == 200


# --- live --------------------------------------------------------------------------------------


def frames_until(ws, text: str, limit: int = 10) -> str:
    for _ in range(limit):
        frame = ws.receive_text()
        if text in frame:
            return frame
    raise AssertionError(f"no frame with {text!r}")


def test_the_live_channel_is_for_the_schools_leaders_only(client, factory):
    w = factory.world()
    url = f"/schools/{w.school.id}/overview/ws"
    for outsider in (None, w.teacher, w.other_leader):
        headers = factory.api(outsider) if outsider else {}
        with (
            pytest.raises(WebSocketDenialResponse) as refused,
            client.websocket_connect(url, headers=headers),
        ):
            pass
        assert refused.value.status_code == 404
    lead = factory.api(w.leader)
    for school_id in ("0", "99999999999999999999999"):
        with (
            pytest.raises(WebSocketDenialResponse) as refused,
            client.websocket_connect(f"/schools/{school_id}/overview/ws", headers=lead),
        ):
            pass
        assert refused.value.status_code == 404


def test_a_change_on_a_team_board_updates_only_that_teams_card(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    with client.websocket_connect(f"/schools/{w.school.id}/overview/ws", headers=lead) as ws:
        first = frames_until(ws, 'id="ov-teams"')
        assert f'id="team-{w.team.id}"' in first and f'id="team-{w.outsider_team.id}"' in first

        # a care board and another school change first: no frame may come of them
        add_action(client, care.id, factory.api(ib), title="Leerling 12 zorg")
        add_action(client, w.other_board.id, factory.api(w.other_leader), title="Elders")
        add_action(client, w.board.id, lead, title="Rekenmuur")
        frame = ws.receive_text()
        assert f'id="team-{w.team.id}"' in frame and 'hx-swap-oob="true"' in frame
        assert f'id="team-{w.outsider_team.id}"' not in frame
        assert '<dd data-count="todo">1</dd>' in frame
        assert "Leerling 12" not in frame and "Elders" not in frame

        r = client.post(
            f"/api/v1/boards/{w.board.id}/help-requests",
            json={"text": "Help?"},
            headers=factory.api(w.teacher),
        )
        frame = frames_until(ws, "Help?")
        assert f"/overview/help-requests/{r.json()['id']}/answer" in frame

        ws.send_text(json.dumps({"ping": 1}))
        assert "live-pong" in frames_until(ws, "live-pong")


def test_the_demo_school_has_stand_ups_and_holiday_weeks_to_show(app, client, factory):
    with app.state.db.session() as session:
        demo.seed(session)
        take_outbox(session)
    leader = next(u for u in factory.all(User) if u.email == "directeur@deregenboog.nl")
    school_id = factory.all(School)[0].id
    lead = factory.api(leader)
    holidays = client.get(f"/api/v1/schools/{school_id}/holiday-weeks", headers=lead).json()
    assert sorted(h["label"] for h in holidays) == ["Herfstvakantie", "Kerstvakantie"]
    teams = overview(client, school_id, lead)
    assert teams["Bovenbouw"]["sessions_held_8w"] == 6
    assert [d["state"] for d in teams["Bovenbouw"]["sessions"]][-4] == "holiday"
    assert teams["Bovenbouw"]["open_help_requests"] >= 1


def test_a_holiday_week_marked_elsewhere_reaches_open_overviews(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    last_week = clock.iso_week(clock.today() - timedelta(weeks=1))
    with client.websocket_connect(f"/schools/{w.school.id}/overview/ws", headers=lead) as ws:
        assert "ov-dot--holiday" not in frames_until(ws, 'id="ov-teams"')
        r = client.post(
            f"/api/v1/schools/{w.school.id}/holiday-weeks", json={"week": last_week}, headers=lead
        )
        assert r.status_code == 201
        assert "ov-dot--holiday" in frames_until(ws, 'id="ov-teams"')


def test_the_leader_sets_the_schools_care_privacy_on_the_overview(client, factory, seeded):
    w, _, _, _ = seeded
    csrf = factory.login(w.leader)
    page = client.get(f"/schools/{w.school.id}/overview").text
    assert '<option value="2" selected>2 jaar</option>' in page  # the default: two years
    answer = client.post(
        f"/schools/{w.school.id}/care-settings",
        data={
            "csrf_token": csrf,
            "retention_years": "5",
            "full_names": "1",
            f"officer-{w.leader.id}": "1",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    school = factory.get(School, w.school.id)
    assert school.care_retention_days == 5 * 365 and school.care_full_names
    page = client.get(f"/schools/{w.school.id}/overview").text
    assert f'href="/schools/{w.school.id}/care-audit"' in page  # now a privacy officer
    bad = client.post(
        f"/schools/{w.school.id}/care-settings",
        data={"csrf_token": csrf, "retention_years": "99"},
    )
    assert bad.status_code == 422
    assert factory.get(School, w.school.id).care_retention_days == 5 * 365

    teacher_csrf = factory.login(w.teacher)
    answer = client.post(
        f"/schools/{w.school.id}/care-settings",
        data={"csrf_token": teacher_csrf, "retention_years": "1"},
    )
    assert answer.status_code == 404
    assert factory.get(School, w.school.id).care_retention_days == 5 * 365
