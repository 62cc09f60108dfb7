"""/api/v1/boards/{id}/events: the board's history, version by version."""

import pytest

from app.models import BoardKind

API = "/api/v1"


def field_of(response) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def test_events_out_of_reach(client, factory):
    w = factory.world()
    care = factory.board(w.team, BoardKind.care, "Zorg")
    assert client.get(f"{API}/boards/{w.board.id}/events").status_code == 401
    for user, board in [
        (w.other_teacher, w.board),
        (w.other_leader, w.board),
        (w.teacher, w.outsider_board),
        (w.teacher, care),
    ]:
        answer = client.get(f"{API}/boards/{board.id}/events", headers=factory.api(user))
        assert answer.status_code == 404
    answer = client.get(f"{API}/boards/999999/events", headers=factory.api(w.teacher))
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("after=-1", "after"),
        ("after=x", "after"),
        (f"after={2**31}", "after"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
    ],
)
def test_events_refuse_bad_query(client, factory, query, field):
    w = factory.world()
    answer = client.get(f"{API}/boards/{w.board.id}/events?{query}", headers=factory.api(w.teacher))
    assert answer.status_code == 422
    assert field_of(answer) == [field]


def test_events_in_order_and_after(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    board = f"{API}/boards/{w.board.id}"
    assert client.get(f"{board}/events", headers=headers).json() == []
    action = client.post(f"{board}/actions", json={"title": "Lezen"}, headers=headers).json()
    client.patch(
        f"{API}/actions/{action['id']}", json={"status": "done", "version": 1}, headers=headers
    )
    client.post(f"{board}/successes", json={"text": "Gelukt"}, headers=headers)
    stand_up = client.post(f"{board}/sessions", headers=headers).json()
    client.post(f"{API}/sessions/{stand_up['id']}/checkin", json={"mood": 5}, headers=headers)
    client.post(f"{board}/actions", json={"title": "Ouders"}, headers=factory.api(w.leader))

    events = client.get(f"{board}/events", headers=headers).json()
    assert [e["version"] for e in events] == [1, 2, 3, 4, 5, 6]
    assert [(e["kind"], e["entity"]) for e in events] == [
        ("created", "action"),
        ("moved", "action"),
        ("created", "success"),
        ("started", "stand_up"),
        ("checked_in", "stand_up"),
        ("created", "action"),
    ]
    assert events[0]["entity_id"] == action["id"]
    assert events[3]["entity_id"] == stand_up["id"]
    actors = [e["actor"] for e in events]
    assert actors == ["Tim Teacher"] * 4 + [None, "Lotte Leider"]
    assert set(events[0]) == {"version", "kind", "entity", "entity_id", "at", "actor"}

    after = client.get(f"{board}/events?after=4", headers=headers).json()
    assert [e["version"] for e in after] == [5, 6]
    limited = client.get(f"{board}/events?after=1&limit=2", headers=headers).json()
    assert [e["version"] for e in limited] == [2, 3]
    assert client.get(f"{board}/events?after=6", headers=headers).json() == []
    assert client.get(f"{board}/events?after=99", headers=headers).json() == []
    # Another board's events stay on that board.
    other = client.get(f"{API}/boards/{w.outsider_board.id}/events", headers=factory.api(w.leader))
    assert other.json() == []
