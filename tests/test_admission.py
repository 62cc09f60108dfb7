"""Monday 8:30: bursts of requests are queued or refused at the door (503 with Retry-After),
never answered 500, never stall the server, and every save lands exactly once."""

import asyncio
import io
import itertools
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from app.admission import MAX_BODY_BYTES, Gate, Refused
from app.main import create_app
from app.models import Action, BoardKind, Role, TeamMember
from tests.conftest import PG_ADMIN_URL, PG_DB, alembic_upgrade, fresh_database_url, pg_url
from tests.servers import bord_serve
from tests.webhook_receiver import receiver

BURST = 100
# all on one worker of `make test -n 2`, so it starts the shared server (below) once per database
pytestmark = pytest.mark.xdist_group("admission")


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
        page = await client.post(
            f"/boards/{w.board.id}/actions",
            content=b"title=" + b"x" * MAX_BODY_BYTES,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert answer.status_code == 413
    assert answer.json() == {"detail": "Request body too large: at most 4 MB"}
    assert page.status_code == 413
    assert "Wat je verstuurde is groter dan 4 MB. Er is niets veranderd." in page.text
    assert factory.all(Action) == []


def test_an_edit_holds_one_worker_thread_once(client, factory, monkeypatch):
    # signing in asks on the event loop; the handler, its commit and nothing else take a
    # worker thread, so a burst of edits needs no more threads than there are edits
    import anyio.to_thread

    w = factory.world()
    api = factory.api(w.teacher)
    created = client.post(f"/api/v1/boards/{w.board.id}/actions", headers=api, json={"title": "A"})
    hop = anyio.to_thread.run_sync
    hops: list[str] = []

    async def counted(func, *args, **kwargs):
        hops.append(getattr(func, "__name__", repr(func)))
        return await hop(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    edit = client.patch(
        f"/api/v1/actions/{created.json()['id']}",
        headers=api,
        json={"title": "B", "version": created.json()["version"]},
    )
    assert edit.status_code == 200 and edit.json()["title"] == "B"
    assert len(hops) == 1, hops
    monkeypatch.undo()
    assert factory.get(Action, created.json()["id"]).title == "B"


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

# Starting `bord serve` takes seconds, so the tests share one server per database. Each test makes
# a world of its own in the database that server serves, and so never meets another test's rows.
_worlds = itertools.count(1)


@pytest.fixture(scope="module")
def served_database(backend, tmp_path_factory, request) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("served") / "bord.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    request.getfixturevalue("postgres_database")  # skips (or fails) as the suite does
    name = f"{PG_DB}_served"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    alembic_upgrade(pg_url(name))
    yield pg_url(name)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def database_url(request, backend, tmp_path) -> str:
    """A test with the shared server writes to the database it serves; any other test has a
    fresh database of its own, as everywhere in the suite."""
    if "served" in request.fixturenames:
        return request.getfixturevalue("served_database")
    return fresh_database_url(backend, request, tmp_path)


@pytest.fixture(scope="module")
def server(served_database) -> Iterator[str]:
    with bord_serve(served_database) as base:
        yield base


@pytest.fixture
def served(server, factory):
    factory._n = 1000 * next(_worlds)  # names, e-mail addresses and slugs no other test used
    w = factory.world()
    return server, w, factory.api(w.teacher)


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


async def test_bursts_on_the_prullenbak(served):
    """Many deletes of one card, then many undos of it at once (every screen's undo): it is
    deleted once and restored once; the rest are 404 or 409, never 500; the prullenbak reads
    answer throughout."""
    base, w, api = served
    async with _client(base, api) as client:
        made = await _send(
            client, "POST", f"/api/v1/boards/{w.board.id}/ideas", json={"text": "Druk idee"}
        )
        idea = made.json()
        deletes = await asyncio.gather(
            *(_send(client, "DELETE", f"/api/v1/ideas/{idea['id']}") for _ in range(BURST // 4))
        )
    async with _client(base, api) as client:
        undos = asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/trash/idea/{idea['id']}/restore")
                for _ in range(BURST // 4)
            )
        )
        lists = asyncio.gather(
            *(_send(client, "GET", f"/api/v1/boards/{w.board.id}/trash") for _ in range(BURST // 4))
        )
        undo_answers, list_answers = await undos, await lists
    assert sorted(a.status_code for a in deletes) == [204] + [404] * (BURST // 4 - 1)
    assert sorted(a.status_code for a in undo_answers) == [200] + [409] * (BURST // 4 - 1)
    assert {a.status_code for a in list_answers} == {200}


async def test_bursts_on_exports(served, factory):
    """Downloads asked for many at once while actions are added: each answers whole (a CSV
    with its header, a workbook that opens), never 500."""
    base, w, _ = served
    leader = factory.api(w.leader)
    urls = [
        f"/api/v1/schools/{w.school.id}/overview.csv",
        f"/api/v1/schools/{w.school.id}/overview.xlsx",
        f"/api/v1/boards/{w.board.id}/actions.csv",
        f"/api/v1/boards/{w.board.id}/actions.xlsx",
    ]
    async with _client(base, leader) as client:
        adds = [
            _send(client, "POST", f"/api/v1/boards/{w.board.id}/actions", json={"title": f"A{n}"})
            for n in range(BURST // 4)
        ]
        downloads = [_send(client, "GET", url) for url in urls for _ in range(BURST // 8)]
        answers = await asyncio.gather(*adds, *downloads)
    added, fetched = answers[: BURST // 4], answers[BURST // 4 :]
    assert [a.status_code for a in added] == [201] * (BURST // 4)
    assert [a.status_code for a in fetched] == [200] * len(fetched)
    for answer in fetched:
        if answer.headers["content-type"].startswith("text/csv"):
            assert answer.content.decode("utf-8-sig").startswith(("Team;", "Wat;"))
        else:
            assert load_workbook(io.BytesIO(answer.content)).sheetnames[0] == "Acties"


async def test_bursts_on_calendar_feeds(served, factory):
    """A feed fetched by many calendar apps at once is answered (or turned away with
    Retry-After), never 500; links made many times at once leave exactly one that works."""
    base, w, api = served
    async with _client(base, api) as client:
        await _send(
            client,
            "POST",
            f"/api/v1/boards/{w.board.id}/actions",
            json={"title": "Rekenles", "owner": w.teacher.name, "due": "2026-12-04"},
        )
        made = await asyncio.gather(
            *(_send(client, "POST", "/api/v1/me/calendar") for _ in range(BURST // 4))
        )
    assert [a.status_code for a in made] == [201] * (BURST // 4)
    paths = ["/" + a.json()["url"].split("/", 3)[3] for a in made]
    async with _client(base, {}) as client:
        first = await asyncio.gather(*(_send(client, "GET", path) for path in paths))
    working = [path for path, a in zip(paths, first, strict=True) if a.status_code == 200]
    assert len(working) == 1
    assert sorted({a.status_code for a in first}) == [200, 404]

    async with _client(base, {}) as client:
        reads = asyncio.gather(*(client.get(working[0]) for _ in range(2 * BURST)))
        health = await client.get("/healthz")
        answers = await reads
    assert health.status_code == 200
    assert {a.status_code for a in answers} <= {200, 503}
    assert all("Retry-After" in a.headers for a in answers if a.status_code == 503)
    served_feeds = [a for a in answers if a.status_code == 200]
    assert served_feeds and all(b"Actie: Rekenles" in a.content for a in served_feeds)


async def test_bursts_on_webhooks(served, factory, database_url):
    """Actions made at once on two instances reach a webhook's receiver once each (the two
    senders never both claim a delivery); a webhook deleted many times at once is deleted
    once, the rest 404."""
    base, w, api = served
    leader = factory.api(w.leader)
    count = BURST // 4
    with receiver() as box, bord_serve(database_url) as second:
        async with _client(base, leader) as client:
            hook = await _send(
                client,
                "POST",
                f"/api/v1/schools/{w.school.id}/webhooks",
                json={"url": box.url, "events": ["action.created"]},
            )
        assert hook.status_code == 201, hook.text
        async with _client(base, api) as one, _client(second, api) as other:
            creates = await asyncio.gather(
                *(
                    _send(
                        (one, other)[n % 2],
                        "POST",
                        f"/api/v1/boards/{w.board.id}/actions",
                        json={"title": f"Haakje {n}"},
                    )
                    for n in range(count)
                )
            )
        assert sorted(a.status_code for a in creates) == [201] * count
        for _ in range(600):  # at most 30 s
            if len(box.received) >= count:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        titles = [json.loads(d.body)["data"]["title"] for d in box.received]
        assert sorted(titles) == sorted(f"Haakje {n}" for n in range(count))
        async with _client(base, leader) as client:
            gone = await asyncio.gather(
                *(
                    _send(client, "DELETE", f"/api/v1/webhooks/{hook.json()['id']}")
                    for _ in range(count)
                )
            )
        assert sorted(a.status_code for a in gone) == [204] + [404] * (count - 1)


async def test_bursts_on_a_poll(served, factory):
    """Polls made at once each get a code of their own. A class answering a poll at once (one
    IP address, a device each) is counted once per device; one device sending many times at
    once is counted once, the rest 409; a closed poll answered at once is refused (410), never
    500."""
    base, w, api = served
    body = {"title": "Drukte", "questions": [{"kind": "scale", "text": "Hoe ging het?"}]}
    async with _client(base, api) as client:
        polls = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/boards/{w.board.id}/polls", json=body)
                for _ in range(BURST // 4)
            )
        )
    assert [a.status_code for a in polls] == [201] * (BURST // 4)
    assert len({a.json()["code"] for a in polls}) == BURST // 4
    made = polls[0].json()
    url = f"/api/v1/answer/{made['code']}"
    pupils = BURST // 2
    clients = [
        _client(base, {"Cookie": f"bord_device=device-{n:04d}-{'x' * 24}"}) for n in range(pupils)
    ]
    try:
        answers = await asyncio.gather(
            *(_send(c, "POST", url, json={"answers": [1 + n % 5]}) for n, c in enumerate(clients))
        )
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    one_device = {"Cookie": f"bord_device=one-device-{'y' * 24}"}
    async with _client(base, one_device) as client:
        repeats = await asyncio.gather(
            *(_send(client, "POST", url, json={"answers": [3]}) for _ in range(BURST // 4))
        )
    async with _client(base, api) as client:
        results = (await client.get(f"/api/v1/polls/{made['id']}/results")).json()
        await _send(client, "POST", f"/api/v1/polls/{made['id']}/close")
    async with _client(base, {}) as client:
        late = await asyncio.gather(
            *(_send(client, "POST", url, json={"answers": [3]}) for _ in range(BURST // 4))
        )
    assert [a.status_code for a in answers] == [201] * pupils
    assert sorted(a.status_code for a in repeats) == [201] + [409] * (BURST // 4 - 1)
    assert results["responses"] == pupils + 1
    assert sum(results["questions"][0]["counts"]) == pupils + 1
    assert {a.status_code for a in late} == {410}


async def test_bursts_on_the_archive(served):
    """One action archived many times at once is archived once and restored many times at once
    comes back once (the rest 409, never 500); reads of the archive meanwhile answer or say busy."""
    base, w, api = served
    archive = f"/api/v1/boards/{w.board.id}/archive"
    async with _client(base, api) as client:
        made = await _send(
            client, "POST", f"/api/v1/boards/{w.board.id}/actions", json={"title": "Archiefkast"}
        )
        action = made.json()
    async with _client(base, api) as client:
        archived = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/actions/{action['id']}/archive")
                for _ in range(BURST // 4)
            )
        )
    async with _client(base, api) as client:
        reads = asyncio.gather(*(client.get(archive, params={"q": "kast"}) for _ in range(BURST)))
        restored = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/archive/action/{action['id']}/restore")
                for _ in range(BURST // 4)
            )
        )
        read_answers = await reads
    assert sorted(a.status_code for a in archived) == [200] + [409] * (BURST // 4 - 1)
    assert sorted(a.status_code for a in restored) == [200] + [409] * (BURST // 4 - 1)
    assert {a.status_code for a in read_answers} <= {200, 503}
    assert any(a.status_code == 200 for a in read_answers)
    async with _client(base, api) as client:
        board = (await client.get(f"/api/v1/boards/{w.board.id}")).json()
        assert [a["title"] for a in board["actions"]] == ["Archiefkast"]
        assert (await client.get(archive)).json() == []


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


async def test_bursts_on_a_trello_import(served):
    """One Trello export imported many times at once lands once (every answer 201, one of
    them with the cards); a 50 MB upload is answered 413 by the server before it is sent."""
    base, w, api = served
    url = f"/api/v1/boards/{w.board.id}/import/trello"
    export = (Path(__file__).parent / "fixtures" / "trello_board.json").read_bytes()
    files = {"file": ("trello.json", export, "application/json")}
    async with _client(base, api) as client:
        answers = await asyncio.gather(
            *(_send(client, "POST", url, files=files) for _ in range(BURST // 4))
        )
        assert {a.status_code for a in answers} == {201}
        assert sorted(a.json()["imported"]["actions"] for a in answers)[-2:] == [0, 5]
        board = (await client.get(f"/api/v1/boards/{w.board.id}")).json()
        titles = [a["title"] for a in board["actions"]]
        assert sorted(titles) == sorted(set(titles)) and len(titles) == 3
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST {url} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {api['Authorization']}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {50 * 1024 * 1024}\r\n\r\n".encode()
        + b"x" * 65536
    )
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    assert status.startswith(b"HTTP/1.1 413")


async def test_bursts_on_lesson_designs(served, factory):
    """Many lesson designs made at once all land; one design edited many times against one
    version is changed once (the rest 409); its kwaliteitskaart asked for many times at once is
    made once (the rest 409); the school's cards are read throughout."""
    base, w, api = served
    body = {"title": "Voorspellen", "lesson_goal": "Leerlingen voorspellen", "date": "2026-11-02"}
    async with _client(base, api) as client:
        made = await asyncio.gather(
            *(
                _send(client, "POST", f"/api/v1/boards/{w.board.id}/lesson-designs", json=body)
                for _ in range(BURST // 4)
            )
        )
    assert [a.status_code for a in made] == [201] * (BURST // 4)
    design = made[0].json()["id"]
    url = f"/api/v1/lesson-designs/{design}"
    async with _client(base, api) as client:
        edits = await asyncio.gather(
            *(
                _send(client, "PATCH", url, json={"version": 1, "title": f"Versie {n}"})
                for n in range(BURST // 4)
            )
        )
        evaluation = {"worked": "Eerst samen", "to_change": "Korter"}
        assert (
            await _send(client, "POST", f"{url}/evaluation", json=evaluation)
        ).status_code == 200
        cards = asyncio.gather(
            *(
                _send(client, "POST", f"{url}/quality-card", json={"subject": "lezen"})
                for _ in range(BURST // 4)
            )
        )
        reads = asyncio.gather(
            *(
                _send(client, "GET", f"/api/v1/schools/{w.school.id}/quality-cards?q=lezen")
                for _ in range(BURST // 4)
            )
        )
        card_answers, read_answers = await cards, await reads
    assert sorted(a.status_code for a in edits) == [200] + [409] * (BURST // 4 - 1)
    assert sorted(a.status_code for a in card_answers) == [201] + [409] * (BURST // 4 - 1)
    assert {a.status_code for a in read_answers} == {200}


async def test_bursts_on_a_klasscherm(served, factory):
    """A whole class tapping at once on its klasscherm (successes, ideas, smileys) lands every
    tap exactly once, never 500; a link revoked many times at once is revoked once; the names
    saved many times at once are one list."""
    base, w, api = served
    klas = factory.board(w.team, BoardKind.klas, "Groep 5")
    async with _client(base, api) as client:
        link = await _send(client, "POST", f"/api/v1/boards/{klas.id}/class-screens", json={})
        started = await _send(client, "POST", f"/api/v1/boards/{klas.id}/sessions", json={})
        saves = await asyncio.gather(
            *(
                _send(
                    client,
                    "PUT",
                    f"/api/v1/boards/{klas.id}/pupils",
                    json={"names": ["Ada", f"B{n}"]},
                )
                for n in range(BURST // 4)
            )
        )
    assert link.status_code == 201 and started.status_code == 201
    assert [a.status_code for a in saves] == [200] * (BURST // 4)
    path = link.json()["path"]
    count = BURST // 4
    async with _client(base, {}) as pupils:
        taps = await asyncio.gather(
            *(
                _send(pupils, "POST", f"{path}/successes", data={"text": f"Top {n}"})
                for n in range(count)
            ),
            *(
                _send(pupils, "POST", f"{path}/ideas", data={"text": f"Idee {n}"})
                for n in range(count)
            ),
            *(_send(pupils, "POST", f"{path}/checkin", data={"mood": "4"}) for _ in range(count)),
        )
    assert [a.status_code for a in taps] == [303] * (3 * count)
    async with _client(base, api) as client:
        board = (await _send(client, "GET", f"/api/v1/boards/{klas.id}")).json()
        revokes = await asyncio.gather(
            *(
                _send(client, "DELETE", f"/api/v1/class-screens/{link.json()['id']}")
                for _ in range(count)
            )
        )
        session = (await _send(client, "GET", f"/api/v1/sessions/{started.json()['id']}")).json()
    assert len(board["successes"]) == count and len(board["ideas"]) == count
    assert session["checkin"]["4"] == count
    assert sorted(a.status_code for a in revokes) == [204] + [404] * (count - 1)


async def test_bursts_on_a_network(served, factory):
    """Many practices shared at once all land; one member added many times at once is added
    once (the rest 422); many adoptions at once each make an action (or a goal) and are all
    counted; a non-member's reads are all 404; many questions and answers at once all land."""
    base, w, api = served
    async with _client(base, api) as client:
        made = await _send(client, "POST", "/api/v1/networks", json={"name": "Leesnetwerk"})
        network = made.json()["id"]
        shared = await asyncio.gather(
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/networks/{network}/practices",
                    json={"title": f"Praktijk {n}", "text": "Samen lezen"},
                )
                for n in range(BURST // 4)
            )
        )
    assert [a.status_code for a in shared] == [201] * (BURST // 4)
    async with _client(base, api) as client:
        added = await asyncio.gather(
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/networks/{network}/members",
                    json={"email": w.other_teacher.email},
                )
                for _ in range(BURST // 4)
            )
        )
    assert sorted(a.status_code for a in added) == [201] + [422] * (BURST // 4 - 1)
    practice = shared[0].json()["id"]
    async with _client(base, api) as client:
        adopted = await asyncio.gather(
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/practices/{practice}/adopt",
                    json={"board_id": w.board.id},
                )
                for _ in range(BURST // 4)
            )
        )
        found = await client.get(f"/api/v1/networks/{network}/practices", params={"q": "lezen"})
        counted = (await client.get(f"/api/v1/practices/{practice}")).json()["adoptions"]
    assert [a.status_code for a in adopted] == [201] * (BURST // 4)
    assert len({a.json()["id"] for a in adopted}) == BURST // 4
    assert counted == BURST // 4 and len(found.json()) == BURST // 4
    async with _client(base, factory.api(w.leader)) as client:
        reads = await asyncio.gather(
            *(
                _send(client, "GET", f"/api/v1/networks/{network}/practices")
                for _ in range(BURST // 4)
            )
        )
    assert {a.status_code for a in reads} == {404}
    async with _client(base, api) as client:
        asked = await asyncio.gather(
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/networks/{network}/questions",
                    json={"text": f"Vraag {n}"},
                )
                for n in range(BURST // 4)
            )
        )
    assert [a.status_code for a in asked] == [201] * (BURST // 4)
    # many adoptions as a goal at once each make a goal; many answers at once all land
    async with _client(base, api) as client:
        goals = await asyncio.gather(
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/practices/{practice}/adopt",
                    json={"board_id": w.board.id, "as": "goal"},
                )
                for _ in range(BURST // 4)
            )
        )
        question = asked[0].json()["id"]
        answered = await asyncio.gather(
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/questions/{question}/answers",
                    json={"text": f"Antwoord {n}"},
                )
                for n in range(BURST // 4)
            )
        )
        counted = (await client.get(f"/api/v1/practices/{practice}")).json()["adoptions"]
        listed = (await client.get(f"/api/v1/networks/{network}/questions")).json()
    assert [a.status_code for a in goals] == [201] * (BURST // 4)
    assert len({a.json()["id"] for a in goals}) == BURST // 4
    assert all("measurements" in a.json() for a in goals)
    assert counted == 2 * (BURST // 4)
    assert [a.status_code for a in answered] == [201] * (BURST // 4)
    [mine] = [q for q in listed if q["id"] == question]
    assert len(mine["answers"]) == BURST // 4


async def test_bursts_on_a_network_meeting(served, factory):
    """Many members' contributions at once all land on the agenda; many orders of the agenda
    read at one version at once: one lands, the rest are 409; many adoptions of one agreement at
    once each make an action and are all counted; a meeting ended many times at once is ended,
    never a 5xx; a non-member's calls are all 404."""
    base, w, api = served
    count = BURST // 4
    async with _client(base, api) as client:
        made = await _send(client, "POST", "/api/v1/networks", json={"name": "Leesnetwerk"})
        network = made.json()["id"]
        planned = await _send(
            client, "POST", f"/api/v1/networks/{network}/meetings", json={"date": "2026-12-10"}
        )
        meeting = planned.json()["id"]
        brought = await asyncio.gather(
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/meetings/{meeting}/contributions",
                    json={"kind": "bring" if n % 2 else "fetch", "text": f"Inbreng {n}"},
                )
                for n in range(count)
            )
        )
        read = (await _send(client, "GET", f"/api/v1/meetings/{meeting}")).json()
        ids = [p["id"] for p in read["agenda"]]
        orders = await asyncio.gather(
            *(
                _send(
                    client,
                    "PUT",
                    f"/api/v1/meetings/{meeting}/agenda",
                    json={"version": read["version"], "order": ids[n:] + ids[:n]},
                )
                for n in range(count)
            )
        )
        agreed = await _send(
            client, "POST", f"/api/v1/meetings/{meeting}/agreements", json={"text": "Samen lezen"}
        )
        adopted = await asyncio.gather(
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/meeting-agreements/{agreed.json()['id']}/adopt",
                    json={"board_id": w.board.id},
                )
                for _ in range(count)
            )
        )
        await _send(client, "POST", f"/api/v1/meetings/{meeting}/start")
        ended = await asyncio.gather(
            *(_send(client, "POST", f"/api/v1/meetings/{meeting}/end") for _ in range(count))
        )
        final = (await _send(client, "GET", f"/api/v1/meetings/{meeting}")).json()
    assert [a.status_code for a in brought] == [201] * count
    assert len(ids) == count
    assert sorted(a.status_code for a in orders) == [200] + [409] * (count - 1)
    assert [a.status_code for a in adopted] == [201] * count
    assert len({a.json()["id"] for a in adopted}) == count
    assert final["agreements"][0]["adoptions"] == count
    assert {a.status_code for a in ended} == {200} and final["status"] == "ended"
    async with _client(base, factory.api(w.other_leader)) as client:
        outside = await asyncio.gather(
            *(_send(client, "GET", f"/api/v1/meetings/{meeting}") for _ in range(count)),
            *(
                _send(
                    client,
                    "POST",
                    f"/api/v1/meetings/{meeting}/contributions",
                    json={"kind": "bring", "text": "x"},
                )
                for _ in range(count)
            ),
        )
    assert {a.status_code for a in outside} == {404}
