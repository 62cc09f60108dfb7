"""Gezamenlijk lesontwerp: a lesson designed together on a team board, shown on its planning,
given, evaluated and kept as the school's kwaliteitskaart; found by every member of the school,
and out of reach of everyone else."""

import json
import re

from app import clock
from app.models import Board, BoardKind, LessonDesign, QualityCard, Role, TeamMember
from app.services import lesson_designs
from tests.test_realtime_ws import frames_until

API = "/api/v1"
KIJKVRAAG = "MARKER-KIJKVRAAG-5521"


class School:
    """The world's team (Tim, Vera), a colleague of the school on another team, a goal and a
    lesbezoek on the team board."""

    def __init__(self, client, factory):
        self.client, self.factory = client, factory
        self.w = w = factory.world()
        self.teacher = w.teacher
        self.vera = factory.user(w.school, Role.teacher, name="Vera Visited")
        self.colleague = factory.user(w.school, Role.teacher, name="Olga Onderbouw")
        factory._save(
            TeamMember(team_id=w.team.id, user_id=self.vera.id),
            TeamMember(team_id=w.outsider_team.id, user_id=self.colleague.id),
        )
        board = f"{API}/boards/{w.board.id}"
        goal = client.post(
            f"{board}/goals", json={"title": "Begrijpend lezen"}, headers=self.api(self.teacher)
        )
        assert goal.status_code == 201
        self.goal_id = goal.json()["id"]
        visit = {
            "visitor_id": self.vera.id,
            "visited_id": self.teacher.id,
            "date": "2026-11-26",
            "question": f"Voorspellen ze? {KIJKVRAAG}",
        }
        made = client.post(f"{board}/visits", json=visit, headers=self.api(self.teacher))
        assert made.status_code == 201
        self.visit_id = made.json()["id"]

    def api(self, user) -> dict[str, str]:
        return self.factory.api(user)

    def body(self, **changes) -> dict:
        return {
            "title": "Voorspellen bij lezen",
            "lesson_goal": "Leerlingen voorspellen wat er in de tekst komt",
            "structure": "Instructie, samen voorspellen, zelf lezen",
            "watch_for": "Denken ze hardop?",
            "goal_id": self.goal_id,
            "teacher_id": self.teacher.id,
            "date": "2026-11-27",
            "group": "groep 6",
            "visit_ids": [self.visit_id],
            **changes,
        }

    def design(self, **changes) -> dict:
        r = self.client.post(
            f"{API}/boards/{self.w.board.id}/lesson-designs",
            json=self.body(**changes),
            headers=self.api(self.teacher),
        )
        assert r.status_code == 201, r.text
        return r.json()


EVALUATION = {"worked": "Eerst samen voorspellen, dan alleen", "to_change": "Kortere instructie"}


