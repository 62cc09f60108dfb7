"""Goals, measurements, successes, plan items, ideas and help requests (one route set per kind)."""

from dataclasses import dataclass, field

import pytest

from app.models import (
    Board,
    BoardEvent,
    BoardKind,
    Goal,
    HelpRequest,
    Idea,
    PlanItem,
    Role,
    Success,
)
from tests.factories import statements_asked

API = "/api/v1"


def field_of(response) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def version_of(factory, board_id: int) -> int:
    return factory.get(Board, board_id).version


@dataclass
class Spec:
    path: str
    model: type
    create: dict
    patch: dict  # a valid change, without the version
    bad: list[tuple[dict, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.path


SPECS = [
    Spec(
        "goals",
        Goal,
        {"title": "Leesplezier", "metric": "% dat graag leest", "unit": "%", "baseline": 40},
        {"title": "Meer leesplezier", "target": 80.5, "target_date": "2027-06-30"},
        [
            ({}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x", "unit": "u" * 31}, "unit"),
            ({"title": "x", "unit": "\x00"}, "unit"),
            ({"title": "x", "baseline": True}, "baseline"),
            ({"title": "x", "target": 1e13}, "target"),
            ({"title": "x", "target": "veel"}, "target"),
            ({"title": "x", "target_date": "3000-01-01"}, "target_date"),
        ],
    ),
    Spec(
        "successes",
        Success,
        {"text": "Alle kinderen lazen mee"},
        {"text": "Alle kinderen lazen 20 minuten mee"},
        [
            ({}, "text"),
            ({"text": "t" * 2001}, "text"),
            ({"text": "x", "goal_id": 424242}, "goal_id"),
            ({"text": "x", "action_id": 424242}, "action_id"),
            ({"text": "x", "action_id": False}, "action_id"),
        ],
    ),
    Spec(
        "plan-items",
        PlanItem,
        {"text": "Lesbezoek bij Ans", "date": "2026-09-16", "kind": "lesbezoek", "who": "Tim"},
        {"kind": "lesontwerp", "date": "2026-09-17", "who": None},
        [
            ({"text": "x"}, "date"),
            ({"text": "x", "date": "2026-02-30"}, "date"),
            ({"text": "x", "date": "1900-01-01"}, "date"),
            ({"text": "x", "date": "2026-09-16", "kind": "feest"}, "kind"),
            ({"text": "x", "date": "2026-09-16", "who": "w" * 121}, "who"),
        ],
    ),
    Spec(
        "ideas",
        Idea,
        {"text": "Leesmaatjes"},
        {"text": "Leesmaatjes met groep 8"},
        [({}, "text"), ({"text": ""}, "text"), ({"text": ["a"]}, "text")],
    ),
    Spec(
        "help-requests",
        HelpRequest,
        {"text": "Kunnen we budget krijgen voor boeken?"},
        {"text": "Kunnen we 300 euro krijgen voor boeken?"},
        [({}, "text"), ({"text": "a\x00"}, "text")],
    ),
]


def create(client, headers, board_id: int, spec: Spec) -> dict:
    answer = client.post(f"{API}/boards/{board_id}/{spec.path}", json=spec.create, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


# --- create -------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_create_out_of_reach(client, factory, spec):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    assert (
        client.post(f"{API}/boards/{w.board.id}/{spec.path}", json=spec.create).status_code == 401
    )
    for user, board in [
        (w.other_teacher, w.board),
        (w.other_leader, w.board),
        (w.teacher, w.outsider_board),
        (w.teacher, care),
        (w.leader, care),
    ]:
        url = f"{API}/boards/{board.id}/{spec.path}"
        assert client.post(url, json=spec.create, headers=factory.api(user)).status_code == 404
    assert factory.all(spec.model) == []
    assert factory.all(BoardEvent) == []


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_create_refuses_bad_input(client, factory, spec):
    w = factory.world()
    headers = factory.api(w.teacher)
    for body, name in spec.bad:
        answer = client.post(f"{API}/boards/{w.board.id}/{spec.path}", json=body, headers=headers)
        assert answer.status_code == 422, body
        assert name in field_of(answer), (body, answer.json())
    assert factory.all(spec.model) == []
    assert version_of(factory, w.board.id) == 0


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_create(client, factory, spec):
    w = factory.world()
    answer = client.post(
        f"{API}/boards/{w.board.id}/{spec.path}", json=spec.create, headers=factory.api(w.teacher)
    )
    assert answer.status_code == 201
    body = answer.json()
    for name, value in spec.create.items():
        assert body[name] == value
    assert (body["board_id"], body["version"]) == (w.board.id, 1)
    assert body["created_at"] and body["updated_at"]
    assert answer.headers["X-Board-Version"] == "1" == str(version_of(factory, w.board.id))
    assert factory.get(spec.model, body["id"]) is not None


# --- update -------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_update_out_of_reach(client, factory, spec):
    w = factory.world()
    item = create(client, factory.api(w.teacher), w.board.id, spec)
    url = f"{API}/{spec.path}/{item['id']}"
    body = {**spec.patch, "version": 1}
    assert client.patch(url, json=body).status_code == 401
    for user in (w.other_teacher, w.other_leader, factory.user(w.school)):
        assert client.patch(url, json=body, headers=factory.api(user)).status_code == 404
    missing = client.patch(f"{API}/{spec.path}/999999", json=body, headers=factory.api(w.teacher))
    assert missing.status_code == 404
    assert factory.get(spec.model, item["id"]).version == 1
    assert version_of(factory, w.board.id) == 1


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_update_refuses_bad_input(client, factory, spec):
    w = factory.world()
    headers = factory.api(w.teacher)
    item = create(client, headers, w.board.id, spec)
    url = f"{API}/{spec.path}/{item['id']}"
    first = next(iter(spec.create))
    for body, name in [
        (spec.patch, "version"),
        ({**spec.patch, "version": True}, "version"),
        ({**spec.patch, "version": "1"}, "version"),
        ({first: None, "version": 1}, first),
        ({first: "", "version": 1}, first),
    ]:
        answer = client.patch(url, json=body, headers=headers)
        assert answer.status_code == 422, body
        assert name in field_of(answer), (body, answer.json())
    assert factory.get(spec.model, item["id"]).version == 1
    assert version_of(factory, w.board.id) == 1


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_stale_update_is_refused(client, factory, spec):
    w = factory.world()
    headers = factory.api(w.teacher)
    item = create(client, headers, w.board.id, spec)
    url = f"{API}/{spec.path}/{item['id']}"
    assert client.patch(url, json={**spec.patch, "version": 1}, headers=headers).status_code == 200
    stale = client.patch(url, json={**spec.patch, "version": 1}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["detail"]
    assert stale.json()["current"]["version"] == 2
    assert stale.json()["current"]["id"] == item["id"]
    assert version_of(factory, w.board.id) == 2


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_update(client, factory, spec):
    w = factory.world()
    headers = factory.api(w.teacher)
    item = create(client, headers, w.board.id, spec)
    answer = client.patch(
        f"{API}/{spec.path}/{item['id']}", json={**spec.patch, "version": 1}, headers=headers
    )
    assert answer.status_code == 200
    body = answer.json()
    for name, value in spec.patch.items():
        assert body[name] == ("" if value is None else value)
    assert body["version"] == 2
    assert body["created_at"] == item["created_at"]
    assert answer.headers["X-Board-Version"] == "2" == str(version_of(factory, w.board.id))


def test_whoever_edits_the_item_is_checked_in_the_read_of_the_item(client, factory):
    """A teacher of the team, a leader of the school and an administrator reach the board by
    different rules: each edit still asks the same statements, as the rule is part of the read."""
    w = factory.world()
    factory.app.state.webhooks.stop()  # its own reads would be counted with the edits'
    item = create(client, factory.api(w.teacher), w.board.id, SPECS[1])
    asked: dict[str, int] = {}
    for version, user in enumerate((w.teacher, w.leader, w.admin), start=1):
        headers = factory.api(user)
        # a token's first use is stamped by a thread of its own (services/token_use.py): use it
        # once and wait for the stamp, so its transaction is not counted with the edit's
        assert client.get(f"{API}/boards/{w.board.id}", headers=headers).status_code == 200
        factory.app.state.token_use.flush()
        with statements_asked(factory.app) as statements:
            answer = client.patch(
                f"{API}/successes/{item['id']}",
                json={"text": f"Versie {version + 1}", "version": version},
                headers=headers,
            )
        assert answer.status_code == 200, answer.text
        asked[user.name] = len(statements)
    assert len(set(asked.values())) == 1, asked


# --- delete -------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_delete_out_of_reach_or_stale(client, factory, spec):
    w = factory.world()
    headers = factory.api(w.teacher)
    item = create(client, headers, w.board.id, spec)
    url = f"{API}/{spec.path}/{item['id']}"
    assert client.delete(url).status_code == 401
    for user in (w.other_teacher, w.other_leader, factory.user(w.school)):
        assert client.delete(url, headers=factory.api(user)).status_code == 404
    assert client.delete(url, params={"version": 2}, headers=headers).status_code == 409
    assert client.delete(url, params={"version": 0}, headers=headers).status_code == 422
    assert factory.get(spec.model, item["id"]) is not None
    assert version_of(factory, w.board.id) == 1


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_delete(client, factory, spec):
    w = factory.world()
    headers = factory.api(w.teacher)
    item = create(client, headers, w.board.id, spec)
    url = f"{API}/{spec.path}/{item['id']}"
    answer = client.delete(url, params={"version": 1}, headers=headers)
    assert answer.status_code == 204
    assert answer.headers["X-Board-Version"] == "2" == str(version_of(factory, w.board.id))
    assert factory.get(spec.model, item["id"]) is None
    assert client.delete(url, headers=headers).status_code == 404


def test_references_must_be_on_the_same_board(client, factory):
    w = factory.world()
    foreign = client.post(
        f"{API}/boards/{w.outsider_board.id}/goals",
        json={"title": "Elders"},
        headers=factory.api(w.leader),
    ).json()
    headers = factory.api(w.teacher)
    answer = client.post(
        f"{API}/boards/{w.board.id}/successes",
        json={"text": "x", "goal_id": foreign["id"]},
        headers=headers,
    )
    assert answer.status_code == 422
    assert field_of(answer) == ["goal_id"]
    own = create(client, headers, w.board.id, SPECS[1])
    patched = client.patch(
        f"{API}/successes/{own['id']}",
        json={"goal_id": foreign["id"], "version": 1},
        headers=headers,
    )
    assert patched.status_code == 422
    assert field_of(patched) == ["goal_id"]
    assert factory.get(Success, own["id"]).version == 1


# --- measurements -------------------------------------------------------------------------------


def test_measurement_out_of_reach(client, factory):
    w = factory.world()
    goal = create(client, factory.api(w.teacher), w.board.id, SPECS[0])
    url = f"{API}/goals/{goal['id']}/measurements"
    body = {"date": "2026-09-07", "value": 50}
    assert client.post(url, json=body).status_code == 401
    for user in (w.other_teacher, w.other_leader, factory.user(w.school)):
        assert client.post(url, json=body, headers=factory.api(user)).status_code == 404
    headers = factory.api(w.teacher)
    assert (
        client.post(f"{API}/goals/999999/measurements", json=body, headers=headers).status_code
        == 404
    )
    assert version_of(factory, w.board.id) == 1


def test_measurement_refuses_bad_input(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    goal = create(client, headers, w.board.id, SPECS[0])
    url = f"{API}/goals/{goal['id']}/measurements"
    for body, name in [
        ({"value": 1}, "date"),
        ({"date": "2026-09-07"}, "value"),
        ({"date": "2026-09-07", "value": True}, "value"),
        ({"date": "2026-09-07", "value": "1"}, "value"),
        ({"date": "2026-09-07", "value": -1e13}, "value"),
        ({"date": "0999-09-07", "value": 1}, "date"),
        ({"date": "2026-09-07", "value": 1, "note": "n" * 501}, "note"),
        ({"date": "2026-09-07", "value": 1, "note": "\x00"}, "note"),
        ({"date": "2031-01-03", "value": 50}, "date"),  # not yet measured
        ({"date": "2026-12-01", "value": 50}, "date"),  # the school's tomorrow
        ({"date": "2026-09-07", "value": -50}, "value"),  # a percentage
        ({"date": "2026-09-07", "value": 100.5}, "value"),
    ]:
        answer = client.post(url, json=body, headers=headers)
        assert answer.status_code == 422, body
        assert name in field_of(answer)
    raw = client.post(
        url,
        content=b'{"date": "2026-09-07", "value": NaN}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert raw.status_code == 422
    assert field_of(raw) == ["value"]
    assert version_of(factory, w.board.id) == 1


def test_add_measurement(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    goal = create(client, headers, w.board.id, SPECS[0])
    answer = client.post(
        f"{API}/goals/{goal['id']}/measurements",
        json={"date": "2026-09-07", "value": 62.5, "note": "na de vakantie"},
        headers=headers,
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body == {
        "id": body["id"],
        "goal_id": goal["id"],
        "date": "2026-09-07",
        "value": 62.5,
        "note": "na de vakantie",
    }
    assert answer.headers["X-Board-Version"] == "2" == str(version_of(factory, w.board.id))
    patched = client.patch(
        f"{API}/goals/{goal['id']}", json={"title": "Nieuw", "version": 1}, headers=headers
    ).json()
    assert patched["latest"]["value"] == 62.5
    assert len(patched["measurements"]) == 1


# --- answering a help request -------------------------------------------------------------------


def test_only_the_leader_answers(client, factory):
    w = factory.world()
    request = create(client, factory.api(w.teacher), w.board.id, SPECS[4])
    url = f"{API}/help-requests/{request['id']}/answer"
    body = {"text": "Ja, 300 euro."}
    assert client.post(url, json=body).status_code == 401
    for user in (w.teacher, w.other_leader, w.other_teacher):
        assert client.post(url, json=body, headers=factory.api(user)).status_code == 404
    missing = client.post(
        f"{API}/help-requests/999999/answer", json=body, headers=factory.api(w.leader)
    )
    assert missing.status_code == 404
    assert factory.get(HelpRequest, request["id"]).answer is None


def test_leader_cannot_answer_on_a_care_board(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    request = create(client, factory.api(ib), care.id, SPECS[4])
    answer = client.post(
        f"{API}/help-requests/{request['id']}/answer",
        json={"text": "Ja"},
        headers=factory.api(w.leader),
    )
    assert answer.status_code == 404


def test_answer_refuses_bad_input(client, factory):
    w = factory.world()
    request = create(client, factory.api(w.teacher), w.board.id, SPECS[4])
    url = f"{API}/help-requests/{request['id']}/answer"
    headers = factory.api(w.leader)
    for body, name in [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "Ja", "version": True}, "version"),
        ({"text": "Ja", "version": 0}, "version"),
    ]:
        answer = client.post(url, json=body, headers=headers)
        assert answer.status_code == 422, body
        assert name in field_of(answer)
    assert factory.get(HelpRequest, request["id"]).answer is None


def test_leader_answers_and_a_second_answer_needs_the_version(client, factory):
    w = factory.world()
    request = create(client, factory.api(w.teacher), w.board.id, SPECS[4])
    url = f"{API}/help-requests/{request['id']}/answer"
    headers = factory.api(w.leader)

    answer = client.post(url, json={"text": "Ja, 300 euro."}, headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["answer"], body["version"]) == ("Ja, 300 euro.", 2)
    assert body["answered_at"]
    assert answer.headers["X-Board-Version"] == "2" == str(version_of(factory, w.board.id))

    again = client.post(url, json={"text": "Nee toch niet"}, headers=headers)
    assert again.status_code == 409
    assert again.json()["current"]["answer"] == "Ja, 300 euro."
    stale = client.post(url, json={"text": "Nee toch niet", "version": 1}, headers=headers)
    assert stale.status_code == 409
    assert version_of(factory, w.board.id) == 2

    edited = client.post(url, json={"text": "Ja, 250 euro.", "version": 2}, headers=headers)
    assert edited.status_code == 200
    assert (edited.json()["answer"], edited.json()["version"]) == ("Ja, 250 euro.", 3)
    assert edited.headers["X-Board-Version"] == "3"


def test_admin_may_answer(client, factory):
    w = factory.world()
    request = create(client, factory.api(w.teacher), w.board.id, SPECS[4])
    answer = client.post(
        f"{API}/help-requests/{request['id']}/answer",
        json={"text": "Geregeld"},
        headers=factory.api(w.admin),
    )
    assert answer.status_code == 200
