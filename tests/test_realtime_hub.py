"""The hub on its own: variants rendered once, slow screens dropped, catch-up, order."""

import asyncio

from app.realtime.changes import BoardChange
from app.realtime.hub import Hub, Screen, Variant

MEMBER_NL = Variant("member", "nl")
MEMBER_EN = Variant("member", "en")
DISPLAY_NL = Variant("display", "nl")


class FakeConnection:
    def __init__(self, backlogged: bool = False, fail: bool = False) -> None:
        self.frames: list[str] = []
        self._backlogged = backlogged
        self._fail = fail
        self.dropped = False

    async def send(self, frame) -> None:
        if self._fail:
            raise ConnectionResetError
        self.frames.append(frame.text)

    def backlogged(self) -> bool:
        return self._backlogged

    def drop(self) -> None:
        self.dropped = True


class FakeRenderer:
    """Counts renders; the board 'database' is just a version number."""

    def __init__(self) -> None:
        self.version = 0
        self.renders: list[tuple[str, Variant]] = []
        self.catch_ups: list[int] = []

    def changes(self, board_id, sections, variants, since):
        for v in variants:
            self.renders.append(("changes", v))
        return self.version, {
            v: f"{v.audience}-{v.locale}:{since}->{self.version}:{','.join(sorted(sections))}"
            for v in variants
        }

    def catch_up(self, board_id, since, variants):
        self.catch_ups.append(since)
        return self.version, {v: f"catchup:{since}->{self.version}" for v in variants}

    def presence(self, board_id, names, displays, version, variants):
        return {v: f"presence:{','.join(names)}:{displays}" for v in variants}


async def direct(fn, *args):
    return fn(*args)


async def settle():
    for _ in range(20):
        await asyncio.sleep(0)


def screen(conn, variant=MEMBER_NL, name="Ans", board_id=1):
    return Screen(conn, board_id, variant, name)


async def test_a_change_is_rendered_once_per_variant_and_sent_to_every_screen():
    renderer = FakeRenderer()
    hub = Hub(renderer, run_in_thread=direct)
    conns = {v: [FakeConnection() for _ in range(3)] for v in (MEMBER_NL, MEMBER_EN, DISPLAY_NL)}
    for variant, group in conns.items():
        for c in group:
            hub.attach(screen(c, variant, "" if variant.audience == "display" else "Ans"), 0)
    await settle()
    renderer.renders.clear()

    renderer.version = 1
    hub.deliver(BoardChange(1, 1, ("actions",)))
    await settle()

    assert sorted((v.locale, v.audience) for _, v in renderer.renders) == [
        ("en", "member"),
        ("nl", "display"),
        ("nl", "member"),
    ]
    for variant, group in conns.items():
        frames = {c.frames[-1] for c in group}
        assert frames == {f"{variant.audience}-{variant.locale}:0->1:actions"}
    await hub.close()


async def test_changes_arriving_while_busy_are_merged_into_one_render():
    renderer = FakeRenderer()
    hub = Hub(renderer, run_in_thread=direct)
    conn = FakeConnection()
    hub.attach(screen(conn), 0)
    await settle()
    renderer.renders.clear()
    renderer.version = 3
    for version, section in ((1, "actions"), (2, "ideas"), (3, "actions")):
        hub.deliver(BoardChange(1, version, (section,)))
    await settle()
    assert len(renderer.renders) == 1
    assert conn.frames[-1] == "member-nl:0->3:actions,ideas"
    # a late, older change is not rendered again
    hub.deliver(BoardChange(1, 2, ("goals",)))
    await settle()
    assert len(renderer.renders) == 1
    await hub.close()


