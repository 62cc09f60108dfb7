"""Access taken away closes the person's live screens at once: in process, and across two
real instances joined by Redis."""

import asyncio
import json

import httpx
import pytest
import websockets
from starlette.websockets import WebSocketDisconnect

from app.models import Board, Membership, Role, School, Team, TeamMember, User
from app.models.change import BoardChange
from app.realtime.board import BoardChannels
from app.realtime.channel import ACCESS_ENDED, Screen
from app.realtime.hub import Hub
from app.services import accounts
from tests.conftest import free_port
from tests.servers import start_bord, stop_bord
from tests.test_realtime_hub import MEMBER_NL, FakeConnection, FakeRenderer, direct, settle
from tests.test_realtime_ws import frames_until, joins


def closed_with(ws, limit: int = 20) -> int:
    """Read until the server closes the screen; the close code."""
    for _ in range(limit):
        try:
            ws.receive_text()
        except WebSocketDisconnect as closed:
            return closed.code
    raise AssertionError("the screen stayed open")


def test_a_removed_colleagues_screen_closes_and_the_others_stay(client, factory):
    w = factory.world()
    colleague = factory.user(w.school, Role.teacher, name="Cor Collega")
    with factory.session() as s:
        s.add(TeamMember(team_id=w.team.id, user_id=colleague.id))
        s.commit()
    url = f"/boards/{w.board.id}/ws"
    removed, stays = factory.api(w.teacher), factory.api(colleague)
    with (
        client.websocket_connect(url, headers=removed) as gone,
        client.websocket_connect(url, headers=stays) as other,
    ):
        for ws in (gone, other):
            ws.send_text(json.dumps({"since": 0}))
            frames_until(ws, 'id="list-actions"')
        answer = client.delete(
            f"/api/v1/schools/{w.school.id}/people/{w.teacher.id}", headers=factory.api(w.leader)
        )
        assert answer.status_code == 204
        assert closed_with(gone) == ACCESS_ENDED
        frame = frames_until(other, 'id="session-panel"')  # the team changed: its names too
        assert "data-to=" in frame
    assert not joins(client, url, removed)
    assert joins(client, url, stays)


def test_a_leader_demoted_off_a_board_loses_its_screen(client, factory):
    w = factory.world()
    second = factory.user(w.school, Role.leader)
    url = f"/boards/{w.outsider_board.id}/ws"
    mine = factory.api(w.leader)
    with client.websocket_connect(url, headers=mine) as ws:
        ws.send_text(json.dumps({"since": 0}))
        frames_until(ws, 'id="list-actions"')
        answer = client.patch(
            f"/api/v1/schools/{w.school.id}/people/{w.leader.id}",
            json={"role": "teacher"},
            headers=factory.api(second),
        )
        assert answer.status_code == 200
        assert closed_with(ws) == ACCESS_ENDED
    assert not joins(client, url, mine)


# --- two instances ------------------------------------------------------------------------------


@pytest.fixture
def school_on_postgres(factory, backend):
    if backend != "postgres":
        pytest.skip("two instances share PostgreSQL")
    with factory.session() as s:
        school = School(name="De Regenboog", slug="regenboog")
        s.add(school)
        s.flush()
        teacher = User(email="juf@example.nl", name="Juf Ans", password_hash="-")
        leader = User(email="meester@example.nl", name="Meester Bas", password_hash="-")
        team = Team(school_id=school.id, name="Bovenbouw")
        s.add_all([teacher, leader, team])
        s.flush()
        s.add_all(
            [
                Membership(user_id=teacher.id, school_id=school.id, role=Role.teacher),
                Membership(user_id=leader.id, school_id=school.id, role=Role.leader),
                TeamMember(team_id=team.id, user_id=teacher.id),
            ]
        )
        s.flush()
        board = Board(team_id=team.id, title="Teambord")
        s.add(board)
        s.flush()
        teacher_token, _ = accounts.create_token(s, teacher)
        leader_token, _ = accounts.create_token(s, leader)
        s.commit()
        return school.id, board.id, teacher.id, teacher_token, leader_token


async def test_removal_through_one_instance_closes_the_screen_on_another(
    school_on_postgres, database_url, redis_url
):
    school_id, board_id, teacher_id, teacher_token, leader_token = school_on_postgres
    port_a, port_b = free_port(), free_port()
    a = start_bord(port_a, database_url, redis_url=redis_url)
    b = start_bord(port_b, database_url, redis_url=redis_url)
    try:
        url_b = f"ws://127.0.0.1:{port_b}/boards/{board_id}/ws"
        teacher = {"Authorization": f"Bearer {teacher_token}"}
        async with websockets.connect(url_b, additional_headers=teacher) as ws:
            await ws.send(json.dumps({"since": 0}))
            await asyncio.wait_for(ws.recv(), 10)
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port_a}",
                headers={"Authorization": f"Bearer {leader_token}"},
            ) as api:
                r = await api.delete(f"/api/v1/schools/{school_id}/people/{teacher_id}")
                assert r.status_code == 204
            with pytest.raises(websockets.ConnectionClosed) as closed:
                async with asyncio.timeout(5):
                    while True:
                        await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == ACCESS_ENDED
    finally:
        stop_bord(a)
        stop_bord(b)


# --- the hub on its own -------------------------------------------------------------------------


async def test_the_hub_closes_only_the_removed_persons_screens_of_that_board():
    hub = Hub([BoardChannels(FakeRenderer())], run_in_thread=direct)
    gone, stays, elsewhere = FakeConnection(), FakeConnection(), FakeConnection()
    for connection, board_id, user_id in ((gone, 1, 7), (stays, 1, 8), (elsewhere, 2, 7)):
        hub.attach(Screen(connection, board_id, MEMBER_NL, "x", user_id=user_id), 0)
    await settle()
    hub.deliver([BoardChange(1, 1, ("session",), "school_member", 7, "removed")])
    await settle()
    assert gone.closed_with == ACCESS_ENDED
    assert not stays.dropped and not elsewhere.dropped
    await hub.close()
