"""Bijeenkomsten of a leernetwerk: the facilitator plans one; members say what they bring and
fetch; that is the agenda, in the facilitator's order; it is mailed to every member in their
language, runs on a shared screen with a timer per part and ends in a summary by mail and
agreements a team adopts onto its own board. Members only: 404 for anyone else."""

import pytest
from sqlmodel import select

from app.models import Action, BoardKind, User
from tests.mailbox import parts
from tests.test_networks import API, Net
from tests.test_realtime_ws import frames_until, refusal


@pytest.fixture
def settings(settings, mailbox):
    return settings.model_copy(update={"smtp_url": mailbox.url, "mail_retry_seconds": 0.2})


class Meet(Net):
    """The network of tests/test_networks.py (the Regenboog's teacher facilitates, the Klimop's
    teacher is a member), with one planned meeting."""

    def __init__(self, client, factory):
        super().__init__(client, factory)
        r = client.post(
            f"{API}/networks/{self.id}/meetings",
            json={"date": "2026-12-10", "start_time": "15:30", "theme": "Begrijpend lezen"},
            headers=self.h(self.w.teacher),
        )
        assert r.status_code == 201, r.text
        self.meeting = r.json()
        self.mid = self.meeting["id"]

    def bring(self, user, kind: str, text: str) -> dict:
        r = self.c.post(
            f"{API}/meetings/{self.mid}/contributions",
            json={"kind": kind, "text": text},
            headers=self.h(user),
        )
        assert r.status_code == 201, r.text
        return r.json()

    def read(self, user=None) -> dict:
        r = self.c.get(f"{API}/meetings/{self.mid}", headers=self.h(user or self.w.teacher))
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def meet(client, factory) -> Meet:
    return Meet(client, factory)


