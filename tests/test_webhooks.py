"""Webhooks: signed deliveries to a real receiver on loopback, retried, paused after repeated
failures, filtered by event, never from a care board, never from a rolled-back change."""

import asyncio
import hashlib
import hmac
import ipaddress
import json
import socket
import time
from collections import Counter

import pytest

from app import clock
from app.models import Action, Role, User, Webhook, WebhookDelivery
from app.models.action import ActionCreate
from app.security.webhook_urls import is_public
from app.services import item_kinds, items, webhook_events
from app.webhook_sender import WebhookSender
from tests.care_world import care_world, new_case
from tests.webhook_receiver import Received, receiver

API = "/api/v1"
ALL_EVENTS = list(webhook_events.NAMES)
MARKER = "ZORGMARKER-7f3a"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"webhook_retry_seconds": 0.05})


@pytest.fixture
def hook_receiver():
    with receiver() as box:
        yield box


def register(client, factory, leader: User, school_id: int, url: str, events: list[str]) -> dict:
    answer = client.post(
        f"{API}/schools/{school_id}/webhooks",
        json={"url": url, "events": events},
        headers=factory.api(leader),
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def verify(secret: str, delivery: Received) -> dict:
    """Check the signature exactly as CONTRACT §3b writes it; the body as JSON."""
    header = delivery.headers["X-Bord-Signature"]
    parts = dict(part.split("=", 1) for part in header.split(","))
    assert list(parts) == ["t", "v1"]
    signed = f"{parts['t']}.".encode() + delivery.body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert abs(int(parts["t"]) - clock.now().timestamp()) < 60
    return json.loads(delivery.body)


def add_action(client, factory, user: User, board_id: int, title: str, **body) -> dict:
    answer = client.post(
        f"{API}/boards/{board_id}/actions", json={"title": title, **body}, headers=factory.api(user)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def move(client, factory, user: User, action: dict, **body) -> dict:
    answer = client.patch(
        f"{API}/actions/{action['id']}",
        json={"version": action["version"], **body},
        headers=factory.api(user),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_change_reaches_the_receiver_signed_after_commit(client, factory, hook_receiver):
    w = factory.world()
    hook = register(client, factory, w.leader, w.school.id, hook_receiver.url, ["action.created"])
    assert len(hook["secret"]) == 64 and int(hook["secret"], 16) >= 0

    add_action(client, factory, w.teacher, w.board.id, "Leesmoment na de pauze", owner="Tim")

    wait_for(lambda: len(hook_receiver.received) == 1)
    (delivery,) = hook_receiver.received
    payload = verify(hook["secret"], delivery)
    assert delivery.headers["X-Bord-Event"] == "action.created"
    assert delivery.headers["Content-Type"] == "application/json"
    assert payload["event"] == "action.created"
    assert payload["school_id"] == w.school.id
    assert payload["board"]["id"] == w.board.id
    assert payload["data"]["title"] == "Leesmoment na de pauze"
    assert payload["data"]["status"] == "todo"

    def logged() -> list[dict]:
        answer = client.get(
            f"{API}/webhooks/{hook['id']}/deliveries", headers=factory.api(w.leader)
        )
        assert answer.status_code == 200
        return answer.json()

    wait_for(lambda: logged()[0]["state"] == "delivered")
    (entry,) = logged()
    assert (entry["status_code"], entry["attempts"]) == (200, 1)
    assert entry["response_excerpt"] == "ontvangen"
    assert entry["payload"] == payload


def test_a_receiver_that_answers_500_twice_gets_the_delivery_on_the_third_attempt(
    client, factory, hook_receiver
):
    w = factory.world()
    hook_receiver.answers = [500, 500]
    hook = register(client, factory, w.leader, w.school.id, hook_receiver.url, ["action.created"])

    add_action(client, factory, w.teacher, w.board.id, "Nog een keer")

    wait_for(lambda: len(hook_receiver.received) == 3)
    bodies = {delivery.body for delivery in hook_receiver.received}
    assert len(bodies) == 1  # the same delivery, each attempt signed again
    for delivery in hook_receiver.received:
        verify(hook["secret"], delivery)
    wait_for(lambda: factory.all(WebhookDelivery)[0].delivered_at is not None)
    (row,) = factory.all(WebhookDelivery)
    assert (row.attempts, row.status_code, row.last_error) == (3, 200, "")
    assert factory.get(Webhook, hook["id"]).failures == 0
    time.sleep(0.3)
    assert len(hook_receiver.received) == 3  # and nothing after it arrived


def test_a_webhook_that_keeps_failing_pauses_itself_until_the_leader_resumes_it(
    client, factory, hook_receiver, app
):
    app.state.settings = app.state.webhooks.settings = app.state.settings.model_copy(
        update={"webhook_max_failures": 3, "webhook_max_attempts": 10}
    )
    w = factory.world()
    hook_receiver.always = 503
    hook = register(client, factory, w.leader, w.school.id, hook_receiver.url, ["action.created"])
    headers = factory.api(w.leader)

    add_action(client, factory, w.teacher, w.board.id, "Kapotte ontvanger")

    wait_for(lambda: client.get(f"{API}/webhooks/{hook['id']}", headers=headers).json()["paused"])
    shown = client.get(f"{API}/webhooks/{hook['id']}", headers=headers).json()
    assert (shown["paused_reason"], shown["failures"]) == ("failures", 3)
    time.sleep(0.5)
    assert len(hook_receiver.received) == 3  # paused: no more attempts
    (entry,) = client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=headers).json()
    assert (entry["state"], entry["status_code"]) == ("pending", 503)
    assert entry["response_excerpt"] == "kapot: probeer later"

    hook_receiver.always = None
    answer = client.patch(f"{API}/webhooks/{hook['id']}", json={"paused": False}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["paused"], answer.json()["failures"]) == (False, 0)
    client.post(f"{API}/boards/{w.board.id}/actions", json={"title": "Wakker"}, headers=headers)

    wait_for(lambda: len(hook_receiver.received) == 5)
    titles = {json.loads(d.body)["data"]["title"] for d in hook_receiver.received[3:]}
    assert titles == {"Kapotte ontvanger", "Wakker"}


def test_each_webhook_hears_only_the_events_it_chose(client, factory, hook_receiver, app):
    w = factory.world()
    done = register(
        client, factory, w.leader, w.school.id, hook_receiver.url + "/done", ["action.done"]
    )
    asked = register(
        client, factory, w.leader, w.school.id, hook_receiver.url + "/asked", ["help_request.asked"]
    )
    every = register(client, factory, w.leader, w.school.id, hook_receiver.url + "/all", ALL_EVENTS)
    leader = factory.api(w.leader)

    action = add_action(client, factory, w.teacher, w.board.id, "Rekenmuur")
    action = move(client, factory, w.teacher, action, status="doing")
    action = move(client, factory, w.teacher, action, status="done")
    add_action(client, factory, w.teacher, w.board.id, "Al klaar", status="done")
    move(client, factory, w.teacher, action, position=1)  # within Klaar: not done again
    client.patch(
        f"{API}/actions/{action['id']}",
        json={"version": action["version"] + 1, "title": "Rekenmuur 2"},
        headers=factory.api(w.teacher),
    )
    request = client.post(
        f"{API}/boards/{w.board.id}/help-requests",
        json={"text": "Wie heeft een rekenspel?"},
        headers=factory.api(w.teacher),
    ).json()
    answer = client.post(
        f"{API}/help-requests/{request['id']}/answer",
        json={"text": "Kijk in kast 3"},
        headers=leader,
    )
    assert answer.status_code == 200, answer.text
    stand_up = client.post(f"{API}/boards/{w.board.id}/sessions", json={}, headers=leader).json()
    ended = client.patch(
        f"{API}/sessions/{stand_up['id']}",
        json={"ended": True, "top": "Fijn overleg"},
        headers=leader,
    )
    assert ended.status_code == 200, ended.text
    # a board of another school: never for this school's webhooks
    add_action(client, factory, w.other_teacher, w.other_board.id, "Andere school")

    def heard(path: str) -> Counter:
        return Counter(
            json.loads(d.body)["event"] for d in hook_receiver.received if d.path == f"/hook{path}"
        )

    wait_for(lambda: sum(heard("/all").values()) >= 10)
    time.sleep(0.3)
    assert heard("/done") == Counter({"action.done": 2})
    assert heard("/asked") == Counter({"help_request.asked": 1})
    assert heard("/all") == Counter(
        {
            "action.created": 2,
            "action.moved": 3,
            "action.done": 2,
            "help_request.asked": 1,
            "help_request.answered": 1,
            "session.ended": 1,
        }
    )
    ended_payload = next(
        json.loads(d.body)
        for d in hook_receiver.received
        if d.headers["X-Bord-Event"] == "session.ended"
    )
    assert ended_payload["data"]["top"] == "Fijn overleg"
    assert {d.path for d in hook_receiver.received} == {"/hook/done", "/hook/asked", "/hook/all"}
    assert done["id"] != asked["id"] != every["id"]


def test_nothing_of_a_care_board_ever_leaves_by_webhook(client, factory, hook_receiver):
    cw = care_world(factory)
    w = cw.w
    hook = register(client, factory, w.leader, w.school.id, hook_receiver.url, ALL_EVENTS)
    ib = factory.api(cw.ib)

    made = [
        client.post(f"{API}/boards/{cw.care.id}/actions", json={"title": MARKER}, headers=ib),
        client.post(f"{API}/boards/{cw.care.id}/help-requests", json={"text": MARKER}, headers=ib),
    ]
    assert [answer.status_code for answer in made] == [201, 201]
    moved = move(client, factory, cw.ib, made[0].json(), status="done")
    assert moved["status"] == "done"
    new_case(client, factory, cw, concern=MARKER)
    stand_up = client.post(f"{API}/boards/{cw.care.id}/sessions", json={}, headers=ib).json()
    ended = client.patch(
        f"{API}/sessions/{stand_up['id']}", json={"ended": True, "top": MARKER}, headers=ib
    )
    assert ended.status_code == 200, ended.text
    add_action(client, factory, w.teacher, w.board.id, "Gewoon teamwerk")

    wait_for(lambda: len(hook_receiver.received) >= 1)
    time.sleep(0.3)
    assert [verify(hook["secret"], d)["data"]["title"] for d in hook_receiver.received] == [
        "Gewoon teamwerk"
    ]
    assert all(MARKER not in row.body for row in factory.all(WebhookDelivery))
    assert len(factory.all(WebhookDelivery)) == 1
    # refused where deliveries are queued, whatever the caller
    care_action = next(a for a in factory.all(Action) if a.title == MARKER)
    with factory.session() as session:
        board = session.get(type(cw.care), cw.care.id)
        webhook_events.enqueue(session, board, "created", "action", care_action.id)
        assert not [row for row in session.new if isinstance(row, WebhookDelivery)]


def network_of(client, factory, founder: User, *others: User) -> int:
    """A learning network `founder` facilitates, with `others` as members."""
    made = client.post(
        f"{API}/networks", json={"name": "Leesnetwerk"}, headers=factory.api(founder)
    )
    assert made.status_code == 201, made.text
    for person in others:
        added = client.post(
            f"{API}/networks/{made.json()['id']}/members",
            json={"email": person.email},
            headers=factory.api(founder),
        )
        assert added.status_code == 201, added.text
    return made.json()["id"]


def share(client, factory, user: User, network_id: int, **body) -> dict:
    answer = client.post(
        f"{API}/networks/{network_id}/practices", json=body, headers=factory.api(user)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_practice_shared_reaches_the_sharing_schools_webhooks_only(
    client, factory, hook_receiver
):
    w = factory.world()
    ours = register(
        client, factory, w.leader, w.school.id, hook_receiver.url + "/ours", ["practice.shared"]
    )
    register(
        client,
        factory,
        w.other_leader,
        w.other_school.id,
        hook_receiver.url + "/theirs",
        ALL_EVENTS,
    )
    network_id = network_of(client, factory, w.teacher, w.other_teacher)

    practice = share(
        client,
        factory,
        w.teacher,
        network_id,
        title="Leesmaatjes",
        text="Groep 7 leest voor aan groep 3",
        name_person=True,
    )
    share(client, factory, w.other_teacher, network_id, title="Rekenmuur", text="Elke week")

    wait_for(lambda: len(hook_receiver.received) == 2)
    time.sleep(0.3)
    by_path = {d.path: d for d in hook_receiver.received}
    assert set(by_path) == {"/hook/ours", "/hook/theirs"}
    delivery = by_path["/hook/ours"]
    payload = verify(ours["secret"], delivery)
    assert delivery.headers["X-Bord-Event"] == "practice.shared"
    assert payload["event"] == "practice.shared"
    assert payload["school_id"] == w.school.id
    assert payload["network"] == {"id": network_id, "name": "Leesnetwerk"}
    assert "board" not in payload
    data = payload["data"]
    assert (data["id"], data["title"]) == (practice["id"], "Leesmaatjes")
    assert data["text"] == "Groep 7 leest voor aan groep 3"
    assert (data["person"], data["school"]) == (w.teacher.name, "")  # as the sharer chose
    theirs = json.loads(by_path["/hook/theirs"].body)
    assert (theirs["school_id"], theirs["data"]["title"]) == (w.other_school.id, "Rekenmuur")
    assert (theirs["data"]["person"], theirs["data"]["school"]) == ("", "")


def test_a_practice_from_a_care_board_is_refused_and_nothing_is_sent(
    client, factory, hook_receiver
):
    cw = care_world(factory)
    w = cw.w
    register(client, factory, w.leader, w.school.id, hook_receiver.url, ALL_EVENTS)
    success = client.post(
        f"{API}/boards/{cw.care.id}/successes", json={"text": MARKER}, headers=factory.api(cw.ib)
    )
    assert success.status_code == 201, success.text
    network_id = network_of(client, factory, cw.ib)

    body = {"title": MARKER, "text": MARKER, "success_id": success.json()["id"]}
    refused = client.post(
        f"{API}/networks/{network_id}/practices", json=body, headers=factory.api(cw.ib)
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"][-1] == "success_id"
    share(client, factory, cw.ib, network_id, title="Stilteplek", text="Een rustige hoek")

    wait_for(lambda: len(hook_receiver.received) >= 1)
    time.sleep(0.3)
    assert [json.loads(d.body)["data"]["title"] for d in hook_receiver.received] == ["Stilteplek"]
    assert all(MARKER not in row.body for row in factory.all(WebhookDelivery))


def test_a_rolled_back_change_queues_nothing(client, factory, app):
    w = factory.world()
    app.state.webhooks.stop()
    register(client, factory, w.leader, w.school.id, "http://127.0.0.1:9/hook", ALL_EVENTS)

    with pytest.raises(RuntimeError), app.state.db.session() as session:
        teacher = session.get(User, w.teacher.id)
        items.create_item(
            session, teacher, item_kinds.ACTION, w.board.id, ActionCreate(title="Teruggedraaid")
        )
        assert [row.event for row in session.new if isinstance(row, WebhookDelivery)] == [
            "action.created"
        ]
        raise RuntimeError("the change fails after it was recorded")
    assert factory.all(WebhookDelivery) == []

    with app.state.db.session() as session:
        teacher = session.get(User, w.teacher.id)
        items.create_item(
            session, teacher, item_kinds.ACTION, w.board.id, ActionCreate(title="Bewaard")
        )
    assert [row.event for row in factory.all(WebhookDelivery)] == ["action.created"]


def test_two_instances_never_claim_the_same_delivery(client, factory, app, settings):
    w = factory.world()
    app.state.webhooks.stop()
    time.sleep(0.1)
    register(client, factory, w.leader, w.school.id, "http://127.0.0.1:9/hook", ALL_EVENTS)
    add_action(client, factory, w.teacher, w.board.id, "Eén keer")
    first, second = WebhookSender(app.state.db, settings), WebhookSender(app.state.db, settings)
    assert [row.event for row in first._claim()] == ["action.created"]
    assert second._claim() == []


def test_a_delivery_that_keeps_failing_is_given_up_after_the_last_attempt(
    client, factory, app, settings
):
    w = factory.world()
    app.state.webhooks.stop()
    register(client, factory, w.leader, w.school.id, "http://127.0.0.1:9/hook", ALL_EVENTS)
    add_action(client, factory, w.teacher, w.board.id, "Niemand luistert")
    sender = WebhookSender(app.state.db, settings.model_copy(update={"webhook_max_attempts": 2}))

    async def until_settled() -> None:
        deadline = time.monotonic() + 10
        while factory.all(WebhookDelivery)[0].failed_at is None:
            assert time.monotonic() < deadline
            await sender.send_due()
            await asyncio.sleep(0.05)

    asyncio.run(until_settled())
    (row,) = factory.all(WebhookDelivery)
    assert row.attempts == 2 and row.delivered_at is None
    assert row.status_code is None and "Connect" in row.last_error


def test_rotating_the_secret_signs_what_follows_with_the_new_one(client, factory, hook_receiver):
    w = factory.world()
    hook = register(client, factory, w.leader, w.school.id, hook_receiver.url, ["action.created"])
    headers = factory.api(w.leader)
    shown = client.get(f"{API}/webhooks/{hook['id']}", headers=headers).json()
    assert "secret" not in shown
    assert all(
        "secret" not in h
        for h in client.get(f"{API}/schools/{w.school.id}/webhooks", headers=headers).json()
    )

    rotated = client.post(f"{API}/webhooks/{hook['id']}/rotate", headers=headers)
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != hook["secret"] and len(new_secret) == 64

    add_action(client, factory, w.teacher, w.board.id, "Nieuwe sleutel")
    wait_for(lambda: len(hook_receiver.received) == 1)
    verify(new_secret, hook_receiver.received[0])


def every_call(client, headers: dict, school_id: int, hook_id: int) -> list[int]:
    body = {"url": "http://127.0.0.1:9/x", "events": ALL_EVENTS}
    calls = [
        client.post(f"{API}/schools/{school_id}/webhooks", json=body, headers=headers),
        client.get(f"{API}/schools/{school_id}/webhooks", headers=headers),
        client.get(f"{API}/webhooks/{hook_id}", headers=headers),
        client.patch(f"{API}/webhooks/{hook_id}", json={"paused": True}, headers=headers),
        client.post(f"{API}/webhooks/{hook_id}/rotate", headers=headers),
        client.get(f"{API}/webhooks/{hook_id}/deliveries", headers=headers),
        client.delete(f"{API}/webhooks/{hook_id}", headers=headers),
    ]
    return [call.status_code for call in calls]


def test_only_the_schools_leader_or_an_admin_reaches_its_webhooks(client, factory):
    """Teachers, IB'ers and everyone of another school get 404 on every endpoint (a token of
    school B is useless for school A's webhooks); no token is 401."""
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    hook = register(client, factory, w.leader, w.school.id, "http://127.0.0.1:9/h", ALL_EVENTS)
    for outsider in (w.teacher, ib, w.other_leader, w.other_teacher):
        statuses = every_call(client, factory.api(outsider), w.school.id, hook["id"])
        assert statuses == [404] * 7
    assert every_call(client, {}, w.school.id, hook["id"]) == [401] * 7
    assert factory.get(Webhook, hook["id"]).secret == hook["secret"]
    assert factory.get(Webhook, hook["id"]).paused_at is None

    admin = every_call(client, factory.api(w.admin), w.school.id, hook["id"])
    assert admin == [201, 200, 200, 200, 200, 200, 204]
    leader = factory.api(w.leader)
    listed = client.get(f"{API}/schools/{w.school.id}/webhooks", headers=leader).json()
    assert [h["url"] for h in listed] == ["http://127.0.0.1:9/x"]
    assert client.get(f"{API}/webhooks/{hook['id']}", headers=leader).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.nl/hook", "events": ["action.created"]}, "url"),
        ({"url": "javascript:alert(1)", "events": ["action.created"]}, "url"),
        ({"url": "https:///geen-host", "events": ["action.created"]}, "url"),
        ({"url": "https://example.nl/hook", "events": ["action.eaten"]}, "events"),
        ({"url": "https://example.nl/hook", "events": []}, "events"),
        ({"url": "", "events": ["action.created"]}, "url"),
    ],
)
def test_a_webhook_needs_an_http_url_and_known_events(client, factory, body, field):
    w = factory.world()
    answer = client.post(
        f"{API}/schools/{w.school.id}/webhooks", json=body, headers=factory.api(w.leader)
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"][-1] == field


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://intranet.local/hook",
        "http://10.1.2.3/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ],
)
def test_private_addresses_are_refused_unless_the_installation_allows_them(
    client, factory, app, url
):
    app.state.settings = app.state.settings.model_copy(update={"webhook_allow_private": False})
    w = factory.world()
    body = {"url": url, "events": ["action.created"]}
    answer = client.post(
        f"{API}/schools/{w.school.id}/webhooks", json=body, headers=factory.api(w.leader)
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"][-1] == "url"


def test_a_name_that_resolves_to_a_private_address_is_not_called(app, settings):
    """The machine's own name: it resolves to loopback or a private address here."""
    name = socket.gethostname()
    try:
        found = {info[4][0] for info in socket.getaddrinfo(name, 80)}
    except OSError:
        pytest.skip(f"{name} does not resolve here")
    if any(is_public(ipaddress.ip_address(address)) for address in found):
        pytest.skip(f"{name} resolves to a public address here")
    strict = settings.model_copy(update={"webhook_allow_private": False})
    problem = asyncio.run(WebhookSender(app.state.db, strict)._address_problem(f"http://{name}/h"))
    assert problem == "the name resolves to a private or loopback address"
    allowed = asyncio.run(
        WebhookSender(app.state.db, settings)._address_problem(f"http://{name}/h")
    )
    assert allowed is None
