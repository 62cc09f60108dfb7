"""/api/v1/schools/{id}/people: a school's people, managed by its leaders (and admins)."""

from datetime import timedelta

import pytest

from app import clock
from app.models import (
    ApiToken,
    Board,
    BoardEvent,
    BoardKind,
    LoginFailure,
    Membership,
    Role,
    TeamMember,
    UserSession,
)
from app.models.action import Action

API = "/api/v1"


def people_url(school_id: int, user_id: int | None = None) -> str:
    base = f"{API}/schools/{school_id}/people"
    return base if user_id is None else f"{base}/{user_id}"


def roles(factory) -> dict[tuple[int, int], Role]:
    return {(m.school_id, m.user_id): m.role for m in factory.all(Membership)}


def team_ids(factory, user_id: int) -> set[int]:
    return {t.team_id for t in factory.all(TeamMember) if t.user_id == user_id}


# --- who may ----------------------------------------------------------------------------------


def endpoints(w):
    """Every people endpoint, aimed at the teacher of `w.school`."""
    person = people_url(w.school.id, w.teacher.id)
    return [
        ("GET", people_url(w.school.id), None),
        ("PATCH", person, {"role": "ib"}),
        ("POST", f"{person}/unlock", None),
        ("DELETE", person, None),
    ]


def test_people_need_credentials(client, factory):
    w = factory.world()
    for method, url, body in endpoints(w):
        assert client.request(method, url, json=body).status_code == 401, url


@pytest.mark.parametrize("who", ["teacher", "other_leader", "other_teacher"])
def test_only_the_schools_leader_or_an_admin_manages_its_people(client, factory, who):
    w = factory.world()
    headers = factory.api(getattr(w, who))
    before = (roles(factory), team_ids(factory, w.teacher.id))
    for method, url, body in endpoints(w):
        answer = client.request(method, url, json=body, headers=headers)
        assert answer.status_code == 404, (who, method, url)
    assert (roles(factory), team_ids(factory, w.teacher.id)) == before


