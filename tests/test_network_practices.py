"""Leernetwerken, further: a practice adopted as a goal, a practice shared from a
kwaliteitskaart (after a preview; nothing of a care board), and every role's reach on these."""

import pytest
from sqlmodel import select

from app.models import Adoption, BoardKind, Goal, LessonDesign, Practice, QualityCard
from tests.test_networks import API, CARE, PRIVATE, Net, count
from tests.test_realtime_ws import frames_until


@pytest.fixture
def net(client, factory) -> Net:
    return Net(client, factory)


def card(net: Net, board=None, school=None, **fields) -> QualityCard:
    """A kwaliteitskaart of the teacher's school, made from a design on `board`."""
    w = net.w
    design = LessonDesign(
        board_id=(board or w.board).id,
        title="Begrijpend lezen",
        lesson_goal="Leerlingen voorspellen wat er in de tekst komt",
        watch_for="Korte instructie",
    )
    net.f._save(design)
    row = QualityCard(
        school_id=(school or w.school).id,
        design_id=design.id,
        subject=fields.get("subject", "begrijpend lezen"),
        works=fields.get("works", "Eerst samen voorspellen, dan pas lezen."),
        watch_for=fields.get("watch_for", "Houd de instructie kort"),
        lesson_goal=fields.get("lesson_goal", "Voorspellen wat er komt"),
        team=fields.get("team", f"Bovenbouw {PRIVATE}"),
    )
    net.f._save(row)
    return row


# --- adopting as a goal -------------------------------------------------------------------------


def test_a_practice_is_adopted_as_a_goal_when_the_adopter_chooses_so(client, net):
    w = net.w
    practice = net.share(title="Leesplezier in groep 8")
    url = f"{API}/practices/{practice['id']}/adopt"
    r = client.post(
        url, json={"board_id": w.other_board.id, "as": "goal"}, headers=net.h(w.other_teacher)
    )
    assert r.status_code == 201, r.text
    goal = r.json()
    assert goal["title"] == "Leesplezier in groep 8" and goal["board_id"] == w.other_board.id
    assert goal["practice_id"] == practice["id"] and "measurements" in goal
    assert r.headers["X-Board-Version"]
    with net.f.session() as s:
        assert s.get(Goal, goal["id"]).board_id == w.other_board.id
        adoption = s.get(Adoption, goal["adoption_id"])
        assert adoption.goal_id == goal["id"] and adoption.action_id is None
    # the board shows the new goal; the practice counts the adoption as any other
    board = client.get(f"{API}/boards/{w.other_board.id}", headers=net.h(w.other_teacher))
    assert "Leesplezier in groep 8" in board.text
    listed = client.get(f"{API}/practices/{practice['id']}/adoptions", headers=net.h(w.teacher))
    assert [a["made"] for a in listed.json()] == ["goal"]
    again = client.get(f"{API}/practices/{practice['id']}", headers=net.h(w.teacher)).json()
    assert again["adoptions"] == 1
    # without `as` it is an action, as before; anything else is refused by name
    r = client.post(url, json={"board_id": w.board.id}, headers=net.h(w.teacher))
    assert r.status_code == 201 and "status" in r.json()
    r = client.post(url, json={"board_id": w.board.id, "as": "plan"}, headers=net.h(w.teacher))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "as"
    assert count(net.f, Adoption) == 2