def test_a_lesson_design_is_evaluated_into_a_kwaliteitskaart(client, factory):
    s = School(client, factory)
    design = s.design(date="2026-12-03")
    assert design["teacher"] == "Tim Teacher" and design["goal_id"] == s.goal_id
    assert design["visits"] == [
        {
            "id": s.visit_id,
            "date": "2026-11-26",
            "visitor": "Vera Visited",
            "visited": "Tim Teacher",
        }
    ]
    assert KIJKVRAAG not in str(design)  # the visit's kijkvraag stays its two teachers'

    # on the board's planning, as a line with the day it is given
    board = client.get(f"{API}/boards/{s.w.board.id}", headers=s.api(s.vera)).json()
    assert board["lesson_designs"] == [
        {
            "id": design["id"],
            "date": "2026-12-03",
            "title": "Voorspellen bij lezen",
            "evaluated": False,
        }
    ]
    factory.login(s.vera)
    page = client.get(f"/boards/{s.w.board.id}")
    assert "Lesontwerp: Voorspellen bij lezen" in page.text
    assert f'href="/boards/{s.w.board.id}/lesson-designs"' in page.text

    url = f"{API}/lesson-designs/{design['id']}"
    # not given yet: nothing to evaluate, and no card before the evaluation
    r = client.post(f"{url}/evaluation", json=EVALUATION, headers=s.api(s.vera))
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "not_given_yet"
    r = client.post(f"{url}/quality-card", json={"subject": "lezen"}, headers=s.api(s.vera))
    assert r.status_code == 409

    # Vera moves it to last Friday; it was given; the team evaluates
    r = client.patch(url, json={"version": 1, "date": "2026-11-27"}, headers=s.api(s.vera))
    assert r.status_code == 200 and r.json()["version"] == 2
    assert r.json()["title"] == "Voorspellen bij lezen"  # what was not sent stays
    r = client.post(f"{url}/evaluation", json=EVALUATION, headers=s.api(s.teacher))
    assert r.status_code == 200 and r.json()["worked"] == EVALUATION["worked"]
    board = client.get(f"{API}/boards/{s.w.board.id}", headers=s.api(s.vera)).json()
    assert board["lesson_designs"][0]["evaluated"] is True

    r = client.post(
        f"{url}/quality-card",
        json={"subject": "voorspellen bij begrijpend lezen"},
        headers=s.api(s.teacher),
    )
    assert r.status_code == 201
    card = r.json()
    assert card["school_id"] == s.w.school.id and card["design_id"] == design["id"]
    assert card["works"] == EVALUATION["worked"]  # the evaluation's "what worked"
    assert card["lesson_goal"] == s.body()["lesson_goal"] and card["team"] == "Bovenbouw"
    assert client.get(url, headers=s.api(s.vera)).json()["quality_card_id"] == card["id"]
    r = client.post(f"{url}/quality-card", json={"subject": "nog een"}, headers=s.api(s.vera))
    assert r.status_code == 409  # one card per design

    # the school keeps it: its members find it
    found = client.get(
        f"{API}/schools/{s.w.school.id}/quality-cards",
        params={"q": "VOORSPELLEN"},
        headers=s.api(s.colleague),
    )
    assert [c["id"] for c in found.json()] == [card["id"]]
    # what may leave the school for a learning network names no one
    shareable = lesson_designs.shareable(factory.get(QualityCard, card["id"]))
    assert set(shareable) == {"subject", "works", "watch_for", "lesson_goal"}
    assert "Tim" not in str(shareable) and "Bovenbouw" not in str(shareable)


def test_role_by_endpoint(client, factory):
    s = School(client, factory)
    design = s.design()
    url = f"{API}/lesson-designs/{design['id']}"
    cards = f"{API}/schools/{s.w.school.id}/quality-cards"
    client.post(f"{url}/evaluation", json=EVALUATION, headers=s.api(s.teacher))
    client.post(f"{url}/quality-card", json={"subject": "lezen"}, headers=s.api(s.teacher))
    other_teacher, other_leader = s.w.other_teacher, s.w.other_leader

    def answers(headers: dict[str, str]) -> list[int]:
        return [
            client.post(
                f"{API}/boards/{s.w.board.id}/lesson-designs", json=s.body(), headers=headers
            ).status_code,
            client.get(url, headers=headers).status_code,
            client.patch(url, json={"version": 99, "title": "X"}, headers=headers).status_code,
            client.post(f"{url}/evaluation", json=EVALUATION, headers=headers).status_code,
            client.post(f"{url}/quality-card", json={"subject": "x"}, headers=headers).status_code,
            client.get(cards, headers=headers).status_code,
        ]

    # the team: everything (the stale edit is 409, the design has its card: 409)
    assert answers(s.api(s.vera)) == [201, 200, 409, 200, 409, 200]
    # the school's leader and an admin of the installation (no member of the school) open the
    # board, so read and write its designs
    for opener in (s.w.leader, s.w.admin):
        assert answers(s.api(opener)) == [201, 200, 409, 200, 409, 200], opener.name
    # a teacher of another team of the school: no design, but the school's cards
    assert answers(s.api(s.colleague)) == [404, 404, 404, 404, 404, 200]
    for outsider in (other_teacher, other_leader):
        assert answers(s.api(outsider)) == [404] * 6
    assert answers({}) == [401] * 6


