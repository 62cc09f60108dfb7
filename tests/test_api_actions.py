"""/api/v1/boards/{id}/actions, /actions/{id} and /ideas/{id}/promote."""

import pytest

from app.models import Action, ActionStatus, Board, BoardEvent, BoardKind, Idea, Role
from tests.factories import statements_asked

API = "/api/v1"


def field_of(response) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def version_of(factory, board_id: int) -> int:
    return factory.get(Board, board_id).version


def create(client, headers, board_id: int, **body):
    answer = client.post(f"{API}/boards/{board_id}/actions", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


# --- create -------------------------------------------------------------------------------------


def test_create_action_out_of_reach(client, factory):
    w = factory.world()
    care = factory.board(w.team, BoardKind.care, "Zorg")
    body = {"title": "Nee"}
    assert client.post(f"{API}/boards/{w.board.id}/actions", json=body).status_code == 401
    for user, board in [
        (w.other_teacher, w.board),  # another school
        (w.teacher, w.outsider_board),  # a team they are not in
        (w.teacher, care),  # a care board they are not a member of
        (w.leader, care),
        (w.other_leader, w.board),
    ]:
        url = f"{API}/boards/{board.id}/actions"
        assert client.post(url, json=body, headers=factory.api(user)).status_code == 404
    headers = factory.api(w.teacher)
    assert (
        client.post(f"{API}/boards/999999/actions", json=body, headers=headers).status_code == 404
    )
    assert factory.all(Action) == []
    assert factory.all(BoardEvent) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": 12}, "title"),
        ({"title": "x", "status": "later"}, "status"),
        ({"title": "x", "due": "1999-12-31"}, "due"),
        ({"title": "x", "due": "2101-01-01"}, "due"),
        ({"title": "x", "due": "31-12-2026"}, "due"),
        ({"title": "x", "owner": "o" * 121}, "owner"),
        ({"title": "x", "goal_id": True}, "goal_id"),
        ({"title": "x", "goal_id": "1"}, "goal_id"),
        ({"title": "x", "goal_id": 0}, "goal_id"),
        ({"title": "x", "goal_id": 2**31}, "goal_id"),
        ({"title": "x", "goal_id": 12345}, "goal_id"),  # no such goal on this board
    ],
)
def test_create_action_refuses_bad_input(client, factory, body, field):
    w = factory.world()
    answer = client.post(
        f"{API}/boards/{w.board.id}/actions", json=body, headers=factory.api(w.teacher)
    )
    assert answer.status_code == 422
    assert field in field_of(answer)
    assert factory.all(Action) == []
    assert version_of(factory, w.board.id) == 0


def test_create_action_refuses_malformed_json(client, factory):
    w = factory.world()
    headers = {**factory.api(w.teacher), "Content-Type": "application/json"}
    url = f"{API}/boards/{w.board.id}/actions"
    for raw in (b"{", b'{"title": NaN}', b"\xff\xfe", b"[]", b'"title"'):
        assert client.post(url, content=raw, headers=headers).status_code in (400, 422), raw
    huge = b'{"title": "x", "goal_id": ' + b"9" * 5000 + b"}"
    assert client.post(url, content=huge, headers=headers).status_code == 400
    assert factory.all(Action) == []


def test_goal_of_another_board_is_refused(client, factory):
    w = factory.world()
    goal = client.post(
        f"{API}/boards/{w.outsider_board.id}/goals",
        json={"title": "Lezen"},
        headers=factory.api(w.leader),
    ).json()
    answer = client.post(
        f"{API}/boards/{w.board.id}/actions",
        json={"title": "x", "goal_id": goal["id"]},
        headers=factory.api(w.teacher),
    )
    assert answer.status_code == 422
    assert field_of(answer) == ["goal_id"]
    assert factory.all(Action) == []


