"""Display links: refusals first, then the read-only page, live frames, revocation, the CLI."""

import json
import re
import time

import pytest
from starlette.websockets import WebSocketDisconnect

from app.models import BoardKind, ScreenLink
from app.security.tokens import token_hash
from tests.test_realtime_ws import frames_until, refusal


def make_link(client, factory, user, board_id: int, label: str = "tv") -> dict:
    r = client.post(
        f"/api/v1/boards/{board_id}/screens", json={"label": label}, headers=factory.api(user)
    )
    assert r.status_code == 201, r.text
    return r.json()


def revoke(client, factory, user, link_id: int) -> None:
    r = client.delete(f"/api/v1/screens/{link_id}", headers=factory.api(user))
    assert r.status_code == 204, r.text


# --- refusals ----------------------------------------------------------------------------------


def test_anonymous_people_cannot_make_or_list_links(client, factory):
    w = factory.world()
    url = f"/api/v1/boards/{w.board.id}/screens"
    assert client.post(url, json={}).status_code == 401
    assert client.get(url).status_code == 401
    page = client.post(f"/boards/{w.board.id}/screens", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert factory.all(ScreenLink) == []


def test_people_out_of_reach_get_404(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    for outsider in (w.other_teacher, w.other_leader):
        headers = factory.api(outsider)
        url = f"/api/v1/boards/{w.board.id}/screens"
        assert client.post(url, json={}, headers=headers).status_code == 404
        assert client.get(url, headers=headers).status_code == 404
        assert client.delete(f"/api/v1/screens/{link['id']}", headers=headers).status_code == 404
    headers = factory.api(w.teacher)
    assert (
        client.get(f"/api/v1/boards/{w.outsider_board.id}/screens", headers=headers).status_code
        == 404
    )
    assert client.delete("/api/v1/screens/999999", headers=headers).status_code == 404
    assert len(factory.all(ScreenLink)) == 1


def test_a_care_board_is_out_of_reach_for_its_team_and_leader(client, factory):
    w = factory.world()
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg")
    for user in (w.teacher, w.leader):
        r = client.post(f"/api/v1/boards/{care.id}/screens", json={}, headers=factory.api(user))
        assert r.status_code == 404


def test_unknown_and_revoked_tokens_are_404_and_leak_nothing(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    token = link["path"].removeprefix("/screen/")
    assert client.get(link["path"]).status_code == 200
    revoke(client, factory, w.teacher, link["id"])
    # a second revocation finds nothing to revoke
    r = client.delete(f"/api/v1/screens/{link['id']}", headers=factory.api(w.teacher))
    assert r.status_code == 404
    for path in (link["path"], "/screen/" + "x" * 43, "/screen/" + "x" * 500):
        page = client.get(path)
        assert page.status_code == 404
        assert w.board.title not in page.text and "Bovenbouw" not in page.text
        assert refusal(client, path + "/ws") == 404
    assert refusal(client, f"/screen/{token}/ws") == 404


def test_a_revoked_link_reloaded_says_so_calmly(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    revoke(client, factory, w.teacher, link["id"])
    page = client.get(link["path"])
    assert page.status_code == 404
    assert "Deze schermlink is ingetrokken" in page.text
    assert "Naar mijn borden" not in page.text and w.board.title not in page.text
    assert page.headers["cache-control"] == "no-store"
    # a token that never worked is not said to be revoked
    unknown = client.get("/screen/" + "x" * 43)
    assert unknown.status_code == 404 and "ingetrokken" not in unknown.text


# --- the link ----------------------------------------------------------------------------------


def test_the_token_is_shown_once_and_stored_hashed(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id, "Teamkamer")
    assert set(link) == {"id", "board_id", "label", "created_at", "path"}
    token = link["path"].removeprefix("/screen/")
    assert len(token) >= 43
    [row] = factory.all(ScreenLink)
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    listed = client.get(f"/api/v1/boards/{w.board.id}/screens", headers=factory.api(w.leader))
    assert listed.status_code == 200
    assert listed.json() == [{k: link[k] for k in ("id", "board_id", "label", "created_at")}]
    assert token not in listed.text
    revoke(client, factory, w.leader, link["id"])
    assert (
        client.get(f"/api/v1/boards/{w.board.id}/screens", headers=factory.api(w.teacher)).json()
        == []
    )


def test_the_display_page_shows_the_board_without_anything_to_edit(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    client.post(
        f"/api/v1/boards/{w.board.id}/actions", json={"title": "Rekenmuur"}, headers=headers
    )
    client.post(f"/api/v1/boards/{w.board.id}/ideas", json={"text": "Leesmaatjes"}, headers=headers)
    link = make_link(client, factory, w.teacher, w.board.id)
    client.cookies.clear()
    page = client.get(link["path"])
    assert page.status_code == 200
    html = page.text
    assert "Rekenmuur" in html and "Leesmaatjes" in html and w.board.title in html
    assert "page-display" in html and '<html lang="nl">' in html
    assert f'ws-connect="{link["path"]}/ws"' in html
    for control in (
        "<form",
        "hx-post",
        "hx-get",
        "data-sortable",
        "data-move-url",
        "csrf",
        "/edit",
    ):
        assert control not in html, control
    assert page.headers["referrer-policy"] == "no-referrer"


def test_the_display_page_is_dutch_and_anonymous_even_for_a_logged_in_english_browser(
    client, factory
):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    factory.login(w.teacher)
    client.cookies.set("bord_lang", "en")
    html = client.get(link["path"]).text
    assert "Te doen" in html and "To do" not in html
    assert w.teacher.name not in html and "/logout" not in html


def test_a_care_board_display_shows_only_pupil_codes_and_dates(client, factory):
    w = factory.world()
    ib = factory.user(w.school, name="Ilse IB")
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg groep 5", members=(ib,))
    headers = factory.api(ib)
    client.post(f"/api/v1/boards/{care.id}/ideas", json={"text": "Vertrouwelijk"}, headers=headers)
    client.post(
        f"/api/v1/boards/{care.id}/cases",
        json={"pupil_code": "P-77", "concern": "Vertrouwelijk", "review_date": "2026-11-24"},
        headers=headers,
    )
    link = make_link(client, factory, ib, care.id)
    html = client.get(link["path"]).text
    assert "Zorgoverleg groep 5" in html and "P-77" in html and 'datetime="2026-11-24"' in html
    assert "Vertrouwelijk" not in html
    with client.websocket_connect(link["path"] + "/ws") as ws:
        ws.send_text(json.dumps({"since": 0}))
        first = frames_until(ws, 'id="list-cases"')
        assert "Vertrouwelijk" not in first and "P-77" in first
        client.post(
            f"/api/v1/boards/{care.id}/cases",
            json={"pupil_code": "Q-12", "concern": "Geheim"},
            headers=headers,
        )
        frame = frames_until(ws, "Q-12")
        assert "Geheim" not in frame and "Vertrouwelijk" not in frame


# --- live ----------------------------------------------------------------------------------------


def test_a_display_screen_follows_every_change(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    headers = factory.api(w.teacher)
    with client.websocket_connect(link["path"] + "/ws") as ws:
        ws.send_text(json.dumps({"since": 0}))
        first = frames_until(ws, 'id="list-actions"')
        assert "Te doen" in first
        r = client.post(
            f"/api/v1/boards/{w.board.id}/actions", json={"title": "Rekenmuur"}, headers=headers
        )
        assert r.status_code == 201
        frame = frames_until(ws, "Rekenmuur")
        assert "hx-post" not in frame and "data-move-url" not in frame


def test_presence_counts_the_display_screen(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    with client.websocket_connect(link["path"] + "/ws") as display:
        display.send_text(json.dumps({"since": 0}))
        frames_until(display, 'id="list-actions"')
        url = f"/boards/{w.board.id}/ws"
        with client.websocket_connect(url, headers=factory.api(w.teacher)) as member:
            member.send_text(json.dumps({"since": 0}))
            frame = frames_until(member, 'class="presence-displays"', limit=20)
            assert re.search(r'presence-displays">1 scherm<', frame)
            assert w.teacher.name in frame


def test_revoking_closes_the_open_display_screen(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    other = make_link(client, factory, w.teacher, w.board.id, "aula")
    with (
        client.websocket_connect(link["path"] + "/ws") as ws,
        client.websocket_connect(other["path"] + "/ws") as kept,
    ):
        ws.send_text(json.dumps({"since": 0}))
        kept.send_text(json.dumps({"since": 0}))
        frames_until(ws, 'id="list-actions"')
        frames_until(kept, 'id="list-actions"')
        started = time.monotonic()
        revoke(client, factory, w.teacher, link["id"])
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(50):
                ws.receive_text()
        assert time.monotonic() - started < 5
        assert closed.value.code == 4410  # the page says so instead of reconnecting
        # the other link's screen still follows the board
        client.post(
            f"/api/v1/boards/{w.board.id}/ideas",
            json={"text": "Nog steeds live"},
            headers=factory.api(w.teacher),
        )
        frames_until(kept, "Nog steeds live")
    assert refusal(client, link["path"] + "/ws") == 404


# --- the board page ------------------------------------------------------------------------------


def test_the_board_page_makes_lists_and_revokes_links(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}").text
    assert "Schermlink" in page and f'hx-get="/boards/{w.board.id}/screens"' in page
    listing = client.get(f"/boards/{w.board.id}/screens")
    assert listing.status_code == 200 and "Nog geen schermlinks" in listing.text

    csrf = factory.login(w.teacher)
    made = client.post(
        f"/boards/{w.board.id}/screens",
        data={"label": "Tv teamkamer"},
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )
    assert made.status_code == 200
    path = re.search(r'href="http://testserver(/screen/[^"]+)"', made.text).group(1)
    assert "<svg" in made.text and "Tv teamkamer" in made.text
    assert client.get(path).status_code == 200
    [row] = factory.all(ScreenLink)

    again = client.get(f"/boards/{w.board.id}/screens").text
    assert "Tv teamkamer" in again and path not in again

    refused = client.post(f"/screens/{row.id}/revoke")
    assert refused.status_code == 403
    revoked = client.post(
        f"/screens/{row.id}/revoke", headers={"X-CSRF-Token": csrf, "HX-Request": "true"}
    )
    assert revoked.status_code == 200 and "Tv teamkamer" not in revoked.text
    assert client.get(path).status_code == 404


def test_the_display_page_has_no_link_area(client, factory):
    w = factory.world()
    link = make_link(client, factory, w.teacher, w.board.id)
    assert "Schermlink" not in client.get(link["path"]).text