def test_every_web_page_and_form_by_role(client, factory):
    """The same rules on the web: every page and every form of a design, for each role; what a
    refused form sent changes nothing."""
    s = School(client, factory)
    design = s.design()
    url = f"/lesson-designs/{design['id']}"
    api = f"{API}/lesson-designs/{design['id']}"
    client.post(f"{api}/evaluation", json=EVALUATION, headers=s.api(s.teacher))
    client.post(f"{api}/quality-card", json={"subject": "lezen"}, headers=s.api(s.teacher))
    new_design = {
        "title": "Samen voorspellen",
        "lesson_goal": "Voorspellen",
        "teacher_id": str(s.teacher.id),
        "goal_id": str(s.goal_id),
        "date": "2026-11-27",
        f"visit_{s.visit_id}": "on",
    }

    def answers(csrf: str) -> list[int]:
        sent = {"csrf_token": csrf}
        calls = [
            ("GET", f"/boards/{s.w.board.id}/lesson-designs", None),
            ("POST", f"/boards/{s.w.board.id}/lesson-designs", {**sent, **new_design}),
            ("GET", url, None),
            # edited against a version long gone: 409 with the design as it is now
            ("POST", url, {**sent, "version": "99", "title": "X", "lesson_goal": "Y"}),
            ("POST", f"{url}/evaluation", {**sent, "worked": "Samen", "to_change": "Korter"}),
            ("POST", f"{url}/quality-card", {**sent, "subject": "nog een"}),  # it has one
            ("GET", f"/schools/{s.w.school.id}/kwaliteitskaarten", None),
        ]
        return [
            client.request(method, path, data=data, follow_redirects=False).status_code
            for method, path, data in calls
        ]

    def as_user(user) -> list[int]:
        client.cookies.clear()
        return answers(factory.login(user))

    may = [200, 303, 200, 409, 303, 409, 200]
    assert as_user(s.vera) == may
    for opener in (s.w.leader, s.w.admin):
        assert as_user(opener) == may, opener.name
    assert as_user(s.colleague) == [404] * 6 + [200]
    for outsider in (s.w.other_teacher, s.w.other_leader):
        assert as_user(outsider) == [404] * 7, outsider.name
    client.cookies.clear()
    assert answers("") == [303] * 7  # to the login page

    designs = factory.all(LessonDesign)
    assert len(designs) == 4  # the first, and one each by Vera, the leader and the admin
    assert factory.get(LessonDesign, design["id"]).title == "Voorspellen bij lezen"
    assert len(factory.all(QualityCard)) == 1
    client.cookies.clear()
    factory.login(s.colleague)
    assert client.get(f"/schools/{s.w.other_school.id}/kwaliteitskaarten").status_code == 404


def test_bad_input_is_refused_by_field(client, factory):
    s = School(client, factory)
    url = f"{API}/boards/{s.w.board.id}/lesson-designs"
    foreign_goal = client.post(
        f"{API}/boards/{s.w.outsider_board.id}/goals",
        json={"title": "Ander doel"},
        headers=s.api(s.w.leader),
    ).json()["id"]
    cases = [
        (s.body(title=""), "title", "string_too_short"),
        (s.body(lesson_goal=" "), "lesson_goal", "string_too_short"),
        (s.body(goal_id=foreign_goal), "goal_id", "unknown_goal"),
        (s.body(teacher_id=s.colleague.id), "teacher_id", "not_in_team"),
        (s.body(visit_ids=[999]), "visit_ids", "unknown_item"),
        (s.body(date="volgende week"), "date", "date_from_datetime_parsing"),
    ]
    for body, field, kind in cases:
        r = client.post(url, json=body, headers=s.api(s.teacher))
        assert r.status_code == 422, (body, r.text)
        assert r.json()["detail"][0]["loc"][-1] == field
        assert r.json()["detail"][0]["type"] == kind
    assert factory.all(LessonDesign) == []


def test_a_stale_edit_is_409_with_the_design_as_it_is_now(client, factory):
    s = School(client, factory)
    design = s.design()
    url = f"{API}/lesson-designs/{design['id']}"
    r = client.patch(url, json={"version": 1, "structure": "Eerst"}, headers=s.api(s.vera))
    assert r.status_code == 200
    r = client.patch(url, json={"version": 1, "structure": "Later"}, headers=s.api(s.teacher))
    assert r.status_code == 409 and r.json()["current"]["structure"] == "Eerst"
    assert factory.get(LessonDesign, design["id"]).structure == "Eerst"

    # the same on the web: the newest version is shown, with what happened above it
    csrf = factory.login(s.teacher)
    form = {
        "csrf_token": csrf,
        "version": "1",
        "title": "Voorspellen bij lezen",
        "lesson_goal": "Doel",
        "structure": "Web",
        "watch_for": "",
        "goal_id": "",
        "teacher_id": "",
        "date": "",
        "group": "",
    }
    r = client.post(f"/lesson-designs/{design['id']}", data=form)
    assert r.status_code == 409
    assert "Iemand anders heeft dit lesontwerp intussen aangepast." in r.text
    assert ">Eerst</textarea>" in r.text and 'name="version" value="2"' in r.text
    r = client.post(
        f"/lesson-designs/{design['id']}", data={**form, "version": "2"}, follow_redirects=False
    )
    assert r.status_code == 303
    saved = factory.get(LessonDesign, design["id"])
    assert saved.structure == "Web" and saved.date is None and saved.goal_id is None


