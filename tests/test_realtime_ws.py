"""The board's live channel end to end through the app: reach, catch-up, pushes per variant."""

import json
import re
import threading
from datetime import timedelta

import pytest
from sqlmodel import delete, select
from starlette.testclient import WebSocketDenialResponse

from app import clock
from app.deps import SESSION_COOKIE
from app.models import ApiToken, BoardKind, Role, TeamMember, User, UserSession
from app.models.action import ActionCreate
from app.models.care import AgreementCreate, CaseCreate
from app.models.notes import IdeaCreate
from app.realtime.channel import Credential
from app.routers.ws import credential
from app.security.tokens import token_hash
from app.services import accounts, care, item_kinds, items
from app.services.changes import take_outbox
from tests.care_world import care_world, new_case


def frames_until(ws, text: str, limit: int = 10) -> str:
    for _ in range(limit):
        frame = ws.receive_text()
        if text in frame:
            return frame
    raise AssertionError(f"no frame with {text!r}")


def version_of(frame: str) -> tuple[int, int]:
    found = re.search(r'id="board-version"[^>]*data-from="(\d+)" data-to="(\d+)"', frame)
    assert found, frame[:200]
    return int(found.group(1)), int(found.group(2))


def refusal(client, url: str, headers: dict | None = None) -> int:
    with (
        pytest.raises(WebSocketDenialResponse) as refused,
        client.websocket_connect(url, headers=headers or {}),
    ):
        pass
    return refused.value.status_code


def test_anonymous_and_out_of_reach_screens_are_refused(client, factory):
    w = factory.world()
    url = f"/boards/{w.board.id}/ws"
    assert refusal(client, url) == 404
    for outsider in (w.other_teacher, w.other_leader):
        assert refusal(client, url, factory.api(outsider)) == 404
    assert refusal(client, f"/boards/{w.outsider_board.id}/ws", factory.api(w.teacher)) == 404


def test_a_screen_for_a_malformed_board_id_is_refused(client, factory):
    headers = factory.api(factory.world().admin)
    for board_id in ("abc", "0", "-1", "1.5", "99999999999999999999", "²"):
        assert refusal(client, f"/boards/{board_id}/ws", headers) == 404


def test_a_cookie_screen_from_another_site_is_refused(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    url = f"/boards/{w.board.id}/ws"
    assert refusal(client, url, {"Origin": "https://evil.example"}) == 404


def test_a_session_cookie_in_a_second_cookie_header_still_signs_the_screen_in():
    """A proxy speaking HTTP/2 to the browser may split the cookies over several headers: the
    session is found in any of them, as a page request finds it."""
    scope = {
        "headers": [
            (b"host", b"bord.example"),
            (b"cookie", b"theme=dark"),
            (b"cookie", b"bord_session=s3cret; lang=nl"),
        ]
    }
    assert credential(scope) == Credential("s3cret", token=False)
    scope["headers"].append((b"origin", b"https://evil.example"))
    assert credential(scope) is None


def joins(client, url: str, headers: dict | None = None) -> bool:
    """Whether a screen may join: it is let in and caught up, or refused with 404."""
    try:
        with client.websocket_connect(url, headers=headers or {}) as ws:
            ws.send_text(json.dumps({"since": 0}))
            frames_until(ws, 'id="board-version"')
            return True
    except WebSocketDenialResponse as refused:
        assert refused.status_code == 404
        return False


def test_who_may_join_a_care_board_and_a_team_board(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(ib,))
    care_url, team_url = f"/boards/{care.id}/ws", f"/boards/{w.board.id}/ws"
    assert joins(client, care_url, factory.api(ib))
    for outside in (w.teacher, w.leader, w.admin):
        assert not joins(client, care_url, factory.api(outside))
    for inside in (w.teacher, w.leader, w.admin):
        assert joins(client, team_url, factory.api(inside))
    assert not joins(client, "/boards/999999/ws", factory.api(w.admin))


def test_a_revoked_token_or_ended_session_no_longer_joins(client, factory):
    w = factory.world()
    url = f"/boards/{w.board.id}/ws"
    token = factory.token(w.teacher)
    headers = {"Authorization": f"Bearer {token}"}
    assert joins(client, url, headers)
    with factory.session() as s:
        row = s.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).one()
        accounts.revoke_token(s, s.get(User, w.teacher.id), row.id)
        s.commit()
    assert not joins(client, url, headers)

    factory.login(w.teacher)
    cookie = client.cookies.get(SESSION_COOKIE)
    assert joins(client, url)
    with factory.session() as s:
        row = s.exec(select(UserSession).where(UserSession.token_hash == token_hash(cookie))).one()
        row.expires_at = clock.now() - timedelta(minutes=1)
        s.add(row)
        s.commit()
    assert not joins(client, url)

    factory.login(w.teacher)
    assert joins(client, url)
    with factory.session() as s:
        cookie = client.cookies.get(SESSION_COOKIE)
        row = s.exec(select(UserSession).where(UserSession.token_hash == token_hash(cookie))).one()
        accounts.end_session(s, row)
        s.commit()
    assert not joins(client, url)


