"""Every kind of live channel this app runs. A new one (a network page, a class screen) is one
`ChannelKind` added here: the hub runs it and `serve_live_channel` answers its paths."""

from app.db import Database
from app.realtime.board import BoardChannels
from app.realtime.channel import ChannelKind
from app.realtime.fragments import BoardRenderer
from app.realtime.network import NetworkChannels, NetworkRenderer
from app.realtime.overview import OverviewChannels, OverviewRenderer
from app.realtime.poll import ClassPollChannels, ClassPollRenderer, PollChannels, PollRenderer


def channel_kinds(db: Database, base_url: str | None = None) -> list[ChannelKind]:
    """`base_url`: BORD_BASE_URL, where a pushed poll's QR code points (else the address the
    screen came in on)."""
    return [
        BoardChannels(BoardRenderer(db)),
        OverviewChannels(OverviewRenderer(db)),
        PollChannels(PollRenderer(db)),
        ClassPollChannels(ClassPollRenderer(db, base_url)),
        NetworkChannels(NetworkRenderer(db)),
    ]
