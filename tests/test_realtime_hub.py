"""The hub on its own: variants rendered once, slow screens dropped, catch-up, order."""

import asyncio

from app.models.change import BoardChange
from app.realtime.board import BoardChannels
from app.realtime.channel import Screen, Variant
from app.realtime.hub import Hub

MEMBER_NL = Variant("member", "nl")
MEMBER_EN = Variant("member", "en")
DISPLAY_NL = Variant("display", "nl")


class FakeConnection:
    def __init__(self, backlogged: bool = False, fail: bool = False) -> None:
        self.frames: list[str] = []
        self._backlogged = backlogged
        self._fail = fail
        self.dropped = False
        self.closed_with: int | None = None

    async def send(self, *frames) -> None:
        if self._fail:
            raise ConnectionResetError
        self.frames += [frame.text for frame in frames]

    def backlogged(self) -> bool:
        return self._backlogged

    def drop(self) -> None:
        self.dropped = True

    def close(self, code: int) -> None:
        self.dropped = True
        self.closed_with = code


class FakeRenderer:
    """Counts renders; the board 'database' is a version number and the sections each version
    changed (its events)."""

    def __init__(self) -> None:
        self.version = 0
        self.events: dict[int, tuple[str, ...]] = {}
        self.renders: list[tuple[str, Variant]] = []
        self.catch_ups: list[int] = []

    def commit(self, *sections: str) -> BoardChange:
        self.version += 1
        self.events[self.version] = sections
        return BoardChange(1, self.version, sections)

    def board_version(self, board_id):
        return self.version

    def changes(self, board_id, sections, variants, since, known):
        sections = set(sections)
        for v in range(known + 1, self.version + 1):
            sections.update(self.events.get(v, ()))
        for v in variants:
            self.renders.append(("changes", v))
        return self.version, {
            v: f"{v.audience}-{v.locale}:{since}->{self.version}:{','.join(sorted(sections))}"
            for v in variants
        }

    def changes_at_once(self, board_id, sections, variants, since, known):
        return None  # always through the worker thread (`run_in_thread`)

    def catch_up(self, board_id, since, variants):
        self.catch_ups.append(since)
        return self.version, {v: f"catchup:{since}->{self.version}" for v in variants}

    def marker(self, locale, since, version):
        return f"catchup:{since}->{version}"

    def presence(self, board_id, names, displays, version, variants):
        return {v: f"presence:{','.join(names)}:{displays}" for v in variants}


async def direct(fn, *args):
    return fn(*args)


async def settle():
    for _ in range(20):
        await asyncio.sleep(0)


def screen(conn, variant=MEMBER_NL, name="Ans", board_id=1, version=0):
    """`version`: the board's version read as the screen connected."""
    return Screen(conn, board_id, variant, name, version=version)


async def test_a_change_is_rendered_once_per_variant_and_sent_to_every_screen():
    renderer = FakeRenderer()
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    conns = {v: [FakeConnection() for _ in range(3)] for v in (MEMBER_NL, MEMBER_EN, DISPLAY_NL)}
    for variant, group in conns.items():
        for c in group:
            hub.attach(screen(c, variant, "" if variant.audience == "display" else "Ans"), 0)
    await settle()
    renderer.renders.clear()

    hub.deliver([renderer.commit("actions")])
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
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    conn = FakeConnection()
    hub.attach(screen(conn), 0)
    await settle()
    renderer.renders.clear()
    commits = [renderer.commit("actions"), renderer.commit("ideas"), renderer.commit("actions")]
    for change in commits:
        hub.deliver([change])
    await settle()
    assert len(renderer.renders) == 1
    assert conn.frames[-1] == "member-nl:0->3:actions,ideas"
    await hub.close()


def change_frames(conn: FakeConnection) -> list[tuple[int, int, set[str]]]:
    """(from, to, sections) of every change frame a screen received, in order."""
    found = []
    for frame in conn.frames:
        if frame.startswith("member-") or frame.startswith("display-"):
            span, _, sections = frame.split(":", 1)[1].partition(":")
            start, _, end = span.partition("->")
            found.append((int(start), int(end), set(filter(None, sections.split(",")))))
    return found


def assert_one_chain(frames, start: int) -> None:
    """Frames only go forward, each starting where the screen was: no gap goes unnoticed."""
    at = start
    for begin, end, _ in frames:
        assert begin == at and end > begin, frames
        at = end


