"""/api/v1/me, schools, teams, team members and the boards of a team."""

from app.models import Board, BoardKind, Membership, Role, School, Team, TeamMember

API = "/api/v1"


def field_of(response) -> list[str]:
    """The field names a 422 answer blames."""
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


# --- me -----------------------------------------------------------------------------------------


def test_me_needs_credentials(client):
    assert client.get(f"{API}/me").status_code == 401
    bad = client.get(f"{API}/me", headers={"Authorization": "Bearer bord_nonsense"})
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"] == "Bearer"


def test_me_lists_my_memberships(client, factory):
    w = factory.world()
    body = client.get(f"{API}/me", headers=factory.api(w.teacher)).json()
    assert body["id"] == w.teacher.id
    assert body["email"] == w.teacher.email
    assert body["name"] == "Tim Teacher"
    assert body["memberships"] == [{"school_id": w.school.id, "role": "teacher"}]
    assert body["is_admin"] is False

    admin = client.get(f"{API}/me", headers=factory.api(w.admin)).json()
    assert admin["is_admin"] is True
    assert admin["memberships"] == []


# --- schools ------------------------------------------------------------------------------------


def test_schools_list_only_my_own_school(client, factory):
    w = factory.world()
    mine = client.get(f"{API}/schools", headers=factory.api(w.teacher)).json()
    assert [s["id"] for s in mine] == [w.school.id]
    everything = client.get(f"{API}/schools", headers=factory.api(w.admin)).json()
    assert {s["id"] for s in everything} == {w.school.id, w.other_school.id}


def test_only_an_admin_creates_schools(client, factory):
    w = factory.world()
    body = {"name": "De Vlinder", "slug": "de-vlinder"}
    assert client.post(f"{API}/schools", json=body).status_code == 401
    for user in (w.teacher, w.leader):
        answer = client.post(f"{API}/schools", json=body, headers=factory.api(user))
        assert answer.status_code == 404
    assert len(factory.all(School)) == 2


def test_create_school_refuses_bad_input(client, factory):
    w = factory.world()
    headers = factory.api(w.admin)
    for body, field in [
        ({"name": "X", "slug": "Met Spaties"}, "slug"),
        ({"name": "", "slug": "leeg"}, "name"),
        ({"name": "a" * 121, "slug": "lang"}, "name"),
        ({"name": "Nul\x00", "slug": "nul"}, "name"),
        ({"slug": "geen-naam"}, "name"),
        ({"name": "Dubbel", "slug": w.school.slug}, "slug"),
    ]:
        answer = client.post(f"{API}/schools", json=body, headers=headers)
        assert answer.status_code == 422, body
        assert field in field_of(answer)
    assert len(factory.all(School)) == 2