async def test_a_backlogged_screen_is_dropped_and_the_others_still_get_the_frame():
    renderer = FakeRenderer()
    hub = Hub(renderer, run_in_thread=direct)
    slow, dead, fine = FakeConnection(), FakeConnection(), FakeConnection()
    for c in (slow, dead, fine):
        hub.attach(screen(c), 0)
    await settle()
    slow._backlogged = True
    dead._fail = True
    renderer.version = 1
    hub.deliver(BoardChange(1, 1, ("actions",)))
    await settle()
    assert slow.dropped and dead.dropped
    assert "member-nl:0->1:actions" in fine.frames
    assert hub.dropped == 2
    assert len(hub.channels[1].all_screens()) == 1
    await hub.close()


async def test_a_joining_screen_is_caught_up_from_its_version_before_new_frames():
    renderer = FakeRenderer()
    renderer.version = 7
    hub = Hub(renderer, run_in_thread=direct)
    conn = FakeConnection()
    s = screen(conn)
    hub.attach(s, 4)
    await settle()
    assert conn.frames[0] == "catchup:4->7"
    assert s.version == 7
    # a gap noticed later: the screen asks again and is caught up again
    renderer.version = 9
    hub.catch_up(s, 7)
    await settle()
    assert renderer.catch_ups == [4, 7]
    assert "catchup:7->9" in conn.frames
    await hub.close()


async def test_presence_names_members_and_counts_display_screens():
    renderer = FakeRenderer()
    hub = Hub(renderer, run_in_thread=direct)
    member = FakeConnection()
    hub.attach(screen(member, name="Ans"), 0)
    hub.attach(screen(FakeConnection(), name="Bram"), 0)
    hub.attach(screen(FakeConnection(), DISPLAY_NL, name=""), 0)
    await settle()
    assert member.frames[-1] == "presence:Ans,Bram:1"
    await hub.close()


async def test_the_same_person_on_a_second_device_sees_who_is_there():
    renderer = FakeRenderer()
    hub = Hub(renderer, run_in_thread=direct)
    hub.attach(screen(FakeConnection(), name="Ans"), 0)
    await settle()
    phone = FakeConnection()
    hub.attach(screen(phone, name="Ans"), 0)  # nothing changes in who is there
    await settle()
    assert phone.frames[-1] == "presence:Ans:0"
    await hub.close()


async def test_presence_is_sent_at_most_once_per_interval_when_a_school_reconnects(monkeypatch):
    monkeypatch.setattr("app.realtime.hub.PRESENCE_INTERVAL", 0.2)
    renderer = FakeRenderer()
    hub = Hub(renderer, run_in_thread=direct)
    first = FakeConnection()
    hub.attach(screen(first, name="Ans"), 0)
    await settle()
    for i in range(50):
        hub.attach(screen(FakeConnection(), name=f"Leerkracht {i:02d}"), 0)
        await settle()
    presence = [f for f in first.frames if f.startswith("presence:")]
    assert len(presence) == 1  # the first join; the rest wait for the interval
    await asyncio.sleep(0.3)
    presence = [f for f in first.frames if f.startswith("presence:")]
    assert len(presence) == 2 and "Leerkracht 49" in presence[-1]
    await hub.close()


async def test_a_board_without_screens_renders_nothing():
    renderer = FakeRenderer()
    hub = Hub(renderer, run_in_thread=direct)
    hub.deliver(BoardChange(5, 1, ("actions",)))
    await settle()
    assert renderer.renders == []


async def test_a_join_that_reads_a_newer_version_brings_the_other_screens_there_too():
    renderer = FakeRenderer()
    hub = Hub(renderer, run_in_thread=direct)
    watching = FakeConnection()
    first = screen(watching)
    hub.attach(first, 0)
    await settle()
    # a change is committed; before the bus delivers it, another screen joins and its
    # catch-up reads the new version
    renderer.version = 1
    hub.attach(screen(FakeConnection(), name="Bram"), 0)
    await settle()
    hub.deliver(BoardChange(1, 1, ("actions",)))
    await settle()
    assert first.version == 1
    assert any(f.endswith("->1") for f in watching.frames if not f.startswith("presence"))
    await hub.close()