async def test_a_change_delivered_after_a_newer_one_still_reaches_every_screen():
    renderer = FakeRenderer()
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    renderer.commit("goals")
    conns = [FakeConnection() for _ in range(3)]
    for c in conns:
        hub.attach(screen(c), 1)
    await settle()
    # two commits (two instances, two request threads); version 3 is delivered first
    four, five = renderer.commit("ideas"), renderer.commit("actions")
    hub.deliver([five])
    await settle()
    hub.deliver([four])
    await settle()
    for c in conns:
        frames = change_frames(c)
        assert_one_chain(frames, 1)
        assert frames[-1][1] == 3
        assert {"ideas", "actions"} <= set().union(*(f[2] for f in frames))
    await hub.close()


async def test_out_of_order_deliveries_in_any_order_bring_every_screen_every_section():
    renderer = FakeRenderer()
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    member, display = FakeConnection(), FakeConnection()
    hub.attach(screen(member), 0)
    hub.attach(screen(display, DISPLAY_NL, name=""), 0)
    await settle()
    sections = ["actions", "ideas", "goals", "plan", "help", "successes"]
    commits = [renderer.commit(name) for name in sections]
    # delivered in a scrambled order, some while the worker is busy, some after it settled
    for index in (4, 1, 5):
        hub.deliver([commits[index]])
    await settle()
    for index in (0, 3, 2):
        hub.deliver([commits[index]])
        await settle()
    for conn in (member, display):
        frames = change_frames(conn)
        assert_one_chain(frames, 0)
        assert frames[-1][1] == len(sections)
        assert set(sections) <= set().union(*(f[2] for f in frames))
    await hub.close()


async def test_a_commit_of_several_versions_arrives_as_one_delivery():
    renderer = FakeRenderer()
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    conn = FakeConnection()
    hub.attach(screen(conn), 0)
    await settle()
    renderer.renders.clear()
    hub.deliver([renderer.commit("session"), renderer.commit("actions")])
    await settle()
    assert change_frames(conn) == [(0, 2, {"session", "actions"})]
    assert len(renderer.renders) == 1
    await hub.close()


async def test_a_silent_screen_is_sent_every_change_from_the_moment_it_joins():
    renderer = FakeRenderer()
    renderer.commit("actions")
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    silent = FakeConnection()
    hub.attach(screen(silent, version=1))  # says nothing, ever
    await settle()
    assert change_frames(silent) == [] and renderer.catch_ups == []
    hub.deliver([renderer.commit("ideas")])
    await settle()
    hub.deliver([renderer.commit("goals")])
    await settle()
    assert change_frames(silent) == [(1, 2, {"ideas"}), (2, 3, {"goals"})]
    await hub.close()


async def test_a_change_committed_as_a_silent_screen_connects_still_reaches_it():
    renderer = FakeRenderer()
    renderer.commit("actions")
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    watching = FakeConnection()
    hub.attach(screen(watching), 1)
    await settle()
    silent = FakeConnection()
    hub.attach(screen(silent, name="Bram", version=1))
    hub.deliver([renderer.commit("ideas")])  # before the hub got round to the new screen
    await settle()
    assert change_frames(watching) == [(1, 2, {"ideas"})]
    assert silent.frames[0] == "catchup:1->2"
    await hub.close()


async def test_a_hello_after_joining_brings_only_what_was_not_sent():
    renderer = FakeRenderer()
    renderer.commit("actions")
    renderer.commit("ideas")
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    watching = FakeConnection()
    hub.attach(screen(watching), 2)
    await settle()
    # a browser page at version 1 connects; its hello reaches the hub after a change went out
    late = FakeConnection()
    s = screen(late, name="Bram", version=2)
    hub.attach(s)
    await settle()
    hub.deliver([renderer.commit("goals")])
    await settle()
    hub.catch_up(s, 1)  # it was never sent version 2: caught up from its own version 1
    await settle()
    hub.catch_up(s, 1)  # the same hello again, after the catch-up went out: nothing is resent
    await settle()
    frames = [f for f in late.frames if not f.startswith("presence")]
    assert frames == ["member-nl:2->3:goals", "catchup:1->3", "catchup:3->3"]
    await hub.close()


async def test_a_hello_that_arrives_with_the_connection_costs_one_catch_up():
    renderer = FakeRenderer()
    renderer.commit("actions")
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    conn = FakeConnection()
    s = screen(conn, version=1)
    hub.attach(s)
    hub.catch_up(s, 0)
    await settle()
    assert renderer.catch_ups == [0]
    assert [f for f in conn.frames if not f.startswith("presence")] == ["catchup:0->1"]
    await hub.close()


