"""/api/v1/boards/{id}/sessions, /sessions/{id} and /sessions/{id}/checkin."""

import pytest

from app import clock
from app.models import Board, BoardEvent, BoardKind, CheckinVote, StandUp
from app.models.standup import DEFAULT_AGENDA

API = "/api/v1"


def field_of(response) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def start(client, headers, board_id: int, expect: int = 201, **body):
    answer = client.post(f"{API}/boards/{board_id}/sessions", json=body or None, headers=headers)
    assert answer.status_code == expect, answer.text
    assert answer.headers["X-Board-Version"]
    return answer.json()


def patch(client, headers, session_id: int, body: dict, expect: int = 200):
    answer = client.patch(f"{API}/sessions/{session_id}", json=body, headers=headers)
    assert answer.status_code == expect, answer.text
    return answer.json()


def stand_up_events(factory) -> list[str]:
    return [e.kind for e in factory.all(BoardEvent) if e.entity == "stand_up"]


# --- refusals -----------------------------------------------------------------------------------


def test_start_out_of_reach(client, factory):
    w = factory.world()
    care = factory.board(w.team, BoardKind.care, "Zorg")
    assert client.post(f"{API}/boards/{w.board.id}/sessions").status_code == 401
    for user, board in [
        (w.other_teacher, w.board),  # another school
        (w.teacher, w.outsider_board),  # a team they are not in
        (w.teacher, care),  # a care board they are not a member of
        (w.other_leader, w.board),
    ]:
        answer = client.post(f"{API}/boards/{board.id}/sessions", headers=factory.api(user))
        assert answer.status_code == 404
    answer = client.post(f"{API}/boards/999999/sessions", headers=factory.api(w.teacher))
    assert answer.status_code == 404
    assert factory.all(StandUp) == []
    assert factory.all(BoardEvent) == []


def test_session_out_of_reach(client, factory):
    w = factory.world()
    stand_up = start(client, factory.api(w.teacher), w.board.id)
    url = f"{API}/sessions/{stand_up['id']}"
    for user in (w.other_teacher, w.other_leader):
        headers = factory.api(user)
        assert client.get(url, headers=headers).status_code == 404
        assert client.patch(url, json={"ended": True}, headers=headers).status_code == 404
        answer = client.post(f"{url}/checkin", json={"mood": 3}, headers=headers)
        assert answer.status_code == 404
    outsider = factory.user(w.school, name="Olaf Onderbouw")
    factory.team(w.school, "Middenbouw", (outsider,))
    assert client.get(url, headers=factory.api(outsider)).status_code == 404
    headers = factory.api(w.teacher)
    assert client.patch(f"{API}/sessions/999999", json={}, headers=headers).status_code == 404
    assert factory.get(StandUp, stand_up["id"]).ended_at is None
    assert factory.all(CheckinVote) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"notes": ["Besluit"]}, "notes"),
        ({"notes": "x" * 2001}, "Besluiten"),
        ({"notes": {"Acties": 3}}, "Acties"),
        ({"notes": {"Acties": "x" * 2001}}, "Acties"),
        ({"notes": {"Acties": "a\x00b"}}, "Acties"),
        ({"notes": {f"deel {i}": "x" for i in range(31)}}, "notes"),
        ({"attendance": "Ans"}, "attendance"),
        ({"attendance": ["a" * 121]}, 0),
        ({"attendance": ["A\x00ns"]}, 0),
        ({"bordleider": "x" * 121}, "bordleider"),
        ({"schrijver": "a\x00b"}, "schrijver"),
        ({"tip": "x" * 2001}, "tip"),
        ({"top": None}, "top"),
        ({"agenda": []}, "agenda"),
        ({"agenda": [{"part": "Acties", "minutes": 0}]}, "minutes"),
        ({"agenda": [{"part": "", "minutes": 2}]}, "part"),
        ({"ended": False}, "ended"),
        ({"ended": "yes"}, "ended"),
        ({"version": 0}, "version"),
        ({"version": True}, "version"),
    ],
)
def test_update_refuses_bad_input(client, factory, body, field):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    answer = client.patch(f"{API}/sessions/{stand_up['id']}", json=body, headers=headers)
    assert answer.status_code == 422
    assert str(field) in field_of(answer)
    row = factory.get(StandUp, stand_up["id"])
    assert (row.version, row.notes, row.ended_at) == (1, {}, None)


