"""Managing a school through the API: schools (admin), teams and boards renamed, archived and
restored (leader), and an archived board refusing every change."""

import pytest

from app.models import Action, Board, BoardEvent, BoardKind, BoardMember, Role, School, Team

API = "/api/v1"


def field_of(response) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def count(factory, model) -> int:
    return len(factory.all(model))


# --- schools (admin) ----------------------------------------------------------------------------


def test_school_with_brin_and_time_zone(client, factory):
    w = factory.world()
    body = {"name": "De Vlinder", "slug": "de-vlinder", "brin": "12ab", "time_zone": "UTC"}
    answer = client.post(f"{API}/schools", json=body, headers=factory.api(w.admin))
    assert answer.status_code == 201
    assert answer.json()["brin"] == "12AB"
    school = factory.get(School, answer.json()["id"])
    assert (school.brin, school.time_zone) == ("12AB", "UTC")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"brin": "1234X"}, "brin"),
        ({"brin": "AB12"}, "brin"),
        ({"brin": "12 A"}, "brin"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"slug": "Met Spaties"}, "slug"),
    ],
)
def test_create_school_refuses_bad_input(client, factory, body, field):
    w = factory.world()
    before = count(factory, School)
    data = {"name": "De Vlinder", "slug": "de-vlinder", **body}
    answer = client.post(f"{API}/schools", json=data, headers=factory.api(w.admin))
    assert answer.status_code == 422
    assert field in field_of(answer)
    assert count(factory, School) == before


def test_duplicate_slug_and_brin_are_refused(client, factory):
    w = factory.world()
    headers = factory.api(w.admin)
    first = {"name": "A", "slug": "school-a", "brin": "12AB"}
    assert client.post(f"{API}/schools", json=first, headers=headers).status_code == 201
    before = count(factory, School)
    same_brin = client.post(
        f"{API}/schools", json={"name": "B", "slug": "school-b", "brin": "12ab"}, headers=headers
    )
    assert same_brin.status_code == 422 and field_of(same_brin) == ["brin"]
    same_slug = client.post(
        f"{API}/schools", json={"name": "C", "slug": "school-a"}, headers=headers
    )
    assert same_slug.status_code == 422 and field_of(same_slug) == ["slug"]
    assert count(factory, School) == before


def test_only_an_admin_changes_a_school(client, factory):
    w = factory.world()
    url = f"{API}/schools/{w.school.id}"
    for user in (w.leader, w.teacher, w.other_leader):
        assert client.patch(url, json={"name": "X"}, headers=factory.api(user)).status_code == 404
    assert (
        client.patch(f"{API}/schools/999999", json={}, headers=factory.api(w.admin)).status_code
        == 404
    )
    answer = client.patch(
        url, json={"brin": "99ZZ", "time_zone": "Europe/Brussels"}, headers=factory.api(w.admin)
    )
    assert answer.status_code == 200
    school = factory.get(School, w.school.id)
    assert (school.name, school.brin, school.time_zone) == (
        "De Regenboog",
        "99ZZ",
        "Europe/Brussels",
    )
    cleared = client.patch(url, json={"brin": None}, headers=factory.api(w.admin))
    assert cleared.status_code == 200 and factory.get(School, w.school.id).brin is None


def test_update_school_refuses_a_taken_slug_or_an_empty_name(client, factory):
    w = factory.world()
    headers = factory.api(w.admin)
    url = f"{API}/schools/{w.school.id}"
    taken = client.patch(url, json={"slug": w.other_school.slug}, headers=headers)
    assert taken.status_code == 422 and field_of(taken) == ["slug"]
    empty = client.patch(url, json={"name": None}, headers=headers)
    assert empty.status_code == 422 and field_of(empty) == ["name"]
    bad_zone = client.patch(url, json={"time_zone": "Mars/Olympus"}, headers=headers)
    assert bad_zone.status_code == 422 and field_of(bad_zone) == ["time_zone"]
    assert factory.get(School, w.school.id).slug == w.school.slug


# --- teams ---------------------------------------------------------------------------------------


def test_team_management_is_for_the_schools_leader(client, factory):
    w = factory.world()
    url = f"{API}/teams/{w.team.id}"
    for user in (w.teacher, w.other_leader, w.other_teacher):
        answer = client.patch(url, json={"name": "Nieuw"}, headers=factory.api(user))
        assert answer.status_code == 404
    assert client.patch(url, json={"name": "Nieuw"}).status_code == 401
    assert factory.get(Team, w.team.id).name == "Bovenbouw"
    for user in (w.leader, w.admin):
        answer = client.patch(url, json={"name": f"Door {user.id}"}, headers=factory.api(user))
        assert answer.status_code == 200
        assert answer.json()["name"] == f"Door {user.id}"


