"""Lesbezoek + feedbackgesprek: a visit planned from the board, feedback by the visitor,
reflection by the visited teacher, read by exactly those two; a lesson learned shared as a
success; the leader sees only a count per month. Markers typed into the kijkvraag, the feedback
and the reflection are looked for on every channel."""

import io
import json
import logging
import re
from urllib.parse import urlsplit

import openpyxl

from app import clock
from app.models import Board, BoardKind, Role, Success, TeamMember, Visit, WebhookDelivery
from app.services import webhook_events
from tests.test_realtime_ws import frames_until

API = "/api/v1"
QUESTION = "MARKER-KIJKVRAAG-3107"
SEEN = "MARKER-GEZIEN-6621"
TIP = "MARKER-TIP-4480"
REFLECTION = "MARKER-REFLECTIE-9035"
MARKERS = (QUESTION, SEEN, TIP, REFLECTION)


def leaks(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


class Team:
    """The world's team with a second and a third teacher: Tim visits Vera, Chris looks on."""

    def __init__(self, factory):
        self.w = w = factory.world()
        self.visitor = w.teacher
        self.visited = factory.user(w.school, Role.teacher, name="Vera Visited")
        self.colleague = factory.user(w.school, Role.teacher, name="Chris Collega")
        for user in (self.visited, self.colleague):
            factory._save(TeamMember(team_id=w.team.id, user_id=user.id))
        self.factory = factory

    def api(self, user) -> dict[str, str]:
        return self.factory.api(user)

    def body(self, **changes) -> dict:
        return {
            "visitor_id": self.visitor.id,
            "visited_id": self.visited.id,
            "date": "2026-11-25",
            "question": f"Hoe stel ik vragen? {QUESTION}",
            "group": "groep 5",
            **changes,
        }


def plan(client, t: Team, **changes) -> dict:
    r = client.post(
        f"{API}/boards/{t.w.board.id}/visits", json=t.body(**changes), headers=t.api(t.visitor)
    )
    assert r.status_code == 201, r.text
    return r.json()


FEEDBACK = {
    "seen": f"Je wachtte na elke vraag {SEEN}",
    "effect": "Meer kinderen staken hun vinger op",
    "tip": f"Laat ze eerst samen overleggen {TIP}",
    "top": "Rustige, duidelijke uitleg",
}


def give_feedback(client, t: Team, visit_id: int) -> None:
    r = client.post(f"{API}/visits/{visit_id}/feedback", json=FEEDBACK, headers=t.api(t.visitor))
    assert r.status_code == 201, r.text


def reflect(client, t: Team, visit_id: int) -> None:
    r = client.post(
        f"{API}/visits/{visit_id}/reflection",
        json={"text": f"Ik ga langer wachten {REFLECTION}"},
        headers=t.api(t.visited),
    )
    assert r.status_code == 200, r.text


# --- refusals -----------------------------------------------------------------------------------


def test_planning_is_refused_out_of_reach_with_bad_input_and_on_care_or_archived_boards(
    client, factory
):
    t = Team(factory)
    url = f"{API}/boards/{t.w.board.id}/visits"
    assert client.post(url, json=t.body()).status_code == 401
    assert client.post(url, json=t.body(), headers=t.api(t.w.other_teacher)).status_code == 404
    outsider = factory.user(t.w.school, Role.teacher)
    factory._save(TeamMember(team_id=t.w.outsider_team.id, user_id=outsider.id))
    cases = [
        (t.body(visitor_id=outsider.id), "visitor_id", "not_in_team"),
        (t.body(visited_id=t.w.leader.id), "visited_id", "not_in_team"),
        (t.body(visited_id=t.visitor.id), "visited_id", "same_teacher"),
        (t.body(goal_id=999), "goal_id", "unknown_item"),
        (t.body(question=""), "question", "string_too_short"),
        (t.body(date="morgen"), "date", "date_from_datetime_parsing"),
    ]
    for body, field, kind in cases:
        r = client.post(url, json=body, headers=t.api(t.visitor))
        assert r.status_code == 422, (body, r.text)
        assert r.json()["detail"][0]["loc"][-1] == field
        assert r.json()["detail"][0]["type"] == kind
    # a third colleague may not plan the two others' visit: the kijkvraag is theirs
    r = client.post(url, json=t.body(), headers=t.api(t.colleague))
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "not_taking_part"
    # the leader is no member of the team, so is not one of the two either
    assert client.post(url, json=t.body(), headers=t.api(t.w.leader)).status_code == 422

    ib = factory.user(t.w.school, Role.ib)
    care = factory.board(t.w.team, BoardKind.care, "Zorg", members=(ib, t.visitor, t.visited))
    r = client.post(f"{API}/boards/{care.id}/visits", json=t.body(), headers=t.api(t.visitor))
    assert r.status_code == 404
    factory.login(t.visitor)
    assert client.get(f"/boards/{care.id}/visits/new").status_code == 404
    assert factory.all(Visit) == []


def test_an_archived_board_keeps_its_visits_readable_and_refuses_every_change(client, factory):
    t = Team(factory)
    visit = plan(client, t)
    with factory.session() as s:
        board = s.get(Board, t.w.board.id)
        board.archived_at = clock.now()
        s.add(board)
        s.commit()
    assert client.get(f"{API}/visits/{visit['id']}", headers=t.api(t.visited)).status_code == 200
    r = client.post(f"{API}/visits/{visit['id']}/feedback", json=FEEDBACK, headers=t.api(t.visitor))
    assert r.status_code == 409
    r = client.post(f"{API}/boards/{t.w.board.id}/visits", json=t.body(), headers=t.api(t.visitor))
    assert r.status_code == 409
    share = {"text": "Wachttijd werkt"}
    r = client.post(f"{API}/visits/{visit['id']}/share", json=share, headers=t.api(t.visitor))
    assert r.status_code == 409
    factory.login(t.visitor)
    page = client.get(f"/visits/{visit['id']}")
    assert page.status_code == 200
    assert 'action="/visits/' not in page.text  # no forms on a read-only board
    assert factory.get(Visit, visit["id"]).feedback_at is None


def test_a_visit_follows_an_action_of_its_own_board_only(client, factory):
    """A visit may look at an action instead of a goal; the lesson learned then goes to the
    board linked to that action. An action of another board is refused by its field, on the
    API and on the form, and nothing is planned."""
    t = Team(factory)
    action = client.post(
        f"{API}/boards/{t.w.board.id}/actions",
        json={"title": "Wachttijd na elke vraag"},
        headers=t.api(t.visitor),
    ).json()
    elsewhere = client.post(
        f"{API}/boards/{t.w.outsider_board.id}/actions",
        json={"title": "Actie van een ander team"},
        headers=t.api(t.w.leader),
    ).json()
    url = f"{API}/boards/{t.w.board.id}/visits"
    r = client.post(url, json=t.body(action_id=elsewhere["id"]), headers=t.api(t.visitor))
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "action_id"
    assert r.json()["detail"][0]["type"] == "unknown_item"
    csrf = factory.login(t.visitor)
    form = client.get(f"/boards/{t.w.board.id}/visits/new").text
    assert f'<option value="{action["id"]}"' in form and "Actie van een ander team" not in form
    sent = {
        "csrf_token": csrf,
        "visitor_id": str(t.visitor.id),
        "visited_id": str(t.visited.id),
        "date": "2026-11-25",
        "question": "Wachten ze?",
        "action_id": str(elsewhere["id"]),
    }
    r = client.post(f"/boards/{t.w.board.id}/visits", data=sent)
    assert r.status_code == 422 and 'id="visit-action_id-error"' in r.text
    assert "Dat onderdeel staat niet op dit bord." in r.text
    assert factory.all(Visit) == []

    visit = plan(client, t, action_id=action["id"])
    assert visit["action_id"] == action["id"] and visit["goal_id"] is None
    r = client.post(f"/boards/{t.w.board.id}/visits", data={**sent, "action_id": str(action["id"])})
    assert r.status_code == 200  # followed to the visit's page
    assert [v.action_id for v in factory.all(Visit)] == [action["id"], action["id"]]
    give_feedback(client, t, visit["id"])
    shared = client.post(
        f"{API}/visits/{visit['id']}/share",
        json={"text": "Tien tellen werkt"},
        headers=t.api(t.visited),
    )
    assert shared.status_code == 201
    [success] = factory.all(Success)
    assert success.action_id == action["id"] and success.goal_id is None


# --- the two teachers, and nobody else ---------------------------------------------------------


def test_role_by_endpoint_everyone_but_the_two_is_refused(client, factory):
    """Anonymous: 401. A colleague on the board, the school's leader, an admin, another
    school's teacher and leader: 404 on every visit endpoint, and nothing changes."""
    t = Team(factory)
    visit = plan(client, t)
    v = f"{API}/visits/{visit['id']}"
    calls = [
        ("GET", v, None),
        ("DELETE", v, None),
        ("POST", f"{v}/feedback", FEEDBACK),
        ("POST", f"{v}/reflection", {"text": "Meegenomen"}),
        ("POST", f"{v}/share", {"text": "Gedeeld"}),
    ]
    others = (t.colleague, t.w.leader, t.w.admin, t.w.other_teacher, t.w.other_leader)
    for method, url, body in calls:
        assert client.request(method, url, json=body).status_code == 401, url
        for user in others:
            r = client.request(method, url, json=body, headers=t.api(user))
            assert r.status_code == 404, (method, url, user.name)
            assert not leaks(r.text)
    board = f"{API}/boards/{t.w.board.id}/visits"
    assert client.post(board, json=t.body()).status_code == 401
    for user, status in [
        (t.colleague, 422),  # on the board, not one of the two
        (t.w.leader, 422),
        (t.w.admin, 422),
        (t.w.other_teacher, 404),
        (t.w.other_leader, 404),
    ]:
        assert client.post(board, json=t.body(), headers=t.api(user)).status_code == status
    assert client.get(f"{API}/me/visits").status_code == 401
    for user in others:
        assert client.get(f"{API}/me/visits", headers=t.api(user)).json() == []
    [row] = factory.all(Visit)
    assert row.version == 1 and row.feedback_at is None and len(factory.all(Success)) == 0


def test_a_visit_is_read_by_its_two_teachers_and_by_nobody_else(client, factory):
    t = Team(factory)
    visit = plan(client, t)
    assert visit["visitor"] == "Tim Teacher" and visit["visited"] == "Vera Visited"
    assert visit["feedback"] is None and QUESTION in visit["question"]
    for user in (t.visitor, t.visited):
        r = client.get(f"{API}/visits/{visit['id']}", headers=t.api(user))
        assert r.status_code == 200 and QUESTION in r.json()["question"]
    admin = t.w.admin
    for user in (t.colleague, t.w.leader, admin, t.w.other_teacher, t.w.other_leader):
        r = client.get(f"{API}/visits/{visit['id']}", headers=t.api(user))
        assert r.status_code == 404 and not leaks(r.text)
        client.cookies.clear()
        factory.login(user)
        assert client.get(f"/visits/{visit['id']}").status_code == 404
    assert client.get(f"{API}/visits/99999", headers=t.api(t.visitor)).status_code == 404


def test_the_visitor_writes_the_feedback_once_and_the_visited_teacher_reflects(client, factory):
    t = Team(factory)
    visit = plan(client, t)
    url = f"{API}/visits/{visit['id']}"
    reflection = {"text": "Wat ik meeneem"}
    # before any feedback the visited teacher has nothing to reflect on
    r = client.post(f"{url}/reflection", json=reflection, headers=t.api(t.visited))
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "no_feedback_yet"
    for user in (t.visited, t.colleague, t.w.leader, t.w.admin, t.w.other_teacher):
        r = client.post(f"{url}/feedback", json=FEEDBACK, headers=t.api(user))
        assert r.status_code == 404, user.name
    r = client.post(f"{url}/feedback", json={**FEEDBACK, "tip": ""}, headers=t.api(t.visitor))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "tip"
    r = client.post(f"{url}/feedback", json=FEEDBACK, headers=t.api(t.visitor))
    assert r.status_code == 201 and r.json()["feedback"]["tip"] == FEEDBACK["tip"]
    assert int(r.headers["X-Board-Version"]) > 0
    r = client.post(f"{url}/feedback", json=FEEDBACK, headers=t.api(t.visitor))
    assert r.status_code == 409

    for user in (t.visitor, t.colleague, t.w.leader):
        r = client.post(f"{url}/reflection", json=reflection, headers=t.api(user))
        assert r.status_code == 404, user.name
    reflect(client, t, visit["id"])
    read = client.get(url, headers=t.api(t.visitor)).json()
    assert REFLECTION in read["reflection"] and SEEN in read["feedback"]["seen"]


def test_either_teacher_calls_a_planned_visit_off_but_not_one_that_was_held(client, factory):
    t = Team(factory)
    first, second = plan(client, t, date="2026-12-02"), plan(client, t, date="2026-12-03")
    url = f"{API}/visits/{first['id']}"
    for user in (t.colleague, t.w.leader, t.w.admin):
        assert client.delete(url, headers=t.api(user)).status_code == 404
    assert client.delete(f"{url}?version=7", headers=t.api(t.visited)).status_code == 409
    r = client.delete(url, headers=t.api(t.visited))
    assert r.status_code == 204 and int(r.headers["X-Board-Version"]) > 0
    assert client.get(url, headers=t.api(t.visitor)).status_code == 404
    board = client.get(f"{API}/boards/{t.w.board.id}", headers=t.api(t.colleague)).json()
    assert [v["id"] for v in board["visits"]] == [second["id"]]

    csrf = factory.login(t.visitor)
    assert "Lesbezoek afzeggen" in client.get(f"/visits/{second['id']}").text
    give_feedback(client, t, second["id"])
    assert "Lesbezoek afzeggen" not in client.get(f"/visits/{second['id']}").text
    assert (
        client.delete(f"{API}/visits/{second['id']}", headers=t.api(t.visitor)).status_code == 409
    )
    r = client.post(f"/visits/{second['id']}/cancel", data={"csrf_token": csrf})
    assert r.status_code == 409
    third = plan(client, t, date="2026-12-04")
    r = client.post(f"/visits/{third['id']}/cancel", data={"csrf_token": csrf})
    assert r.status_code == 200 and "Het lesbezoek is afgezegd." in r.text
    assert [v.id for v in factory.all(Visit)] == [second["id"]]


# --- the web pages ------------------------------------------------------------------------------


def test_planning_on_the_web_shows_field_errors_then_the_visit_on_the_planning(client, factory):
    t = Team(factory)
    csrf = factory.login(t.visitor)
    board = client.get(f"/boards/{t.w.board.id}")
    assert f'href="/boards/{t.w.board.id}/visits/new"' in board.text
    form = client.get(f"/boards/{t.w.board.id}/visits/new")
    assert form.status_code == 200
    assert 'id="visit-question"' in form.text and "Vera Visited" in form.text
    assert "Chris Collega" in form.text and "Lotte Leider" not in form.text

    sent = {
        "csrf_token": csrf,
        "visitor_id": str(t.visitor.id),
        "visited_id": str(t.visitor.id),
        "date": "2026-12-02",
        "group": "groep 5",
        "question": "",
    }
    r = client.post(f"/boards/{t.w.board.id}/visits", data=sent)
    assert r.status_code == 422
    assert 'id="visit-question-error"' in r.text and "Vul dit veld in." in r.text
    assert 'value="groep 5"' in r.text  # what was typed stays

    sent.update(question=f"Wachttijd {QUESTION}")
    r = client.post(f"/boards/{t.w.board.id}/visits", data=sent)
    assert r.status_code == 422
    assert 'id="visit-visited_id-error"' in r.text
    assert "Kies een ander dan wie op bezoek gaat." in r.text

    sent.update(visited_id=str(t.visited.id))
    r = client.post(f"/boards/{t.w.board.id}/visits", data=sent, follow_redirects=False)
    assert r.status_code == 303
    visit_id = int(re.search(r"/visits/(\d+)", r.headers["location"]).group(1))
    page = client.get(r.headers["location"])
    assert "Het lesbezoek staat op de planning." in page.text and QUESTION in page.text
    board = client.get(f"/boards/{t.w.board.id}")
    assert f'id="visit-{visit_id}"' in board.text
    assert "Lesbezoek: Tim Teacher bij Vera Visited" in board.text and not leaks(board.text)

    # the same page in English
    client.post("/locale", data={"csrf_token": csrf, "locale": "en", "next": "/"})
    english = client.get(f"/boards/{t.w.board.id}")
    assert "Lesson visit: Tim Teacher visits Vera Visited" in english.text


def test_feedback_and_reflection_on_the_web(client, factory):
    t = Team(factory)
    visit = plan(client, t)
    url = f"/visits/{visit['id']}"
    csrf = factory.login(t.visited)
    page = client.get(url)
    assert f'action="{url}/feedback"' not in page.text  # not the visited's to write
    assert "Nog geen feedback." in page.text
    r = client.post(f"{url}/feedback", data={"csrf_token": csrf, **FEEDBACK})
    assert r.status_code == 404

    client.cookies.clear()
    csrf = factory.login(t.visitor)
    page = client.get(url)
    assert 'id="feedback-seen"' in page.text and 'for="feedback-tip"' in page.text
    r = client.post(f"{url}/feedback", data={"csrf_token": csrf, **FEEDBACK, "top": " "})
    assert r.status_code == 422 and 'id="feedback-top-error"' in r.text
    assert SEEN in r.text  # what was typed stays
    r = client.post(
        f"{url}/feedback", data={"csrf_token": csrf, **FEEDBACK}, follow_redirects=False
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert TIP in page.text and 'id="feedback-seen"' not in page.text
    # a second tab that still had the form
    r = client.post(f"{url}/feedback", data={"csrf_token": csrf, **FEEDBACK, "tip": "Anders"})
    assert r.status_code == 422 and "De feedback is al geschreven." in r.text
    assert factory.get(Visit, visit["id"]).tip == FEEDBACK["tip"]

    client.cookies.clear()
    csrf = factory.login(t.visited)
    page = client.get(url)
    assert TIP in page.text and 'id="reflection-text"' in page.text
    r = client.post(f"{url}/reflection", data={"csrf_token": csrf, "text": ""})
    assert r.status_code == 422 and 'id="reflection-text-error"' in r.text
    r = client.post(f"{url}/reflection", data={"csrf_token": csrf, "text": f"Ja {REFLECTION}"})
    assert r.status_code == 200 and REFLECTION in r.text  # followed the redirect


def test_my_visits_lists_what_i_make_and_receive(client, factory):
    t = Team(factory)
    past = plan(client, t, date="2026-11-25")
    coming = plan(client, t, date="2026-12-02", visitor_id=t.visited.id, visited_id=t.visitor.id)
    factory.login(t.visitor)
    home = client.get("/")
    assert 'href="/visits"' in home.text
    page = client.get("/visits")
    assert page.status_code == 200 and not leaks(page.text)
    due = page.text.index("Feedback nog te schrijven")
    planned = page.text.index("Gepland")
    assert due < page.text.index(f'id="my-visit-{past["id"]}"') < planned
    assert page.text.index(f'id="my-visit-{coming["id"]}"') > planned
    assert "Jij bij Vera Visited" in page.text and "Vera Visited bij jou" in page.text
    mine = client.get(f"{API}/me/visits", headers=t.api(t.visitor)).json()
    assert [(v["id"], v["role"]) for v in mine] == [
        (past["id"], "visitor"),
        (coming["id"], "visited"),
    ]
    client.cookies.clear()
    factory.login(t.colleague)
    assert "my-visit-" not in client.get("/visits").text


# --- privacy: every channel ---------------------------------------------------------------------


def frames_through(ws, text: str, limit: int = 10) -> list[str]:
    """Every frame received up to and including the first with `text`."""
    frames = []
    for _ in range(limit):
        frames.append(ws.receive_text())
        if text in frames[-1]:
            return frames
    raise AssertionError(f"no frame with {text!r}")


def _display_link(client, t: Team) -> str:
    r = client.post(
        f"{API}/boards/{t.w.board.id}/screens", json={"label": "tv"}, headers=t.api(t.visitor)
    )
    assert r.status_code == 201, r.text
    return r.json()["path"]


def _workbook_text(content: bytes) -> tuple[list[str], str]:
    """A downloaded .xlsx: its sheets' names and every cell's text."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return book.sheetnames, "\n".join(cells)


def _feed_path(answer) -> str:
    assert answer.status_code == 201, answer.text
    return urlsplit(answer.json()["url"]).path


def test_what_the_two_wrote_reaches_no_other_channel(client, factory, caplog, app):
    caplog.set_level(logging.DEBUG)
    t = Team(factory)
    board_id = t.w.board.id
    school = t.w.school.id
    display = _display_link(client, t)
    # a webhook of the school that hears every event (queued only: nothing is sent here)
    app.state.webhooks.stop()
    hook = client.post(
        f"{API}/schools/{school}/webhooks",
        json={"url": "http://127.0.0.1:9/hook", "events": list(webhook_events.NAMES)},
        headers=t.api(t.w.leader),
    )
    assert hook.status_code == 201, hook.text
    # the visit follows an action, which goes to the archive afterwards: both sheets of the
    # board's download, and its calendar feeds (a due date), have a row the visit names
    followed, kept = (
        client.post(
            f"{API}/boards/{board_id}/actions",
            json={"title": title, "due": "2026-12-04", "owner": "Vera Visited"},
            headers=t.api(t.visitor),
        ).json()
        for title in ("Wachttijd na elke vraag", "Tien tellen")
    )
    feeds = [
        _feed_path(client.post(f"{API}/me/calendar", headers=t.api(user)))
        for user in (t.visitor, t.visited, t.colleague)
    ] + [
        _feed_path(client.post(f"{API}/boards/{board_id}/calendar", headers=t.api(user)))
        for user in (t.visitor, t.visited, t.colleague, t.w.leader)
    ]
    visit = plan(client, t, date="2026-11-30", action_id=followed["id"])  # today: on the planning
    with (
        client.websocket_connect(f"/boards/{board_id}/ws", headers=t.api(t.colleague)) as member,
        client.websocket_connect(f"/boards/{board_id}/ws", headers=t.api(t.visitor)) as visitor,
        client.websocket_connect(display + "/ws") as screen,
        client.websocket_connect(
            f"/schools/{t.w.school.id}/overview/ws", headers=t.api(t.w.leader)
        ) as leader,
    ):
        for ws in (member, visitor, screen):
            ws.send_text(json.dumps({"since": 0}))
        frames_until(leader, 'id="ov-teams"')
        give_feedback(client, t, visit["id"])
        reflect(client, t, visit["id"])
        for ws in (member, visitor, screen):
            frames = frames_through(ws, "nabesproken")
            assert f'id="visit-{visit["id"]}"' in frames[-1] and not any(map(leaks, frames))
        card = frames_until(leader, f'id="team-{t.w.team.id}"')
        assert not leaks(card) and 'data-count="visits-2026-11">1<' in card
    archived = client.post(f"{API}/actions/{followed['id']}/archive", headers=t.api(t.visited))
    assert archived.status_code == 200, archived.text

    pages = []
    for user in (t.visitor, t.visited, t.colleague, t.w.leader, t.w.admin):
        client.cookies.clear()
        factory.login(user)
        pages += [client.get(f"/boards/{board_id}"), client.get(f"/boards/{board_id}/sessions")]
        pages += [client.get(f"{API}/boards/{board_id}", headers=t.api(user))]
        pages += [client.get(f"{API}/boards/{board_id}/events?after=0", headers=t.api(user))]
        pages += [
            client.get(f"/boards/{board_id}/archive"),
            client.get(f"{API}/boards/{board_id}/archive", headers=t.api(user)),
            client.get(f"/boards/{board_id}/actions.csv"),
            client.get(f"{API}/boards/{board_id}/actions.csv", headers=t.api(user)),
        ]
    client.cookies.clear()
    pages.append(client.get(display))
    factory.login(t.w.leader)
    pages += [
        client.get(f"/schools/{school}/overview"),
        client.get(f"/schools/{school}/overview.csv"),
    ]
    pages.append(client.get(f"{API}/schools/{school}/overview", headers=t.api(t.w.leader)))
    for page in pages:
        assert page.status_code == 200, page.url
        assert not leaks(page.text), page.url
    board_page = pages[0].text
    assert "Lesbezoek: Tim Teacher bij Vera Visited" in board_page
    assert "Lesbezoek: Tim Teacher bij Vera Visited" in pages[-4].text  # the display link
    planned = pages[2].json()["visits"]
    assert planned == [
        {
            "id": visit["id"],
            "date": "2026-11-30",
            "visitor": "Tim Teacher",
            "visited": "Vera Visited",
            "held": True,
        }
    ]
    events = pages[3].json()
    assert [e["kind"] for e in events if e["entity"] == "visit"] == [
        "planned",
        "feedback",
        "reflected",
    ]
    assert "Wachttijd na elke vraag" in pages[6].text  # the board's CSV, with its archive

    # the workbooks: the board's actions and its archive sheet, and the leader's overview
    workbooks = [
        client.get(f"/schools/{school}/overview.xlsx"),
        client.get(f"{API}/schools/{school}/overview.xlsx", headers=t.api(t.w.leader)),
    ]
    for user in (t.visitor, t.visited, t.colleague, t.w.leader):
        client.cookies.clear()
        factory.login(user)
        workbooks += [
            client.get(f"/boards/{board_id}/actions.xlsx"),
            client.get(f"{API}/boards/{board_id}/actions.xlsx", headers=t.api(user)),
        ]
    for book in workbooks:
        assert book.status_code == 200, book.url
        sheets, text = _workbook_text(book.content)
        assert not leaks(text), book.url
        assert kept["title"] in text, book.url
    assert sheets == ["Acties", "Archief"] and "Wachttijd na elke vraag" in text

    # the calendar feeds (the agenda of each teacher, the board's of everyone who has one)
    client.cookies.clear()
    calendars = [client.get(path) for path in feeds]
    for feed in calendars:
        assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text, feed.url
        assert not leaks(feed.text), feed.url
    assert "Tien tellen" in calendars[1].text  # Vera's agenda: the action she owns

    # webhooks: the actions were heard of, the visit never
    deliveries = factory.all(WebhookDelivery)
    assert {d.event for d in deliveries} == {"action.created"}
    assert not any(leaks(d.body) for d in deliveries)

    # the two teachers do read it
    assert SEEN in client.get(f"{API}/visits/{visit['id']}", headers=t.api(t.visited)).text
    assert caplog.records and not leaks(caplog.text)


# --- the leader's count -------------------------------------------------------------------------


def test_the_leader_counts_visits_held_per_team_per_month(client, factory):
    t = Team(factory)
    october = plan(client, t, date="2026-10-14")
    november = [plan(client, t, date=day) for day in ("2026-11-04", "2026-11-25")]
    plan(client, t, date="2026-11-26")  # planned, never held: not counted
    plan(client, t, date="2026-08-20")  # held, but before the months shown
    for visit in (october, *november):
        give_feedback(client, t, visit["id"])
    overview = client.get(f"{API}/schools/{t.w.school.id}/overview", headers=t.api(t.w.leader))
    teams = {row["team_id"]: row for row in overview.json()["teams"]}
    assert teams[t.w.team.id]["visits_held"] == [
        {"month": "2026-09", "count": 0},
        {"month": "2026-10", "count": 1},
        {"month": "2026-11", "count": 2},
    ]
    assert all(c["count"] == 0 for c in teams[t.w.outsider_team.id]["visits_held"])
    factory.login(t.w.leader)
    page = client.get(f"/schools/{t.w.school.id}/overview")
    assert 'data-count="visits-2026-11">2<' in page.text
    assert "Lesbezoeken gehouden" in page.text and not leaks(page.text)


# --- sharing a lesson learned -------------------------------------------------------------------


def test_sharing_as_a_success_puts_exactly_the_previewed_text_on_the_board(client, factory):
    t = Team(factory)
    goal = client.post(
        f"{API}/boards/{t.w.board.id}/goals",
        json={"title": "Betere vragen"},
        headers=t.api(t.visitor),
    ).json()
    visit = plan(client, t, goal_id=goal["id"])
    give_feedback(client, t, visit["id"])
    url = f"/visits/{visit['id']}"
    csrf = factory.login(t.visited)
    text = "Wachttijd na een vraag: meer kinderen denken mee\nen <b>durven</b> te antwoorden"
    r = client.post(f"{url}/share", data={"csrf_token": csrf, "step": "preview", "text": ""})
    assert r.status_code == 422 and 'id="share-text-error"' in r.text
    preview = client.post(
        f"{url}/share", data={"csrf_token": csrf, "step": "preview", "text": text}
    )
    assert preview.status_code == 200
    shown = re.search(r'id="share-preview"[^>]*><p class="card-text">(.*?)</p>', preview.text, re.S)
    assert shown.group(1) == text.replace("<", "&lt;").replace(">", "&gt;")
    assert factory.all(Success) == []  # a preview shares nothing
    hidden = re.search(r'<input type="hidden" name="text" value="(.*?)">', preview.text, re.S)
    sent = hidden.group(1).replace("&lt;", "<").replace("&gt;", ">")
    assert sent == text
    r = client.post(f"{url}/share", data={"csrf_token": csrf, "step": "confirm", "text": sent})
    assert r.status_code == 200 and "Gedeeld op het bord als succes." in r.text
    [success] = factory.all(Success)
    assert success.text == text and success.goal_id == goal["id"]
    board = client.get(f"/boards/{t.w.board.id}").text
    assert "durven" in board and not leaks(board)

    r = client.post(
        f"{API}/visits/{visit['id']}/share",
        json={"text": "Tip en top werken"},
        headers=t.api(t.visitor),
    )
    assert r.status_code == 201 and r.json()["text"] == "Tip en top werken"
    r = client.post(
        f"{API}/visits/{visit['id']}/share", json={"text": "x"}, headers=t.api(t.colleague)
    )
    assert r.status_code == 404
    assert len(factory.all(Success)) == 2
