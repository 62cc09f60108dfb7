"""Bord in de Klas: class goals serving team goals, the class's first names and weekly roles,
the klasscherm (no login: add successes and ideas, check in, run the timer; nothing else), the
names removed after the school year (a controlled clock), and who may use which endpoint."""

import json
import re
from datetime import datetime, timedelta

import pytest
from starlette.websockets import WebSocketDisconnect

from app import clock
from app.models import BoardEvent, BoardKind, ClassPupils, Idea, Role, ScreenLink, Success
from app.models.poll import PollText
from app.services import class_pupils
from app.services.class_pupils import roles_of_week
from tests.test_polls import DEVICE_A, answer, make_poll
from tests.test_realtime_ws import frames_until, refusal

NAMES = ["Ada", "Bram", "Cas", "Dewi", "Eva"]


@pytest.fixture
def klas(factory):
    """The world (tests/factories.py) with a class board of the team."""
    w = factory.world()
    w.klas = factory.board(w.team, BoardKind.klas, "Groep 5")
    return w


def make_class_link(client, factory, user, board_id: int) -> dict:
    r = client.post(
        f"/api/v1/boards/{board_id}/class-screens",
        json={"label": "digibord"},
        headers=factory.api(user),
    )
    assert r.status_code == 201, r.text
    return r.json()


def token_of(link: dict) -> str:
    return link["path"].removeprefix("/klas/")


def start_session(client, factory, w) -> dict:
    r = client.post(f"/api/v1/boards/{w.klas.id}/sessions", json={}, headers=factory.api(w.teacher))
    assert r.status_code == 201, r.text
    return r.json()


# --- who may use which endpoint ----------------------------------------------------------------


def _endpoints(w, link_id: int) -> list[tuple[str, str, dict | None, int]]:
    """(method, path, body, status for someone who may) of every new JSON endpoint."""
    board = f"/api/v1/boards/{w.klas.id}"
    return [
        ("GET", f"{board}/pupils", None, 200),
        ("PUT", f"{board}/pupils", {"names": ["Ada"]}, 200),
        ("GET", f"{board}/roles", None, 200),
        ("GET", f"{board}/class-screens", None, 200),
        ("POST", f"{board}/class-screens", {"label": ""}, 201),
        ("DELETE", f"/api/v1/class-screens/{link_id}", None, 204),
    ]


@pytest.mark.parametrize("role", ["anonymous", "other_teacher", "other_leader", "other_team"])
def test_people_without_the_board_are_refused_every_endpoint(client, factory, klas, role):
    w = klas
    link = make_class_link(client, factory, w.teacher, w.klas.id)
    if role == "anonymous":
        headers, expected = {}, 401
    elif role == "other_team":
        stranger = factory.user(w.school, Role.teacher, name="Olga Onderbouw")
        factory.team(w.school, "Middenbouw", (stranger,))
        headers, expected = factory.api(stranger), 404
    else:
        headers, expected = factory.api(getattr(w, role)), 404
    for method, path, body, _ in _endpoints(w, link["id"]):
        r = client.request(method, path, json=body, headers=headers)
        assert r.status_code == expected, (method, path, r.text)
    assert [row.revoked_at for row in factory.all(ScreenLink)] == [None]
    assert factory.all(ClassPupils) == []
    web_expected = 303 if role == "anonymous" else 404  # to the login page, or out of reach
    for method, page in (
        ("GET", f"/boards/{w.klas.id}/class"),
        ("POST", f"/boards/{w.klas.id}/pupils"),
        ("POST", f"/boards/{w.klas.id}/class-screens"),
        ("POST", f"/class-screens/{link['id']}/revoke"),
    ):
        r = client.request(method, page, headers=headers, follow_redirects=False)
        assert r.status_code == web_expected, (method, page)


@pytest.mark.parametrize("role", ["teacher", "leader", "admin"])
def test_the_team_its_leader_and_an_admin_may_use_every_endpoint(client, factory, klas, role):
    w = klas
    link = make_class_link(client, factory, w.teacher, w.klas.id)
    headers = factory.api(getattr(w, role))
    for method, path, body, expected in _endpoints(w, link["id"]):
        r = client.request(method, path, json=body, headers=headers)
        assert r.status_code == expected, (method, path, r.text)


