"""Two real `bord serve` processes on one PostgreSQL and one Redis.

A change made through instance A reaches a WebSocket screen on instance B; when B restarts,
the same screen reconnects and catches up with what happened while it was away.
"""

import asyncio
import json
import re

import httpx
import pytest
import websockets

from app.models import Board, Membership, Role, School, Team, TeamMember, User
from app.services import accounts
from tests.conftest import free_port
from tests.servers import start_bord, stop_bord

pytestmark = pytest.mark.redis


@pytest.fixture
def seeded(factory, backend):
    if backend != "postgres":
        pytest.skip("two instances share PostgreSQL")
    with factory.session() as s:
        school = School(name="De Regenboog", slug="regenboog")
        s.add(school)
        s.flush()
        user = User(email="juf@example.nl", name="Juf Ans", password_hash="-")
        team = Team(school_id=school.id, name="Bovenbouw")
        s.add_all([user, team])
        s.flush()
        s.add_all(
            [
                Membership(user_id=user.id, school_id=school.id, role=Role.teacher),
                TeamMember(team_id=team.id, user_id=user.id),
            ]
        )
        board = Board(team_id=team.id, title="Teambord")
        s.add(board)
        s.flush()
        token, _ = accounts.create_token(s, user)
        s.commit()
        return board.id, token


async def next_frame_with(ws, text: str) -> str:
    async with asyncio.timeout(10.0):
        while True:
            frame = await ws.recv()
            if text in frame:
                return frame


def version_of(frame: str) -> int:
    return int(re.search(r'data-to="(\d+)"', frame).group(1))


async def test_a_change_through_one_instance_reaches_screens_of_another(
    seeded, database_url, redis_url
):
    board_id, token = seeded
    port_a, port_b = free_port(), free_port()
    a = start_bord(port_a, database_url, redis_url=redis_url)
    b = start_bord(port_b, database_url, redis_url=redis_url)
    headers = {"Authorization": f"Bearer {token}"}
    url_b = f"ws://127.0.0.1:{port_b}/boards/{board_id}/ws"
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port_a}", headers=headers) as api:
            async with websockets.connect(url_b, additional_headers=headers) as ws:
                await ws.send(json.dumps({"since": 0}))
                await next_frame_with(ws, 'id="board-version"')
                r = await api.post(
                    f"/api/v1/boards/{board_id}/actions",
                    json={"title": "Leesmaatjes via instance A"},
                )
                assert r.status_code == 201
                frame = await next_frame_with(ws, "Leesmaatjes via instance A")
                seen = version_of(frame)

            # B restarts; meanwhile a change is made through A
            stop_bord(b)
            r = await api.post(
                f"/api/v1/boards/{board_id}/actions", json={"title": "Gemaakt terwijl B weg was"}
            )
            assert r.status_code == 201
            b = start_bord(port_b, database_url, redis_url=redis_url)
            async with websockets.connect(url_b, additional_headers=headers) as ws:
                await ws.send(json.dumps({"since": seen}))
                frame = await next_frame_with(ws, "Gemaakt terwijl B weg was")
                assert version_of(frame) == seen + 1

            # a display link revoked through A closes its screen on B within seconds
            link = await api.post(f"/api/v1/boards/{board_id}/screens", json={"label": "Tv"})
            display_url = f"ws://127.0.0.1:{port_b}{link.json()['path']}/ws"
            async with websockets.connect(display_url) as display:
                await display.send(json.dumps({"since": 0}))
                await next_frame_with(display, 'id="board-version"')
                r = await api.delete(f"/api/v1/screens/{link.json()['id']}")
                assert r.status_code == 204
                with pytest.raises(websockets.ConnectionClosed):
                    async with asyncio.timeout(5):
                        while True:
                            await display.recv()
    finally:
        stop_bord(a)
        stop_bord(b)


class Screen:
    """A client that follows the frames as static/js/live.js does, and fails on a gap or on a
    frame older than what it shows."""

    def __init__(self, ws, version: int) -> None:
        self.ws = ws
        self.version = version
        self.carried: list[tuple[int, int, str]] = []  # (from, to, text) of every frame applied

    async def follow_until(self, version: int) -> None:
        async with asyncio.timeout(30.0):
            while self.version < version:
                frame = await self.ws.recv()
                found = re.search(
                    r'id="board-version"[^>]*data-from="(\d+)" data-to="(\d+)"', frame
                )
                if not found:
                    continue  # presence
                start, end = int(found.group(1)), int(found.group(2))
                assert start <= self.version, f"a gap: {start}->{end} at {self.version}"
                assert end >= self.version, f"backwards: {start}->{end} at {self.version}"
                self.carried.append((start, end, frame))
                self.version = end

    def carries(self, version: int, title: str) -> bool:
        """Whether the frame that took this screen past `version` showed `title`."""
        return any(start < version <= end and title in text for start, end, text in self.carried)


async def test_interleaved_writes_through_two_instances_reach_a_screen_on_each_in_order(
    seeded, database_url, redis_url
):
    board_id, token = seeded
    port_a, port_b = free_port(), free_port()
    a = start_bord(port_a, database_url, redis_url=redis_url)
    b = start_bord(port_b, database_url, redis_url=redis_url)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port_a}", headers=headers) as api_a,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port_b}", headers=headers) as api_b,
        ):
            at = (await api_a.get(f"/api/v1/boards/{board_id}")).json()["version"]
            path = f"/boards/{board_id}/ws"
            async with (
                websockets.connect(
                    f"ws://127.0.0.1:{port_a}{path}", additional_headers=headers
                ) as ws_a,
                websockets.connect(
                    f"ws://127.0.0.1:{port_b}{path}", additional_headers=headers
                ) as ws_b,
            ):
                # the screen on A says nothing; the one on B says where it is, as a browser does
                await ws_b.send(json.dumps({"since": at}))
                on_a, on_b = Screen(ws_a, at), Screen(ws_b, at)

                async def write(api: httpx.AsyncClient, name: str) -> list[tuple[int, str]]:
                    made = []
                    for i in range(8):
                        title = f"Actie {i} via instance {name}"
                        r = await api.post(
                            f"/api/v1/boards/{board_id}/actions", json={"title": title}
                        )
                        assert r.status_code == 201, r.text
                        made.append((int(r.headers["X-Board-Version"]), title))
                    return made

                made_a, made_b = await asyncio.gather(write(api_a, "A"), write(api_b, "B"))
                made = sorted(made_a + made_b)
                assert [v for v, _ in made] == list(range(at + 1, at + 17))
                await asyncio.gather(on_a.follow_until(made[-1][0]), on_b.follow_until(made[-1][0]))
        for screen in (on_a, on_b):
            for version, title in made:
                assert screen.carries(version, title), (version, title)
        # the silent screen was never caught up: one chain of changes from where it connected
        ends = [at] + [end for _, end, _ in on_a.carried]
        assert [start for start, _, _ in on_a.carried] == ends[:-1]
    finally:
        stop_bord(a)
        stop_bord(b)