@pytest.mark.parametrize("mood", [0, 6, -1, "3", 3.5, True, ""])
def test_checkin_refuses_bad_mood(client, factory, mood):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    answer = client.post(
        f"{API}/sessions/{stand_up['id']}/checkin", json={"mood": mood}, headers=headers
    )
    assert answer.status_code == 422
    assert field_of(answer) == ["mood"]
    assert factory.all(CheckinVote) == []


def test_stale_version_is_refused(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    patch(client, headers, stand_up["id"], {"tip": "Korter", "version": 1})
    answer = client.patch(
        f"{API}/sessions/{stand_up['id']}", json={"top": "Fijn", "version": 1}, headers=headers
    )
    assert answer.status_code == 409
    assert answer.json()["current"]["tip"] == "Korter"
    assert factory.get(StandUp, stand_up["id"]).top == ""


# --- the session --------------------------------------------------------------------------------


def test_start_twice_in_one_week_returns_the_same_session(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    first = start(client, headers, w.board.id)
    assert first["week"] == clock.iso_week(clock.today())
    assert first["ended_at"] is None
    assert first["agenda"] == DEFAULT_AGENDA
    assert sum(part["minutes"] for part in first["agenda"]) == 15
    assert first["checkin"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    assert first["summary"] is None
    version = factory.get(Board, w.board.id).version
    again = start(client, factory.api(w.leader), w.board.id, expect=200)
    assert again == first
    assert len(factory.all(StandUp)) == 1
    assert factory.get(Board, w.board.id).version == version
    assert stand_up_events(factory) == ["started"]


def test_bordleider_rotates_by_name(client, factory):
    w = factory.world()
    ans = factory.user(w.school, name="Ans")
    bram = factory.user(w.school, name="Bram")
    team = factory.team(w.school, "Middenbouw", (bram, ans, w.teacher))
    board = factory.board(team)
    headers = factory.api(ans)
    assert start(client, headers, board.id)["bordleider"] == "Ans"  # nobody before: first name
    with factory.session() as s:
        row = s.get(StandUp, 1)
        row.week = "2000-W01"  # pretend it was last week's
        s.add(row)
        s.commit()
    assert start(client, headers, board.id)["bordleider"] == "Bram"
    with factory.session() as s:
        row = s.get(StandUp, 2)
        row.week, row.bordleider = "2000-W02", "Tim Teacher"
        s.add(row)
        s.commit()
    assert start(client, headers, board.id)["bordleider"] == "Ans"  # wraps around
    with factory.session() as s:
        s.delete(s.get(StandUp, 3))
        s.commit()
    chosen = start(client, headers, board.id, bordleider="Lotte", schrijver="Bram")
    assert (chosen["bordleider"], chosen["schrijver"]) == ("Lotte", "Bram")


def test_a_whole_session_and_its_summary(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    board = f"{API}/boards/{w.board.id}"
    before = client.post(f"{board}/actions", json={"title": "Al bekend"}, headers=headers).json()
    goal = client.post(f"{board}/goals", json={"title": "Leesplezier"}, headers=headers).json()

    stand_up = start(client, headers, w.board.id)
    url = f"{API}/sessions/{stand_up['id']}"
    action = client.post(
        f"{board}/actions", json={"title": "Rekenles samen ontwerpen"}, headers=headers
    ).json()
    moved = client.patch(
        f"{API}/actions/{action['id']}", json={"status": "done", "version": 1}, headers=headers
    )
    assert moved.status_code == 200
    doing = client.patch(
        f"{API}/actions/{before['id']}", json={"status": "doing", "version": 1}, headers=headers
    )
    assert doing.status_code == 200
    gone = client.post(f"{board}/actions", json={"title": "Vergissing"}, headers=headers).json()
    assert client.delete(f"{API}/actions/{gone['id']}", headers=headers).status_code == 204
    success = client.post(
        f"{board}/successes", json={"text": "Iedereen op tijd"}, headers=headers
    ).json()
    measured = client.post(
        f"{API}/goals/{goal['id']}/measurements",
        json={"date": "2026-09-07", "value": 62.5, "note": "groep 6"},
        headers=headers,
    )
    assert measured.status_code == 201
    body = patch(
        client,
        headers,
        stand_up["id"],
        {
            "notes": {"Acties": " Ans plant de les ", "Doelen": "Meten in week 48"},
            "attendance": ["Ans", "Bram", "Ans", ""],
            "schrijver": "Bram",
            "version": 1,
        },
    )
    assert body["notes"] == {"Acties": "Ans plant de les", "Doelen": "Meten in week 48"}
    assert body["attendance"] == ["Ans", "Bram"]
    assert body["version"] == 2
    assert body["summary"] is None
    body = patch(client, headers, stand_up["id"], {"notes": {"Doelen": ""}, "tip": "Op tijd"})
    assert body["notes"] == {"Acties": "Ans plant de les"}

    ended = client.patch(url, json={"ended": True, "top": "Goede energie"}, headers=headers)
    assert ended.status_code == 200
    assert int(ended.headers["X-Board-Version"]) == factory.get(Board, w.board.id).version
    body = ended.json()
    assert body["ended_at"] is not None
    assert body["summary"] == {
        "actions_created": [
            {"id": action["id"], "title": "Rekenles samen ontwerpen"},
            {"id": gone["id"], "title": None},
        ],
        "actions_moved": [
            {"id": action["id"], "title": "Rekenles samen ontwerpen"},
            {"id": before["id"], "title": "Al bekend"},
        ],
        "actions_finished": [{"id": action["id"], "title": "Rekenles samen ontwerpen"}],
        "successes": [{"id": success["id"], "text": "Iedereen op tijd"}],
        "measurements": [
            {
                "goal_id": goal["id"],
                "goal": "Leesplezier",
                "date": "2026-09-07",
                "value": 62.5,
                "note": "groep 6",
            }
        ],
        "decisions": {"Acties": "Ans plant de les"},
        "tip": "Op tijd",
        "top": "Goede energie",
        "attendance": ["Ans", "Bram"],
        "checkin": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
    }
    # After the end, new work on the board is not part of the session.
    client.post(f"{board}/actions", json={"title": "Later"}, headers=headers)
    assert client.get(url, headers=headers).json()["summary"] == body["summary"]
    assert stand_up_events(factory) == ["started", "updated", "updated", "ended"]


def test_ending_twice_is_harmless(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    first = patch(client, headers, stand_up["id"], {"ended": True, "version": 1})
    version = factory.get(Board, w.board.id).version
    again = client.patch(
        f"{API}/sessions/{stand_up['id']}", json={"ended": True, "version": 1}, headers=headers
    )
    assert again.status_code == 200
    assert again.json() == first
    assert again.headers["X-Board-Version"] == str(version)
    assert factory.get(Board, w.board.id).version == version
    assert stand_up_events(factory) == ["started", "ended"]


def test_starting_again_in_the_same_week_reopens_that_weeks_session(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    patch(client, headers, stand_up["id"], {"ended": True})
    again = start(client, headers, w.board.id, expect=200)
    assert again["id"] == stand_up["id"] and again["ended_at"] is None and again["summary"] is None
    action = client.post(
        f"{API}/boards/{w.board.id}/actions", json={"title": "Na heropenen"}, headers=headers
    ).json()
    ended = patch(client, headers, stand_up["id"], {"ended": True})
    # the summary spans the whole session, before and after it was reopened
    assert [a["id"] for a in ended["summary"]["actions_created"]] == [action["id"]]
    assert stand_up_events(factory) == ["started", "ended", "reopened", "ended"]
    assert len(factory.all(StandUp)) == 1


def test_the_agenda_clock_moves_per_part_and_people_are_marked_one_by_one(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    assert stand_up["current_part"] == 0 and stand_up["part_started_at"]
    moved = patch(client, headers, stand_up["id"], {"part": 2})
    assert moved["current_part"] == 2 and moved["part_started_at"] >= stand_up["part_started_at"]
    answer = client.patch(f"{API}/sessions/{stand_up['id']}", json={"part": 6}, headers=headers)
    assert answer.status_code == 422 and field_of(answer) == ["part"]
    patch(client, headers, stand_up["id"], {"present": {"Ans": True, "Bram": True}})
    marked = patch(client, headers, stand_up["id"], {"present": {"Ans": False, "Cor": True}})
    assert marked["attendance"] == ["Bram", "Cor"]


def test_a_teams_own_agenda_carries_over_to_next_week(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    with factory.session() as s:
        agenda = [{"part": "Check-in", "minutes": 2}, {"part": "Acties", "minutes": 10}]
        s.add(StandUp(board_id=w.board.id, week="2020-W01", agenda=agenda))
        s.commit()
    stand_up = start(client, headers, w.board.id)
    assert stand_up["agenda"] == agenda


def test_checkin_is_one_changeable_vote_per_person_and_shows_counts_only(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    url = f"{API}/sessions/{stand_up['id']}/checkin"
    for mood in (4, 4, 2):  # tapping again changes one's own vote, it does not add one
        answer = client.post(url, json={"mood": mood}, headers=headers)
        assert answer.status_code == 201
        assert answer.headers["X-Board-Version"]
    assert answer.json()["checkin"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}
    answer = client.post(url, json={"mood": None}, headers=headers)  # taken back
    assert answer.json()["checkin"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    client.post(url, json={"mood": 5}, headers=headers)
    assert client.post(url, json={"mood": 1}, headers=factory.api(w.leader)).status_code == 201
    answer = client.get(f"{API}/sessions/{stand_up['id']}", headers=headers)
    assert answer.json()["checkin"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1}
    assert "voter" not in answer.text
    checkins = [e for e in factory.all(BoardEvent) if e.kind == "checked_in"]
    assert len(checkins) == 5  # the same smiley twice changes nothing
    assert all(e.actor_id is None for e in checkins)

    ended = patch(client, headers, stand_up["id"], {"ended": True})
    assert ended["summary"]["checkin"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1}
    # once ended, the votes no longer say whose they were, and the check-in is closed
    assert [v.voter_id for v in factory.all(CheckinVote)] == [None, None]
    answer = client.post(url, json={"mood": 3}, headers=headers)
    assert answer.status_code == 422
    assert field_of(answer) == ["mood"]
    assert sorted(v.mood for v in factory.all(CheckinVote)) == [1, 5]


def test_plain_text_notes_are_the_sessions_general_notes(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    patch(client, headers, stand_up["id"], {"notes": {"Acties": "Ans plant"}})
    body = patch(client, headers, stand_up["id"], {"notes": " Besluit: we meten in week 2 "})
    assert body["notes"] == {"Acties": "Ans plant", "Besluiten": "Besluit: we meten in week 2"}
    factory.login(w.teacher)
    panel = client.get(f"/boards/{w.board.id}").text
    assert "<dt>Besluiten</dt><dd>Besluit: we meten in week 2</dd>" in panel
    ended = patch(client, headers, stand_up["id"], {"ended": True})
    assert ended["summary"]["decisions"]["Besluiten"] == "Besluit: we meten in week 2"
    body = patch(client, headers, stand_up["id"], {"notes": ""})
    assert body["notes"] == {"Acties": "Ans plant"}


def test_session_history(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    stand_up = start(client, headers, w.board.id)
    listing = client.get(f"{API}/boards/{w.board.id}/sessions", headers=headers)
    assert listing.status_code == 200
    assert [s["id"] for s in listing.json()] == [stand_up["id"]]
    other = client.get(f"{API}/boards/{w.board.id}/sessions", headers=factory.api(w.other_teacher))
    assert other.status_code == 404