def test_only_a_class_board_has_pupils_and_a_klasscherm(client, factory, klas):
    """A team board answers 422; a care board never gets a klasscherm (its own members get
    422, the team and the leader do not even see it)."""
    w = klas
    ib = factory.user(w.school, Role.ib, name="Ilse IB")
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(ib,))
    for board_id, user, expected in (
        (w.board.id, w.teacher, 422),
        (care.id, ib, 422),
        (care.id, w.teacher, 404),
        (care.id, w.leader, 404),
    ):
        headers = factory.api(user)
        made = client.post(f"/api/v1/boards/{board_id}/class-screens", json={}, headers=headers)
        assert made.status_code == expected, made.text
        names = client.put(
            f"/api/v1/boards/{board_id}/pupils", json={"names": ["Ada"]}, headers=headers
        )
        assert names.status_code == expected
    assert factory.all(ScreenLink) == [] and factory.all(ClassPupils) == []


def test_a_display_link_and_a_klasscherm_link_each_work_only_as_themselves(client, factory, klas):
    w = klas
    link = make_class_link(client, factory, w.teacher, w.klas.id)
    display = client.post(
        f"/api/v1/boards/{w.klas.id}/screens", json={}, headers=factory.api(w.teacher)
    ).json()
    assert client.get("/screen/" + token_of(link)).status_code == 404
    assert client.get(display["path"].replace("/screen/", "/klas/")).status_code == 404
    headers = factory.api(w.teacher)
    assert client.delete(f"/api/v1/screens/{link['id']}", headers=headers).status_code == 404
    assert (
        client.delete(f"/api/v1/class-screens/{display['id']}", headers=headers).status_code == 404
    )
    listed = client.get(f"/api/v1/boards/{w.klas.id}/class-screens", headers=headers).json()
    assert [row["id"] for row in listed] == [link["id"]] and token_of(link) not in json.dumps(
        listed
    )


# --- the klasscherm ----------------------------------------------------------------------------


def test_a_klasscherm_adds_a_success_seen_live_and_is_refused_a_delete(client, factory, klas):
    w = klas
    link = make_class_link(client, factory, w.teacher, w.klas.id)
    token = token_of(link)
    page = client.get(link["path"])
    assert page.status_code == 200 and "Groep 5" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert f'action="/klas/{token}/successes"' in page.text
    # a display shows no controls of the board itself, and nothing of the school's other boards
    assert "data-item=" not in page.text and "/boards/" not in page.text
    with client.websocket_connect(link["path"] + "/ws") as ws:
        ws.send_text(json.dumps({"since": 0}))
        frames_until(ws, 'id="list-successes"')
        added = client.post(
            f"/klas/{token}/successes",
            data={"text": "Iedereen las 20 minuten"},
            follow_redirects=False,
        )
        assert added.status_code == 303 and added.headers["location"] == link["path"]
        frames_until(ws, "Iedereen las 20 minuten")
    [success] = factory.all(Success)
    assert success.board_id == w.klas.id
    [event] = [e for e in factory.all(BoardEvent) if e.entity == "success"]
    assert event.actor_id is None
    # nothing through the token deletes or edits it
    for method, path in (
        ("DELETE", f"/klas/{token}/successes/{success.id}"),
        ("POST", f"/klas/{token}/successes/{success.id}/delete"),
        ("PATCH", f"/klas/{token}/successes/{success.id}"),
        ("PUT", f"/klas/{token}/successes"),
        ("DELETE", f"/klas/{token}/successes"),
        ("POST", f"/klas/{token}/actions"),
    ):
        assert client.request(method, path, data={"text": "weg"}).status_code in (404, 405)
    assert [s.text for s in factory.all(Success)] == ["Iedereen las 20 minuten"]
    # and the board's own routes want a login
    gone = client.delete(f"/api/v1/successes/{success.id}")
    assert gone.status_code == 401 and factory.get(Success, success.id) is not None


def test_a_klasscherm_adds_ideas_and_says_what_is_missing(client, factory, klas):
    w = klas
    token = token_of(make_class_link(client, factory, w.teacher, w.klas.id))
    assert client.post(f"/klas/{token}/ideas", data={"text": "Een leeshoek"}).status_code == 200
    empty = client.post(f"/klas/{token}/ideas", data={"text": "  "})
    assert empty.status_code == 422 and 'id="klas-idea-error"' in empty.text
    assert [i.text for i in factory.all(Idea)] == ["Een leeshoek"]


