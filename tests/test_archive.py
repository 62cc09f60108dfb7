"""A board's archive: finished work leaves the board at the close of the bordsessie after it was
shown, or by hand; old successes after a term; searched, filtered, restored; the board page
stays the size of what the team is working on."""

import json
from datetime import timedelta

from fractional_indexing import generate_n_keys_between

from app import clock
from app.models import Action, ActionStatus, Board, BoardEvent, BoardKind, Role, Success, User
from tests.conftest import NOW
from tests.test_realtime_ws import frames_until
from tests.test_screens import make_link

API = "/api/v1"
HX = {"HX-Request": "true"}


def add(client, headers, board_id: int, what: str, **body) -> dict:
    answer = client.post(f"{API}/boards/{board_id}/{what}", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def on_board(client, headers, board_id: int) -> dict:
    return client.get(f"{API}/boards/{board_id}", headers=headers).json()


def action_titles(client, headers, board_id: int) -> list[str]:
    return [a["title"] for a in on_board(client, headers, board_id)["actions"]]


def archived(client, headers, board_id: int, **query) -> list[dict]:
    answer = client.get(f"{API}/boards/{board_id}/archive", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def session(client, headers, board_id: int, during=None) -> None:
    """A whole bordsessie: started now, closed five minutes later (`during` runs between)."""
    started = client.post(f"{API}/boards/{board_id}/sessions", headers=headers)
    assert started.status_code == 201, started.text
    clock.set_now(clock.now() + timedelta(minutes=5))
    if during is not None:
        during()
    ended = client.patch(
        f"{API}/sessions/{started.json()['id']}", json={"ended": True}, headers=headers
    )
    assert ended.status_code == 200, ended.text


def archive_by_hand(client, headers, action_id: int, expect: int = 200, **query):
    answer = client.post(f"{API}/actions/{action_id}/archive", params=query, headers=headers)
    assert answer.status_code == expect, answer.text
    return answer


# --- the rule at the close of a bordsessie -------------------------------------------------------


def test_an_action_finished_and_shown_in_one_session_is_archived_after_the_next(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    finished = add(client, headers, w.board.id, "actions", title="Leesmaatjes", owner="Tim")
    add(client, headers, w.board.id, "actions", title="Rekenmuur", status="done")
    add(client, headers, w.board.id, "actions", title="Ouderavond")

    # week 1: the team finishes it during the session; it stays on the board, as finished
    started = client.post(f"{API}/boards/{w.board.id}/sessions", headers=headers).json()
    clock.set_now(NOW + timedelta(minutes=10))
    moved = client.patch(
        f"{API}/actions/{finished['id']}", json={"status": "done", "version": 1}, headers=headers
    )
    assert moved.status_code == 200
    client.patch(f"{API}/sessions/{started['id']}", json={"ended": True}, headers=headers)
    # "Rekenmuur" was finished before this session began: seen as finished in it, so archived
    assert action_titles(client, headers, w.board.id) == ["Ouderavond", "Leesmaatjes"]
    assert [a["text"] for a in archived(client, headers, w.board.id)] == ["Rekenmuur"]

    # week 2: shown as finished for a week and a session; the next close archives it
    clock.set_now(NOW + timedelta(days=7))

    def finish_another() -> None:
        add(client, headers, w.board.id, "actions", title="Kascommissie", status="done")

    session(client, headers, w.board.id, finish_another)
    assert action_titles(client, headers, w.board.id) == ["Ouderavond", "Kascommissie"]
    found = archived(client, headers, w.board.id, q="lees")
    assert [(a["kind"], a["id"], a["text"], a["owner"]) for a in found] == [
        ("action", finished["id"], "Leesmaatjes", "Tim")
    ]
    assert found[0]["done_at"].startswith("2026-11-29T23:40")  # 00:40 in Amsterdam
    ended = [e for e in factory.all(BoardEvent) if e.kind == "ended"][-1]
    assert "actions" in ended.sections
    assert not [e for e in factory.all(BoardEvent) if e.kind == "archived"]  # one change

    # and back: at the end of the Klaar column, live on the board again
    back = client.post(f"{API}/archive/action/{finished['id']}/restore", headers=headers)
    assert back.status_code == 200, back.text
    assert (back.json()["title"], back.json()["status"]) == ("Leesmaatjes", "done")
    assert back.json()["position"] == 1  # the end of Klaar, after Kascommissie
    assert int(back.headers["X-Board-Version"]) == factory.get(Board, w.board.id).version
    titles = action_titles(client, headers, w.board.id)
    assert titles == ["Ouderavond", "Kascommissie", "Leesmaatjes"]
    assert [a["text"] for a in archived(client, headers, w.board.id)] == ["Rekenmuur"]
    # restored meanwhile (a second tap, another screen): 409, nothing changes
    again = client.post(f"{API}/archive/action/{finished['id']}/restore", headers=headers)
    assert again.status_code == 409
    assert again.json()["current"]["title"] == "Leesmaatjes"


def test_successes_older_than_a_term_are_archived_at_the_close(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    goal = add(
        client, headers, w.board.id, "goals", title="Leesplezier", unit="%", baseline=20, target=80
    )
    reached = {"date": "2026-11-30", "value": 85}
    measured = client.post(f"{API}/goals/{goal['id']}/measurements", json=reached, headers=headers)
    assert measured.status_code == 201, measured.text
    old = add(client, headers, w.board.id, "successes", text="Iedereen op tijd", goal_id=goal["id"])
    clock.set_now(NOW + timedelta(weeks=9))
    recent = add(client, headers, w.board.id, "successes", text="Nieuwe leeshoek")
    session(client, headers, w.board.id)
    assert len(on_board(client, headers, w.board.id)["successes"]) == 2  # not a term yet

    clock.set_now(NOW + timedelta(weeks=10, days=1))
    session(client, headers, w.board.id)
    board = on_board(client, headers, w.board.id)
    assert [s["text"] for s in board["successes"]] == ["Nieuwe leeshoek"]
    found = archived(client, headers, w.board.id)
    assert [(s["kind"], s["id"], s["owner"], s["goal_id"]) for s in found] == [
        ("success", old["id"], None, goal["id"])
    ]
    ended = [e for e in factory.all(BoardEvent) if e.kind == "ended"][-1]
    assert {"successes", "goals"} <= set(ended.sections)
    # its goal stays celebrated: the board does not offer to celebrate it a second time
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}").text
    assert "Vier het als succes" not in page
    assert "Leesplezier" in page

    back = client.post(f"{API}/archive/success/{old['id']}/restore", headers=headers)
    assert back.status_code == 200
    assert back.json()["text"] == "Iedereen op tijd"
    texts = [s["text"] for s in on_board(client, headers, w.board.id)["successes"]]
    assert sorted(texts) == ["Iedereen op tijd", "Nieuwe leeshoek"]
    assert factory.get(Success, recent["id"]).archived_at is None


# --- by hand ------------------------------------------------------------------------------------


def test_any_action_is_archived_by_hand_once(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = add(client, headers, w.board.id, "actions", title="Plan van aanpak")
    stale = archive_by_hand(client, headers, action["id"], 409, version=7)
    assert stale.json()["current"]["version"] == 1
    answer = archive_by_hand(client, headers, action["id"], version=1)
    assert (answer.json()["title"], answer.json()["version"]) == ("Plan van aanpak", 2)
    assert int(answer.headers["X-Board-Version"]) == factory.get(Board, w.board.id).version
    assert action_titles(client, headers, w.board.id) == []
    assert factory.all(BoardEvent)[-1].kind == "archived"
    assert archive_by_hand(client, headers, action["id"], 409).json()["detail"]
    assert archived(client, headers, w.board.id)[0]["done_at"] is None  # never finished
    assert factory.get(Action, action["id"]).archived_at is not None


def test_an_archived_board_refuses_archive_and_restore(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    first = add(client, headers, w.board.id, "actions", title="Eerste")
    second = add(client, headers, w.board.id, "actions", title="Tweede")
    archive_by_hand(client, headers, first["id"])
    leader = factory.api(w.leader)
    assert client.patch(f"{API}/boards/{w.board.id}", json={"archived": True}, headers=leader)
    version = factory.get(Board, w.board.id).version
    archive_by_hand(client, headers, second["id"], 409)
    answer = client.post(f"{API}/archive/action/{first['id']}/restore", headers=headers)
    assert answer.status_code == 409
    assert factory.get(Board, w.board.id).version == version
    assert [a["text"] for a in archived(client, headers, w.board.id)] == ["Eerste"]  # readable


def test_the_archive_is_for_the_boards_members_only(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = add(client, headers, w.board.id, "actions", title="Geheim plan")
    archive_by_hand(client, headers, action["id"])
    for user in (w.other_teacher, w.other_leader):
        other = factory.api(user)
        assert client.get(f"{API}/boards/{w.board.id}/archive", headers=other).status_code == 404
        assert client.post(f"{API}/actions/{action['id']}/archive", headers=other).status_code == (
            404
        )
        restore = f"{API}/archive/action/{action['id']}/restore"
        assert client.post(restore, headers=other).status_code == 404
    for kind in ("goal", "idea", "actions", "care-case"):
        answer = client.post(f"{API}/archive/{kind}/{action['id']}/restore", headers=headers)
        assert answer.status_code == 404
    assert client.get(f"{API}/boards/999999/archive", headers=headers).status_code == 404
    bad = client.get(f"{API}/boards/{w.board.id}/archive?kind=goal", headers=headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "kind"
    factory.login(w.other_teacher)
    assert client.get(f"/boards/{w.board.id}/archive").status_code == 404
    assert factory.get(Action, action["id"]).archived_at is not None


def test_a_care_board_has_no_archive(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(ib,))
    headers = factory.api(ib)
    assert client.get(f"{API}/boards/{care.id}/archive", headers=headers).status_code == 404
    with factory.session() as s:
        row = Action(board_id=care.id, title="Zorgmarker-actie", rank="a0", archived_at=NOW)
        s.add(row)
        s.commit()
        s.refresh(row)
    assert client.post(f"{API}/archive/action/{row.id}/restore", headers=headers).status_code == (
        404
    )
    assert client.post(f"{API}/actions/{row.id}/archive", headers=headers).status_code == 404
    factory.login(ib)
    assert client.get(f"/boards/{care.id}/archive").status_code == 404
    assert "Zorgmarker" not in client.get(f"/boards/{w.board.id}/archive").text
    assert factory.get(Action, row.id).archived_at is not None


# --- searching and filtering --------------------------------------------------------------------


def test_the_archive_is_searched_and_filtered(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    lezen = add(client, headers, w.board.id, "goals", title="Lezen", unit="%")
    rekenen = add(client, headers, w.board.id, "goals", title="Rekenen", unit="%")
    rows = [
        ("Leesmaatjes", "Tim", lezen["id"]),
        ("Bibliotheekbezoek", "Ans", lezen["id"]),
        ("Rekenmuur", "Tim", rekenen["id"]),
        ("100%_korting", "", None),
    ]
    ids = {}
    for day, (title, owner, goal_id) in enumerate(rows):
        clock.set_now(NOW + timedelta(days=day))
        action = add(
            client, headers, w.board.id, "actions", title=title, owner=owner, goal_id=goal_id
        )
        ids[title] = action["id"]
        archive_by_hand(client, headers, action["id"])
    success = add(
        client, headers, w.board.id, "successes", text="Tim las voor", goal_id=lezen["id"]
    )
    with factory.session() as s:
        row = s.get(Success, success["id"])
        row.archived_at = clock.now()
        s.add(row)
        s.commit()

    def texts(**query) -> list[str]:
        return [item["text"] for item in archived(client, headers, w.board.id, **query)]

    assert texts() == [
        "Tim las voor",
        "100%_korting",
        "Rekenmuur",
        "Bibliotheekbezoek",
        "Leesmaatjes",
    ]
    assert texts(q="TIM") == ["Tim las voor", "Rekenmuur", "Leesmaatjes"]  # text or owner
    assert texts(q="%_") == ["100%_korting"]  # typed, not a pattern
    assert texts(owner="Tim") == ["Rekenmuur", "Leesmaatjes"]  # successes have no owner
    assert texts(goal_id=lezen["id"]) == ["Tim las voor", "Bibliotheekbezoek", "Leesmaatjes"]
    assert texts(goal_id=lezen["id"], kind="action") == ["Bibliotheekbezoek", "Leesmaatjes"]
    assert texts(kind="success") == ["Tim las voor"]
    # days are the school's: archived on Monday 30 and Tuesday 1 December (Amsterdam)
    assert texts(**{"from": "2026-11-30", "to": "2026-12-01"}) == [
        "Bibliotheekbezoek",
        "Leesmaatjes",
    ]
    assert texts(**{"from": "2026-12-03"}) == ["Tim las voor", "100%_korting"]
    assert texts(q="niets dergelijks") == []
    bad = client.get(f"{API}/boards/{w.board.id}/archive?from=gisteren", headers=headers)
    assert bad.status_code == 422


def test_the_archive_comes_in_pages_of_fifty(client, factory):
    w = factory.world()
    make_archived_actions(factory, w.board.id, 55)
    headers = factory.api(w.teacher)
    url = f"{API}/boards/{w.board.id}/archive"
    first = client.get(url, headers=headers)
    assert len(first.json()) == 50 and first.headers["X-Total-Count"] == "55"
    second = client.get(url, params={"page": 2}, headers=headers).json()
    assert len(second) == 5
    assert not {a["id"] for a in first.json()} & {a["id"] for a in second}
    assert client.get(url, params={"page": 3}, headers=headers).json() == []

    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}/archive?q=Actie")
    assert page.status_code == 200
    assert page.text.count('class="archive-item"') == 50
    assert "55 items gevonden" in page.text
    assert f'href="/boards/{w.board.id}/archive?q=Actie&amp;page=2"' in page.text
    last = client.get(f"/boards/{w.board.id}/archive?q=Actie&page=2").text
    assert last.count('class="archive-item"') == 5 and 'rel="prev"' in last


def make_archived_actions(factory, board_id: int, count: int, done: int | None = None) -> None:
    """`count` actions straight in the database; the first `done` of them finished and
    archived (all, when not given)."""
    done = count if done is None else done
    ranks = generate_n_keys_between(None, None, count)
    with factory.session() as s:
        for n, rank in enumerate(ranks):
            finished = n < done
            s.add(
                Action(
                    board_id=board_id,
                    title=f"Actie nummer {n} met een titel zoals teams ze schrijven",
                    owner=f"Collega {n % 12}",
                    rank=rank,
                    status=ActionStatus.done if finished else ActionStatus.todo,
                    done_at=NOW - timedelta(days=30) if finished else None,
                    archived_at=NOW - timedelta(days=20) - timedelta(minutes=n)
                    if finished
                    else None,
                )
            )
        s.commit()


# --- the pages ----------------------------------------------------------------------------------


def test_a_board_whose_finished_work_is_archived_serves_a_small_page(client, factory):
    w = factory.world()
    make_archived_actions(factory, w.board.id, 500, done=450)
    factory.login(w.teacher)
    answer = client.get(f"/boards/{w.board.id}", headers={"Accept-Encoding": "identity"})
    assert answer.status_code == 200
    assert "content-encoding" not in answer.headers
    assert len(answer.content) < 100_000, len(answer.content)
    assert answer.text.count('class="card card--action') == 50
    assert f'href="/boards/{w.board.id}/archive"' in answer.text


def test_the_archive_page_restores_an_item_with_a_message(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = add(client, headers, w.board.id, "actions", title="Leesmaatjes", owner="Tim")
    archive_by_hand(client, headers, action["id"])
    csrf = factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}/archive")
    assert page.status_code == 200
    assert "Leesmaatjes" in page.text and "Wie: Tim" in page.text
    assert f'hx-post="/archive/action/{action["id"]}/restore"' in page.text
    assert (
        'role="search"' in page.text
        and 'id="archive-status" class="archive-status" role="status"' in page.text
    )

    url = f"/archive/action/{action['id']}/restore"
    answer = client.post(url, headers={**HX, "X-CSRF-Token": csrf})
    assert answer.status_code == 200
    assert "„Leesmaatjes” staat weer op het bord." in answer.text
    assert 'id="archive-status" hx-swap-oob="innerHTML"' in answer.text
    assert f'href="/boards/{w.board.id}#action-{action["id"]}"' in answer.text
    assert action_titles(client, headers, w.board.id) == ["Leesmaatjes"]
    again = client.post(url, headers={**HX, "X-CSRF-Token": csrf})
    assert again.status_code == 409
    assert "stond al weer op het bord" in again.text
    assert "Het archief is nog leeg." in client.get(f"/boards/{w.board.id}/archive").text


def test_the_archive_page_speaks_english(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    archive_by_hand(client, headers, add(client, headers, w.board.id, "actions", title="X")["id"])
    with factory.session() as s:
        user = s.get(User, w.teacher.id)
        user.locale = "en"
        s.add(user)
        s.commit()
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}/archive")
    assert "Archive" in page.text and "Restore" in page.text
    assert "Terugzetten" not in page.text


def test_a_bad_filter_on_the_page_names_its_field(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}/archive?from=morgen&q=lezen")
    assert page.status_code == 422
    assert 'id="archive-from" name="from"' in page.text and 'aria-invalid="true"' in page.text
    assert 'value="lezen"' in page.text


# --- live ---------------------------------------------------------------------------------------


def test_archiving_on_one_screen_takes_the_card_off_the_others(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    action = add(client, headers, w.board.id, "actions", title="Leesmaatjes")
    add(client, headers, w.board.id, "actions", title="Rekenmuur")
    link = make_link(client, factory, w.teacher, w.board.id)
    other = factory.api(w.leader)
    with (
        client.websocket_connect(f"/boards/{w.board.id}/ws", headers=other) as screen,
        client.websocket_connect(link["path"] + "/ws") as tv,
    ):
        for ws in (screen, tv):
            ws.send_text(json.dumps({"since": 0}))
            assert f'id="action-{action["id"]}"' in frames_until(ws, "Leesmaatjes")
        csrf = factory.login(w.teacher)
        answer = client.post(
            f"/actions/{action['id']}/archive",
            data={"version": "1"},
            headers={**HX, "X-CSRF-Token": csrf},
        )
        assert answer.status_code == 200
        assert answer.text.lstrip().startswith('<div id="list-actions"')
        assert f'id="action-{action["id"]}"' not in answer.text
        for ws in (screen, tv):
            frame = frames_until(ws, 'id="list-actions"')
            assert f'id="action-{action["id"]}"' not in frame
            assert "Rekenmuur" in frame
        # archived meanwhile on another screen: the actions as they stand, 409
        stale = client.post(
            f"/actions/{action['id']}/archive",
            data={"version": "1"},
            headers={**HX, "X-CSRF-Token": csrf},
        )
        assert stale.status_code == 409 and "Rekenmuur" in stale.text


def test_a_card_offers_archiving_in_its_menu(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    add(client, headers, w.board.id, "actions", title="Leesmaatjes")
    add(client, headers, w.board.id, "ideas", text="Leesboeken")
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}").text
    assert page.count("data-card-archive") == 1  # actions only