def test_rename_team_refuses_bad_names(client, factory):
    w = factory.world()
    headers = factory.api(w.leader)
    url = f"{API}/teams/{w.team.id}"
    for body in ({"name": ""}, {"name": "x" * 121}, {"name": None}, {"name": "Onderbouw"}):
        answer = client.patch(url, json=body, headers=headers)
        assert answer.status_code == 422, body
        assert field_of(answer) == ["name"]
    assert factory.get(Team, w.team.id).name == "Bovenbouw"


def test_archived_team_leaves_the_lists_with_its_boards_and_comes_back(client, factory):
    w = factory.world()
    own_archived = factory.board(w.team, title="Oud bord")
    headers = factory.api(w.leader)
    client.patch(f"{API}/boards/{own_archived.id}", json={"archived": True}, headers=headers)
    teams_url = f"{API}/schools/{w.school.id}/teams"

    answer = client.patch(f"{API}/teams/{w.team.id}", json={"archived": True}, headers=headers)
    assert answer.status_code == 200 and answer.json()["archived"] is True
    assert [t["name"] for t in client.get(teams_url, headers=headers).json()] == ["Onderbouw"]
    archived = client.get(teams_url, params={"archived": True}, headers=headers).json()
    assert [t["name"] for t in archived] == ["Bovenbouw"]
    assert factory.get(Board, w.board.id).archived_at is not None
    # the teacher's home no longer lists the board; it is still readable, not writable
    csrf = factory.login(w.teacher)
    assert "Teambord" not in client.get("/").text
    teacher = factory.api(w.teacher)
    assert client.get(f"{API}/boards/{w.board.id}", headers=teacher).json()["archived"] is True
    refused = client.post(f"{API}/boards/{w.board.id}/ideas", json={"text": "x"}, headers=teacher)
    assert refused.status_code == 409
    new_board = client.post(
        f"{API}/teams/{w.team.id}/boards", json={"title": "Nieuw"}, headers=headers
    )
    assert new_board.status_code == 409
    assert csrf

    restored = client.patch(f"{API}/teams/{w.team.id}", json={"archived": False}, headers=headers)
    assert restored.status_code == 200 and restored.json()["archived"] is False
    assert factory.get(Board, w.board.id).archived_at is None
    # a board archived on its own before stays archived
    assert factory.get(Board, own_archived.id).archived_at is not None


# --- boards -------------------------------------------------------------------------------------


def test_board_management_reach(client, factory):
    w = factory.world()
    url = f"{API}/boards/{w.board.id}"
    for user in (w.teacher, w.other_leader, w.other_teacher):
        answer = client.patch(url, json={"title": "Nieuw"}, headers=factory.api(user))
        assert answer.status_code == 404
    other = client.patch(
        f"{API}/boards/{w.other_board.id}", json={"title": "x"}, headers=factory.api(w.leader)
    )
    assert other.status_code == 404
    assert factory.get(Board, w.board.id).title == "Teambord"
    by_admin = client.patch(url, json={"title": "Door beheer"}, headers=factory.api(w.admin))
    assert by_admin.status_code == 200


def test_rename_board_bumps_its_version_and_records_the_event(client, factory):
    w = factory.world()
    headers = factory.api(w.leader)
    answer = client.patch(
        f"{API}/boards/{w.board.id}", json={"title": " Groep 7 ", "version": 0}, headers=headers
    )
    assert answer.status_code == 200
    assert answer.json()["title"] == "Groep 7"
    assert answer.json()["version"] == 1 and answer.headers["X-Board-Version"] == "1"
    events = [(e.kind, e.entity) for e in factory.all(BoardEvent) if e.board_id == w.board.id]
    assert events == [("renamed", "board")]


