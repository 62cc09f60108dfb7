"""Leernetwerken: a network of people of several schools shares practices ("wat werkt"),
searches them in Dutch and adopts one as an action on a team board. A network is for its
members only (404 for anyone else on every channel); nothing of a care board is ever shared,
and a marker typed into a board is never seen in a network unless a member shares it."""

import pytest
from sqlmodel import select

from app.models import Action, Adoption, BoardKind, Practice, Role, Success
from tests.test_realtime_ws import frames_until, refusal

API = "/api/v1"
PRIVATE = "MARKER-TEAMBORD-PRIVE-5521"
CARE = "MARKER-ZORG-7713"


class Net:
    """De Regenboog's teacher facilitates a network; De Klimop's teacher is a member; the
    Regenboog's leader and the Klimop's leader are not (yet), nor is the admin."""

    def __init__(self, client, factory):
        self.c, self.f = client, factory
        self.w = w = factory.world()
        r = client.post(
            f"{API}/networks", json={"name": "Leesnetwerk regio"}, headers=self.h(w.teacher)
        )
        assert r.status_code == 201, r.text
        self.id = r.json()["id"]
        r = client.post(
            f"{API}/networks/{self.id}/members",
            json={"email": w.other_teacher.email},
            headers=self.h(w.teacher),
        )
        assert r.status_code == 201, r.text

    def h(self, user) -> dict[str, str]:
        return self.f.api(user)

    def success(self, text: str, board=None) -> int:
        s = Success(board_id=(board or self.w.board).id, text=text)
        self.f._save(s)
        return s.id

    def share(self, user=None, **body) -> dict:
        body = {"title": "Leesmaatjes", "text": "Groep 7 leest met groep 3.", **body}
        r = self.c.post(
            f"{API}/networks/{self.id}/practices", json=body, headers=self.h(user or self.w.teacher)
        )
        assert r.status_code == 201, r.text
        return r.json()


@pytest.fixture
def net(client, factory) -> Net:
    return Net(client, factory)


def count(factory, model) -> int:
    with factory.session() as s:
        return len(s.exec(select(model)).all())


def test_a_network_and_its_practices_are_for_members_only(client, net):
    w = net.w
    practice = net.share()
    urls = [
        f"{API}/networks/{net.id}",
        f"{API}/networks/{net.id}/members",
        f"{API}/networks/{net.id}/practices",
        f"{API}/practices/{practice['id']}",
        f"{API}/practices/{practice['id']}/adoptions",
    ]
    for member in (w.teacher, w.other_teacher):
        for url in urls:
            assert client.get(url, headers=net.h(member)).status_code == 200, url
    for outsider in (w.leader, w.other_leader, w.admin):
        for url in urls:
            assert client.get(url, headers=net.h(outsider)).status_code == 404, url
        writes = [
            (f"{API}/networks/{net.id}/members", {"email": outsider.email}),
            (f"{API}/networks/{net.id}/practices", {"title": "x", "text": "y"}),
            (f"{API}/practices/{practice['id']}/adopt", {"board_id": w.board.id}),
        ]
        for url, body in writes:
            assert client.post(url, json=body, headers=net.h(outsider)).status_code == 404, url
        listed = client.get(f"{API}/networks", headers=net.h(outsider)).json()
        assert listed == []
    for url in urls:
        assert client.get(url).status_code == 401
    assert client.post(f"{API}/networks", json={"name": "x"}).status_code == 401


def test_members_are_added_by_the_facilitator_or_a_leader_for_their_own_school(client, net):
    w = net.w
    url = f"{API}/networks/{net.id}/members"
    # a member who leads no school and does not facilitate cannot add anyone
    r = client.post(url, json={"email": w.leader.email}, headers=net.h(w.other_teacher))
    assert r.status_code == 404
    # the facilitator adds the Klimop's leader
    r = client.post(url, json={"email": w.other_leader.email.upper()}, headers=net.h(w.teacher))
    assert r.status_code == 201 and r.json()["name"] == w.other_leader.name
    # a leader adds their own school's people, not another school's
    klimop_colleague = net.f.user(w.other_school, Role.teacher, name="Karin Klimop")
    r = client.post(url, json={"email": w.leader.email}, headers=net.h(w.other_leader))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "email"
    r = client.post(url, json={"email": klimop_colleague.email}, headers=net.h(w.other_leader))
    assert r.status_code == 201
    r = client.post(url, json={"email": klimop_colleague.email}, headers=net.h(w.teacher))
    assert r.status_code == 422
    r = client.post(url, json={"email": "niemand@example.nl"}, headers=net.h(w.teacher))
    assert r.status_code == 422
    names = {m["name"] for m in client.get(url, headers=net.h(klimop_colleague)).json()}
    assert names == {w.teacher.name, w.other_teacher.name, w.other_leader.name, "Karin Klimop"}


