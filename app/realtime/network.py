"""A leernetwerk's live channel: `/networks/{id}/ws`, for the network's members only.

A network is not a board: its changes travel as changes of no board (board id 0) naming the
network (entity "network", `entity_id` the network; app/services/networks.py). Every change, and
every join, sends the whole list of practices, of questions with their answers and of meetings
with each meeting's agenda panel (its page and its shared screen swap in theirs), rendered once
per language (the same for every member: "Dit hielp" is shown to the asker by the page), so the
channel needs no versions: whatever arrives last is read from the database as it is then.
"""

import re
from dataclasses import dataclass

from app import i18n
from app.db import Database
from app.models.change import BoardChange
from app.models.network import Network
from app.realtime.channel import (
    Channel,
    ChannelKind,
    Closing,
    Mount,
    Screen,
    Variant,
)
from app.realtime.connection import Outgoing
from app.realtime.hub import Hub
from app.realtime.signed_in import join_by_id
from app.services import meeting_view, network_meetings, network_questions, networks
from app.templating import render_string, templates_for

KIND = "network"
TEMPLATE = "pages/networks/live.html"
MEMBER = "member"


class NetworkRenderer:
    """Reads the database; runs in a worker thread."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def warm_up(self) -> None:
        for locale in i18n.LOCALES:
            templates_for(locale).env.get_template(TEMPLATE)

    def frames(self, network_id: int, variants: list[Variant]) -> dict[Variant, str]:
        with self.db.session(write=False) as session:
            network = session.get(Network, network_id)
            if network is None:
                return {}
            practices = networks.all_practices(session, network_id)
            questions = network_questions.listed(session, network_id)
            meetings = [
                meeting_view.view(session, m)
                for m in network_meetings.network_meetings(session, network_id)
            ]
            context = {
                "network": network,
                "practices": practices,
                "questions": questions,
                "meetings": meetings,
            }
            return {
                v: render_string(v.locale, TEMPLATE, "network", **context, oob=True)
                + render_string(v.locale, TEMPLATE, "meetings", **context, oob=True)
                for v in variants
            }


@dataclass(eq=False)
class NetworkChannel(Channel):
    dirty: bool = False  # a change not yet sent


class NetworkChannels(ChannelKind):
    name = KIND
    mounts = (
        Mount(re.compile(r"/networks/([^/]+)/ws"), join_by_id(KIND, MEMBER, networks.get_network)),
    )

    def __init__(self, renderer: NetworkRenderer) -> None:
        self.renderer = renderer

    def warm_up(self) -> None:
        self.renderer.warm_up()

    def open(self, topic: int) -> NetworkChannel:
        return NetworkChannel(topic)

    def closing(self, change: BoardChange) -> Closing | None:
        return None  # members are not removed yet

    def deliver(self, hub: Hub, changes: list[BoardChange]) -> None:
        open_networks = hub.channels[KIND]
        for change in changes:
            if change.entity != networks.ENTITY or change.entity_id is None:
                continue
            channel = open_networks.get(change.entity_id)
            if isinstance(channel, NetworkChannel):
                channel.dirty = True
                channel.wake.set()

    def resync(self, hub: Hub, channel: Channel) -> None:
        assert isinstance(channel, NetworkChannel)
        channel.dirty = True
        channel.wake.set()

    async def step(self, hub: Hub, channel: Channel) -> None:
        assert isinstance(channel, NetworkChannel)
        if channel.dirty and channel.screens:
            channel.dirty = False
            frames = await hub.call(self.renderer.frames, channel.topic, list(channel.screens))
            await hub.fan_out(channel, {v: Outgoing(text) for v, text in frames.items()})
        if channel.joins:
            channel.joining, channel.joins = channel.joins, {}
            try:
                await self._join(hub, channel, [s for s in channel.joining if s.live])
            finally:
                channel.joining = {}

    async def _join(self, hub: Hub, channel: NetworkChannel, waiting: list[Screen]) -> None:
        """Each new screen gets the whole list; a change committed meanwhile is dirty and
        reaches it in the next step."""
        if not waiting:
            return
        frames = await hub.call(
            self.renderer.frames, channel.topic, list({s.variant for s in waiting})
        )
        for screen in waiting:
            frame = frames.get(screen.variant)
            if screen.live and frame is not None and await hub.send(screen, Outgoing(frame)):
                channel.screens.setdefault(screen.variant, set()).add(screen)
