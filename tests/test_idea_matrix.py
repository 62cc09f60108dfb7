"""The ideas' impact matrix: placing an idea (impact x effort) by the API and the page."""

import json

import pytest

from app.models import Board, BoardEvent, Idea
from app.models.notes import IdeaCreate
from app.services import item_kinds, items
from tests.test_realtime_ws import frames_until
from tests.test_screens import make_link

API = "/api/v1"
HX = {"HX-Request": "true"}


def hx(csrf: str) -> dict[str, str]:
    return {**HX, "X-CSRF-Token": csrf}


def new_idea(factory, user, board_id: int, text: str = "Leesmaatjes") -> Idea:
    with factory.app.state.db.session() as session:
        idea = items.create_item(session, user, item_kinds.IDEA, board_id, IdeaCreate(text=text))
        session.info.pop("outbox", None)
    return idea


def cell(html: str, quadrant: str) -> str:
    """The cards in one quadrant (or the tray, for "") of the matrix in `html`."""
    return html.split(f'data-quadrant="{quadrant}"')[1].split("</ul>")[0]


# --- API ----------------------------------------------------------------------------------------


def test_an_idea_is_placed_and_taken_back_to_the_tray(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    idea = new_idea(factory, w.teacher, w.board.id)
    url = f"{API}/ideas/{idea.id}"
    assert (
        client.get(f"{API}/boards/{w.board.id}", headers=headers).json()["ideas"][0]["impact"]
        is None
    )

    placed = client.patch(
        url, json={"impact": "high", "effort": "low", "version": 1}, headers=headers
    )
    assert placed.status_code == 200, placed.text
    assert (placed.json()["impact"], placed.json()["effort"]) == ("high", "low")
    assert placed.json()["text"] == "Leesmaatjes"
    board = client.get(f"{API}/boards/{w.board.id}", headers=headers).json()
    assert (board["ideas"][0]["impact"], board["ideas"][0]["effort"]) == ("high", "low")
    assert board["version"] == 2
    events = factory.all(BoardEvent)
    assert events[-1].entity == "idea"

    back = client.patch(url, json={"impact": None, "effort": None, "version": 2}, headers=headers)
    assert back.status_code == 200
    assert (back.json()["impact"], back.json()["effort"]) == (None, None)


def test_a_stale_placement_is_refused_and_changes_nothing(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    idea = new_idea(factory, w.teacher, w.board.id)
    url = f"{API}/ideas/{idea.id}"
    assert client.patch(url, json={"impact": "low", "effort": "low", "version": 1}, headers=headers)
    stale = client.patch(
        url, json={"impact": "high", "effort": "high", "version": 1}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["impact"] == "low"
    stored = factory.get(Idea, idea.id)
    assert (stored.impact, stored.effort, stored.version) == ("low", "low", 2)


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"impact": "enorm", "version": 1}, "impact"),
        ({"effort": "medium", "version": 1}, "effort"),
        ({"impact": 1, "version": 1}, "impact"),
        ({"effort": ["low"], "version": 1}, "effort"),
    ],
)
def test_a_bad_place_names_its_field(client, factory, body, name):
    w = factory.world()
    headers = factory.api(w.teacher)
    idea = new_idea(factory, w.teacher, w.board.id)
    answer = client.patch(f"{API}/ideas/{idea.id}", json=body, headers=headers)
    assert answer.status_code == 422
    assert name in [str(error["loc"][-1]) for error in answer.json()["detail"]]
    stored = factory.get(Idea, idea.id)
    assert (stored.impact, stored.effort, stored.version) == (None, None, 1)
    assert factory.get(Board, w.board.id).version == 1


def test_an_idea_of_another_school_cannot_be_placed(client, factory):
    w = factory.world()
    idea = new_idea(factory, w.other_teacher, w.other_board.id)
    answer = client.patch(
        f"{API}/ideas/{idea.id}",
        json={"impact": "high", "effort": "low", "version": 1},
        headers=factory.api(w.teacher),
    )
    assert answer.status_code == 404
    assert factory.get(Idea, idea.id).impact is None


# --- the board page -----------------------------------------------------------------------------