def test_a_leader_of_school_a_gets_404_for_school_bs_people(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    theirs = people_url(w.other_school.id, w.other_teacher.id)
    assert client.get(people_url(w.other_school.id), headers=lead).status_code == 404
    assert client.patch(theirs, json={"role": "ib"}, headers=lead).status_code == 404
    assert client.post(f"{theirs}/unlock", headers=lead).status_code == 404
    assert client.delete(theirs, headers=lead).status_code == 404
    # someone of school B is no one in school A either
    mine = people_url(w.school.id, w.other_teacher.id)
    assert client.patch(mine, json={"role": "ib"}, headers=lead).status_code == 404
    assert client.delete(mine, headers=lead).status_code == 404
    assert roles(factory)[(w.other_school.id, w.other_teacher.id)] == Role.teacher


def test_an_admin_manages_any_school(client, factory):
    w = factory.world()
    admin = factory.api(w.admin)
    answer = client.get(people_url(w.other_school.id), headers=admin)
    assert answer.status_code == 200
    assert {p["user_id"] for p in answer.json()} == {w.other_teacher.id, w.other_leader.id}
    changed = client.patch(
        people_url(w.other_school.id, w.other_teacher.id), json={"role": "ib"}, headers=admin
    )
    assert changed.status_code == 200 and changed.json()["role"] == "ib"


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_role_teams_lockout_and_last_sign_in(client, factory, settings):
    w = factory.world()
    factory.login(w.teacher)
    with factory.session() as s:
        for _ in range(settings.login_max_failures):
            s.add(LoginFailure(key=f"email:{w.teacher.email}"))
        s.commit()
    listed = {
        p["user_id"]: p
        for p in client.get(people_url(w.school.id), headers=factory.api(w.leader)).json()
    }
    assert set(listed) == {w.leader.id, w.teacher.id}
    tim = listed[w.teacher.id]
    assert (tim["name"], tim["email"], tim["role"]) == ("Tim Teacher", w.teacher.email, "teacher")
    assert tim["teams"] == [{"id": w.team.id, "name": "Bovenbouw"}]
    assert tim["locked"] is True
    assert tim["last_sign_in"] is not None
    assert listed[w.leader.id]["locked"] is False
    assert listed[w.leader.id]["last_sign_in"] is None


def test_old_failures_do_not_lock(client, factory, settings):
    w = factory.world()
    long_ago = clock.now() - timedelta(minutes=settings.login_window_minutes + 1)
    with factory.session() as s:
        for _ in range(settings.login_max_failures):
            s.add(LoginFailure(key=f"email:{w.teacher.email}", at=long_ago))
        s.commit()
    listed = client.get(people_url(w.school.id), headers=factory.api(w.leader)).json()
    assert not any(p["locked"] for p in listed)


# --- changing role and teams ---------------------------------------------------------------------


def test_change_role_and_teams(client, factory):
    w = factory.world()
    answer = client.patch(
        people_url(w.school.id, w.teacher.id),
        json={"role": "ib", "team_ids": [w.outsider_team.id]},
        headers=factory.api(w.leader),
    )
    assert answer.status_code == 200
    assert answer.json()["role"] == "ib"
    assert [t["id"] for t in answer.json()["teams"]] == [w.outsider_team.id]
    assert roles(factory)[(w.school.id, w.teacher.id)] == Role.ib
    assert team_ids(factory, w.teacher.id) == {w.outsider_team.id}
    # the teacher opens the new team's board now, and not the old one
    mine = factory.api(w.teacher)
    assert client.get(f"{API}/boards/{w.outsider_board.id}", headers=mine).status_code == 200
    assert client.get(f"{API}/boards/{w.board.id}", headers=mine).status_code == 404


def test_fields_left_out_stay(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    url = people_url(w.school.id, w.teacher.id)
    assert client.patch(url, json={"role": "ib"}, headers=lead).status_code == 200
    assert team_ids(factory, w.teacher.id) == {w.team.id}
    assert client.patch(url, json={"team_ids": []}, headers=lead).status_code == 200
    assert team_ids(factory, w.teacher.id) == set()
    assert roles(factory)[(w.school.id, w.teacher.id)] == Role.ib


def test_a_team_change_reaches_the_team_boards_screens(client, factory):
    w = factory.world()
    before = factory.get(Board, w.outsider_board.id).version
    client.patch(
        people_url(w.school.id, w.teacher.id),
        json={"team_ids": [w.team.id, w.outsider_team.id]},
        headers=factory.api(w.leader),
    )
    assert factory.get(Board, w.outsider_board.id).version == before + 1
    [event] = [e for e in factory.all(BoardEvent) if e.board_id == w.outsider_board.id]
    assert (event.entity, event.kind, event.entity_id) == ("school_member", "changed", w.teacher.id)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"role": "boss"}, "role"),
        ({"role": None, "team_ids": "1"}, "team_ids"),
        ({"team_ids": [0]}, "team_ids"),
        ({"team_ids": [True]}, "team_ids"),
        ({"team_ids": list(range(1, 300))}, "team_ids"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, factory, body, field):
    w = factory.world()
    answer = client.patch(
        people_url(w.school.id, w.teacher.id), json=body, headers=factory.api(w.leader)
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][:2] == ["body", field]
    assert roles(factory)[(w.school.id, w.teacher.id)] == Role.teacher


def test_unknown_team_or_another_schools_team_changes_nothing(client, factory):
    w = factory.world()
    foreign = next(t.team_id for t in factory.all(TeamMember) if t.user_id == w.other_teacher.id)
    lead = factory.api(w.leader)
    url = people_url(w.school.id, w.teacher.id)
    for bad in ([999_999], [w.outsider_team.id, foreign]):
        answer = client.patch(url, json={"role": "ib", "team_ids": bad}, headers=lead)
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["body", "team_ids"]
    assert roles(factory)[(w.school.id, w.teacher.id)] == Role.teacher
    assert team_ids(factory, w.teacher.id) == {w.team.id}