def test_admin_creates_a_school(client, factory):
    w = factory.world()
    answer = client.post(
        f"{API}/schools",
        json={"name": "De Vlinder", "slug": "de-vlinder"},
        headers=factory.api(w.admin),
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body == {
        "id": body["id"],
        "name": "De Vlinder",
        "slug": "de-vlinder",
        "brin": None,
        "time_zone": "Europe/Amsterdam",
    }
    assert factory.get(School, body["id"]).slug == "de-vlinder"


# --- teams --------------------------------------------------------------------------------------


def test_teams_of_another_school_are_out_of_reach(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    assert (
        client.get(f"{API}/schools/{w.other_school.id}/teams", headers=headers).status_code == 404
    )
    assert client.get(f"{API}/schools/999999/teams", headers=headers).status_code == 404
    assert client.get(f"{API}/schools/0/teams", headers=headers).status_code == 422
    assert client.get(f"{API}/schools/{2**31}/teams", headers=headers).status_code == 422


def test_teacher_sees_own_teams_leader_sees_all(client, factory):
    w = factory.world()
    url = f"{API}/schools/{w.school.id}/teams"
    teacher = client.get(url, headers=factory.api(w.teacher)).json()
    assert [t["name"] for t in teacher] == ["Bovenbouw"]
    leader = client.get(url, headers=factory.api(w.leader)).json()
    assert [t["name"] for t in leader] == ["Bovenbouw", "Onderbouw"]
    assert leader[0] == {
        "id": w.team.id,
        "school_id": w.school.id,
        "name": "Bovenbouw",
        "archived": False,
    }


def test_only_the_leader_creates_teams(client, factory):
    w = factory.world()
    url = f"{API}/schools/{w.school.id}/teams"
    assert client.post(url, json={"name": "Groep 3"}).status_code == 401
    for user in (w.teacher, w.other_leader):
        assert (
            client.post(url, json={"name": "Groep 3"}, headers=factory.api(user)).status_code == 404
        )
    headers = factory.api(w.leader)
    for body in ({"name": ""}, {"name": "   "}, {}, {"name": "Bovenbouw"}, {"name": 3}):
        answer = client.post(url, json=body, headers=headers)
        assert answer.status_code == 422, body
        assert field_of(answer) == ["name"]
    assert len(factory.all(Team)) == 3


def test_leader_and_admin_create_teams(client, factory):
    w = factory.world()
    url = f"{API}/schools/{w.school.id}/teams"
    answer = client.post(url, json={"name": " Groep 3 "}, headers=factory.api(w.leader))
    assert answer.status_code == 201
    body = answer.json()
    assert body == {
        "id": body["id"],
        "school_id": w.school.id,
        "name": "Groep 3",
        "archived": False,
    }
    by_admin = client.post(url, json={"name": "Groep 4"}, headers=factory.api(w.admin))
    assert by_admin.status_code == 201


# --- members ------------------------------------------------------------------------------------


def test_only_the_leader_adds_members(client, factory):
    w = factory.world()
    newcomer = factory.user()
    url = f"{API}/teams/{w.team.id}/members"
    body = {"email": newcomer.email}
    assert client.post(url, json=body).status_code == 401
    for user in (w.teacher, w.other_leader, w.other_teacher):
        assert client.post(url, json=body, headers=factory.api(user)).status_code == 404
    assert (
        client.post(
            f"{API}/teams/999999/members", json=body, headers=factory.api(w.leader)
        ).status_code
        == 404
    )
    assert len(factory.all(TeamMember)) == 2


def test_add_member_refuses_bad_input(client, factory):
    w = factory.world()
    url = f"{API}/teams/{w.team.id}/members"
    headers = factory.api(w.leader)
    for body, field in [
        ({"email": "niemand@example.nl"}, "email"),
        ({"email": "geen-adres"}, "email"),
        ({"email": "a\x00@b.nl"}, "email"),
        ({}, "email"),
        ({"email": w.teacher.email, "role": "admin"}, "role"),
    ]:
        answer = client.post(url, json=body, headers=headers)
        assert answer.status_code == 422, body
        assert field in field_of(answer)
    assert len(factory.all(TeamMember)) == 2


def test_leader_adds_a_member_with_a_role(client, factory):
    w = factory.world()
    newcomer = factory.user(name="Ina IB")
    answer = client.post(
        f"{API}/teams/{w.team.id}/members",
        json={"email": newcomer.email.upper(), "role": "ib"},
        headers=factory.api(w.leader),
    )
    assert answer.status_code == 201
    assert answer.json() == {
        "team_id": w.team.id,
        "user_id": newcomer.id,
        "email": newcomer.email,
        "name": "Ina IB",
        "role": "ib",
    }
    [membership] = [m for m in factory.all(Membership) if m.user_id == newcomer.id]
    assert (membership.school_id, membership.role) == (w.school.id, Role.ib)
    boards = client.get(f"{API}/teams/{w.team.id}/boards", headers=factory.api(newcomer))
    assert [b["id"] for b in boards.json()] == [w.board.id]


# --- boards of a team ---------------------------------------------------------------------------


def test_boards_of_a_team_out_of_reach(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    assert client.get(f"{API}/teams/{w.team.id}/boards").status_code == 401
    other_team = factory.get(Board, w.other_board.id).team_id
    assert client.get(f"{API}/teams/{other_team}/boards", headers=headers).status_code == 404
    assert (
        client.get(f"{API}/teams/{w.outsider_team.id}/boards", headers=headers).status_code == 404
    )
    answer = client.post(
        f"{API}/teams/{w.outsider_team.id}/boards", json={"title": "Nee"}, headers=headers
    )
    assert answer.status_code == 404
    assert len(factory.all(Board)) == 3


def test_create_board_refuses_bad_input(client, factory):
    w = factory.world()
    url = f"{API}/teams/{w.team.id}/boards"
    headers = factory.api(w.teacher)
    for body, field in [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Bord", "kind": "private"}, "kind"),
        ({"title": "Zorg", "kind": "care"}, "kind"),  # only an IB'er
    ]:
        answer = client.post(url, json=body, headers=headers)
        assert answer.status_code == 422, body
        assert field_of(answer) == [field]
    assert len(factory.all(Board)) == 3


def test_teacher_creates_and_lists_boards(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    url = f"{API}/teams/{w.team.id}/boards"
    answer = client.post(url, json={"title": "Rekenen", "kind": "class"}, headers=headers)
    assert answer.status_code == 201
    body = answer.json()
    assert body == {
        "id": body["id"],
        "team_id": w.team.id,
        "title": "Rekenen",
        "kind": "class",
        "version": 0,
        "archived": False,
    }
    assert answer.headers["X-Board-Version"] == "0"
    assert [b["id"] for b in client.get(url, headers=headers).json()] == [w.board.id, body["id"]]


def test_care_board_is_seen_only_by_its_members(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ina IB")
    factory._save(TeamMember(team_id=w.team.id, user_id=ib.id))
    url = f"{API}/teams/{w.team.id}/boards"
    answer = client.post(url, json={"title": "Zorg", "kind": "care"}, headers=factory.api(ib))
    assert answer.status_code == 201
    care = answer.json()["id"]
    assert factory.get(Board, care).kind == BoardKind.care

    for user in (w.leader, w.teacher, w.admin):
        headers = factory.api(user)
        assert care not in [b["id"] for b in client.get(url, headers=headers).json()]
        assert client.get(f"{API}/boards/{care}", headers=headers).status_code == 404
    assert [b["id"] for b in client.get(url, headers=factory.api(ib)).json()] == [w.board.id, care]
    assert client.get(f"{API}/boards/{care}", headers=factory.api(ib)).status_code == 200


def test_leader_sees_every_board_of_the_school(client, factory):
    w = factory.world()
    headers = factory.api(w.leader)
    for team, board in ((w.team, w.board), (w.outsider_team, w.outsider_board)):
        listed = client.get(f"{API}/teams/{team.id}/boards", headers=headers).json()
        assert [b["id"] for b in listed] == [board.id]
        assert client.get(f"{API}/boards/{board.id}", headers=headers).status_code == 200
    assert client.get(f"{API}/boards/{w.other_board.id}", headers=headers).status_code == 404
