"""GET /api/v1/me/home: the start page as JSON, for the user behind the token only."""

from datetime import date, timedelta

from app.models import StandUp

API = "/api/v1"
MONDAY = date(2026, 11, 30)  # the pinned clock's day (conftest.py)


def add_action(client, headers, board_id: int, title: str, owner: str, due: date | None):
    body = {"title": title, "owner": owner, "due": due.isoformat() if due else None}
    r = client.post(f"{API}/boards/{board_id}/actions", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_home_needs_credentials(client):
    assert client.get(f"{API}/me/home").status_code == 401


def test_my_actions_sessions_and_answers_and_nothing_of_another_school(client, factory):
    w = factory.world()
    me = factory.api(w.teacher)
    later = add_action(client, me, w.board.id, "Later", "Tim", MONDAY + timedelta(days=9))
    week = add_action(client, me, w.board.id, "Deze week", "Tim", MONDAY + timedelta(days=6))
    late = add_action(client, me, w.board.id, "Te laat", "tim teacher", MONDAY - timedelta(1))
    add_action(client, me, w.board.id, "Niet van mij", "Lotte", MONDAY - timedelta(1))
    other = factory.api(w.other_teacher)
    # named as Tim *and* as the other school's teacher: only the latter sees it
    both = f"{w.other_teacher.name}"
    add_action(client, other, w.other_board.id, "Andere school", both, MONDAY - timedelta(1))
    add_action(client, other, w.other_board.id, "Ook Tim", "Tim", MONDAY - timedelta(1))
    asked = client.post(
        f"{API}/boards/{w.board.id}/help-requests", json={"text": "Hulp?"}, headers=me
    ).json()
    answered = client.post(
        f"{API}/help-requests/{asked['id']}/answer",
        json={"text": "Komt goed"},
        headers=factory.api(w.leader),
    )
    assert answered.status_code == 200, answered.text

    body = client.get(f"{API}/me/home", headers=me).json()
    assert [(a["id"], a["group"]) for a in body["actions"]] == [
        (late["id"], "late"),
        (week["id"], "week"),
        (later["id"], "later"),
    ]
    assert body["sessions"] == [
        {
            "team_id": w.team.id,
            "team": "Bovenbouw",
            "board_id": w.board.id,
            "this_week": "upcoming",
            "next_week": MONDAY.isoformat(),
        }
    ]
    assert [(h["id"], h["answer"]) for h in body["answers"]] == [(asked["id"], "Komt goed")]
    assert body["attention"] == []

    # the other school's teacher sees their own action, none of school A's
    theirs = client.get(f"{API}/me/home", headers=other).json()
    assert [a["title"] for a in theirs["actions"]] == ["Andere school"]
    assert theirs["answers"] == [] and [s["team"] for s in theirs["sessions"]] == ["Groep 8"]


def test_a_leader_gets_the_teams_that_need_attention_of_their_own_school(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    add_action(client, lead, w.board.id, "Te laat", "", MONDAY - timedelta(days=3))
    factory._save(StandUp(board_id=w.board.id, week="2026-W48"))  # held last week
    body = client.get(f"{API}/me/home", headers=lead).json()
    teams = {t["team_id"]: t for t in body["attention"]}
    assert set(teams) == {w.team.id, w.outsider_team.id}
    late, quiet = teams[w.team.id], teams[w.outsider_team.id]
    assert (late["school_id"], late["overdue"], late["skipped_last_week"]) == (
        w.school.id,
        1,
        False,
    )
    assert (quiet["overdue"], quiet["skipped_last_week"]) == (0, True)
    other = client.get(f"{API}/me/home", headers=factory.api(w.other_leader)).json()
    assert {t["school_id"] for t in other["attention"]} == {w.other_school.id}
