"""A board renamed, archived and restored: the open screens (a member's and a TV's) follow."""

import json

from app.models import BoardKind, Role
from tests.test_realtime_ws import frames_until, version_of
from tests.test_screens import make_link

API = "/api/v1"


def test_a_new_title_reaches_open_screens_and_the_tv(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    member = factory.api(w.teacher)
    with (
        client.websocket_connect(f"/boards/{w.board.id}/ws", headers=member) as screen,
        client.websocket_connect(link["path"] + "/ws") as tv,
    ):
        for ws in (screen, tv):
            ws.send_text(json.dumps({"since": 0}))
            frames_until(ws, 'id="board-heading-live"')
        answer = client.patch(
            f"{API}/boards/{w.board.id}",
            json={"title": "Groep 7 en 8"},
            headers=factory.api(w.leader),
        )
        assert answer.status_code == 200
        version = answer.json()["version"]
        for ws in (screen, tv):
            frame = frames_until(ws, "Groep 7 en 8")
            assert version_of(frame)[1] == version
            assert 'id="board-heading-live"' in frame
            assert 'id="list-actions"' not in frame  # only the heading is sent again


def test_archiving_takes_the_controls_off_open_screens_and_restoring_brings_them_back(
    client, factory
):
    w = factory.world()
    member = factory.api(w.teacher)
    leader = factory.api(w.leader)
    board = f"{API}/boards/{w.board.id}"
    client.post(f"{board}/ideas", json={"text": "Leesmaatjes"}, headers=member)
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=member) as screen:
        screen.send_text(json.dumps({"since": 0}))
        first = frames_until(screen, "Leesmaatjes")
        assert "data-item=" in first  # the card's edit controls

        assert client.patch(board, json={"archived": True}, headers=leader).status_code == 200
        frame = frames_until(screen, "Dit bord is gearchiveerd.")
        assert "Leesmaatjes" in frame and "data-item=" not in frame

        assert client.patch(board, json={"archived": False}, headers=leader).status_code == 200
        frame = frames_until(screen, 'id="list-ideas"')
        assert "Dit bord is gearchiveerd." not in frame
        assert "data-item=" in frame


def test_a_care_boards_new_title_reaches_its_members_screens(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(ib,))
    headers = factory.api(ib)
    with client.websocket_connect(f"/boards/{care.id}/ws", headers=headers) as screen:
        screen.send_text(json.dumps({"since": 0}))
        frames_until(screen, 'id="board-heading-live"')
        url = f"{API}/boards/{care.id}"
        assert (
            client.patch(url, json={"title": "Zorg bovenbouw"}, headers=headers).status_code == 200
        )
        frame = frames_until(screen, "Zorg bovenbouw")
        assert 'id="board-heading-live"' in frame
        assert client.patch(url, json={"archived": True}, headers=headers).status_code == 200
        frames_until(screen, "Dit bord is gearchiveerd.")