def test_care_boards_have_no_lesson_designs_and_archived_boards_refuse_changes(client, factory):
    s = School(client, factory)
    design = s.design()
    ib = factory.user(s.w.school, Role.ib)
    care = factory.board(s.w.team, BoardKind.care, "Zorg", members=(ib, s.teacher))
    r = client.post(
        f"{API}/boards/{care.id}/lesson-designs", json=s.body(), headers=s.api(s.teacher)
    )
    assert r.status_code == 404
    factory.login(s.teacher)
    assert client.get(f"/boards/{care.id}/lesson-designs").status_code == 404
    assert "/lesson-designs" not in client.get(f"/boards/{care.id}").text

    url = f"{API}/lesson-designs/{design['id']}"
    client.post(f"{url}/evaluation", json=EVALUATION, headers=s.api(s.teacher))
    with factory.session() as db:
        board = db.get(Board, s.w.board.id)
        board.archived_at = clock.now()
        db.add(board)
        db.commit()
    assert client.get(url, headers=s.api(s.vera)).status_code == 200
    writes = [
        client.post(
            f"{API}/boards/{s.w.board.id}/lesson-designs", json=s.body(), headers=s.api(s.vera)
        ),
        client.patch(url, json={"version": 2, "title": "X"}, headers=s.api(s.vera)),
        client.post(f"{url}/evaluation", json=EVALUATION, headers=s.api(s.vera)),
        client.post(f"{url}/quality-card", json={"subject": "x"}, headers=s.api(s.vera)),
    ]
    assert [r.status_code for r in writes] == [409] * 4
    page = client.get(f"/lesson-designs/{design['id']}")
    assert page.status_code == 200 and "Maak kwaliteitskaart" not in page.text


def test_the_schools_cards_are_searchable(client, factory):
    s = School(client, factory)
    made = []
    for title, subject, worked in [
        ("Rekenen", "breuken in groep 6", "Pizza's tekenen"),
        ("Lezen", "woordenschat", "Eerst de plaatjes, 100% betrokken"),
    ]:
        design = s.design(title=title)
        url = f"{API}/lesson-designs/{design['id']}"
        client.post(
            f"{url}/evaluation", json={**EVALUATION, "worked": worked}, headers=s.api(s.vera)
        )
        r = client.post(f"{url}/quality-card", json={"subject": subject}, headers=s.api(s.vera))
        made.append(r.json()["id"])
    cards = f"{API}/schools/{s.w.school.id}/quality-cards"

    def found(q: str) -> list[int]:
        r = client.get(cards, params={"q": q}, headers=s.api(s.colleague))
        assert r.status_code == 200
        return [c["id"] for c in r.json()]

    assert found("") == made[::-1]  # newest first
    assert found("Breuken") == [made[0]]
    assert found("pizza") == [made[0]]
    assert found("100%") == [made[1]] and found("%") == [
        made[1]
    ]  # % is a character, not a wildcard
    assert found("geschiedenis") == []
    nul = client.get(cards, params={"q": "breuken\x00"}, headers=s.api(s.colleague))
    assert nul.status_code == 422  # never a 500, on PostgreSQL neither
    assert nul.json()["detail"][0]["loc"] == ["query", "q"]
    # another school has its own cards
    r = client.get(
        f"{API}/schools/{s.w.other_school.id}/quality-cards", headers=s.api(s.w.other_teacher)
    )
    assert r.json() == []

    factory.login(s.colleague)
    page = client.get(f"/schools/{s.w.school.id}/kwaliteitskaarten", params={"q": "breuken"})
    assert "Wat werkt bij breuken in groep 6" in page.text and "woordenschat" not in page.text
    page = client.get(f"/schools/{s.w.school.id}/kwaliteitskaarten", params={"q": "niets"})
    assert "Geen kwaliteitskaarten gevonden" in page.text