def test_the_class_checks_in_and_runs_the_timer(client, factory, klas):
    w = klas
    token = token_of(make_class_link(client, factory, w.teacher, w.klas.id))
    no_session = client.post(f"/klas/{token}/checkin", data={"mood": "4"})
    assert no_session.status_code == 422
    started = start_session(client, factory, w)
    page = client.get(f"/klas/{token}")
    assert f'action="/klas/{token}/checkin"' in page.text and "Bordsessie week" in page.text
    for mood in ("4", "4", "5"):
        assert client.post(f"/klas/{token}/checkin", data={"mood": mood}).status_code == 200
    assert client.post(f"/klas/{token}/checkin", data={"mood": "9"}).status_code == 422
    headers = factory.api(w.teacher)
    after = client.get(f"/api/v1/sessions/{started['id']}", headers=headers).json()
    assert after["checkin"] == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}
    clock.set_now(clock.now() + timedelta(minutes=2))
    assert client.post(f"/klas/{token}/timer", data={"action": "next"}).status_code == 200
    moved = client.get(f"/api/v1/sessions/{started['id']}", headers=headers).json()
    assert moved["current_part"] == 1 and moved["part_started_at"] != started["part_started_at"]
    assert client.post(f"/klas/{token}/timer", data={"action": "restart"}).status_code == 200
    again = client.get(f"/api/v1/sessions/{started['id']}", headers=headers).json()
    assert again["current_part"] == 1
    assert client.post(f"/klas/{token}/timer", data={"action": "stop"}).status_code == 422


def test_a_revoked_klasscherm_is_closed_and_refused(client, factory, klas):
    w = klas
    link = make_class_link(client, factory, w.teacher, w.klas.id)
    token = token_of(link)
    with client.websocket_connect(link["path"] + "/ws") as ws:
        ws.send_text(json.dumps({"since": 0}))
        frames_until(ws, 'id="list-ideas"')
        r = client.delete(f"/api/v1/class-screens/{link['id']}", headers=factory.api(w.teacher))
        assert r.status_code == 204
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(50):
                ws.receive_text()
        assert closed.value.code == 4410
    page = client.get(link["path"])
    assert page.status_code == 404 and "Groep 5" not in page.text
    assert client.post(f"/klas/{token}/successes", data={"text": "Te laat"}).status_code == 404
    assert client.post(f"/klas/{token}/checkin", data={"mood": "3"}).status_code == 404
    assert refusal(client, link["path"] + "/ws") == 404
    assert factory.all(Success) == []


# --- the class's poll on the klasscherm --------------------------------------------------------


def test_the_klasscherm_shows_the_open_poll_live_until_it_closes(client, factory, klas):
    """While a poll of the class board is open, the klasscherm shows what the poll's class
    screen shows: its QR code, short code and results as the answers come in, an open answer
    only once the teacher showed it. Closed, it is gone. A poll of another board never shows."""
    w = klas
    teacher = factory.api(w.teacher)
    link = make_class_link(client, factory, w.teacher, w.klas.id)
    path = link["path"]
    elsewhere = make_poll(client, teacher, w.board.id)  # the team board's
    page = client.get(path)
    assert re.search(r'<section id="klas-poll"[^>]* hidden>\s*</section>', page.text)
    assert elsewhere["code"] not in page.text

    with client.websocket_connect(path + "/poll/ws") as ws:
        assert 'id="klas-poll"' in ws.receive_text()  # nothing open yet: the empty panel
        made = make_poll(client, teacher, w.klas.id)
        shown = frames_until(ws, made["code"])
        assert f"QR-code naar http://testserver/s/{made['code']}" in shown
        assert 'class="poll-qr"' in shown and "<svg" in shown
        assert "http://testserver/s en typ deze code" in shown
        assert 'data-responses="0"' in shown and elsewhere["code"] not in shown

        answer(client, made["code"], [3, 4, 0, "MARKER-KLAS-OPEN"], DEVICE_A)
        counted = frames_until(ws, 'data-responses="1"')
        assert "MARKER-KLAS-OPEN" not in counted  # not shown by the teacher yet
        assert "Nog geen antwoorden om te tonen." in counted
        # the team board's poll is answered: nothing reaches this klasscherm
        answer(client, elsewhere["code"], [1, 1, 1, "MARKER-TEAM"], DEVICE_A)
        [text] = [t for t in factory.all(PollText) if t.text == "MARKER-KLAS-OPEN"]
        r = client.patch(
            f"/api/v1/polls/{made['id']}/open-answers/{text.id}",
            json={"status": "shown"},
            headers=teacher,
        )
        assert r.status_code == 200
        next_frame = ws.receive_text()
        assert "MARKER-KLAS-OPEN" in next_frame and "MARKER-TEAM" not in next_frame

        page = client.get(path)
        assert made["code"] in page.text and "MARKER-KLAS-OPEN" in page.text
        assert 'data-responses="1"' in page.text and elsewhere["code"] not in page.text

        closed = client.post(f"/api/v1/polls/{made['id']}/close", headers=teacher)
        assert closed.status_code == 200
        gone = ws.receive_text()
        assert re.search(r'<section id="klas-poll"[^>]* hidden>\s*</section>', gone), gone
    page = client.get(path)
    assert made["code"] not in page.text and "MARKER-KLAS-OPEN" not in page.text