def test_sharing_keeps_only_what_the_member_wrote_and_names_only_when_chosen(client, net):
    w = net.w
    success_id = net.success(f"Leesmaatjes werkt! {PRIVATE}")
    anonymous = net.share(success_id=success_id)
    assert anonymous["success_id"] == success_id
    assert anonymous["school"] == "" and anonymous["person"] == ""
    named = net.share(name_school=True, name_person=True, sector="po", theme="Lezen")
    assert named["school"] == w.school.name and named["person"] == w.teacher.name
    # the private text of the success stays on the team board: not in any network answer
    for url in (
        f"{API}/networks/{net.id}/practices",
        f"{API}/practices/{anonymous['id']}",
    ):
        assert PRIVATE not in client.get(url, headers=net.h(w.other_teacher)).text
    # a success of a board the member cannot open is out of reach
    other = net.success("Elders", board=w.other_board)
    r = client.post(
        f"{API}/networks/{net.id}/practices",
        json={"title": "x", "text": "y", "success_id": other},
        headers=net.h(w.teacher),
    )
    assert r.status_code == 404


def test_nothing_of_a_care_board_can_be_shared(client, net):
    w = net.w
    care_board = net.f.board(w.team, BoardKind.care, "Zorgbord", members=(w.teacher,))
    care_success = net.success(f"Leerling X leest beter {CARE}", board=care_board)
    before = count(net.f, Practice)
    r = client.post(
        f"{API}/networks/{net.id}/practices",
        json={"title": "Zorg", "text": "Wat werkte", "success_id": care_success},
        headers=net.h(w.teacher),
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "success_id"
    assert count(net.f, Practice) == before
    practice = net.share()
    r = client.post(
        f"{API}/practices/{practice['id']}/adopt",
        json={"board_id": care_board.id},
        headers=net.h(w.teacher),
    )
    assert r.status_code == 422
    assert count(net.f, Adoption) == 0
    listed = client.get(f"{API}/networks/{net.id}/practices", headers=net.h(w.teacher)).text
    assert CARE not in listed


def test_lezen_finds_leesmaatjes_and_gelezen_in_dutch(client, net):
    net.share(title="Leesmaatjes", text="Bovenbouw en onderbouw samen.")
    net.share(title="Boekenkring", text="Wat we gelezen hebben bespreken we in de kring.")
    net.share(title="Rekenen met geld", text="Een winkeltje in de klas.")

    def titles(q: str) -> set[str]:
        r = client.get(
            f"{API}/networks/{net.id}/practices",
            params={"q": q},
            headers=net.h(net.w.other_teacher),
        )
        assert r.status_code == 200, r.text
        return {p["title"] for p in r.json()}

    assert titles("lezen") == {"Leesmaatjes", "Boekenkring"}
    assert titles("winkel") == {"Rekenen met geld"}
    assert titles("gelezen kring") == {"Boekenkring"}
    assert titles("zwemmen") == set()
    # no words to look for (or only symbols of the search syntax): everything, never a 500
    assert len(titles('" * : & ! ( )')) == 3
    assert titles("AND OR NEAR") == set()


def test_adopting_makes_an_action_on_my_board_linked_to_the_practice(client, net):
    w = net.w
    practice = net.share(title="Leesmaatjes")
    r = client.post(
        f"{API}/practices/{practice['id']}/adopt",
        json={"board_id": w.other_board.id},
        headers=net.h(w.other_teacher),
    )
    assert r.status_code == 201, r.text
    action = r.json()
    assert action["title"] == "Leesmaatjes" and action["board_id"] == w.other_board.id
    assert action["practice_id"] == practice["id"]
    with net.f.session() as s:
        assert s.get(Action, action["id"]).board_id == w.other_board.id
    again = client.get(f"{API}/practices/{practice['id']}", headers=net.h(w.teacher)).json()
    assert again["adoptions"] == 1
    # a board the adopter cannot open is out of reach
    r = client.post(
        f"{API}/practices/{practice['id']}/adopt",
        json={"board_id": w.board.id},
        headers=net.h(w.other_teacher),
    )
    assert r.status_code == 404
    # how it went: by the adopter only
    url = f"{API}/adoptions/{action['adoption_id']}"
    story = {"how_it_went": "Bij ons werkte het ook!"}
    assert client.patch(url, json=story, headers=net.h(w.teacher)).status_code == 404
    r = client.patch(url, json=story, headers=net.h(w.other_teacher))
    assert r.status_code == 200 and r.json()["mine"] is True
    told = client.get(f"{API}/practices/{practice['id']}/adoptions", headers=net.h(w.teacher))
    assert told.json()[0]["how_it_went"] == "Bij ons werkte het ook!"


# --- the web pages ------------------------------------------------------------------------------


def test_sharing_on_the_web_shows_a_preview_first_and_names_only_when_chosen(client, net):
    w = net.w
    success_id = net.success(f"Leesmaatjes: groep 7 leest voor aan groep 3 {PRIVATE}")
    csrf = net.f.login(w.teacher)
    page = client.get(f"/networks/{net.id}/share?success_id={success_id}")
    assert page.status_code == 200 and "Leesmaatjes: groep 7" in page.text
    form = {
        "csrf_token": csrf,
        "title": "Leesmaatjes",
        "text": "Groep 7 leest voor aan groep 3",
        "strength": "Oudere kinderen voelen zich verantwoordelijk",
        "success_id": str(success_id),
        "name_school": "true",
    }
    preview = client.post(f"/networks/{net.id}/share", data={**form, "step": "preview"})
    assert preview.status_code == 200
    assert 'id="share-preview"' in preview.text and w.school.name in preview.text
    assert count(net.f, Practice) == 0  # a preview writes nothing
    done = client.post(
        f"/networks/{net.id}/share", data={**form, "step": "confirm"}, follow_redirects=False
    )
    assert done.status_code == 303
    practice_url = done.headers["location"].split("?")[0]
    # the other school's member reads it, without the private text of the board
    net.f.login(w.other_teacher)
    page = client.get(f"/networks/{net.id}")
    assert "Leesmaatjes" in page.text and PRIVATE not in page.text
    assert client.get(practice_url).text.count("Oudere kinderen") == 1
    found = client.get(f"/networks/{net.id}", params={"q": "lezen"}).text
    assert "Leesmaatjes" in found


def test_a_care_success_is_refused_on_the_share_page(client, net):
    w = net.w
    care_board = net.f.board(w.team, BoardKind.care, "Zorgbord", members=(w.teacher,))
    care_success = net.success(f"Over een leerling {CARE}", board=care_board)
    csrf = net.f.login(w.teacher)
    page = client.get(f"/networks/{net.id}/share?success_id={care_success}")
    assert page.status_code == 422 and CARE not in page.text
    r = client.post(
        f"/networks/{net.id}/share",
        data={
            "csrf_token": csrf,
            "title": "x",
            "text": "y",
            "success_id": str(care_success),
            "step": "confirm",
        },
    )
    assert r.status_code == 422 and count(net.f, Practice) == 0


def test_adopting_on_the_web_and_telling_how_it_went(client, net):
    w = net.w
    practice = net.share(title="Leesmaatjes")
    csrf = net.f.login(w.other_teacher)
    page = client.get(f"/practices/{practice['id']}")
    assert page.status_code == 200 and w.other_board.title in page.text
    r = client.post(
        f"/practices/{practice['id']}/adopt",
        data={"csrf_token": csrf, "board_id": str(w.other_board.id)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    with net.f.session() as s:
        adoption = s.exec(select(Adoption)).one()
        assert s.get(Action, adoption.action_id).board_id == w.other_board.id
    r = client.post(
        f"/adoptions/{adoption.id}/story",
        data={"csrf_token": csrf, "how_it_went": "Bij ons ook een succes"},
    )
    assert r.status_code == 200 and "Bij ons ook een succes" in r.text


def test_the_pages_are_for_members_only(client, net):
    practice = net.share()
    net.f.login(net.w.other_leader)
    for url in (f"/networks/{net.id}", f"/networks/{net.id}/share", f"/practices/{practice['id']}"):
        assert client.get(url).status_code == 404, url
    assert "Leesnetwerk regio" not in client.get("/networks").text


# --- live ---------------------------------------------------------------------------------------


def test_a_practice_shared_from_a_success_appears_live_at_another_school(client, net):
    w = net.w
    success_id = net.success(f"Leesmaatjes loopt goed {PRIVATE}")
    url = f"/networks/{net.id}/ws"
    with client.websocket_connect(url, headers=net.h(w.other_teacher)) as klimop:
        first = klimop.receive_text()
        assert 'id="network-practices"' in first and "Leesmaatjes" not in first
        net.share(
            title="Leesmaatjes", text="Groep 7 leest voor aan groep 3.", success_id=success_id
        )
        frame = frames_until(klimop, "Leesmaatjes")
        assert "Groep 7 leest voor" in frame and PRIVATE not in frame
        # an adoption elsewhere moves the count on every open screen
        practice = client.get(f"{API}/networks/{net.id}/practices", headers=net.h(w.teacher))
        r = client.post(
            f"{API}/practices/{practice.json()[0]['id']}/adopt",
            json={"board_id": w.board.id},
            headers=net.h(w.teacher),
        )
        assert r.status_code == 201
        frames_until(klimop, "1 team pakte het op")
    # the private board's marker was never on the network page
    net.f.login(w.other_teacher)
    assert PRIVATE not in client.get(f"/networks/{net.id}").text


def test_a_non_member_gets_404_on_page_api_and_websocket(client, net):
    practice = net.share()
    outsider = net.w.other_leader
    assert refusal(client, f"/networks/{net.id}/ws", net.h(outsider)) == 404
    assert refusal(client, f"/networks/{net.id}/ws") == 404
    assert refusal(client, "/networks/999999/ws", net.h(net.w.teacher)) == 404
    assert (
        client.get(f"{API}/practices/{practice['id']}", headers=net.h(outsider)).status_code == 404
    )
    net.f.login(outsider)
    assert client.get(f"/networks/{net.id}").status_code == 404


# --- questions ----------------------------------------------------------------------------------


def test_a_question_is_answered_and_the_asker_marks_what_helped(client, net):
    w = net.w
    r = client.post(
        f"{API}/networks/{net.id}/questions",
        json={"text": "Hoe krijgen jullie ouders bij de leesavond?"},
        headers=net.h(w.teacher),
    )
    assert r.status_code == 201, r.text
    question = r.json()
    r = client.post(
        f"{API}/questions/{question['id']}/answers",
        json={"text": "Laat de kinderen zelf uitnodigen."},
        headers=net.h(w.other_teacher),
    )
    assert r.status_code == 201
    answer = r.json()["answers"][0]
    # only the asker marks what helped; outsiders reach nothing
    helpful = f"{API}/answers/{answer['id']}/helpful"
    assert client.post(helpful, headers=net.h(w.other_teacher)).status_code == 404
    for outsider in (w.other_leader, w.admin):
        h = net.h(outsider)
        assert client.get(f"{API}/networks/{net.id}/questions", headers=h).status_code == 404
        assert client.post(helpful, headers=h).status_code == 404
        r = client.post(f"{API}/questions/{question['id']}/answers", json={"text": "x"}, headers=h)
        assert r.status_code == 404
    r = client.post(helpful, headers=net.h(w.teacher))
    assert r.status_code == 200 and r.json()["answers"][0]["helpful"] is True
    # on the page, in the other school's member's view
    net.f.login(w.other_teacher)
    page = client.get(f"/networks/{net.id}").text
    assert "Laat de kinderen zelf uitnodigen." in page and "herkenbare leerling" in page


def test_the_api_takes_the_naming_choices_as_json_booleans_only(client, net):
    body = {"title": "Leesmaatjes", "text": "Groep 7 leest met groep 3.", "name_person": 0}
    r = client.post(f"{API}/networks/{net.id}/practices", json=body, headers=net.h(net.w.teacher))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "name_person"