def test_on_the_web_from_the_planning_to_a_kwaliteitskaart(client, factory):
    s = School(client, factory)
    csrf = factory.login(s.vera)
    board = s.w.board.id
    page = client.get(f"/boards/{board}/lesson-designs")
    assert page.status_code == 200
    assert 'for="design-lesson_goal"' in page.text and f'name="visit_{s.visit_id}"' in page.text
    assert f'href="/schools/{s.w.school.id}/kwaliteitskaarten"' in page.text
    form = {
        "csrf_token": csrf,
        "title": "Voorspellen",
        "goal_id": str(s.goal_id),
        "lesson_goal": "",
        "structure": "",
        "watch_for": "",
        "teacher_id": str(s.teacher.id),
        "date": "2026-11-27",
        "group": "groep 6",
        f"visit_{s.visit_id}": "1",
    }
    r = client.post(f"/boards/{board}/lesson-designs", data=form)
    assert r.status_code == 422
    assert 'id="design-lesson_goal-error"' in r.text and "Vul dit veld in." in r.text
    assert 'value="groep 6"' in r.text  # what was typed stays
    r = client.post(
        f"/boards/{board}/lesson-designs",
        data={**form, "lesson_goal": "Voorspellen wat komt"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    design_id = int(re.search(r"/lesson-designs/(\d+)", r.headers["location"]).group(1))
    page = client.get(r.headers["location"])
    assert "Het lesontwerp is opgeslagen." in page.text
    assert "Lesbezoek: Vera Visited bij Tim Teacher" in page.text and KIJKVRAAG not in page.text
    assert factory.get(LessonDesign, design_id).group == "groep 6"

    url = f"/lesson-designs/{design_id}"
    r = client.post(f"{url}/evaluation", data={"csrf_token": csrf, "worked": "", "to_change": "x"})
    assert r.status_code == 422 and 'id="evaluation-worked-error"' in r.text
    r = client.post(
        f"{url}/evaluation", data={"csrf_token": csrf, **EVALUATION}, follow_redirects=False
    )
    assert r.status_code == 303
    page = client.get(url)
    assert "Maak kwaliteitskaart" in page.text and EVALUATION["worked"] in page.text
    r = client.post(f"{url}/quality-card", data={"csrf_token": csrf, "subject": "", "works": "x"})
    assert r.status_code == 422 and 'id="card-subject-error"' in r.text
    r = client.post(
        f"{url}/quality-card",
        data={"csrf_token": csrf, "subject": "voorspellen", "works": EVALUATION["worked"]},
    )
    assert r.status_code == 200 and "De kwaliteitskaart is gemaakt." in r.text
    cards = client.get(f"/schools/{s.w.school.id}/kwaliteitskaarten")
    assert "Wat werkt bij voorspellen" in cards.text

    # in English too
    client.post("/locale", data={"csrf_token": csrf, "locale": "en", "next": "/"})
    assert "Design a lesson together" in client.get(f"/boards/{board}").text
    english = client.get(url)
    assert "Lesson design: Voorspellen" in english.text and "Save evaluation" in english.text


def test_the_planning_line_reaches_members_and_display_screens_live(client, factory):
    s = School(client, factory)
    board_id = s.w.board.id
    r = client.post(
        f"{API}/boards/{board_id}/screens", json={"label": "tv"}, headers=s.api(s.teacher)
    )
    display = r.json()["path"]
    with (
        client.websocket_connect(f"/boards/{board_id}/ws", headers=s.api(s.vera)) as member,
        client.websocket_connect(display + "/ws") as screen,
    ):
        for ws in (member, screen):
            ws.send_text(json.dumps({"since": 0}))
        design = s.design(date="2026-12-02", title="Samen rekenen")
        line = "Lesontwerp: Samen rekenen"
        frame = frames_until(member, line)
        assert f'href="/lesson-designs/{design["id"]}"' in frame
        frame = frames_until(screen, line)
        assert "/lesson-designs/" not in frame  # a display screen shows it, links nothing
        assert KIJKVRAAG not in frame