def test_a_goal_is_never_made_on_a_care_board(client, net):
    w = net.w
    care_board = net.f.board(w.team, BoardKind.care, "Zorgbord", members=(w.teacher,))
    practice = net.share()
    r = client.post(
        f"{API}/practices/{practice['id']}/adopt",
        json={"board_id": care_board.id, "as": "goal"},
        headers=net.h(w.teacher),
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "board_id"
    assert count(net.f, Goal) == 0 and count(net.f, Adoption) == 0


def test_adopting_as_a_goal_on_the_web(client, net):
    w = net.w
    practice = net.share(title="Rekenmuur")
    csrf = net.f.login(w.other_teacher)
    page = client.get(f"/practices/{practice['id']}")
    assert 'name="as" value="goal"' in page.text
    r = client.post(
        f"/practices/{practice['id']}/adopt",
        data={"csrf_token": csrf, "board_id": str(w.other_board.id), "as": "goal"},
    )
    assert r.status_code == 200 and "als doel op je bord" in r.text
    with net.f.session() as s:
        adoption = s.exec(select(Adoption)).one()
        assert s.get(Goal, adoption.goal_id).title == "Rekenmuur"
    assert "Rekenmuur" in client.get(f"/boards/{w.other_board.id}").text


# --- sharing from a kwaliteitskaart -------------------------------------------------------------


def test_sharing_from_a_kwaliteitskaart_prefills_previews_and_shares_only_on_confirm(client, net):
    w = net.w
    made = card(net)
    csrf = net.f.login(w.teacher)
    cards = client.get(f"/schools/{w.school.id}/kwaliteitskaarten").text
    assert f'href="/networks/{net.id}/share?card_id={made.id}"' in cards
    page = client.get(f"/networks/{net.id}/share")
    assert "begrijpend lezen" in page.text  # offered as a start
    page = client.get(f"/networks/{net.id}/share", params={"card_id": made.id})
    assert page.status_code == 200
    assert "Eerst samen voorspellen, dan pas lezen." in page.text
    assert "Houd de instructie kort" in page.text
    assert PRIVATE not in page.text  # the team's name stays in the school
    assert count(net.f, Practice) == 0
    form = {
        "csrf_token": csrf,
        "title": "begrijpend lezen",
        "text": "Eerst samen voorspellen, dan pas lezen.",
        "needs": "Houd de instructie kort",
        "card_id": str(made.id),
    }
    preview = client.post(f"/networks/{net.id}/share", data={**form, "step": "preview"})
    assert preview.status_code == 200 and 'id="share-preview"' in preview.text
    assert "zonder naam van school of persoon" in preview.text
    assert w.school.name not in preview.text.split('id="share-preview"')[1].split("</article>")[0]
    assert count(net.f, Practice) == 0  # a preview writes nothing
    done = client.post(
        f"/networks/{net.id}/share", data={**form, "step": "confirm"}, follow_redirects=False
    )
    assert done.status_code == 303
    with net.f.session() as s:
        practice = s.exec(select(Practice)).one()
        assert practice.card_id == made.id and practice.school == "" and practice.person == ""
    net.f.login(w.other_teacher)
    shown = client.get(f"/networks/{net.id}").text
    assert "begrijpend lezen" in shown and PRIVATE not in shown


def test_a_card_names_its_school_only_when_chosen_and_is_for_its_school_only(client, net):
    w = net.w
    made = card(net)
    url = f"{API}/networks/{net.id}/practices"
    body = {"title": "Voorspellen", "text": "Eerst voorspellen", "card_id": made.id}
    r = client.post(url, json={**body, "name_school": True}, headers=net.h(w.teacher))
    assert r.status_code == 201 and r.json()["school"] == w.school.name
    assert r.json()["card_id"] == made.id and r.json()["person"] == ""
    # a member of the network at another school cannot share (or even see) this school's card
    r = client.post(url, json=body, headers=net.h(w.other_teacher))
    assert r.status_code == 404
    net.f.login(w.other_teacher)
    assert client.get(f"/networks/{net.id}/share", params={"card_id": made.id}).status_code == 404


def test_nothing_of_a_care_board_is_shared_from_a_card(client, net):
    w = net.w
    care_board = net.f.board(w.team, BoardKind.care, "Zorgbord", members=(w.teacher,))
    made = card(net, board=care_board, works=f"Over leerling L-0412 {CARE}")
    r = client.post(
        f"{API}/networks/{net.id}/practices",
        json={"title": "x", "text": "y", "card_id": made.id},
        headers=net.h(w.teacher),
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "card_id"
    csrf = net.f.login(w.teacher)
    page = client.get(f"/networks/{net.id}/share", params={"card_id": made.id})
    assert page.status_code == 422 and CARE not in page.text
    r = client.post(
        f"/networks/{net.id}/share",
        data={"csrf_token": csrf, "title": "x", "text": "y", "card_id": str(made.id)},
    )
    assert r.status_code == 422
    assert count(net.f, Practice) == 0


# --- live ---------------------------------------------------------------------------------------


def test_a_question_and_its_answer_appear_live_on_the_network_page(client, net):
    w = net.w
    with client.websocket_connect(f"/networks/{net.id}/ws", headers=net.h(w.teacher)) as screen:
        first = screen.receive_text()
        assert 'id="network-questions"' in first and "leesavond" not in first
        r = client.post(
            f"{API}/networks/{net.id}/questions",
            json={"text": "Hoe krijgen jullie ouders bij de leesavond?"},
            headers=net.h(w.other_teacher),
        )
        question = r.json()["id"]
        frame = frames_until(screen, "leesavond")
        assert f'id="question-{question}"' in frame
        r = client.post(
            f"{API}/questions/{question}/answers",
            json={"text": "Laat de kinderen zelf uitnodigen."},
            headers=net.h(w.teacher),
        )
        assert r.status_code == 201
        frame = frames_until(screen, "Laat de kinderen zelf uitnodigen.")
        # one frame for every member: "Dit hielp" comes hidden, the page shows it to the asker
        helpful = frame.split('class="inline-form helpful-form"')[1].split(">")[0]
        assert "hidden" in helpful
        answer = r.json()["answers"][0]["id"]
        r = client.post(f"{API}/answers/{answer}/helpful", headers=net.h(w.other_teacher))
        assert r.status_code == 200
        frame = frames_until(screen, "hielp</span>")
        assert "helpful-form" not in frame
    # on the page, only the asker is offered "Dit hielp" (before it was marked)
    r = client.post(
        f"{API}/networks/{net.id}/questions",
        json={"text": "Wie heeft een rekenmuur?"},
        headers=net.h(w.teacher),
    )
    question = r.json()["id"]
    client.post(
        f"{API}/questions/{question}/answers",
        json={"text": "Wij, in groep 5."},
        headers=net.h(w.other_teacher),
    )

    def offered(user) -> bool:
        net.f.login(user)
        page = client.get(f"/networks/{net.id}").text
        card = page.split(f'id="question-{question}"')[1].split("</li>\n  <li")[0]
        form = card.split('class="inline-form helpful-form"')[1].split(">")[0]
        return "hidden" not in form

    assert offered(w.teacher) and not offered(w.other_teacher)


def test_answering_through_htmx_puts_the_list_back_as_the_reader_sees_it(client, net):
    w = net.w
    r = client.post(
        f"{API}/networks/{net.id}/questions",
        json={"text": "Stilteplek: hoe richt je die in?"},
        headers=net.h(w.teacher),
    )
    question = r.json()["id"]
    csrf = net.f.login(w.other_teacher)
    r = client.post(
        f"/questions/{question}/answers",
        data={"text": "Met een koptelefoon en een kussen."},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert r.status_code == 200 and 'id="network-questions"' in r.text
    assert "Met een koptelefoon en een kussen." in r.text


# --- every role on every endpoint ---------------------------------------------------------------


def test_role_by_endpoint(client, net):
    """The member who may act gets the answer; a member of another school is refused a card of
    a school they are not in; whoever is not in the network gets 404; no one signed out."""
    w = net.w
    made = card(net)
    practice = net.share()
    r = client.post(
        f"{API}/networks/{net.id}/questions", json={"text": "Tips?"}, headers=net.h(w.teacher)
    )
    question = r.json()["id"]
    endpoints = {
        "adopt as goal": (
            f"{API}/practices/{practice['id']}/adopt",
            lambda user: {
                "board_id": (w.board if user == w.teacher else w.other_board).id,
                "as": "goal",
            },
        ),
        "share from a card": (
            f"{API}/networks/{net.id}/practices",
            lambda user: {"title": "Voorspellen", "text": "Eerst voorspellen", "card_id": made.id},
        ),
        "answer": (f"{API}/questions/{question}/answers", lambda user: {"text": "Zo doen wij het"}),
    }
    expected = {
        "adopt as goal": {"teacher": 201, "other_teacher": 201},
        "share from a card": {"teacher": 201, "other_teacher": 404},
        "answer": {"teacher": 201, "other_teacher": 201},
    }
    roles = {
        "teacher": w.teacher,
        "other_teacher": w.other_teacher,
        "leader": w.leader,
        "other_leader": w.other_leader,
        "admin": w.admin,
    }
    for name, (url, body) in endpoints.items():
        for role, user in roles.items():
            r = client.post(url, json=body(user), headers=net.h(user))
            assert r.status_code == expected[name].get(role, 404), (name, role, r.text)
        assert client.post(url, json=body(w.teacher)).status_code == 401, name
    # the share page from a card: the card's school's member only
    for role, user in roles.items():
        net.f.login(user)
        r = client.get(f"/networks/{net.id}/share", params={"card_id": made.id})
        assert r.status_code == (200 if role == "teacher" else 404), role


def test_a_search_with_a_nul_is_refused_naming_its_parameter(client, net):
    # PostgreSQL takes no NUL in a text: a search must not reach it with one (it answered 500)
    w = net.w
    url = f"{API}/networks/{net.id}/practices"
    body = {"title": "Voorspellen bij lezen", "text": "Eerst voorspellen", "theme": "lezen"}
    assert client.post(url, json=body, headers=net.h(w.teacher)).status_code == 201
    for name in ("q", "theme"):
        refused = client.get(url, params={name: "lezen\x00"}, headers=net.h(w.teacher))
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["query", name]
    found = client.get(url, params={"q": "voorspellen"}, headers=net.h(w.teacher))
    assert [p["title"] for p in found.json()] == ["Voorspellen bij lezen"]