def test_create_action(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    answer = client.post(
        f"{API}/boards/{w.board.id}/actions",
        json={"title": " Rekenles samen ontwerpen ", "owner": "Ans", "due": "2030-03-01"},
        headers=headers,
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["title"] == "Rekenles samen ontwerpen"
    assert (body["owner"], body["due"], body["status"]) == ("Ans", "2030-03-01", "todo")
    assert (body["board_id"], body["version"], body["position"]) == (w.board.id, 1, 0)
    assert body["goal_id"] is None and body["late"] is False
    assert body["created_at"] and body["updated_at"]
    assert answer.headers["X-Board-Version"] == "1" == str(version_of(factory, w.board.id))

    second = create(client, headers, w.board.id, title="Nog een", status="done")
    assert (second["status"], second["position"]) == ("done", 0)
    third = create(client, headers, w.board.id, title="Derde")
    assert third["position"] == 1
    assert version_of(factory, w.board.id) == 3


def test_leader_and_ib_write_where_they_may(client, factory):
    w = factory.world()
    create(client, factory.api(w.leader), w.outsider_board.id, title="Van de leider")
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    create(client, factory.api(ib), care.id, title="Zorgactie")
    assert version_of(factory, care.id) == 1


def test_late_is_computed(client, factory):
    w = factory.world()
    body = create(client, factory.api(w.teacher), w.board.id, title="Oud", due="2001-01-01")
    assert body["late"] is True


# --- update -------------------------------------------------------------------------------------


def test_update_action_out_of_reach(client, factory):
    w = factory.world()
    action = create(client, factory.api(w.teacher), w.board.id, title="Mijn actie")
    url = f"{API}/actions/{action['id']}"
    body = {"title": "Overgenomen", "version": 1}
    assert client.patch(url, json=body).status_code == 401
    for user in (w.other_teacher, w.other_leader):
        assert client.patch(url, json=body, headers=factory.api(user)).status_code == 404
    outsider = factory.user(w.school)
    assert client.patch(url, json=body, headers=factory.api(outsider)).status_code == 404
    missing = client.patch(f"{API}/actions/999999", json=body, headers=factory.api(w.teacher))
    assert missing.status_code == 404
    assert factory.get(Action, action["id"]).title == "Mijn actie"
    assert version_of(factory, w.board.id) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "zonder versie"}, "version"),
        ({"title": "x", "version": True}, "version"),
        ({"title": "x", "version": 0}, "version"),
        ({"title": "x", "version": 2**31}, "version"),
        ({"title": "", "version": 1}, "title"),
        ({"title": None, "version": 1}, "title"),
        ({"status": None, "version": 1}, "status"),
        ({"status": "klaar", "version": 1}, "status"),
        ({"position": -1, "version": 1}, "position"),
        ({"position": 10_001, "version": 1}, "position"),
        ({"position": 1.5, "version": 1}, "position"),
        ({"due": "2200-01-01", "version": 1}, "due"),
        ({"goal_id": 99999, "version": 1}, "goal_id"),
    ],
)
def test_update_action_refuses_bad_input(client, factory, body, field):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = create(client, headers, w.board.id, title="Zo blijft het")
    answer = client.patch(f"{API}/actions/{action['id']}", json=body, headers=headers)
    assert answer.status_code == 422
    assert field in field_of(answer)
    row = factory.get(Action, action["id"])
    assert (row.title, row.version, row.status) == ("Zo blijft het", 1, ActionStatus.todo)
    assert version_of(factory, w.board.id) == 1


