"""The live-channel engine with every kind on it: a new kind is one registration, and a person's
screens on every channel are found and closed in one call."""

import re
from dataclasses import dataclass, field

import pytest
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from app import main
from app.main import create_app
from app.realtime.channel import Channel, ChannelKind, Mount, Screen, Variant
from app.realtime.connection import Outgoing
from app.realtime.kinds import channel_kinds

TICKER = Variant("display", "nl")


def ticker_join(db, credential, path_arg, connection):
    """Anyone may watch a ticker; a topic that is no number is out of reach."""
    return Screen(connection, int(path_arg), TICKER, kind="ticker") if path_arg.isdigit() else None


@dataclass(eq=False)
class TickerChannel(Channel):
    versions: list[int] = field(default_factory=list)


class Ticker(ChannelKind):
    """A toy kind: every committed version of the board it is about, as it arrives."""

    name = "ticker"
    mounts = (Mount(re.compile(r"/ticker/([^/]+)/ws"), ticker_join),)

    def open(self, topic: int) -> TickerChannel:
        return TickerChannel(topic)

    def deliver(self, hub, changes) -> None:
        for change in changes:
            channel = hub.channels[self.name].get(change.board_id)
            if channel is not None:
                channel.versions.append(change.version)
                channel.wake.set()

    async def step(self, hub, channel: TickerChannel) -> None:
        joins, channel.joins = channel.joins, {}
        for screen in joins:
            if await hub.send(screen, Outgoing("joined")):
                channel.screens.setdefault(screen.variant, set()).add(screen)
        versions, channel.versions = channel.versions, []
        for version in versions:
            await hub.fan_out(channel, {TICKER: Outgoing(f"board {channel.topic} v{version}")})


@pytest.fixture
def app(settings, monkeypatch):
    monkeypatch.setattr(
        main, "channel_kinds", lambda db, base_url: [*channel_kinds(db, base_url), Ticker()]
    )
    app = create_app(settings)
    yield app
    app.state.db.dispose()


def test_a_new_channel_kind_is_one_registration(client, factory):
    w = factory.world()
    with (
        pytest.raises(WebSocketDenialResponse) as refused,
        client.websocket_connect("/ticker/x/ws"),
    ):
        pass
    assert refused.value.status_code == 404
    with client.websocket_connect(f"/ticker/{w.board.id}/ws") as ws:
        assert ws.receive_text() == "joined"
        r = client.post(
            f"/api/v1/boards/{w.board.id}/actions",
            json={"title": "Rekenmuur"},
            headers=factory.api(w.teacher),
        )
        assert r.status_code == 201
        version = r.headers["X-Board-Version"]
        assert ws.receive_text() == f"board {w.board.id} v{version}"
    # the kinds already there are mounted as before, next to it
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=factory.api(w.teacher)):
        pass


def test_a_persons_screens_on_every_channel_close_in_one_call(app, client, factory):
    """A board screen and an overview screen of the same leader both go; the teacher's stays."""
    w = factory.world()
    lead, teacher = factory.api(w.leader), factory.api(w.teacher)
    with (
        client.websocket_connect(f"/boards/{w.board.id}/ws", headers=lead) as on_board,
        client.websocket_connect(f"/schools/{w.school.id}/overview/ws", headers=lead) as overview,
        client.websocket_connect(f"/boards/{w.board.id}/ws", headers=teacher) as other,
    ):
        assert 'id="ov-teams"' in overview.receive_text()
        # ping each board screen once, so both are joined before they are looked for
        for ws in (on_board, other):
            ws.send_json({"ping": 1})
            while "live-pong" not in ws.receive_text():
                pass
        closed = client.portal.call(
            app.state.hub.drop_where, lambda screen: screen.user_id == w.leader.id
        )
        assert closed == 2
        for ws in (on_board, overview):
            with pytest.raises(WebSocketDisconnect):
                while True:
                    ws.receive_text()
        other.send_json({"ping": 1})
        while "live-pong" not in other.receive_text():
            pass