def test_the_agenda_gathers_what_members_bring_and_fetch_in_the_facilitators_order(client, meet):
    w = meet.w
    assert meet.meeting["host_school"] in (w.school.name, w.other_school.name)
    brought = meet.bring(w.other_teacher, "bring", "Leesmaatjes in groep 7")
    fetched = meet.bring(w.teacher, "fetch", "Hoe houden jullie de leesmotivatie vast?")
    practice = meet.share(title="Boekenkring")
    r = client.post(
        f"{API}/meetings/{meet.mid}/contributions",
        json={"kind": "bring", "practice_id": practice["id"]},
        headers=meet.h(w.teacher),
    )
    assert r.status_code == 201 and r.json()["text"] == "Boekenkring"
    linked = r.json()
    agenda = meet.read(w.other_teacher)["agenda"]
    assert [(p["kind"], p["text"], p["name"]) for p in agenda] == [
        ("bring", "Leesmaatjes in groep 7", w.other_teacher.name),
        ("fetch", "Hoe houden jullie de leesmotivatie vast?", w.teacher.name),
        ("bring", "Boekenkring", w.teacher.name),
    ]
    # the facilitator orders it; the order holds for every member
    version = meet.read()["version"]
    order = [fetched["id"], linked["id"], brought["id"]]
    r = client.put(
        f"{API}/meetings/{meet.mid}/agenda",
        json={"version": version, "order": order},
        headers=meet.h(w.teacher),
    )
    assert r.status_code == 200, r.text
    assert [p["id"] for p in meet.read(w.other_teacher)["agenda"]] == order
    # ordering from a version read before that: 409, nothing moves
    r = client.put(
        f"{API}/meetings/{meet.mid}/agenda",
        json={"version": version, "order": list(reversed(order))},
        headers=meet.h(w.teacher),
    )
    assert r.status_code == 409
    assert [p["id"] for p in meet.read()["agenda"]] == order
    # an order that leaves a part out: 422 naming the field
    r = client.put(
        f"{API}/meetings/{meet.mid}/agenda",
        json={"version": meet.read()["version"], "order": order[:2]},
        headers=meet.h(w.teacher),
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "order"
    # a member withdraws their own, not someone else's
    url = f"{API}/contributions/{brought['id']}"
    assert client.delete(url, headers=meet.h(w.teacher)).status_code == 404
    assert client.delete(url, headers=meet.h(w.other_teacher)).status_code == 204
    assert [p["id"] for p in meet.read()["agenda"]] == order[:2]


def test_only_the_facilitator_plans_orders_sends_and_runs(client, meet):
    w = meet.w
    part = meet.bring(w.other_teacher, "fetch", "Vraag")
    member = meet.h(w.other_teacher)
    version = meet.read()["version"]
    refused = [
        ("POST", f"{API}/networks/{meet.id}/meetings", {"date": "2027-01-10"}),
        ("PUT", f"{API}/meetings/{meet.mid}/agenda", {"version": version, "order": [part["id"]]}),
        ("POST", f"{API}/meetings/{meet.mid}/agenda/send", None),
        ("POST", f"{API}/meetings/{meet.mid}/start", None),
        ("POST", f"{API}/meetings/{meet.mid}/next", None),
        ("POST", f"{API}/meetings/{meet.mid}/end", None),
    ]
    for method, url, body in refused:
        r = client.request(method, url, json=body, headers=member)
        assert r.status_code == 404, (method, url)
    assert meet.read()["status"] == "planned" and meet.read()["version"] == version
    # a host school no member works at is refused, naming the field
    outside = meet.f.school("De Linde")
    r = client.post(
        f"{API}/networks/{meet.id}/meetings",
        json={"date": "2027-01-10", "host_school_id": outside.id},
        headers=meet.h(w.teacher),
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "host_school_id"


def test_the_host_goes_round_the_member_schools_in_turn(client, meet):
    first = meet.meeting["host_school"]
    hosts = [first]
    for day in ("2027-01-14", "2027-02-11"):
        r = client.post(
            f"{API}/networks/{meet.id}/meetings",
            json={"date": day},
            headers=meet.h(meet.w.teacher),
        )
        assert r.status_code == 201, r.text
        hosts.append(r.json()["host_school"])
    assert hosts[0] != hosts[1] and hosts[2] == hosts[0]
    assert set(hosts) == {meet.w.school.name, meet.w.other_school.name}


def test_non_members_get_404_on_every_meeting_endpoint(client, meet):
    w = meet.w
    part = meet.bring(w.other_teacher, "bring", "Leesmaatjes")
    r = client.post(
        f"{API}/meetings/{meet.mid}/agreements",
        json={"text": "Leesmaatjes uitproberen"},
        headers=meet.h(w.teacher),
    )
    agreement = r.json()
    calls = [
        ("GET", f"{API}/networks/{meet.id}/meetings", None),
        ("POST", f"{API}/networks/{meet.id}/meetings", {"date": "2027-01-10"}),
        ("GET", f"{API}/meetings/{meet.mid}", None),
        ("PATCH", f"{API}/meetings/{meet.mid}", {"notes": "x"}),
        ("POST", f"{API}/meetings/{meet.mid}/contributions", {"kind": "bring", "text": "x"}),
        ("PATCH", f"{API}/contributions/{part['id']}", {"note": "x"}),
        ("DELETE", f"{API}/contributions/{part['id']}", None),
        ("PUT", f"{API}/meetings/{meet.mid}/agenda", {"version": 1, "order": [part["id"]]}),
        ("POST", f"{API}/meetings/{meet.mid}/agenda/send", None),
        ("POST", f"{API}/meetings/{meet.mid}/start", None),
        ("POST", f"{API}/meetings/{meet.mid}/next", None),
        ("POST", f"{API}/meetings/{meet.mid}/end", None),
        ("POST", f"{API}/meetings/{meet.mid}/agreements", {"text": "x"}),
        ("POST", f"{API}/meeting-agreements/{agreement['id']}/adopt", {"board_id": w.board.id}),
    ]
    before = meet.read()
    for outsider in (w.leader, w.other_leader, w.admin):
        for method, url, body in calls:
            r = client.request(method, url, json=body, headers=meet.h(outsider))
            assert r.status_code == 404, (outsider.name, method, url)
    for method, url, body in calls:
        assert client.request(method, url, json=body).status_code == 401, url
    assert meet.read() == before
    # the live channel and the pages
    assert refusal(client, f"/networks/{meet.id}/ws", meet.h(w.other_leader)) == 404
    csrf = meet.f.login(w.other_leader)
    for url in (f"/meetings/{meet.mid}", f"/meetings/{meet.mid}/screen"):
        assert client.get(url).status_code == 404, url
    posts = [
        (f"/networks/{meet.id}/meetings", {"date": "2027-01-10"}),
        (f"/meetings/{meet.mid}/contributions", {"kind": "bring", "text": "x"}),
        (f"/contributions/{part['id']}/withdraw", {}),
        (f"/contributions/{part['id']}/move", {"to": "up", "version": "1"}),
        (f"/contributions/{part['id']}/note", {"note": "x"}),
        (f"/meetings/{meet.mid}/send", {}),
        (f"/meetings/{meet.mid}/start", {}),
        (f"/meetings/{meet.mid}/next", {}),
        (f"/meetings/{meet.mid}/end", {}),
        (f"/meetings/{meet.mid}/notes", {"notes": "x"}),
        (f"/meetings/{meet.mid}/agreements", {"text": "x"}),
        (f"/meeting-agreements/{agreement['id']}/adopt", {"board_id": str(w.board.id)}),
    ]
    for url, form in posts:
        r = client.post(url, data={"csrf_token": csrf, **form})
        assert r.status_code == 404, url
    assert meet.read() == before


def test_the_agenda_mail_reaches_every_member_in_their_language(client, meet, mailbox):
    w = meet.w
    with meet.f.session() as s:
        klimop = s.get(User, w.other_teacher.id)
        klimop.locale = "en"
        s.add(klimop)
        s.commit()
    meet.bring(w.other_teacher, "bring", "Leesmaatjes in groep 7")
    meet.bring(w.teacher, "fetch", "Hoe houden jullie de motivatie vast?")
    r = client.post(f"{API}/meetings/{meet.mid}/agenda/send", headers=meet.h(w.teacher))
    assert r.status_code == 200 and r.json() == {"sent": 2}
    by_recipient = {m["To"]: m for m in mailbox.wait_for(2)}
    dutch = by_recipient[w.teacher.email]
    english = by_recipient[w.other_teacher.email]
    assert dutch["Subject"].startswith("Agenda bijeenkomst Leesnetwerk regio")
    assert english["Subject"].startswith("Meeting agenda Leesnetwerk regio")
    text, html = parts(english)
    assert "Brings: Leesmaatjes in groep 7" in text
    assert "Fetches: Hoe houden jullie de motivatie vast?" in text
    assert "Leesmaatjes in groep 7" in html
    text, _html = parts(dutch)
    assert "Brengt: Leesmaatjes in groep 7" in text and f"/meetings/{meet.mid}" in text


def test_running_a_meeting_ends_in_a_summary_by_mail(client, meet, mailbox):
    w = meet.w
    with meet.f.session() as s:
        klimop = s.get(User, w.other_teacher.id)
        klimop.locale = "en"
        s.add(klimop)
        s.commit()
    first = meet.bring(w.other_teacher, "bring", "Leesmaatjes")
    meet.bring(w.teacher, "fetch", "Ouders bij de leesavond")
    h = meet.h(w.teacher)
    r = client.post(f"{API}/meetings/{meet.mid}/next", headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "status"
    # a meeting that never started has nothing to summarise: nobody gets a mail
    r = client.post(f"{API}/meetings/{meet.mid}/end", headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "status"
    assert client.post(f"{API}/meetings/{meet.mid}/start", headers=h).json()["status"] == "running"
    r = client.patch(
        f"{API}/contributions/{first['id']}",
        json={"note": "Twee scholen gaan het proberen"},
        headers=meet.h(w.other_teacher),
    )
    assert r.status_code == 200
    r = client.post(f"{API}/meetings/{meet.mid}/next", headers=h)
    assert r.json()["current_part"] == 1 and r.json()["agenda"][0]["covered"] is True
    r = client.post(
        f"{API}/meetings/{meet.mid}/agreements", json={"text": "Leesmaatjes in januari"}, headers=h
    )
    assert r.status_code == 201
    r = client.post(f"{API}/meetings/{meet.mid}/end", headers=h)
    assert r.json()["status"] == "ended"
    by_recipient = {m["To"]: m for m in mailbox.wait_for(2)}
    assert set(by_recipient) == {w.teacher.email, w.other_teacher.email}
    dutch, english = by_recipient[w.teacher.email], by_recipient[w.other_teacher.email]
    text, _html = parts(dutch)
    assert dutch["Subject"].startswith("Verslag bijeenkomst")
    assert "Twee scholen gaan het proberen" in text and "Leesmaatjes in januari" in text
    text, html = parts(english)
    assert english["Subject"].startswith("Meeting summary")
    assert "Agreements:" in text and "Leesmaatjes in januari" in html
    # ending again sends nothing more
    assert client.post(f"{API}/meetings/{meet.mid}/end", headers=h).status_code == 200


def test_an_agreement_is_adopted_onto_the_adopters_own_team_board(client, meet):
    w = meet.w
    r = client.post(
        f"{API}/meetings/{meet.mid}/agreements",
        json={"text": "Leesmaatjes in januari"},
        headers=meet.h(w.teacher),
    )
    url = f"{API}/meeting-agreements/{r.json()['id']}/adopt"
    r = client.post(url, json={"board_id": w.other_board.id}, headers=meet.h(w.other_teacher))
    assert r.status_code == 201, r.text
    assert (
        r.json()["board_id"] == w.other_board.id and r.json()["title"] == "Leesmaatjes in januari"
    )
    assert r.headers.get("X-Board-Version")
    with meet.f.session() as s:
        assert s.get(Action, r.json()["id"]).board_id == w.other_board.id
    assert meet.read()["agreements"][0]["adoptions"] == 1
    # a board outside the adopter's reach: 404; a care board: 422; nothing is made
    r = client.post(url, json={"board_id": w.board.id}, headers=meet.h(w.other_teacher))
    assert r.status_code == 404
    care = meet.f.board(w.team, BoardKind.care, "Zorgbord", members=(w.teacher,))
    r = client.post(url, json={"board_id": care.id}, headers=meet.h(w.teacher))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "board_id"
    with meet.f.session() as s:
        assert len(s.exec(select(Action)).all()) == 1


# --- the web pages and the live channel ---------------------------------------------------------


def test_on_the_web_members_bring_and_fetch_and_the_facilitator_orders_by_buttons(client, meet):
    w = meet.w
    csrf = meet.f.login(w.other_teacher)
    r = client.post(
        f"/meetings/{meet.mid}/contributions",
        data={"csrf_token": csrf, "kind": "bring", "text": "Leesmaatjes in groep 7"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.post(
        f"/meetings/{meet.mid}/contributions",
        data={"csrf_token": csrf, "kind": "fetch", "text": ""},
    )
    assert r.status_code == 422 and "Zeg wat je brengt of haalt" in r.text
    page = client.get(f"/meetings/{meet.mid}").text
    assert "Leesmaatjes in groep 7" in page and "Volgorde van de agenda" not in page
    # a member who does not facilitate has no ordering: the button's address is out of reach
    brought = meet.read()["agenda"][0]
    version = meet.read()["version"]
    r = client.post(
        f"/contributions/{brought['id']}/move",
        data={"csrf_token": csrf, "to": "down", "version": str(version)},
    )
    assert r.status_code == 404
    csrf = meet.f.login(w.teacher)
    client.post(
        f"/meetings/{meet.mid}/contributions",
        data={"csrf_token": csrf, "kind": "fetch", "text": "Ouders bij de leesavond"},
    )
    page = client.get(f"/meetings/{meet.mid}").text
    assert "Volgorde van de agenda" in page and 'name="to" value="up"' in page
    fetched = meet.read()["agenda"][1]
    r = client.post(
        f"/contributions/{fetched['id']}/move",
        data={"csrf_token": csrf, "to": "up", "version": str(meet.read()["version"])},
        follow_redirects=False,
    )
    assert r.status_code == 303 and f"moved={fetched['id']}" in r.headers["location"]
    # the moved part's button keeps the keyboard focus on the page it comes back to
    page = client.get(r.headers["location"]).text
    assert "autofocus" in page
    assert [p["id"] for p in meet.read()["agenda"]] == [fetched["id"], brought["id"]]
    # the same button on a page read before the move: 409, the page as it is now
    r = client.post(
        f"/contributions/{fetched['id']}/move",
        data={"csrf_token": csrf, "to": "down", "version": str(version)},
    )
    assert r.status_code == 409 and "intussen veranderd" in r.text
    assert [p["id"] for p in meet.read()["agenda"]] == [fetched["id"], brought["id"]]
    # that page's buttons carry the agenda's version as it stands: the next click works
    current = meet.read()["version"]
    assert f'name="version" value="{current}"' in r.text
    assert f'name="version" value="{current + 1}"' not in r.text
    r = client.post(
        f"/contributions/{fetched['id']}/move",
        data={"csrf_token": csrf, "to": "down", "version": str(current)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert [p["id"] for p in meet.read()["agenda"]] == [brought["id"], fetched["id"]]
    # once the meeting runs, a part under way stays: the page says so in words
    assert client.post(f"{API}/meetings/{meet.mid}/start", headers=meet.h(w.teacher))
    # the page offers no button that would move the part under way or put one above it
    page = client.get(f"/meetings/{meet.mid}").text
    assert 'name="to"' not in page
    r = client.post(
        f"/contributions/{fetched['id']}/move",
        data={"csrf_token": csrf, "to": "up", "version": str(meet.read()["version"])},
    )
    assert r.status_code == 422 and "houdt zijn plek" in r.text


def test_on_the_web_a_meeting_is_planned_run_and_an_agreement_adopted(client, meet):
    w = meet.w
    csrf = meet.f.login(w.teacher)
    page = client.get(f"/networks/{meet.id}").text
    assert "Een bijeenkomst plannen" in page and "Begrijpend lezen" in page
    r = client.post(
        f"/networks/{meet.id}/meetings",
        data={"csrf_token": csrf, "date": "2027-01-14", "start_time": "25:00"},
    )
    assert r.status_code == 422 and "15:30" in r.text
    r = client.post(
        f"/networks/{meet.id}/meetings",
        data={"csrf_token": csrf, "date": "2027-01-14", "theme": "Rekenen"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    meet.bring(w.other_teacher, "bring", "Leesmaatjes")
    for what in ("start",):
        assert (
            client.post(f"/meetings/{meet.mid}/{what}", data={"csrf_token": csrf}).status_code
            == 200
        )
    r = client.post(
        f"/meetings/{meet.mid}/notes", data={"csrf_token": csrf, "notes": "Volgende keer: rekenen"}
    )
    assert r.status_code == 200 and meet.read()["notes"] == "Volgende keer: rekenen"
    r = client.post(f"/meetings/{meet.mid}/notes", data={"csrf_token": csrf, "notes": "x" * 2001})
    assert r.status_code == 422 and meet.read()["notes"] == "Volgende keer: rekenen"
    screen = client.get(f"/meetings/{meet.mid}/screen").text
    assert 'id="session-clock"' in screen and "Leesmaatjes" in screen
    assert 'data-seconds="900"' in screen
    r = client.post(
        f"/meetings/{meet.mid}/agreements",
        data={"csrf_token": csrf, "text": "Leesmaatjes in januari"},
    )
    assert r.status_code == 200 and "Overnemen op ons bord" in r.text
    agreement = meet.read()["agreements"][0]
    r = client.post(
        f"/meeting-agreements/{agreement['id']}/adopt",
        data={"csrf_token": csrf, "board_id": str(w.board.id)},
    )
    assert r.status_code == 200 and "Overgenomen" in r.text
    with meet.f.session() as s:
        assert [a.board_id for a in s.exec(select(Action))] == [w.board.id]
    # the other school's member sees neither start nor end buttons, and cannot use them
    member_csrf = meet.f.login(w.other_teacher)
    page = client.get(f"/meetings/{meet.mid}").text
    assert "Bijeenkomst afronden" not in page and "Overnemen op ons bord" in page
    for what in ("send", "start", "next", "end"):
        r = client.post(f"/meetings/{meet.mid}/{what}", data={"csrf_token": member_csrf})
        assert r.status_code == 404, what
    assert meet.read()["status"] == "running"


def test_the_meeting_follows_live_on_the_shared_screen(client, meet):
    w = meet.w
    with client.websocket_connect(f"/networks/{meet.id}/ws", headers=meet.h(w.other_teacher)) as ws:
        first = ws.receive_text()
        assert f'id="meeting-live-{meet.mid}"' in first and 'id="network-meetings"' in first
        meet.bring(w.teacher, "fetch", "Hoe houden jullie de motivatie vast?")
        frames_until(ws, "Hoe houden jullie de motivatie vast?")
        client.post(f"{API}/meetings/{meet.mid}/start", headers=meet.h(w.teacher))
        frame = frames_until(ws, "session-clock")
        assert 'aria-current="step"' in frame
        client.post(
            f"{API}/meetings/{meet.mid}/agreements",
            json={"text": "Samen een leesavond"},
            headers=meet.h(w.teacher),
        )
        frames_until(ws, "Samen een leesavond")


def test_a_running_meetings_covered_and_current_parts_keep_their_place(client, meet):
    """During the meeting the facilitator may still reorder what is to come; what was covered
    and the part under way stay where they are, and their owner cannot withdraw them."""
    w = meet.w
    h = meet.h(w.teacher)
    first = meet.bring(w.other_teacher, "bring", "Leesmaatjes")
    second = meet.bring(w.teacher, "fetch", "Ouders bij de leesavond")
    third = meet.bring(w.other_teacher, "fetch", "Rekenmuur")
    assert client.post(f"{API}/meetings/{meet.mid}/start", headers=h).status_code == 200
    client.post(f"{API}/meetings/{meet.mid}/next", headers=h)  # at the second part now
    read = meet.read()
    moved = [third["id"], first["id"], second["id"]]
    r = client.put(
        f"{API}/meetings/{meet.mid}/agenda",
        json={"version": read["version"], "order": moved},
        headers=h,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "order"
    r = client.delete(f"{API}/contributions/{second['id']}", headers=h)
    assert r.status_code == 422
    assert [p["id"] for p in meet.read()["agenda"]] == [first["id"], second["id"], third["id"]]
    assert meet.read()["current_part"] == 1
    # the page offers withdrawing only what is still to come
    meet.f.login(w.other_teacher)
    page = client.get(f"/meetings/{meet.mid}").text
    assert page.count('/withdraw"') == 1 and f"/contributions/{third['id']}/withdraw" in page
    # what is still to come moves, and its owner may withdraw it
    r = client.delete(f"{API}/contributions/{third['id']}", headers=meet.h(w.other_teacher))
    assert r.status_code in (200, 204)
    assert [p["id"] for p in meet.read()["agenda"]] == [first["id"], second["id"]]