def test_the_klasscherms_poll_socket_is_its_links_own(client, factory, klas):
    """Only through a klasscherm link of a class board; revoked, its poll socket closes too."""
    w = klas
    link = make_class_link(client, factory, w.teacher, w.klas.id)
    assert refusal(client, "/klas/" + "x" * 43 + "/poll/ws") == 404
    display = client.post(
        f"/api/v1/boards/{w.klas.id}/screens", json={"label": "tv"}, headers=factory.api(w.teacher)
    ).json()
    assert refusal(client, display["path"].replace("/screen/", "/klas/") + "/poll/ws") == 404
    with client.websocket_connect(link["path"] + "/poll/ws") as ws:
        ws.receive_text()
        r = client.delete(f"/api/v1/class-screens/{link['id']}", headers=factory.api(w.teacher))
        assert r.status_code == 204
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(50):
                ws.receive_text()
        assert closed.value.code == 4410
    assert refusal(client, link["path"] + "/poll/ws") == 404


# --- the class: names, roles, goals --------------------------------------------------------------


def test_roles_rotate_through_the_names_week_by_week(client, factory, klas):
    w = klas
    headers = factory.api(w.teacher)
    put = client.put(
        f"/api/v1/boards/{w.klas.id}/pupils", json={"names": [*NAMES, "Ada "]}, headers=headers
    )
    assert put.json() == {"board_id": w.klas.id, "names": NAMES}
    this_week = client.get(f"/api/v1/boards/{w.klas.id}/roles", headers=headers).json()
    clock.set_now(clock.now() + timedelta(days=7))
    next_week = client.get(f"/api/v1/boards/{w.klas.id}/roles", headers=headers).json()
    assert this_week["week"] != next_week["week"]
    roles = [r["role"] for r in this_week["roles"]]
    assert roles == ["bordleider", "schrijver", "tijdbewaker", "materiaalbeheerder"]
    now_names = [r["name"] for r in this_week["roles"]]
    later_names = [r["name"] for r in next_week["roles"]]
    assert later_names == [NAMES[(NAMES.index(n) + 1) % len(NAMES)] for n in now_names]
    # the board page and the klasscherm show the same roles
    token = token_of(make_class_link(client, factory, w.teacher, w.klas.id))
    factory.login(w.teacher)
    for page in (client.get(f"/boards/{w.klas.id}"), client.get(f"/klas/{token}")):
        shown = re.findall(r'class="class-role-pupil">([^<]+)<', page.text)
        assert shown == later_names


def test_roles_are_one_pure_definition():
    assert roles_of_week([], 3) == []
    assert [r.name for r in roles_of_week(["Ada", "Bram"], 3)] == ["Bram", "Ada"]
    assert [r.role for r in roles_of_week(["Ada"], 10)] == ["bordleider"]


