"""Board reads from what was rendered for the board's version: ETag and 304, never a stale or
someone else's answer, gzip."""

import asyncio
import gzip
import threading

import anyio.to_thread
import httpx
from fastapi.testclient import TestClient

from app.main import create_app
from app.models import BoardKind, Role, TeamMember, User
from app.realtime.reads import BoardCache, json_entry
from app.services import screens

API = "/api/v1"
MARKER = "MARKER-LEZEN-6120"


def add_action(client, factory, user, board_id: int, title: str) -> None:
    answer = client.post(
        f"{API}/boards/{board_id}/actions", json={"title": title}, headers=factory.api(user)
    )
    assert answer.status_code == 201, answer.text


def test_json_etag_round_trip_and_never_stale(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    url = f"{API}/boards/{w.board.id}"
    add_action(client, factory, w.teacher, w.board.id, "Rekenles ontwerpen")
    first = client.get(url, headers=headers)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert first.headers["X-Board-Version"] == "1"

    again = client.get(url, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag and again.headers["X-Board-Version"] == "1"

    add_action(client, factory, w.teacher, w.board.id, "Leesouders vragen")
    after = client.get(url, headers={**headers, "If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["ETag"] != etag and after.headers["X-Board-Version"] == "2"
    assert [a["title"] for a in after.json()["actions"]] == [
        "Rekenles ontwerpen",
        "Leesouders vragen",
    ]
    # the answer is the board's whole JSON, as before
    assert after.json()["version"] == 2 and set(after.json()) == {
        "id",
        "team_id",
        "title",
        "kind",
        "version",
        "goals",
        "actions",
        "successes",
        "plan_items",
        "ideas",
        "help_requests",
        "visits",
        "lesson_designs",
        "archived",
    }


async def test_a_board_is_read_while_every_worker_thread_is_taken(client, factory, settings):
    """Monday 8:30: every worker thread waits (for a lock, a slow query); a board that was
    rendered before is still read, on the event loop, on both databases."""
    w = factory.world()
    headers = factory.api(w.teacher)
    add_action(client, factory, w.teacher, w.board.id, "Rekenles ontwerpen")
    app = create_app(settings)  # a second server on the same database, in this test's loop
    await app.state.board_reads.start()
    transport = httpx.ASGITransport(app=app)
    threads = anyio.to_thread.current_default_thread_limiter()
    tokens = threads.total_tokens
    release = threading.Event()
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bord") as server:
            url = f"{API}/boards/{w.board.id}"
            assert (await server.get(url, headers=headers)).status_code == 200  # rendered
            threads.total_tokens = 1
            holder = asyncio.ensure_future(anyio.to_thread.run_sync(release.wait))
            await asyncio.sleep(0.05)
            read = await asyncio.wait_for(server.get(url, headers=headers), 30)
            assert read.status_code == 200
            assert read.json()["actions"][0]["title"] == "Rekenles ontwerpen"
    finally:
        release.set()
        await holder
        threads.total_tokens = tokens
        app.state.token_use.close()  # its writer thread holds a connection of its own
        await app.state.board_reads.stop()
        app.state.db.dispose()


def test_page_etag_round_trip_and_never_stale(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    url = f"/boards/{w.board.id}"
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    add_action(client, factory, w.teacher, w.board.id, "Rekenles ontwerpen")
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert "Rekenles ontwerpen" in after.text
    assert after.headers["ETag"] != etag


def test_a_page_carries_its_own_readers_name_and_csrf_token(client, factory):
    w = factory.world()
    other = factory.user(w.school, name="Sanne Smit")
    factory._save(TeamMember(team_id=w.team.id, user_id=other.id))  # the same variant
    pages = {}
    for user in (w.teacher, other, w.teacher):
        client.cookies.clear()
        csrf = factory.login(user)
        page = client.get(f"/boards/{w.board.id}")
        assert page.status_code == 200
        assert f'<span class="user-name">{user.name}</span>' in page.text
        assert csrf in page.text
        pages[user.id] = page
    assert '<span class="user-name">Sanne Smit' not in pages[w.teacher.id].text
    assert pages[w.teacher.id].headers["ETag"] != pages[other.id].headers["ETag"]


def test_a_name_is_escaped(client, factory):
    w = factory.world()
    with factory.session() as s:
        user = s.get(User, w.teacher.id)
        user.name = "<b>Tim</b> & co"
        s.add(user)
        s.commit()
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}")
    assert "&lt;b&gt;Tim&lt;/b&gt; &amp; co" in page.text and "<b>Tim</b>" not in page.text


def test_variants_never_share_a_page(client, factory):
    w = factory.world()
    answer = client.post(
        f"{API}/boards/{w.board.id}/help-requests",
        json={"text": "Een extra studiedag?"},
        headers=factory.api(w.teacher),
    )
    assert answer.status_code == 201
    english = factory.user(w.school, name="Emma English")
    with factory.session() as s:
        row = s.get(User, english.id)
        row.locale = "en"
        s.add(row)
        s.commit()
    factory._save(TeamMember(team_id=w.team.id, user_id=english.id))

    def page_of(user):
        client.cookies.clear()
        factory.login(user)
        page = client.get(f"/boards/{w.board.id}")
        assert page.status_code == 200
        return page.text

    for _ in range(2):  # the second round is answered from the cache
        leader, teacher, en = page_of(w.leader), page_of(w.teacher), page_of(english)
        assert "Beantwoorden" in leader  # a leader answers help requests
        assert "Beantwoorden" not in teacher and "Answer" not in teacher
        assert 'lang="en"' in en and "Successes" in en and "Successen" not in en
        assert 'lang="nl"' in teacher and "Successen" in teacher
        assert 'href="/schools/' in leader and 'href="/schools/' not in teacher

    # a display link's page shows no edit controls, whatever members' pages were made before
    with factory.session() as s:
        token, _ = screens.create_link(s, w.board, None)
        s.commit()
    client.cookies.clear()
    display = client.get(f"/screen/{token}")
    assert display.status_code == 200
    assert "Bewerken" not in display.text and "Een extra studiedag?" in display.text


def test_a_cached_board_stays_out_of_reach(client, factory):
    """A board read once by those who may see it is still a 404, without its contents, for
    everyone else: another school, a team outside it, and a care board's non-members."""
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    add_action(client, factory, w.teacher, w.board.id, f"Leesplan {MARKER}")
    add_action(client, factory, ib, care.id, f"Zorgplan {MARKER}")
    for user, board in [(w.teacher, w.board), (ib, care)]:
        answer = client.get(f"{API}/boards/{board.id}", headers=factory.api(user))
        assert MARKER in answer.text
        client.cookies.clear()
        factory.login(user)
        assert client.get(f"/boards/{board.id}").status_code == 200
    for user, board in [
        (w.other_teacher, w.board),
        (w.other_leader, w.board),
        (w.teacher, care),
        (w.leader, care),
        (w.admin, care),
    ]:
        answer = client.get(f"{API}/boards/{board.id}", headers=factory.api(user))
        assert answer.status_code == 404 and MARKER not in answer.text
        client.cookies.clear()
        factory.login(user)
        page = client.get(f"/boards/{board.id}")
        assert page.status_code == 404 and MARKER not in page.text
    client.cookies.clear()
    assert client.get(f"{API}/boards/{w.board.id}").status_code == 401
    bad = {"Authorization": "Bearer bord_not-a-token"}
    assert client.get(f"{API}/boards/{w.board.id}", headers=bad).status_code == 401
    assert client.get(f"/boards/{w.board.id}", follow_redirects=False).status_code == 303


def raw(client, url: str, headers: dict[str, str]) -> tuple[dict, bytes]:
    """The answer's bytes as they travel (httpx would decode them)."""
    with client.stream("GET", url, headers=headers) as answer:
        assert answer.status_code == 200
        return dict(answer.headers), b"".join(answer.iter_raw())


def test_gzip_when_asked_and_the_same_bytes_after(client, factory):
    w = factory.world()
    for i in range(30):
        add_action(client, factory, w.teacher, w.board.id, f"Actie {i}: een rekenles ontwerpen")
    api = factory.api(w.teacher)
    factory.login(w.teacher)
    for url, headers in [(f"{API}/boards/{w.board.id}", api), (f"/boards/{w.board.id}", {})]:
        plain_headers, plain = raw(client, url, {**headers, "Accept-Encoding": "identity"})
        assert "content-encoding" not in plain_headers
        for _ in range(2):
            packed_headers, packed = raw(client, url, {**headers, "Accept-Encoding": "gzip"})
            assert packed_headers["content-encoding"] == "gzip"
            assert "Accept-Encoding" in packed_headers["vary"]
            assert len(packed) < len(plain) / 3
            assert gzip.decompress(packed) == plain


def test_other_pages_are_gzipped_too(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    headers, packed = raw(client, "/", {"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip"
    assert b"Bovenbouw" in gzip.decompress(packed)


def test_the_board_is_answered_before_the_routing_as_the_routing_answers_it(app, client, factory):
    """GET /api/v1/boards/{id} and /boards/{id} skip FastAPI's routing (app/web/direct_reads.py);
    "0{id}" is the same board through the routing. Both give the same answers, errors too."""
    w = factory.world()
    add_action(client, factory, w.teacher, w.board.id, "Rekenles ontwerpen")
    scopes: list[dict] = []

    async def recorded(scope, receive, send):
        await app(scope, receive, send)
        scopes.append(scope)

    reader = TestClient(recorded)
    factory.login(w.teacher, reader)
    token = {"Authorization": f"Bearer {factory.token(w.teacher)}"}
    outsider = {"Authorization": f"Bearer {factory.token(w.other_teacher)}"}
    nobody = {"Cookie": "bord_session=", "Authorization": "Bearer onbekend"}
    for path, credential, refused in ((f"{API}/boards/{{}}", token, 401), ("/boards/{}", {}, 303)):
        statuses = []
        etag = reader.get(path.format(w.board.id), headers=credential).headers["ETag"]
        for headers in (
            {**credential, "Accept-Encoding": "identity"},
            {**credential, "Accept-Encoding": "gzip"},
            {**credential, "If-None-Match": etag},
            outsider,
            nobody,
        ):
            answers = []
            for board in (str(w.board.id), f"0{w.board.id}"):
                with reader.stream(
                    "GET", path.format(board), headers=headers, follow_redirects=False
                ) as answer:
                    body = b"".join(answer.iter_raw())
                    sent = dict(answer.headers)
                if sent.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                # a page names the path it was asked for (where to come back after logging in)
                asked = f'"{path.format(board)}"'.encode()
                body = body.replace(asked, f'"{path.format(w.board.id)}"'.encode())
                if "location" in sent:
                    sent["location"] = sent["location"].replace(board, str(w.board.id))
                for varies in ("date", "content-length"):
                    sent.pop(varies, None)
                answers.append((answer.status_code, sent, body))
                routed = "endpoint" in scopes[-1]
                assert routed == board.startswith("0"), (path, board)
            assert answers[0] == answers[1], (path, headers)
            statuses.append(answers[0][0])
        assert statuses == [200, 200, 304, 404, refused], path
    # what the direct path leaves alone is the routing's: a bad id is a 422 naming it
    for bad in ("0", str(2**31), "99999999999", "één"):
        answer = reader.get(f"{API}/boards/{bad}", headers=token)
        assert answer.status_code == 422, bad
        assert answer.json()["detail"][0]["loc"][-1] == "board_id", bad
        assert "endpoint" in scopes[-1], bad


def test_the_cache_keeps_only_a_boards_newest_version_and_its_bound():
    cache = BoardCache(max_bytes=10_000)
    cache.put(1, "json", json_entry(3, "a", b"x" * 100))
    cache.put(1, "other", json_entry(3, "b", b"y" * 100))
    cache.put(1, "json", json_entry(4, "c", b"z" * 100))
    assert cache.get(1, "other", 3) is None  # dropped with version 3
    assert cache.get(1, "json", 5) is None  # older than asked
    assert cache.get(1, "json", 4).etag == "c"
    cache.put(1, "json", json_entry(2, "d", b"w"))  # a slow render of an older version
    assert cache.get(1, "json", 4).etag == "c"
    for board in range(2, 200):
        cache.put(board, "json", json_entry(1, str(board), bytes(range(256)) * 4))
    assert cache.get(1, "json", 4) is None  # the least recently used went
    assert cache.get(199, "json", 1) is not None


def test_the_same_entry_rendered_twice_stays_tracked_and_is_dropped_with_its_version():
    """Two misses at once store the same key twice; the board still knows it, so a newer
    version and the size bound both drop it cleanly."""
    cache = BoardCache(max_bytes=10_000)
    cache.put(1, "json", json_entry(3, "a", b"x" * 100))
    cache.put(1, "json", json_entry(3, "a", b"x" * 100))
    cache.put(1, "other", json_entry(4, "b", b"y" * 100))
    assert cache.get(1, "json", 3) is None  # dropped with version 3
    for board in range(2, 200):
        cache.put(board, "json", json_entry(1, str(board), bytes(range(256)) * 4))
    assert cache.get(199, "json", 1) is not None
