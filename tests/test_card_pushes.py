"""An edit that changes only what a card shows (an action's title or owner) pushes that card
alone; anything that moves it, or that another part of the board shows too, pushes its section."""

import json

import pytest

from app.main import create_app
from app.models import Action, Board, User
from app.models.action import ActionCreate, ActionUpdate
from app.realtime import bus
from app.realtime.board import BoardChannels
from app.realtime.channel import Screen
from app.realtime.fragments import BoardRenderer, read_cards
from app.realtime.hub import Hub
from app.services import board_cards, item_kinds, items
from app.services.changes import take_outbox
from app.services.item_kinds import ACTION
from tests.care_world import care_world
from tests.test_item_kinds import NEW
from tests.test_realtime_hub import MEMBER_NL, FakeConnection, settle
from tests.test_realtime_ws import frames_until, version_of
from tests.test_screens import make_link

API = "/api/v1"
HX = {"HX-Request": "true"}


def board_frame(ws) -> str:
    """The next frame that carries a board version (the presence bar is skipped)."""
    return frames_until(ws, 'id="board-version"')


def new_action(client, headers, board_id: int, **fields) -> dict:
    r = client.post(f"{API}/boards/{board_id}/actions", json=fields, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def edit(client, headers, action: dict, **fields) -> dict:
    r = client.patch(
        f"{API}/actions/{action['id']}",
        json={"version": action["version"], **fields},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_a_title_edit_pushes_the_card_alone_to_members_and_displays(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    base = f"{API}/boards/{w.board.id}"
    goal = client.post(f"{base}/goals", json={"title": "Leesplezier"}, headers=headers).json()
    action = new_action(client, headers, w.board.id, title="Leeshoek", goal_id=goal["id"])
    new_action(client, headers, w.board.id, title="Rekenmuur")
    link = make_link(client, factory, w.teacher, w.board.id)
    version = factory.get(Board, w.board.id).version
    with (
        client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as member,
        client.websocket_connect(f"{link['path']}/ws") as display,
    ):
        member.send_text(json.dumps({"since": version}))
        board_frame(member)
        display.send_text(json.dumps({"since": version}))
        board_frame(display)
        edit(client, headers, action, title="Leeshoek met kussens", owner="Tim")
        seen = board_frame(member)
        shown = board_frame(display)
    for frame in (seen, shown):
        assert version_of(frame) == (version, version + 1)
        assert f'<li id="action-{action["id"]}"' in frame and 'hx-swap-oob="true"' in frame
        assert "Leeshoek met kussens" in frame and "Tim" in frame
        assert "Leesplezier" in frame  # the goal it serves, as its card in the list shows it
        assert 'id="list-actions"' not in frame and "Rekenmuur" not in frame
    assert "data-move-url" in seen and "Bewerken" in seen
    assert "data-move-url" not in shown and "Bewerken" not in shown


def test_a_form_edit_that_changes_only_the_title_pushes_the_card(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = new_action(client, headers, w.board.id, title="Leeshoek", due="2026-12-10")
    csrf = factory.login(w.teacher)
    version = factory.get(Board, w.board.id).version
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": version}))
        board_frame(ws)
        # the form sends every field, as it was shown: only the title differs
        form = {"title": "Leeshoek 2.0", "owner": "", "due": "2026-12-10", "goal_id": ""}
        answer = client.post(
            f"/actions/{action['id']}",
            data={**form, "version": str(action["version"])},
            headers={**HX, "X-CSRF-Token": csrf},
        )
        assert answer.status_code == 200, answer.text
        frame = board_frame(ws)
    assert "Leeshoek 2.0" in frame and 'id="list-actions"' not in frame


def test_an_edit_that_moves_dates_or_reassigns_the_card_pushes_its_section(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = new_action(client, headers, w.board.id, title="Leeshoek")
    version = factory.get(Board, w.board.id).version
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": version}))
        board_frame(ws)
        for fields in ({"due": "2026-12-10"}, {"status": "doing"}, {"title": "Leeshoek"}):
            action = edit(client, headers, action, **fields)
            # the counts, the column, the late badge: the whole list (an unchanged title too:
            # nothing to send but the version, and the section says so as well as the card)
            frame = board_frame(ws)
            assert 'id="list-actions"' in frame


def test_a_running_session_that_lists_the_action_gets_the_section(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    # due this week (the pinned clock: Monday 30 November 2026), so last week's in the session
    action = new_action(client, headers, w.board.id, title="Leeshoek", due="2026-12-02")
    r = client.post(f"{API}/boards/{w.board.id}/sessions", json={}, headers=headers)
    assert r.status_code == 201, r.text
    version = factory.get(Board, w.board.id).version
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": version}))
        board_frame(ws)
        edit(client, headers, action, title="Leeshoek inrichten")
        frame = board_frame(ws)
    strip = frame[frame.index('id="h-carried-over"') :]
    assert "Leeshoek inrichten" in strip.split("</ul>")[0]


def test_a_screen_catching_up_over_a_title_edit_gets_the_card(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = new_action(client, headers, w.board.id, title="Leeshoek")
    new_action(client, headers, w.board.id, title="Rekenmuur")
    version = factory.get(Board, w.board.id).version
    edit(client, headers, action, title="Leeshoek met kussens")
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": version}))
        frame = board_frame(ws)
    assert version_of(frame) == (version, version + 1)
    assert "Leeshoek met kussens" in frame
    assert 'id="list-actions"' not in frame and "Rekenmuur" not in frame


def test_a_card_no_longer_on_the_board_is_left_to_its_section(app, client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = new_action(client, headers, w.board.id, title="Leeshoek")
    db = app.state.db
    card = item_kinds.ACTION.card_section(action["id"])
    board, whole, cards = read_cards(db, w.board.id, frozenset({card}))
    assert whole == set() and cards[(item_kinds.ACTION, action["id"])]["item"].title == "Leeshoek"
    # read with the card: the board as it is
    assert board == board_cards.pushed_board(db, w.board.id)
    r = client.delete(f"{API}/actions/{action['id']}?version={action['version']}", headers=headers)
    assert r.status_code in (200, 204), r.text
    assert read_cards(db, w.board.id, frozenset({card})) == (None, {"actions"}, {})
    # a card whose section is sent anyway is not sent twice
    assert read_cards(db, w.board.id, frozenset({card, "actions"})) == (None, {"actions"}, {})


async def test_a_card_alone_is_pushed_without_a_worker_thread(app, factory):
    """The hop to a worker thread costs more than rendering one card: the edit carries its
    card as it wrote it, rendered on the event loop (PostgreSQL too); a section still goes to
    a thread."""
    w = factory.world()
    db = app.state.db
    with factory.session() as s:
        user = s.get(User, w.teacher.id)
        action = items.create_item(s, user, ACTION, w.board.id, ActionCreate(title="Leeshoek"))
        take_outbox(s)
        s.commit()
        action_id = action.id
    hops: list[str] = []

    async def in_thread(fn, *args):
        hops.append(fn.__name__)
        return fn(*args)

    hub = Hub([BoardChannels(BoardRenderer(db))], run_in_thread=in_thread)
    conn = FakeConnection()
    version = factory.get(Board, w.board.id).version
    hub.attach(Screen(conn, w.board.id, MEMBER_NL, "Tim", version=version))
    await settle()

    def edit(**fields) -> None:
        update = ActionUpdate(version=factory.get(Action, action_id).version, **fields)
        with factory.session() as s:
            user = s.get(User, w.teacher.id)
            items.update_item(s, user, ACTION, action_id, update)
            published = take_outbox(s)
            s.commit()
        hub.deliver(published)

    hops.clear()
    edit(title="Leeshoek met kussens")
    await settle()
    assert "Leeshoek met kussens" in conn.frames[-1] and 'id="list-actions"' not in conn.frames[-1]
    assert hops == []
    edit(status="doing")
    await settle()
    assert 'id="list-actions"' in conn.frames[-1]
    assert hops[-1:] == ["changes"]
    await hub.close()


def actions_on(factory, w, *titles: str) -> list[int]:
    with factory.session() as s:
        user = s.get(User, w.teacher.id)
        made = [
            items.create_item(s, user, ACTION, w.board.id, ActionCreate(title=t)) for t in titles
        ]
        take_outbox(s)
        s.commit()
        return [action.id for action in made]


async def watched(app, factory, w) -> tuple[Hub, FakeConnection, int]:
    """A hub with one member's screen on the board, its reads run inline (no thread's timing),
    and the board's version the screen joined at."""

    async def inline(fn, *args):
        return fn(*args)

    hub = Hub([BoardChannels(BoardRenderer(app.state.db))], run_in_thread=inline)
    conn = FakeConnection()
    version = factory.get(Board, w.board.id).version
    hub.attach(Screen(conn, w.board.id, MEMBER_NL, "Tim", version=version))
    await settle()
    return hub, conn, version


def retitle(factory, w, action_id: int, title: str) -> list:
    """Edit an action's title (a card alone); returns what its commit published."""
    update = ActionUpdate(version=factory.get(Action, action_id).version, title=title)
    with factory.session() as s:
        items.update_item(s, s.get(User, w.teacher.id), ACTION, action_id, update)
        published = take_outbox(s)
        s.commit()
    return published


async def test_a_pushed_card_shows_the_version_its_change_committed(app, factory):
    """A card carried by its change is the card as that change wrote it: a screen is sent
    version N as it was, even when the row changed again before the push went out (that
    later change follows in its own frame)."""
    w = factory.world()
    [action_id] = actions_on(factory, w, "Leeshoek")
    hub, conn, version = await watched(app, factory, w)
    published = retitle(factory, w, action_id, "Versie een")
    assert list(published[0].cards) == [ACTION.card_section(action_id)]
    with factory.session() as s:  # the row moves on before the push of version N goes out
        s.get(Action, action_id).title = "Later geschreven"
        s.commit()
    hub.deliver(published)
    await settle()
    assert f'data-to="{version + 1}"' in conn.frames[-1]
    assert "Versie een" in conn.frames[-1] and "Later geschreven" not in conn.frames[-1]
    await hub.close()


async def test_a_carried_card_arriving_before_an_older_change_does_not_hide_it(app, factory):
    """Version N+2 carries card B while N+1 (card A) has not been delivered: the frame to N+2
    cannot be made of B alone, or A's edit would never reach the screens (they see no gap).
    It is read from the board, with both cards as they are."""
    w = factory.world()
    a, b = actions_on(factory, w, "Leeshoek", "Rekenmuur")
    hub, conn, version = await watched(app, factory, w)
    first = retitle(factory, w, a, "Leeshoek A-nieuw")
    second = retitle(factory, w, b, "Rekenmuur B-nieuw")
    assert first[0].cards and second[0].cards
    hub.deliver(second)  # N+2 first
    await settle()
    assert f'data-to="{version + 2}"' in conn.frames[-1]
    assert "A-nieuw" in conn.frames[-1] and "B-nieuw" in conn.frames[-1]
    hub.deliver(first)  # N+1 late: already in what the screen was sent
    await settle()
    assert f'data-to="{version + 2}"' in conn.frames[-1]
    await hub.close()


def test_the_redis_bus_never_carries_a_card_s_text(app, factory):
    """A change carries its cards to this instance's hub only: what travels over Redis names
    the card, never its text."""
    w = factory.world()
    [action_id] = actions_on(factory, w, "Leeshoek")
    published = retitle(factory, w, action_id, "MARKER-geheim")
    assert published[0].cards  # carried in process
    wire = bus.encode(published)
    assert "MARKER" not in wire and ACTION.card_section(action_id) in wire
    assert all(not change.cards for change in bus.decode(wire))


@pytest.mark.parametrize(
    "kind", [k for k in item_kinds.KINDS if k.in_place], ids=lambda k: k.entity
)
def test_every_kind_edited_in_place_pushes_its_card_alone(client, factory, kind):
    w = factory.world()
    headers = factory.api(w.teacher)
    base = f"{API}/boards/{w.board.id}/{kind.slug}"
    first = client.post(base, json=NEW[kind.entity], headers=headers).json()
    client.post(base, json=NEW[kind.entity], headers=headers)
    version = factory.get(Board, w.board.id).version
    field = kind.in_place[0]
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": version}))
        board_frame(ws)
        r = client.patch(
            f"{API}/{kind.slug}/{first['id']}",
            json={"version": first["version"], field: "Pas aangepast"},
            headers=headers,
        )
        assert r.status_code == 200, r.text
        frame = board_frame(ws)
    assert f'<li id="{kind.card_id(first["id"])}"' in frame and "Pas aangepast" in frame
    assert f'id="list-{kind.section}"' not in frame
    assert frame.count("<li ") == 1  # the other item of its list is not sent


def test_a_card_name_that_names_no_card_is_left_out(app, client, factory):
    """What a stored event names is read back at catch-up: a name that is no card of a kind
    (a kind unknown here, no id, a section's name) is ignored, not guessed at."""
    w = factory.world()
    board = w.board.id
    names = ("item:unknown-3", "item:action-", "item:action-x3", "item:action-²", "item:")
    for name in (*names, "actions-3"):
        assert item_kinds.card_named(name) is None
    found = read_cards(app.state.db, board, frozenset({"item:unknown-3", "item:action-x"}))
    assert found == (None, set(), {})
    # an id no item has: its section goes instead
    found = read_cards(app.state.db, board, frozenset({"item:action-999999"}))
    assert found == (None, {"actions"}, {})
    # nor does another board's item
    other = factory.board(w.team)
    theirs = new_action(client, factory.api(w.teacher), other.id, title="Elders")
    card = item_kinds.ACTION.card_section(theirs["id"])
    found = read_cards(app.state.db, board, frozenset({card}))
    assert found == (None, {"actions"}, {})


def test_a_care_board_s_cards_are_never_carried(factory):
    """Confidential text stays on the care path: an edit on a care board carries no card, even
    where its kind would push one alone on a team board."""
    cw = care_world(factory)
    with factory.session() as s:
        action = Action(board_id=cw.care.id, title="MARKER-vertrouwelijk", rank="a")
        s.add(action)
        s.commit()
        card = ACTION.card_section(action.id)
        care = s.get(Board, cw.care.id)
        assert item_kinds.cards_as_written(s, care, (card,)) == {}
        s.get(Action, action.id).board_id = cw.w.board.id  # the same card on a team board
        s.flush()
        team = s.get(Board, cw.w.board.id)
        assert list(item_kinds.cards_as_written(s, team, (card,))) == [card]
        s.rollback()


def test_an_edit_carries_its_card_only_to_a_hub_here_with_screens_of_the_board(
    app, client, factory, settings
):
    """A change carries the cards it wrote only where a hub of this instance hears it from the
    in-process bus and has screens of the board: over Redis the card's text never travels, and
    with nobody watching nobody would render it, so the edit does not read it either."""
    w = factory.world()
    [action_id] = actions_on(factory, w, "Leeshoek")
    on_redis = create_app(settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/15"}))

    def carried(db, title: str) -> bool:
        published: list = []

        def publish(changes: list) -> None:
            published.extend(changes)
            app.state.bus.publish(changes)  # on to the screen, as a request's commit does

        update = ActionUpdate(version=factory.get(Action, action_id).version, title=title)
        with db.session(publish=publish) as s:
            items.update_item(s, s.get(User, w.teacher.id), ACTION, action_id, update)
        assert published[0].sections == (ACTION.card_section(action_id),)
        return bool(published[0].cards)

    try:
        assert not carried(app.state.db, "Nog niemand kijkt")
        headers = factory.api(w.teacher)
        with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as screen:
            screen.send_text(json.dumps({"since": factory.get(Board, w.board.id).version}))
            board_frame(screen)
            assert carried(app.state.db, "Iemand kijkt mee")
            assert "Iemand kijkt mee" in board_frame(screen)
            assert not carried(on_redis.state.db, "Via Redis")
    finally:
        on_redis.state.db.dispose()
