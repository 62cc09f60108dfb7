"""Every kind of live channel this app runs. A new one (a network page, a class screen) is one
`ChannelKind` added here: the hub runs it and `LiveChannels` mounts its paths."""

from app.db import Database
from app.realtime.board import BoardChannels
from app.realtime.channel import ChannelKind
from app.realtime.fragments import BoardRenderer
from app.realtime.network import NetworkChannels, NetworkRenderer
from app.realtime.overview import OverviewChannels, OverviewRenderer
from app.realtime.poll import PollChannels, PollRenderer


def channel_kinds(db: Database) -> list[ChannelKind]:
    return [
        BoardChannels(BoardRenderer(db)),
        OverviewChannels(OverviewRenderer(db)),
        PollChannels(PollRenderer(db)),
        NetworkChannels(NetworkRenderer(db)),
    ]