def test_rename_board_refuses_stale_versions_and_bad_titles(client, factory):
    w = factory.world()
    headers = factory.api(w.leader)
    url = f"{API}/boards/{w.board.id}"
    assert client.patch(url, json={"title": "Een"}, headers=headers).status_code == 200
    stale = client.patch(url, json={"title": "Twee", "version": 0}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "Een"
    assert stale.json()["current"]["version"] == 1
    for body in ({"title": ""}, {"title": "x" * 201}, {"title": None}, {"version": "1"}):
        answer = client.patch(url, json=body, headers=headers)
        assert answer.status_code == 422, body
    board = factory.get(Board, w.board.id)
    assert (board.title, board.version) == ("Een", 1)


def test_archived_board_refuses_every_change_until_restored(client, factory):
    w = factory.world()
    teacher = factory.api(w.teacher)
    board = f"{API}/boards/{w.board.id}"
    action = client.post(f"{board}/actions", json={"title": "Lezen"}, headers=teacher).json()
    goal = client.post(f"{board}/goals", json={"title": "Leesplezier"}, headers=teacher).json()
    leader = factory.api(w.leader)
    archived = client.patch(board, json={"archived": True}, headers=leader)
    assert archived.status_code == 200 and archived.json()["archived"] is True
    version = factory.get(Board, w.board.id).version

    attempts = [
        ("post", f"{board}/actions", {"title": "Nog een"}),
        (
            "patch",
            f"{API}/actions/{action['id']}",
            {"title": "Anders", "version": action["version"]},
        ),
        ("delete", f"{API}/actions/{action['id']}", None),
        ("post", f"{board}/successes", {"text": "Gelukt"}),
        ("post", f"{board}/plan-items", {"text": "Bezoek", "date": "2026-12-02", "kind": "overig"}),
        ("post", f"{board}/ideas", {"text": "Idee"}),
        ("post", f"{board}/help-requests", {"text": "Hulp"}),
        ("post", f"{API}/goals/{goal['id']}/measurements", {"date": "2026-11-30", "value": 3}),
        ("post", f"{board}/sessions", {}),
        ("patch", board, {"title": "Nieuwe naam"}),
    ]
    for method, url, body in attempts:
        kwargs = {"json": body} if body is not None else {}
        answer = client.request(method, url, headers=leader if url == board else teacher, **kwargs)
        assert answer.status_code == 409, (method, url)
        assert answer.json()["detail"] == "This board is archived"
    after = factory.get(Board, w.board.id)
    assert (after.version, after.title) == (version, "Teambord")
    assert factory.get(Action, action["id"]).title == "Lezen"
    # reading goes on
    assert client.get(board, headers=teacher).status_code == 200
    assert client.get(f"{board}/events", headers=teacher).status_code == 200

    restored = client.patch(board, json={"archived": False}, headers=leader)
    assert restored.status_code == 200 and restored.json()["archived"] is False
    again = client.post(f"{board}/ideas", json={"text": "Weer open"}, headers=teacher)
    assert again.status_code == 201
    kinds = [e.kind for e in factory.all(BoardEvent) if e.board_id == w.board.id]
    assert kinds[-3:] == ["archived", "restored", "created"]


def test_archived_boards_are_listed_apart(client, factory):
    w = factory.world()
    spare = factory.board(w.team, title="Reserve")
    headers = factory.api(w.leader)
    client.patch(f"{API}/boards/{spare.id}", json={"archived": True}, headers=headers)
    url = f"{API}/teams/{w.team.id}/boards"
    assert [b["id"] for b in client.get(url, headers=headers).json()] == [w.board.id]
    archived = client.get(url, params={"archived": True}, headers=headers).json()
    assert [(b["id"], b["archived"]) for b in archived] == [(spare.id, True)]


def test_leader_creates_a_care_board_for_an_ib(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    url = f"{API}/teams/{w.team.id}/boards"
    leader = factory.api(w.leader)
    before = count(factory, Board)
    for ib_email, field in ((None, "kind"), (w.teacher.email, "ib_email"), ("x@y.nl", "ib_email")):
        body = {"title": "Zorg", "kind": "care", "ib_email": ib_email}
        answer = client.post(url, json=body, headers=leader)
        assert answer.status_code == 422 and field_of(answer) == [field]
    assert count(factory, Board) == before
    answer = client.post(
        url, json={"title": "Zorg", "kind": "care", "ib_email": ib.email.upper()}, headers=leader
    )
    assert answer.status_code == 201
    board_id = answer.json()["id"]
    members = [m.user_id for m in factory.all(BoardMember) if m.board_id == board_id]
    assert members == [ib.id]
    # the leader made it but may not read it; the IB'er may
    assert client.get(f"{API}/boards/{board_id}", headers=leader).status_code == 404
    assert client.get(f"{API}/boards/{board_id}", headers=factory.api(ib)).status_code == 200
    assert factory.get(Board, board_id).kind == BoardKind.care


def test_a_teacher_cannot_name_the_ib_of_a_care_board(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    answer = client.post(
        f"{API}/teams/{w.team.id}/boards",
        json={"title": "Zorg", "kind": "care", "ib_email": ib.email},
        headers=factory.api(w.teacher),
    )
    assert answer.status_code == 422 and field_of(answer) == ["ib_email"]


def test_teams_and_boards_of_another_school_are_out_of_reach(client, factory):
    w = factory.world()
    headers = factory.api(w.other_leader)
    assert (
        client.patch(
            f"{API}/teams/{w.team.id}", json={"archived": True}, headers=headers
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{API}/boards/{w.board.id}", json={"archived": True}, headers=headers
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"{API}/schools/{w.school.id}/teams", params={"archived": True}, headers=headers
        ).status_code
        == 404
    )
    assert factory.get(Team, w.team.id).archived_at is None
    assert factory.get(Board, w.board.id).archived_at is None


# --- role × endpoint -----------------------------------------------------------------------------

# (method, path, body) of each new operation, and who gets what: an admin, the school's leader,
# a teacher of the team, the leader of another school.
ROLE_MATRIX = [
    ("PATCH", "/schools/{school}", {"name": "Nieuw"}, (200, 404, 404, 404)),
    ("GET", "/schools/{school}/teams?archived=true", None, (200, 200, 200, 404)),
    ("PATCH", "/teams/{team}", {"name": "Nieuw"}, (200, 200, 404, 404)),
    ("GET", "/teams/{team}/boards?archived=true", None, (200, 200, 200, 404)),
    ("PATCH", "/boards/{board}", {"title": "Nieuw"}, (200, 200, 404, 404)),
    ("PATCH", "/boards/{board}", {"archived": True}, (200, 200, 404, 404)),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    ROLE_MATRIX,
    ids=[f"{m} {p}" for m, p, *_ in ROLE_MATRIX],
)
def test_who_reaches_the_new_operations(client, factory, method, path, body, expected):
    w = factory.world()
    url = API + path.format(school=w.school.id, team=w.team.id, board=w.board.id)
    for user, status in zip((w.admin, w.leader, w.teacher, w.other_leader), expected, strict=True):
        kwargs = {"json": body} if body is not None else {}
        answer = client.request(method, url, headers=factory.api(user), **kwargs)
        assert answer.status_code == status, (user.name, answer.text)
        if method == "PATCH" and body == {"archived": True} and status == 200:
            client.patch(url, json={"archived": False}, headers=factory.api(user))


def test_an_archived_care_board_is_read_only_for_its_ib(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(ib,))
    headers = factory.api(ib)
    url = f"{API}/boards/{care.id}"
    assert client.patch(url, json={"archived": True}, headers=headers).status_code == 200
    case = client.post(f"{url}/cases", json={"pupil_code": "AB", "concern": "x"}, headers=headers)
    assert case.status_code == 409
    shared = client.post(f"{url}/members", json={"email": w.teacher.email}, headers=headers)
    assert shared.status_code == 409
    factory.login(ib)
    assert "Dit bord is gearchiveerd." in client.get(f"/boards/{care.id}").text
    assert client.patch(url, json={"archived": False}, headers=headers).status_code == 200
    case = client.post(f"{url}/cases", json={"pupil_code": "AB", "concern": "x"}, headers=headers)
    assert case.status_code == 201


def test_an_archived_team_leaves_the_overview_and_holidays_skip_its_boards(client, factory):
    w = factory.world()
    headers = factory.api(w.leader)
    assert client.patch(f"{API}/teams/{w.team.id}", json={"archived": True}, headers=headers)
    overview = client.get(f"{API}/schools/{w.school.id}/overview", headers=headers).json()
    assert [t["name"] for t in overview["teams"]] == ["Onderbouw"]
    version = factory.get(Board, w.board.id).version
    marked = client.post(
        f"{API}/schools/{w.school.id}/holiday-weeks", json={"week": "2026-W52"}, headers=headers
    )
    assert marked.status_code == 201
    assert factory.get(Board, w.board.id).version == version


def test_a_case_on_an_archived_care_board_can_still_be_erased(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(ib,))
    headers = factory.api(ib)
    url = f"{API}/boards/{care.id}"
    case = client.post(f"{url}/cases", json={"pupil_code": "AB", "concern": "x"}, headers=headers)
    assert client.patch(url, json={"archived": True}, headers=headers).status_code == 200
    case_url = f"{API}/cases/{case.json()['id']}"
    change = {"concern": "y", "version": case.json()["version"]}
    assert client.patch(case_url, json=change, headers=headers).status_code == 409
    assert client.delete(case_url, headers=headers).status_code == 204
    assert client.get(case_url, headers=headers).status_code == 404