def test_stale_update_is_refused_with_the_current_action(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = create(client, headers, w.board.id, title="Eerste")
    url = f"{API}/actions/{action['id']}"
    assert (
        client.patch(url, json={"title": "Tweede", "version": 1}, headers=headers).status_code
        == 200
    )
    stale = client.patch(url, json={"title": "Derde", "version": 1}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["detail"]
    assert stale.json()["current"]["title"] == "Tweede"
    assert stale.json()["current"]["version"] == 2
    assert factory.get(Action, action["id"]).title == "Tweede"
    assert version_of(factory, w.board.id) == 2
    assert len(factory.all(BoardEvent)) == 2


def test_update_and_move_an_action(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    first = create(client, headers, w.board.id, title="Eén")
    second = create(client, headers, w.board.id, title="Twee")

    answer = client.patch(
        f"{API}/actions/{second['id']}",
        json={"position": 0, "owner": None, "version": 1},
        headers=headers,
    )
    assert answer.status_code == 200
    assert (answer.json()["position"], answer.json()["owner"]) == (0, "")
    assert answer.json()["version"] == 2
    assert answer.headers["X-Board-Version"] == "3" == str(version_of(factory, w.board.id))

    moved = client.patch(
        f"{API}/actions/{first['id']}",
        json={"status": "doing", "title": "Eén, bezig", "version": 1},
        headers=headers,
    ).json()
    assert (moved["status"], moved["position"], moved["title"]) == ("doing", 0, "Eén, bezig")
    board = client.get(f"{API}/boards/{w.board.id}", headers=headers).json()
    assert [(a["title"], a["status"], a["position"]) for a in board["actions"]] == [
        ("Twee", "todo", 0),
        ("Eén, bezig", "doing", 0),
    ]
    assert board["version"] == 4


def test_an_edit_that_keeps_an_action_in_its_place_answers_its_place_without_counting(
    client, factory
):
    """The place comes with the read of the action: the cards before it in its own column,
    without those deleted."""
    w = factory.world()
    headers = factory.api(w.teacher)
    first = create(client, headers, w.board.id, title="Eén")
    gone = create(client, headers, w.board.id, title="Weg")
    create(client, headers, w.board.id, title="Bezig", status="doing")
    third = create(client, headers, w.board.id, title="Drie")
    assert third["position"] == 2
    deleted = client.delete(f"{API}/actions/{gone['id']}", params={"version": 1}, headers=headers)
    assert deleted.status_code == 204
    for action, place in ((third, 1), (first, 0)):
        with statements_asked(factory.app) as statements:
            answer = client.patch(
                f"{API}/actions/{action['id']}",
                json={"title": f"{action['title']}!", "version": 1},
                headers=headers,
            )
        assert answer.status_code == 200, answer.text
        assert answer.json()["position"] == place
        assert not [s for s in statements if s.upper().startswith("SELECT COUNT(")], statements
    # a move is counted again: the place read with the action no longer holds
    moved = client.patch(
        f"{API}/actions/{third['id']}", json={"position": 0, "version": 2}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["position"] == 0
    board = client.get(f"{API}/boards/{w.board.id}", headers=headers).json()
    assert [(a["title"], a["position"]) for a in board["actions"] if a["status"] == "todo"] == [
        ("Drie!", 0),
        ("Eén!", 1),
    ]


# --- delete -------------------------------------------------------------------------------------


def test_delete_action_out_of_reach(client, factory):
    w = factory.world()
    action = create(client, factory.api(w.teacher), w.board.id, title="Blijft")
    url = f"{API}/actions/{action['id']}"
    assert client.delete(url).status_code == 401
    for user in (w.other_teacher, w.other_leader, factory.user(w.school)):
        assert client.delete(url, headers=factory.api(user)).status_code == 404
    assert factory.get(Action, action["id"]) is not None


def test_delete_refuses_a_stale_or_bad_version(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = create(client, headers, w.board.id, title="Blijft")
    url = f"{API}/actions/{action['id']}"
    client.patch(url, json={"title": "Gewijzigd", "version": 1}, headers=headers)
    stale = client.delete(url, params={"version": 1}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "Gewijzigd"
    for bad in ("0", "true", "x", str(2**31)):
        answer = client.delete(url, params={"version": bad}, headers=headers)
        assert answer.status_code == 422
        assert field_of(answer) == ["version"]
    assert factory.get(Action, action["id"]) is not None
    assert version_of(factory, w.board.id) == 2


def test_delete_action(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = create(client, headers, w.board.id, title="Weg ermee")
    other = create(client, headers, w.board.id, title="Blijft")
    url = f"{API}/actions/{action['id']}"
    answer = client.delete(url, params={"version": 1}, headers=headers)
    assert answer.status_code == 204
    assert answer.content == b""
    assert answer.headers["X-Board-Version"] == "3" == str(version_of(factory, w.board.id))
    assert factory.get(Action, action["id"]) is None
    assert client.delete(url, headers=headers).status_code == 404
    # without a version the delete is unconditional
    assert client.delete(f"{API}/actions/{other['id']}", headers=headers).status_code == 204


# --- promote an idea ----------------------------------------------------------------------------


def test_promote_idea_out_of_reach(client, factory):
    w = factory.world()
    idea = client.post(
        f"{API}/boards/{w.board.id}/ideas",
        json={"text": "Leesmaatjes"},
        headers=factory.api(w.teacher),
    ).json()
    url = f"{API}/ideas/{idea['id']}/promote"
    assert client.post(url).status_code == 401
    for user in (w.other_teacher, w.other_leader, factory.user(w.school)):
        assert client.post(url, headers=factory.api(user)).status_code == 404
    assert (
        client.post(f"{API}/ideas/999999/promote", headers=factory.api(w.teacher)).status_code
        == 404
    )
    assert factory.get(Idea, idea["id"]) is not None
    assert factory.all(Action) == []


def test_promote_idea_makes_an_action(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    long_text = "Leesmaatjes in groep 4 " + "x" * 300
    idea = client.post(
        f"{API}/boards/{w.board.id}/ideas", json={"text": long_text}, headers=headers
    ).json()
    answer = client.post(f"{API}/ideas/{idea['id']}/promote", headers=headers)
    assert answer.status_code == 201
    action = answer.json()
    assert action["status"] == "todo"
    assert len(action["title"]) == 200 and action["title"].startswith("Leesmaatjes")
    assert answer.headers["X-Board-Version"] == "2" == str(version_of(factory, w.board.id))
    assert factory.get(Idea, idea["id"]) is None
    assert client.post(f"{API}/ideas/{idea['id']}/promote", headers=headers).status_code == 404
