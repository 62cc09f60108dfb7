"""Board templates: the built-in ones, and a school's own saved from one of its boards."""

import pytest

from app.models import Action, Board, BoardKind, BoardMember, Goal, Measurement, Role
from app.models.template import BoardTemplate
from app.services.templates import CARE_AGENDA, CLASS_AGENDA, LEADERSHIP_AGENDA

API = "/api/v1"
DEFAULT_PARTS = ["Check-in", "Successen", "Doelen", "Acties", "Planning", "Hulp en afsluiting"]


def field_of(response) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def start_stand_up(client, factory, user, board_id: int) -> list[str]:
    answer = client.post(f"{API}/boards/{board_id}/sessions", json={}, headers=factory.api(user))
    assert answer.status_code in (200, 201), answer.text
    return [part["part"] for part in answer.json()["agenda"]]


@pytest.mark.parametrize(
    ("template", "kind", "agenda"),
    [
        ("teambord", "team", DEFAULT_PARTS),
        ("bord-in-de-klas", "class", [p["part"] for p in CLASS_AGENDA]),
        ("leiderschapsbord", "leadership", [p["part"] for p in LEADERSHIP_AGENDA]),
    ],
)
def test_a_built_in_template_gives_its_kind_and_agenda(client, factory, template, kind, agenda):
    w = factory.world()
    body = {"title": "Nieuw bord", "template": template}
    answer = client.post(
        f"{API}/teams/{w.team.id}/boards", json=body, headers=factory.api(w.leader)
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["kind"] == kind
    assert start_stand_up(client, factory, w.leader, answer.json()["id"]) == agenda


def test_the_zorgbord_template_makes_a_care_board_with_its_agenda(client, factory):
    w = factory.world()
    ib = factory.user(w.school, "ib", name="Ilse IB")
    body = {"title": "Zorg", "template": "zorgbord", "ib_email": ib.email}
    answer = client.post(
        f"{API}/teams/{w.team.id}/boards", json=body, headers=factory.api(w.leader)
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["kind"] == "care"
    board = factory.get(Board, answer.json()["id"])
    assert [p["part"] for p in board.agenda] == [p["part"] for p in CARE_AGENDA]


def test_the_old_body_still_makes_a_plain_team_board(client, factory):
    w = factory.world()
    body = {"title": "Zoals altijd"}
    answer = client.post(
        f"{API}/teams/{w.team.id}/boards", json=body, headers=factory.api(w.leader)
    )
    assert answer.status_code == 201
    assert answer.json()["kind"] == "team"
    assert start_stand_up(client, factory, w.leader, answer.json()["id"]) == DEFAULT_PARTS


def save_board_with_goals(client, factory, w) -> dict:
    headers = factory.api(w.leader)
    goal = {"title": "Begrijpend lezen", "metric": "AVI", "unit": "%", "baseline": 40, "target": 70}
    made = client.post(f"{API}/boards/{w.board.id}/goals", json=goal, headers=headers)
    assert made.status_code == 201
    measured = client.post(
        f"{API}/goals/{made.json()['id']}/measurements",
        json={"date": "2026-11-02", "value": 50},
        headers=headers,
    )
    assert measured.status_code == 201, measured.text
    client.post(f"{API}/boards/{w.board.id}/actions", json={"title": "Boeken"}, headers=headers)
    agenda = [{"part": "Check-in", "minutes": 2}, {"part": "Doelen", "minutes": 8}]
    started = client.post(f"{API}/boards/{w.board.id}/sessions", json={}, headers=headers)
    patched = client.patch(
        f"{API}/sessions/{started.json()['id']}", json={"agenda": agenda}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    answer = client.post(
        f"{API}/boards/{w.board.id}/template", json={"name": "Leesbord"}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_board_from_a_school_template_has_its_agenda_and_goals_only(client, factory):
    w = factory.world()
    template = save_board_with_goals(client, factory, w)
    assert template["name"] == "Leesbord"
    assert [p["part"] for p in template["agenda"]] == ["Check-in", "Doelen"]

    listed = client.get(f"{API}/schools/{w.school.id}/templates", headers=factory.api(w.teacher))
    assert [t["id"] for t in listed.json()] == [template["id"]]

    body = {"title": "Leesbord groep 5", "template": template["id"]}  # or its digits as text
    made = client.post(
        f"{API}/teams/{w.outsider_team.id}/boards", json=body, headers=factory.api(w.leader)
    )
    assert made.status_code == 201, made.text
    board_id = made.json()["id"]
    board = client.get(f"{API}/boards/{board_id}", headers=factory.api(w.leader)).json()
    assert [(g["title"], g["metric"], g["target"]) for g in board["goals"]] == [
        ("Begrijpend lezen", "AVI", 70)
    ]
    assert board["actions"] == []
    new_goals = [g for g in factory.all(Goal) if g.board_id == board_id]
    measured = [m for m in factory.all(Measurement) if m.goal_id == new_goals[0].id]
    assert measured == []
    assert [a for a in factory.all(Action) if a.board_id == board_id] == []
    assert start_stand_up(client, factory, w.leader, board_id) == ["Check-in", "Doelen"]


def test_only_the_schools_leader_saves_and_deletes_templates(client, factory):
    w = factory.world()
    url = f"{API}/boards/{w.board.id}/template"
    refused = client.post(url, json={"name": "X"}, headers=factory.api(w.teacher))
    assert refused.status_code == 404
    other = client.post(url, json={"name": "X"}, headers=factory.api(w.other_leader))
    assert other.status_code == 404
    assert factory.all(BoardTemplate) == []

    saved = client.post(url, json={"name": "X"}, headers=factory.api(w.leader)).json()
    for user in (w.teacher, w.other_leader, w.other_teacher):
        gone = client.delete(f"{API}/templates/{saved['id']}", headers=factory.api(user))
        assert gone.status_code == 404
    listed = client.get(
        f"{API}/schools/{w.school.id}/templates", headers=factory.api(w.other_leader)
    )
    assert listed.status_code == 404
    assert len(factory.all(BoardTemplate)) == 1
    deleted = client.delete(f"{API}/templates/{saved['id']}", headers=factory.api(w.leader))
    assert deleted.status_code == 204
    assert factory.all(BoardTemplate) == []


def test_a_template_of_another_school_cannot_be_used(client, factory):
    w = factory.world()
    saved = client.post(
        f"{API}/boards/{w.board.id}/template", json={"name": "Eigen"}, headers=factory.api(w.leader)
    ).json()
    before = len(factory.all(Board))
    body = {"title": "Geleend", "template": str(saved["id"])}
    answer = client.post(
        f"{API}/teams/{w.other_board.team_id}/boards",
        json=body,
        headers=factory.api(w.other_leader),
    )
    assert answer.status_code == 422
    assert field_of(answer) == ["template"]
    assert len(factory.all(Board)) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"template": "prikbord"}, "template"),
        ({"template": "99999"}, "template"),
        ({"template": ""}, "template"),
        ({"template": 99999}, "template"),
        ({"template": "²"}, "template"),
        ({"template": True}, "template"),
        ({"template": ["teambord"]}, "template"),
        ({"template": "leiderschapsbord", "kind": "team"}, "kind"),
    ],
)
def test_bad_template_input_is_refused_and_changes_nothing(client, factory, body, field):
    w = factory.world()
    before = len(factory.all(Board))
    data = {"title": "Nieuw", **body}
    answer = client.post(
        f"{API}/teams/{w.team.id}/boards", json=data, headers=factory.api(w.leader)
    )
    assert answer.status_code == 422
    assert field_of(answer) == [field]
    assert len(factory.all(Board)) == before