def test_the_board_shows_unplaced_ideas_in_the_tray_and_placed_ones_in_their_quadrant(
    client, factory
):
    w = factory.world()
    waiting = new_idea(factory, w.teacher, w.board.id, "Nog te plaatsen")
    quick = new_idea(factory, w.teacher, w.board.id, "Snel te doen")
    factory.login(w.teacher)
    csrf = factory.login(w.teacher)
    answer = client.post(
        f"/ideas/{quick.id}/place", data={"quadrant": "high-low", "version": "1"}, headers=hx(csrf)
    )
    assert answer.status_code == 200
    assert f'id="matrix-idea-{quick.id}"' in cell(answer.text, "high-low")
    assert f'id="matrix-idea-{waiting.id}"' in cell(answer.text, "")

    page = client.get(f"/boards/{w.board.id}").text
    assert "Veel impact, weinig moeite (quick win)" in page
    assert f'id="matrix-idea-{quick.id}"' in cell(page, "high-low")
    # the way to an action stays on the card in the matrix
    assert f'hx-post="/ideas/{quick.id}/promote"' in cell(page, "high-low")
    stored = factory.get(Idea, quick.id)
    assert (stored.impact, stored.effort) == ("high", "low")


def test_a_placed_idea_moves_to_its_quadrant_on_another_screen(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    idea = new_idea(factory, w.teacher, w.board.id, "Snel te doen")
    csrf = factory.login(w.teacher)
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=api) as other_screen:
        other_screen.send_text(json.dumps({"since": 1}))  # up to date: the idea is in the tray
        placed = client.post(
            f"/ideas/{idea.id}/place",
            data={"quadrant": "high-low", "version": "1"},
            headers=hx(csrf),
        )
        assert placed.status_code == 200
        frame = frames_until(other_screen, 'id="list-ideas"')
        assert 'data-from="1" data-to="2"' in frame
        assert f'id="matrix-idea-{idea.id}"' in cell(frame, "high-low")
        assert f'id="matrix-idea-{idea.id}"' not in cell(frame, "")


def test_a_stale_or_unknown_place_reloads_the_ideas_and_changes_nothing(client, factory):
    w = factory.world()
    idea = new_idea(factory, w.teacher, w.board.id)
    csrf = factory.login(w.teacher)
    place = f"/ideas/{idea.id}/place"
    assert client.post(place, data={"quadrant": "low-high", "version": "1"}, headers=hx(csrf))
    stale = client.post(place, data={"quadrant": "high-high", "version": "1"}, headers=hx(csrf))
    assert stale.status_code == 409
    assert stale.text.lstrip().startswith('<div id="list-ideas"')
    assert f'id="matrix-idea-{idea.id}"' in cell(stale.text, "low-high")
    bad = client.post(place, data={"quadrant": "ergens-anders", "version": "2"}, headers=hx(csrf))
    assert bad.status_code == 422
    stored = factory.get(Idea, idea.id)
    assert (stored.impact, stored.effort, stored.version) == ("low", "high", 2)
    assert factory.get(Board, w.board.id).version == 2


def test_an_idea_of_another_school_cannot_be_placed_from_the_page(client, factory):
    w = factory.world()
    idea = new_idea(factory, w.other_teacher, w.other_board.id)
    csrf = factory.login(w.teacher)
    answer = client.post(
        f"/ideas/{idea.id}/place", data={"quadrant": "high-low", "version": "1"}, headers=hx(csrf)
    )
    assert answer.status_code == 404
    assert factory.get(Idea, idea.id).impact is None


def test_the_display_keeps_the_ideas_as_a_list(client, factory):
    w = factory.world()
    idea = new_idea(factory, w.teacher, w.board.id)
    headers = factory.api(w.teacher)
    body = {"impact": "high", "effort": "low", "version": 1}
    assert client.patch(f"{API}/ideas/{idea.id}", json=body, headers=headers).status_code == 200
    link = make_link(client, factory, w.teacher, w.board.id)
    client.cookies.clear()
    page = client.get(link["path"])
    assert page.status_code == 200
    assert "Leesmaatjes" in page.text
    assert "matrix-cell" not in page.text
    assert "Plaats in matrix" not in page.text