async def test_a_backlogged_screen_is_dropped_and_the_others_still_get_the_frame():
    renderer = FakeRenderer()
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    slow, dead, fine = FakeConnection(), FakeConnection(), FakeConnection()
    for c in (slow, dead, fine):
        hub.attach(screen(c), 0)
    await settle()
    slow._backlogged = True
    dead._fail = True
    hub.deliver([renderer.commit("actions")])
    await settle()
    assert slow.dropped and dead.dropped
    assert "member-nl:0->1:actions" in fine.frames
    assert hub.dropped == 2
    assert len(hub.channels["board"][1].all_screens()) == 1
    await hub.close()


async def test_a_joining_screen_is_caught_up_from_its_version_before_new_frames():
    renderer = FakeRenderer()
    renderer.version = 7
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
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
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    member = FakeConnection()
    hub.attach(screen(member, name="Ans"), 0)
    hub.attach(screen(FakeConnection(), name="Bram"), 0)
    hub.attach(screen(FakeConnection(), DISPLAY_NL, name=""), 0)
    await settle()
    assert member.frames[-1] == "presence:Ans,Bram:1"
    await hub.close()


async def test_the_same_person_on_a_second_device_sees_who_is_there():
    renderer = FakeRenderer()
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    hub.attach(screen(FakeConnection(), name="Ans"), 0)
    await settle()
    phone = FakeConnection()
    hub.attach(screen(phone, name="Ans"), 0)  # nothing changes in who is there
    await settle()
    assert phone.frames[-1] == "presence:Ans:0"
    await hub.close()


async def test_presence_is_sent_at_most_once_per_interval_when_a_school_reconnects(monkeypatch):
    monkeypatch.setattr("app.realtime.board.PRESENCE_INTERVAL", 0.2)
    renderer = FakeRenderer()
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
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
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    hub.deliver([BoardChange(5, 1, ("actions",))])
    await settle()
    assert renderer.renders == []


async def test_a_join_that_reads_a_newer_version_brings_the_other_screens_there_too():
    renderer = FakeRenderer()
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    watching = FakeConnection()
    first = screen(watching)
    hub.attach(first, 0)
    await settle()
    # a change is committed; before the bus delivers it, another screen joins and its
    # catch-up reads the new version
    renderer.version = 1
    hub.attach(screen(FakeConnection(), name="Bram"), 0)
    await settle()
    hub.deliver([BoardChange(1, 1, ("actions",))])
    await settle()
    assert first.version == 1
    assert any(f.endswith("->1") for f in watching.frames if not f.startswith("presence"))
    await hub.close()


async def test_a_member_taken_off_while_being_caught_up_is_still_closed():
    renderer = FakeRenderer()
    renderer.commit("actions")
    gate = asyncio.Event()

    async def slow(fn, *args):
        await gate.wait()  # the catch-up is being read and rendered
        return fn(*args)

    hub = Hub([BoardChannels(renderer)], run_in_thread=slow)
    conn = FakeConnection()
    s = Screen(conn, 1, MEMBER_NL, "Tim", version=1, user_id=7)
    hub.attach(s, 0)
    await settle()
    hub.deliver([BoardChange(1, 2, (), "board_member", 7, "removed")])
    gate.set()
    await settle()
    assert conn.dropped and not s.live
    assert conn.frames == [] and not hub.channels["board"]
    await hub.close()


async def test_a_hello_from_the_version_the_screen_joined_at_costs_no_read():
    # a reconnect storm: every screen says hello from the version its join read
    renderer = FakeRenderer()
    renderer.commit("actions")
    renderer.commit("ideas")
    hub = Hub([BoardChannels(renderer)], run_in_thread=direct)
    conns = [FakeConnection() for _ in range(3)]
    screens = [screen(c, version=2) for c in conns]
    for s in screens:
        hub.attach(s)
        hub.catch_up(s, 2)
    await settle()
    assert renderer.catch_ups == []
    assert all("catchup:2->2" in c.frames for c in conns)

    # a later request (a gap the screen noticed) reads the board as always, and the version it
    # reads brings the other screens there too
    renderer.commit("goals")
    hub.catch_up(screens[0], 2)
    await settle()
    assert renderer.catch_ups and set(renderer.catch_ups) == {2}
    assert all("catchup:2->3" in c.frames for c in conns)

    # a hello from older than what the join read (a page left open) is caught up by a read
    renderer.catch_ups.clear()
    late = FakeConnection()
    behind = screen(late, version=3)
    hub.attach(behind)
    hub.catch_up(behind, 1)
    await settle()
    assert renderer.catch_ups == [1]
    assert "catchup:1->3" in late.frames
    await hub.close()