def test_pupils_names_are_gone_after_the_school_year_ends(client, factory, klas, app):
    w = klas
    headers = factory.api(w.teacher)
    client.put(f"/api/v1/boards/{w.klas.id}/pupils", json={"names": NAMES}, headers=headers)
    clock.set_now(datetime.fromisoformat("2027-07-31T23:30:00+02:00"))
    assert class_pupils.purge_ended_years(app.state.db) == 0
    assert (
        client.get(f"/api/v1/boards/{w.klas.id}/pupils", headers=headers).json()["names"] == NAMES
    )
    factory.login(w.teacher)
    assert "Ada" in client.get(f"/boards/{w.klas.id}").text
    clock.set_now(datetime.fromisoformat("2027-08-01T00:30:00+02:00"))
    assert class_pupils.purge_ended_years(app.state.db) == 1
    assert factory.all(ClassPupils) == []
    assert class_pupils.purge_ended_years(app.state.db) == 0
    assert "Ada" not in client.get(f"/boards/{w.klas.id}").text
    assert client.get(f"/api/v1/boards/{w.klas.id}/pupils", headers=headers).json()["names"] == []
    assert client.get(f"/api/v1/boards/{w.klas.id}/roles", headers=headers).json()["roles"] == []


def test_a_class_goal_names_a_goal_of_its_teams_board(client, factory, klas):
    w = klas
    headers = factory.api(w.teacher)
    team_goal = client.post(
        f"/api/v1/boards/{w.board.id}/goals",
        json={"title": "Begrijpend lezen omhoog"},
        headers=headers,
    ).json()
    made = client.post(
        f"/api/v1/boards/{w.klas.id}/goals",
        json={"title": "Wij lezen elke dag", "team_goal_id": team_goal["id"]},
        headers=headers,
    )
    assert made.status_code == 201 and made.json()["team_goal_id"] == team_goal["id"]
    factory.login(w.teacher)
    assert "Teamdoel: Begrijpend lezen omhoog" in client.get(f"/boards/{w.klas.id}").text
    other_team = factory.board(w.outsider_team)
    with factory.session() as s:
        from app.models import Goal

        foreign = Goal(board_id=other_team.id, title="Ander team")
        s.add(foreign)
        s.commit()
        foreign_id = foreign.id
    class_goal = made.json()["id"]
    for board_id, ref in (
        (w.klas.id, foreign_id),  # a goal of another team
        (w.klas.id, class_goal),  # a goal of a class board
        (w.board.id, team_goal["id"]),  # a team board's goal serves no team goal
        (w.klas.id, 999999),
    ):
        r = client.post(
            f"/api/v1/boards/{board_id}/goals",
            json={"title": "X", "team_goal_id": ref},
            headers=headers,
        )
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "team_goal_id", r.text
    patched = client.patch(
        f"/api/v1/goals/{class_goal}", json={"team_goal_id": foreign_id}, headers=headers
    )
    assert patched.status_code == 422


def test_the_bordsessie_runs_on_a_class_board(client, factory, klas):
    w = klas
    started = start_session(client, factory, w)
    headers = factory.api(w.teacher)
    r = client.patch(
        f"/api/v1/sessions/{started['id']}",
        json={"part": 2, "notes": "Klas besloot"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.klas.id}")
    assert 'id="session-panel"' in page.text and "Klas besloot" in page.text
    ended = client.patch(f"/api/v1/sessions/{started['id']}", json={"ended": True}, headers=headers)
    assert ended.status_code == 200 and ended.json()["summary"] is not None


def test_the_teacher_keeps_names_and_klasscherm_links_on_the_board_page(client, factory, klas):
    w = klas
    csrf = factory.login(w.teacher)
    headers = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    board_page = client.get(f"/boards/{w.klas.id}")
    assert f'hx-get="/boards/{w.klas.id}/class"' in board_page.text
    assert '/class"' not in client.get(f"/boards/{w.board.id}").text  # a team board has none
    saved = client.post(
        f"/boards/{w.klas.id}/pupils", data={"names": "Ada\nBram\n\nCas"}, headers=headers
    )
    assert saved.status_code == 200 and "Ada\nBram\nCas</textarea>" in saved.text
    made = client.post(f"/boards/{w.klas.id}/class-screens", headers=headers)
    [url] = re.findall(r'class="screen-url" href="([^"]+)"', made.text)
    assert "/klas/" in url and client.get(url).status_code == 200
    [link] = factory.all(ScreenLink)
    assert link.audience == "class"
    panel = client.get(f"/boards/{w.klas.id}/class", headers=headers)
    assert url not in panel.text and f"/class-screens/{link.id}/revoke" in panel.text
    revoked = client.post(f"/class-screens/{link.id}/revoke", headers=headers)
    assert revoked.status_code == 200 and client.get(url).status_code == 404
    assert client.get(f"/boards/{w.board.id}/class", headers=headers).status_code == 422