def test_a_member_taken_off_the_team_no_longer_joins(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    url = f"/boards/{w.board.id}/ws"
    assert joins(client, url, headers)
    with factory.session() as s:
        s.exec(delete(TeamMember).where(TeamMember.user_id == w.teacher.id))
        s.commit()
    assert not joins(client, url, headers)


def test_a_screen_is_caught_up_then_follows_every_change(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": 0}))
        first = frames_until(ws, 'id="list-actions"')
        assert version_of(first) == (0, 0)
        assert 'hx-swap-oob="true"' in first

        r = client.post(
            f"/api/v1/boards/{w.board.id}/actions",
            json={"title": "Rekenmuur in elke klas"},
            headers=headers,
        )
        assert r.status_code == 201
        frame = frames_until(ws, "Rekenmuur in elke klas")
        assert version_of(frame) == (0, 1)
        assert 'id="list-actions"' in frame and 'id="list-ideas"' not in frame

        r = client.post(
            f"/api/v1/boards/{w.board.id}/ideas",
            json={"text": "Leesmaatjes met groep 3"},
            headers=headers,
        )
        frame = frames_until(ws, "Leesmaatjes met groep 3")
        assert version_of(frame) == (1, 2)


def test_presence_names_who_is_watching(client, factory):
    w = factory.world()
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=factory.api(w.teacher)) as ws:
        ws.send_text(json.dumps({"since": 0}))
        frame = frames_until(ws, 'id="presence"')
        assert w.teacher.name in frame


def test_a_reconnecting_screen_gets_only_what_changed_since(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    client.post(f"/api/v1/boards/{w.board.id}/ideas", json={"text": "Oud idee"}, headers=headers)
    client.post(
        f"/api/v1/boards/{w.board.id}/successes", json={"text": "Nieuw succes"}, headers=headers
    )
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": 1}))
        frame = frames_until(ws, 'id="board-version"')
        assert version_of(frame) == (1, 2)
        assert "Nieuw succes" in frame
        assert "Oud idee" not in frame


def test_leaders_and_english_screens_get_their_own_rendering(client, factory):
    w = factory.world()
    with factory.session() as s:
        user = s.get(User, w.teacher.id)
        user.locale = "en"
        s.add(user)
        s.commit()
    teacher_headers = factory.api(w.teacher)
    client.post(
        f"/api/v1/boards/{w.board.id}/help-requests",
        json={"text": "Tijd voor overleg?"},
        headers=teacher_headers,
    )
    with (
        client.websocket_connect(f"/boards/{w.board.id}/ws", headers=teacher_headers) as en,
        client.websocket_connect(
            f"/boards/{w.board.id}/ws", headers=factory.api(w.leader)
        ) as leader,
    ):
        en.send_text(json.dumps({"since": 0}))
        leader.send_text(json.dumps({"since": 0}))
        en_frame = frames_until(en, 'id="list-help"')
        leader_frame = frames_until(leader, 'id="list-help"')
    assert "To do" in en_frame and "Te doen" not in en_frame
    assert "Te doen" in leader_frame
    assert "/answer" in leader_frame and "/answer" not in en_frame


def action_order(frame: str) -> list[str]:
    actions = frame[frame.index('id="list-actions"') :]
    return re.findall(r'id="(action-\d+)"', actions)


def last_actions_frame(ws, version: int) -> str:
    """Frames until the screen is at `version`; the newest actions list it received."""
    latest = ""
    for _ in range(200):
        frame = ws.receive_text()
        if 'id="list-actions"' in frame:
            latest = frame
        if 'id="board-version"' in frame and version_of(frame)[1] >= version:
            return latest
    raise AssertionError("the screen never reached the board's version")


def test_concurrent_moves_end_in_the_same_order_on_every_screen(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    ids = [
        client.post(
            f"/api/v1/boards/{w.board.id}/actions", json={"title": f"kaart {i}"}, headers=headers
        ).json()["id"]
        for i in range(6)
    ]
    moves = [(ids[i % 6], ("todo", "doing", "done")[i % 3], (i * 7) % 4) for i in range(18)]

    def mover(my_moves):
        for action_id, status, position in my_moves:
            for _ in range(20):  # a drag that meets a newer version tries again, as a screen does
                version = client.get(f"/api/v1/boards/{w.board.id}", headers=headers).json()
                current = next(a for a in version["actions"] if a["id"] == action_id)["version"]
                r = client.patch(
                    f"/api/v1/actions/{action_id}",
                    json={"status": status, "position": position, "version": current},
                    headers=headers,
                )
                if r.status_code == 200:
                    break
                assert r.status_code == 409

    url = f"/boards/{w.board.id}/ws"
    with (
        client.websocket_connect(url, headers=headers) as one,
        client.websocket_connect(url, headers=factory.api(w.leader)) as two,
    ):
        one.send_text(json.dumps({"since": 0}))
        two.send_text(json.dumps({"since": 0}))
        workers = [threading.Thread(target=mover, args=(moves[k::3],)) for k in range(3)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        board = client.get(f"/api/v1/boards/{w.board.id}", headers=headers).json()
        expected = [
            f"action-{a['id']}"
            for status in ("todo", "doing", "done")
            for a in sorted(
                (a for a in board["actions"] if a["status"] == status),
                key=lambda a: a["position"],
            )
        ]
        assert action_order(last_actions_frame(one, board["version"])) == expected
        assert action_order(last_actions_frame(two, board["version"])) == expected


def test_a_pushed_action_still_names_its_goal_and_only_its_section_is_sent(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    base = f"/api/v1/boards/{w.board.id}"
    goal = client.post(f"{base}/goals", json={"title": "Leesplezier"}, headers=headers).json()
    client.post(f"{base}/ideas", json={"text": "Leesmaatjes"}, headers=headers)
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": 2}))
        frames_until(ws, 'id="board-version"')
        r = client.post(
            f"{base}/actions",
            json={"title": "Voorleeshoek inrichten", "goal_id": goal["id"]},
            headers=headers,
        )
        assert r.status_code == 201, r.text
        frame = frames_until(ws, "Voorleeshoek inrichten")
    assert "Leesplezier" in frame
    assert 'id="list-ideas"' not in frame and 'id="list-goals"' not in frame


def frames_to(ws, version: int) -> list[str]:
    """The frames that carry a board version (presence frames are skipped), until `version`."""
    found: list[str] = []
    while not found or version_of(found[-1])[1] < version:
        frame = ws.receive_text()
        if 'id="board-version"' in frame:
            found.append(frame)
    return found


def test_a_screen_that_never_says_hello_gets_every_change(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    base = f"/api/v1/boards/{w.board.id}"
    client.post(f"{base}/ideas", json={"text": "Van voor de verbinding"}, headers=headers)
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) as ws:
        for title in ("Eerste na de verbinding", "Tweede na de verbinding"):
            r = client.post(f"{base}/actions", json={"title": title}, headers=headers)
            assert r.status_code == 201
        frames = frames_to(ws, 3)
    # one chain from the version it connected at, every change in the frame that brought it
    spans = [version_of(frame) for frame in frames]
    assert [start for start, _ in spans] == [1] + [end for _, end in spans[:-1]]
    for title, version in (("Eerste na de verbinding", 2), ("Tweede na de verbinding", 3)):
        assert any(s < version <= e and title in f for (s, e), f in zip(spans, frames, strict=True))
    assert not any("Van voor de verbinding" in frame for frame in frames)


def test_a_commit_delivered_after_a_newer_one_still_reaches_the_screens(app, client, factory):
    """Two instances, or two request threads, may hand the bus a board's commits in any order:
    every screen still gets every change, and its frames only go forward, without a gap."""
    w = factory.world()
    headers = factory.api(w.teacher)
    screens = [
        client.websocket_connect(f"/boards/{w.board.id}/ws", headers=headers) for _ in range(2)
    ]
    display_path = client.post(
        f"/api/v1/boards/{w.board.id}/screens", json={"label": "Tv"}, headers=headers
    ).json()["path"]
    screens.append(client.websocket_connect(f"{display_path}/ws"))
    with screens[0] as one, screens[1] as two, screens[2] as tv:
        one.send_text(json.dumps({"since": 0}))  # a browser's hello; the others say nothing
        frames_until(one, 'id="board-version"')
        commits = []
        for make in (
            lambda s, user: items.create_item(
                s, user, item_kinds.IDEA, w.board.id, IdeaCreate(text="Leesmaatjes groep 3")
            ),
            lambda s, user: items.create_item(
                s, user, item_kinds.ACTION, w.board.id, ActionCreate(title="Rekenmuur in de gang")
            ),
        ):
            with app.state.db.session() as session:
                make(session, session.get(User, w.teacher.id))
                commits.append(take_outbox(session))
        app.state.bus.publish(commits[1])
        app.state.bus.publish(commits[0])
        for ws in (one, two, tv):
            frames = frames_to(ws, commits[1][0].version)
            spans = [version_of(frame) for frame in frames]
            assert all(nxt[0] == prev[1] for nxt, prev in zip(spans[1:], spans, strict=False))
            assert spans[0][0] <= commits[0][0].version - 1
            assert "Leesmaatjes groep 3" in "".join(frames) and "Rekenmuur" in frames[-1]


def test_a_care_board_commit_delivered_after_a_newer_one_still_reaches_its_members(
    app, client, factory
):
    cw = care_world(factory)
    case = new_case(client, factory, cw)
    with client.websocket_connect(f"/boards/{cw.care.id}/ws", headers=factory.api(cw.ib)) as ws:
        commits = []
        for make in (
            lambda s, user: care.create_agreement(
                s, user, case["id"], AgreementCreate(title="Leesplan met ouders")
            ),
            lambda s, user: care.create_case(
                s, user, cw.care.id, CaseCreate(pupil_code="M-0101", concern="Rekent traag")
            ),
        ):
            with app.state.db.session() as session:
                make(session, session.get(User, cw.ib.id))
                commits.append(take_outbox(session))
        app.state.bus.publish(commits[1])
        app.state.bus.publish(commits[0])
        frames = frames_to(ws, commits[1][0].version)
    spans = [version_of(frame) for frame in frames]
    assert [start for start, _ in spans] == [commits[0][0].version - 1] + [e for _, e in spans[:-1]]
    assert "Leesplan met ouders" in "".join(frames) and "M-0101" in frames[-1]
