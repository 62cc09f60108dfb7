"""Monday 8:30: bursts of requests are queued or refused at the door (503 with Retry-After),
never answered 500, never stall the server, and every save lands exactly once."""

import asyncio
import sqlite3

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.admission import MAX_BODY_BYTES, Gate, Refused
from app.main import create_app
from app.models import Action, Role, TeamMember
from tests.servers import bord_serve

BURST = 100


# --- the gate itself --------------------------------------------------------------------------


async def test_a_full_queue_is_refused_at_once_and_a_freed_slot_lets_the_next_in():
    gate = Gate(slots=1, max_waiting=1, timeout=5)
    async with gate.turn():
        waiter = asyncio.create_task(_enter(gate))
        await asyncio.sleep(0)
        with pytest.raises(Refused):  # one waits already: the next is turned away
            async with gate.turn():
                pass
    assert await waiter == "in"
    assert gate.refused == 1


async def test_a_request_that_waits_too_long_is_refused():
    gate = Gate(slots=1, max_waiting=10, timeout=0.05)
    async with gate.turn():
        with pytest.raises(Refused):
            async with gate.turn():
                pass


async def _enter(gate: Gate) -> str:
    async with gate.turn():
        return "in"


# --- an overloaded server, in process ---------------------------------------------------------


@pytest.fixture
def busy_app(settings):
    app = create_app(settings.model_copy(update={"max_requests": 1, "max_waiting": 0}))
    yield app
    app.state.db.dispose()


async def test_an_overloaded_server_answers_503_with_retry_after_and_changes_nothing(
    factory, busy_app
):
    w = factory.world()
    api = factory.api(w.teacher)
    factory.login(w.teacher)
    cookies = dict(factory.client.cookies)
    transport = httpx.ASGITransport(app=busy_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", cookies=cookies
    ) as client:
        assert (await client.get(f"/api/v1/boards/{w.board.id}", headers=api)).status_code == 200
        async with busy_app.state.admission.requests.turn():  # every slot taken
            read = await client.get(f"/api/v1/boards/{w.board.id}", headers=api)
            create = await client.post(
                f"/api/v1/boards/{w.board.id}/actions", headers=api, json={"title": "Te druk"}
            )
            page = await client.get(f"/boards/{w.board.id}")
            health = await client.get("/healthz")
        again = await client.post(
            f"/api/v1/boards/{w.board.id}/actions", headers=api, json={"title": "Nu wel"}
        )
    for refused in (read, create, page):
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "1"
    assert "Retry-After" in read.json()["detail"]
    assert "Het is nu erg druk." in page.text
    assert '<meta http-equiv="refresh" content="2">' in page.text  # and asks again by itself
    assert health.status_code == 200
    assert again.status_code == 201
    assert [a.title for a in factory.all(Action)] == ["Nu wel"]


async def test_a_body_too_large_to_read_is_refused_and_changes_nothing(factory, app):
    w = factory.world()
    api = factory.api(w.teacher)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.post(
            f"/api/v1/boards/{w.board.id}/actions",
            headers=api,
            json={"title": "x" * (MAX_BODY_BYTES + 1)},
        )
    assert answer.status_code == 413
    assert answer.json() == {"detail": "Request body too large"}
    assert factory.all(Action) == []


async def test_a_write_that_waits_too_long_for_a_lock_is_answered_503(
    factory, settings, backend, database_url
):
    """Another process holds the board (PostgreSQL: its row; SQLite: the write lock)."""
    w = factory.world()
    api = factory.api(w.teacher)
    app = create_app(settings.model_copy(update={"lock_timeout_seconds": 0.2}))
    holder = _hold_board(backend, database_url, w.board.id)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answer = await client.post(
                f"/api/v1/boards/{w.board.id}/actions", headers=api, json={"title": "Wacht"}
            )
    finally:
        holder()
        app.state.db.dispose()
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert factory.all(Action) == []


def _hold_board(backend: str, database_url: str, board_id: int):
    """Lock the board from another connection; returns the function that lets go."""
    if backend == "sqlite":
        conn = sqlite3.connect(database_url.split("///", 1)[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return lambda: (conn.rollback(), conn.close())
    engine = create_engine(database_url)
    conn = engine.connect()
    conn.execute(text("SELECT id FROM board WHERE id = :id FOR UPDATE"), {"id": board_id})

    def release() -> None:
        conn.rollback()
        conn.close()
        engine.dispose()

    return release


# --- bursts through a real `bord serve` -------------------------------------------------------


@pytest.fixture
def served(factory, database_url):
    w = factory.world()
    with bord_serve(database_url) as base:
        yield base, w, factory.api(w.teacher)


async def _send(client: httpx.AsyncClient, method: str, url: str, **kw) -> httpx.Response:
    """Send, and send again after Retry-After as long as the server says it is busy."""
    while True:
        answer = await client.request(method, url, **kw)
        if answer.status_code != 503:
            return answer
        await asyncio.sleep(float(answer.headers["Retry-After"]))


def _client(base: str, headers: dict[str, str]) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
    return httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60)


async def test_monday_morning_bursts_on_one_board(served):
    """Concurrent creates all land exactly once; concurrent stale edits give one success and
    conflicts; concurrent reads are answered or refused, and /healthz answers meanwhile."""
    base, w, api = served
    titles = [f"Actie {n}" for n in range(BURST)]
    async with _client(base, api) as client:
        creates = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/boards/{w.board.id}/actions", json={"title": t})
                for t in titles
            )
        )
        board = (await client.get(f"/api/v1/boards/{w.board.id}")).json()

    # each phase on fresh connections: a keep-alive the server closes as it idles would
    # otherwise race with the next request sent on it
    async with _client(base, api) as client:
        action = creates[0].json()
        edits = await asyncio.gather(
            *(
                _send(
                    client,
                    "PATCH",
                    f"/api/v1/actions/{action['id']}",
                    json={"title": f"Versie {n}", "version": action["version"]},
                )
                for n in range(BURST)
            )
        )

    async with _client(base, api) as client:
        reads = asyncio.gather(
            *(client.get(f"/api/v1/boards/{w.board.id}") for _ in range(2 * BURST))
        )
        health = await client.get("/healthz")
        read_answers = await reads

    assert sorted(a.status_code for a in creates) == [201] * BURST
    assert sorted(a["title"] for a in board["actions"]) == sorted(titles)
    assert sorted(a.status_code for a in edits) == [200] + [409] * (BURST - 1)
    assert health.status_code == 200
    assert {a.status_code for a in read_answers} <= {200, 503}
    assert all("Retry-After" in a.headers for a in read_answers if a.status_code == 503)
    assert any(a.status_code == 200 for a in read_answers)