def test_the_last_leader_cannot_be_demoted_or_removed(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    url = people_url(w.school.id, w.leader.id)
    demoted = client.patch(url, json={"role": "teacher"}, headers=lead)
    assert demoted.status_code == 422
    assert demoted.json()["detail"][0]["loc"] == ["body", "role"]
    removed = client.delete(url, headers=lead)
    assert removed.status_code == 422
    assert removed.json()["detail"][0]["loc"] == ["body", "user_id"]
    assert roles(factory)[(w.school.id, w.leader.id)] == Role.leader
    # with a second leader, the first may step down
    promoted = client.patch(
        people_url(w.school.id, w.teacher.id), json={"role": "leader"}, headers=lead
    )
    assert promoted.status_code == 200
    assert client.patch(url, json={"role": "teacher"}, headers=lead).status_code == 200
    assert client.get(people_url(w.school.id), headers=lead).status_code == 404


# --- unlocking ----------------------------------------------------------------------------------


def test_unlock_lets_a_locked_out_teacher_sign_in_again(client, factory, settings):
    w = factory.world()
    with factory.session() as s:
        for _ in range(settings.login_max_failures):
            s.add(LoginFailure(key=f"email:{w.teacher.email}"))
        s.commit()
    answer = client.post(
        f"{people_url(w.school.id, w.teacher.id)}/unlock", headers=factory.api(w.leader)
    )
    assert answer.status_code == 200
    assert answer.json()["locked"] is False
    assert [f for f in factory.all(LoginFailure) if f.key.startswith("email:")] == []


# --- removing access ----------------------------------------------------------------------------


def test_removing_someone_ends_their_access_and_keeps_what_they_wrote(client, factory):
    w = factory.world()
    mine = factory.api(w.teacher)
    factory.login(w.teacher)
    made = client.post(
        f"{API}/boards/{w.board.id}/actions",
        json={"title": "Leesmaatjes", "owner": "Tim"},
        headers=mine,
    )
    assert made.status_code == 201
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(w.teacher,))
    answer = client.delete(people_url(w.school.id, w.teacher.id), headers=factory.api(w.leader))
    assert answer.status_code == 204
    assert (w.school.id, w.teacher.id) not in roles(factory)
    assert team_ids(factory, w.teacher.id) == set()
    # no other school: every login and token ends
    assert all(t.revoked_at is not None for t in factory.all(ApiToken) if t.user_id == w.teacher.id)
    assert all(
        s.revoked_at is not None for s in factory.all(UserSession) if s.user_id == w.teacher.id
    )
    assert client.get(f"{API}/me", headers=mine).status_code == 401
    # what they wrote stays on the board, with their name
    [action] = factory.all(Action)
    assert (action.title, action.owner) == ("Leesmaatjes", "Tim")
    kinds = {(e.board_id, e.kind) for e in factory.all(BoardEvent) if e.entity == "school_member"}
    assert kinds == {(w.board.id, "removed"), (care.id, "removed")}


def test_someone_with_another_school_keeps_their_logins(client, factory):
    w = factory.world()
    with factory.session() as s:
        s.add(Membership(user_id=w.teacher.id, school_id=w.other_school.id, role=Role.teacher))
        s.commit()
    mine = factory.api(w.teacher)
    assert (
        client.delete(
            people_url(w.school.id, w.teacher.id), headers=factory.api(w.leader)
        ).status_code
        == 204
    )
    assert client.get(f"{API}/me", headers=mine).json()["memberships"] == [
        {"school_id": w.other_school.id, "role": "teacher"}
    ]
    assert client.get(f"{API}/boards/{w.board.id}", headers=mine).status_code == 404


def test_a_removed_person_is_unknown_afterwards(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    url = people_url(w.school.id, w.teacher.id)
    assert client.delete(url, headers=lead).status_code == 204
    assert client.delete(url, headers=lead).status_code == 404
    assert client.patch(url, json={"role": "ib"}, headers=lead).status_code == 404
