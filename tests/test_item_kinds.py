"""One registry of item kinds: every route, form, template and push derives from it, and the
sections a change touched are stored with its event for catch-up."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Board, BoardEvent, BoardKind
from app.realtime.fragments import SECTIONS, sections_since
from app.services import board_sections, board_view, item_kinds
from app.services.board_view import BoardView, load_board
from app.services.screens import for_display
from app.templating import templates_for
from tests.test_screens import make_link

API = "/api/v1"
MACROS = ("title", "add_label", "area", "list", "fields", "summary", "card")

# The smallest valid item of each kind, as the JSON API takes it.
NEW = {
    "success": {"text": "Gelukt"},
    "goal": {"title": "Lezen"},
    "action": {"title": "Leeshoek"},
    "plan_item": {"text": "Lesbezoek", "date": "2026-09-01"},
    "idea": {"text": "Leesmaatjes"},
    "help_request": {"text": "Wie helpt?"},
}


def test_every_kind_is_described_once_and_completely():
    assert set(NEW) == set(item_kinds.BY_ENTITY)
    assert len({k.section for k in item_kinds.KINDS}) == len(item_kinds.KINDS)
    assert len({k.slug for k in item_kinds.KINDS}) == len(item_kinds.KINDS)
    assert len({k.key for k in item_kinds.KINDS}) == len(item_kinds.KINDS)
    env = templates_for("nl").env
    for kind in item_kinds.KINDS:
        module = env.get_template(kind.template).module
        wanted = (*MACROS, "pushed") if kind.in_place else MACROS  # its card pushed alone
        missing = [name for name in wanted if not hasattr(module, name)]
        assert missing == [], f"{kind.template} lacks {missing}"
        assert set(kind.fields) <= set(kind.create.model_fields)


@pytest.mark.parametrize("kind", item_kinds.KINDS, ids=lambda k: k.entity)
def test_every_kind_has_its_routes_and_stores_the_sections_it_touched(client, factory, kind):
    w = factory.world()
    headers = factory.api(w.teacher)
    made = client.post(
        f"{API}/boards/{w.board.id}/{kind.slug}", json=NEW[kind.entity], headers=headers
    )
    assert made.status_code == 201, made.text
    item = made.json()
    edited = client.patch(
        f"{API}/{kind.slug}/{item['id']}", json={"version": item["version"]}, headers=headers
    )
    assert edited.status_code == 200, edited.text
    csrf = factory.login(w.teacher)
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    form = client.get(f"/{kind.slug}/{item['id']}/edit", headers=hx)
    assert form.status_code == 200 and f'id="{kind.card_id(item["id"])}"' in form.text
    gone = client.post(f"/{kind.slug}/{item['id']}/delete", headers=hx)
    assert gone.status_code == 200 and f'id="list-{kind.section}"' in gone.text
    with factory.session() as session:
        events = session.exec(
            select(BoardEvent).where(
                BoardEvent.board_id == w.board.id, BoardEvent.entity == kind.entity
            )
        ).all()
        assert [e.kind for e in events] == ["created", "updated", "deleted"]
        assert all(e.sections == list(kind.sections) for e in events)


def test_every_section_reads_its_own_list_and_only_parts_the_board_has():
    for kind in item_kinds.KINDS:
        assert kind.key in board_view.SECTION_PARTS[kind.section]
        assert set(kind.shows) <= board_view.PARTS, kind.entity


@pytest.mark.parametrize("kind", item_kinds.KINDS, ids=lambda k: k.entity)
def test_every_kind_is_on_the_board_by_its_entry_alone(client, factory, pinned_clock, kind):
    """The board's JSON, its page, a display screen and a push of its section show an item of
    every kind in the registry, and a care board's display none: nothing lists the kinds again."""
    w = factory.world()
    headers = factory.api(w.teacher)
    new = dict(NEW[kind.entity])
    if "date" in new:  # the planning shows this week on
        new["date"] = (pinned_clock.date() + timedelta(days=7)).isoformat()
    made = client.post(f"{API}/boards/{w.board.id}/{kind.slug}", json=new, headers=headers)
    assert made.status_code == 201, made.text
    card = f'id="{kind.card_id(made.json()["id"])}"'

    board = client.get(f"{API}/boards/{w.board.id}", headers=headers).json()
    assert [item["id"] for item in board[kind.key]] == [made.json()["id"]]
    assert [other.key for other in item_kinds.KINDS if board[other.key]] == [kind.key]

    link = make_link(client, factory, w.teacher, w.board.id)
    assert card in client.get(link["path"]).text
    factory.login(w.teacher)
    assert card in client.get(f"/boards/{w.board.id}").text

    with factory.session() as session:
        row = session.get(Board, w.board.id)
        pushed = load_board(session, row, [kind.section])
        html = board_sections.render(
            "nl", kind.section, board_sections.context(pushed, "display"), oob=True
        )
        assert card in html
        care = Board(id=row.id, team_id=row.team_id, title=row.title, kind=BoardKind.care)
        shown = for_display(BoardView(care, pushed.today, pushed.items))
        assert shown.items == {other.key: [] for other in item_kinds.KINDS}


def test_catch_up_reads_the_sections_from_the_events(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    since = factory.get(Board, w.board.id).version
    idea = client.post(f"{API}/boards/{w.board.id}/ideas", json=NEW["idea"], headers=headers)
    client.post(f"{API}/ideas/{idea.json()['id']}/promote", headers=headers)
    with factory.session() as session:
        assert sections_since(session, w.board.id, since) == {"ideas", "actions"}
        # an event recorded before sections were stored: the whole board
        event = session.exec(select(BoardEvent).where(BoardEvent.board_id == w.board.id)).first()
        event.sections = None
        session.add(event)
        session.commit()
        assert sections_since(session, w.board.id, 0) == set(SECTIONS)


def test_a_screen_catching_up_gets_only_the_touched_sections(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    client.post(f"{API}/boards/{w.board.id}/actions", json=NEW["action"], headers=headers)
    since = factory.get(Board, w.board.id).version
    client.post(
        f"{API}/boards/{w.board.id}/help-requests", json=NEW["help_request"], headers=headers
    )
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": since}))
        frame = ws.receive_text()
        while 'id="board-version"' not in frame:  # the presence bar comes first
            frame = ws.receive_text()
        assert 'id="list-help"' in frame and "Wie helpt?" in frame
        assert 'id="list-actions"' not in frame and 'id="list-goals"' not in frame