async def test_bursts_on_invitations(served, factory):
    """The same address invited many times at once makes one invitation; its link, used many
    times at once, makes one account."""
    base, w, _ = served
    leader = factory.api(w.leader)
    body = {"email": "drukte@school.nl", "name": "Drukte", "team_ids": [w.team.id]}
    async with _client(base, leader) as client:
        invites = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/schools/{w.school.id}/invitations", json=body)
                for _ in range(BURST // 4)
            )
        )
    statuses = sorted(a.status_code for a in invites)
    assert statuses == [201] + [422] * (BURST // 4 - 1)
    link = next(a.json()["link"] for a in invites if a.status_code == 201)  # no mail: shown
    path = "/" + link.split("/", 3)[3]
    form = {"csrf_token": "t", "name": "Drukte", "password": "drukte-wachtwoord"}
    async with _client(base, {}) as client:
        client.cookies.set("bord_link_csrf", "t")
        accepts = await asyncio.gather(
            *(_send(client, "POST", path, data=form) for _ in range(BURST // 4))
        )
    assert sorted(a.status_code for a in accepts) == [303] + [410] * (BURST // 4 - 1)


async def test_bursts_on_templates(served, factory):
    """Many boards made from one template at once each get its goals; the template deleted many
    times at once is deleted once, and the rest are 404, never 500."""
    base, w, _ = served
    leader = factory.api(w.leader)
    async with _client(base, leader) as client:
        goal = {"title": "Leesplezier"}
        await _send(client, "POST", f"/api/v1/boards/{w.board.id}/goals", json=goal)
        saved = await _send(
            client, "POST", f"/api/v1/boards/{w.board.id}/template", json={"name": "Lezen"}
        )
        body = {"title": "Lezen", "template": str(saved.json()["id"])}
        made = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/teams/{w.outsider_team.id}/boards", json=body)
                for _ in range(BURST // 4)
            )
        )
    assert [a.status_code for a in made] == [201] * (BURST // 4)
    async with _client(base, leader) as client:
        boards = [a.json()["id"] for a in made]
        goals = await asyncio.gather(*(client.get(f"/api/v1/boards/{b}") for b in boards))
        gone = await asyncio.gather(
            *(
                _send(client, "DELETE", f"/api/v1/templates/{saved.json()['id']}")
                for _ in range(BURST // 4)
            )
        )
    assert all([g["title"] for g in a.json()["goals"]] == ["Leesplezier"] for a in goals)
    assert sorted(a.status_code for a in gone) == [204] + [404] * (BURST // 4 - 1)


async def test_bursts_on_visits(served, factory):
    """Many lesson visits planned at once all land; the feedback on one, sent many times at
    once, is written once and the rest are 409; a colleague's reads are all 404."""
    base, w, api = served
    visited = factory.user(w.school, Role.teacher, name="Vera")
    factory._save(TeamMember(team_id=w.team.id, user_id=visited.id))
    body = {
        "visitor_id": w.teacher.id,
        "visited_id": visited.id,
        "date": "2026-12-02",
        "question": "Wachttijd?",
    }
    async with _client(base, api) as client:
        planned = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/boards/{w.board.id}/visits", json=body)
                for _ in range(BURST // 4)
            )
        )
    assert [a.status_code for a in planned] == [201] * (BURST // 4)
    visit = planned[0].json()["id"]
    feedback = {"seen": "Stilte", "effect": "Meer vingers", "tip": "Samen", "top": "Rust"}
    async with _client(base, api) as client:
        written = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/visits/{visit}/feedback", json=feedback)
                for _ in range(BURST // 4)
            )
        )
    assert sorted(a.status_code for a in written) == [201] + [409] * (BURST // 4 - 1)
    async with _client(base, factory.api(w.leader)) as client:
        reads = await asyncio.gather(
            *(_send(client, "GET", f"/api/v1/visits/{visit}") for _ in range(BURST // 4))
        )
    assert {a.status_code for a in reads} == {404}