@pytest.mark.parametrize("name", ["", "x" * 121, None])
def test_a_template_needs_a_name(client, factory, name):
    w = factory.world()
    answer = client.post(
        f"{API}/boards/{w.board.id}/template", json={"name": name}, headers=factory.api(w.leader)
    )
    assert answer.status_code == 422
    assert field_of(answer) == ["name"]
    assert factory.all(BoardTemplate) == []


def test_a_saved_template_keeps_the_boards_kind(client, factory):
    w = factory.world()
    body = {"title": "Leiding", "template": "leiderschapsbord"}
    made = client.post(f"{API}/teams/{w.team.id}/boards", json=body, headers=factory.api(w.leader))
    saved = client.post(
        f"{API}/boards/{made.json()['id']}/template",
        json={"name": "L"},
        headers=factory.api(w.leader),
    )
    assert saved.json()["kind"] == BoardKind.leadership.value
    assert [p["part"] for p in saved.json()["agenda"]] == [p["part"] for p in LEADERSHIP_AGENDA]


def test_a_care_boards_template_keeps_no_goals_for_the_whole_school_to_read(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ilse IB")
    headers = factory.api(w.leader)
    body = {"title": "Zorg BB", "template": "zorgbord", "ib_email": ib.email}
    care = client.post(f"{API}/teams/{w.team.id}/boards", json=body, headers=headers).json()
    refused = client.post(
        f"{API}/boards/{care['id']}/template", json={"name": "Z"}, headers=headers
    )
    assert refused.status_code == 404  # the leader cannot open the IB'er's care board
    factory._save(BoardMember(board_id=care["id"], user_id=w.leader.id))
    goal = {"title": "Leerling B-2211 praat meer"}
    assert client.post(f"{API}/boards/{care['id']}/goals", json=goal, headers=headers).is_success
    saved = client.post(f"{API}/boards/{care['id']}/template", json={"name": "Z"}, headers=headers)
    assert saved.status_code == 201
    assert (saved.json()["kind"], saved.json()["goals"]) == ("care", [])
    listed = client.get(f"{API}/schools/{w.school.id}/templates", headers=factory.api(w.teacher))
    assert "B-2211" not in listed.text

    body = {"title": "Zorg OB", "template": saved.json()["id"], "ib_email": ib.email}
    made = client.post(f"{API}/teams/{w.outsider_team.id}/boards", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert [g for g in factory.all(Goal) if g.board_id == made.json()["id"]] == []
    members = [m.user_id for m in factory.all(BoardMember) if m.board_id == made.json()["id"]]
    assert members == [ib.id]
