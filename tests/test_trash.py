"""The prullenbak: a deleted item waits 30 days, restorable by the board's members (undo on the
board, or from the prullenbak page), live on every screen; then the daily job removes it."""

import json
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app import clock
from app.models import Agreement, Board, Case, Goal
from app.models.item import INCLUDE_DELETED
from app.services import item_kinds, retention, trash
from tests.care_world import care_world
from tests.test_care_privacy import AGREEMENT, CONCERN, leaks, new_case, seeded
from tests.test_item_kinds import NEW

API = "/api/v1"


def board_json(client, headers, board_id):
    return client.get(f"{API}/boards/{board_id}", headers=headers).json()


def frames_until(ws, text: str, limit: int = 10) -> str:
    for _ in range(limit):
        frame = ws.receive_text()
        if text in frame:
            return frame
    raise AssertionError(f"no frame with {text!r}")


@pytest.mark.parametrize("kind", item_kinds.KINDS, ids=lambda k: k.entity)
def test_every_kind_goes_to_the_prullenbak_and_comes_back(client, factory, kind):
    w = factory.world()
    headers = factory.api(w.teacher)
    item = client.post(
        f"{API}/boards/{w.board.id}/{kind.slug}", json=NEW[kind.entity], headers=headers
    ).json()
    assert client.delete(f"{API}/{kind.slug}/{item['id']}", headers=headers).status_code == 204
    assert (
        client.patch(
            f"{API}/{kind.slug}/{item['id']}", json={"version": 2}, headers=headers
        ).status_code
        == 404
    )  # gone from the board: nothing to edit

    listed = client.get(f"{API}/boards/{w.board.id}/trash", headers=headers).json()
    assert [(e["kind"], e["id"], e["deleted_by"]) for e in listed] == [
        (kind.name, item["id"], "Tim Teacher")
    ]
    entry = listed[0]
    restored = client.post(
        f"{API}/trash/{kind.name}/{item['id']}/restore",
        params={"version": entry["version"]},
        headers=headers,
    )
    assert restored.status_code == 200, restored.text
    assert restored.json()["id"] == item["id"]
    assert client.get(f"{API}/boards/{w.board.id}/trash", headers=headers).json() == []
    # a second restore (another screen's undo, a second tap) changes nothing
    again = client.post(f"{API}/trash/{kind.name}/{item['id']}/restore", headers=headers)
    assert again.status_code == 409


def test_a_restored_action_is_back_in_its_column_at_its_place(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    ids = [
        client.post(
            f"{API}/boards/{w.board.id}/actions", json={"title": t}, headers=headers
        ).json()["id"]
        for t in ("een", "twee", "drie")
    ]
    client.delete(f"{API}/actions/{ids[1]}", headers=headers)
    todo = board_json(client, headers, w.board.id)["actions"]
    assert [a["title"] for a in todo] == ["een", "drie"]
    client.post(f"{API}/trash/action/{ids[1]}/restore", headers=headers)
    back = board_json(client, headers, w.board.id)["actions"]
    assert [(a["title"], a["position"]) for a in back] == [("een", 0), ("twee", 1), ("drie", 2)]


def test_a_stale_restore_and_strangers_are_refused(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    idea = client.post(f"{API}/boards/{w.board.id}/ideas", json=NEW["idea"], headers=headers)
    idea_id = idea.json()["id"]
    client.delete(f"{API}/ideas/{idea_id}", headers=headers)
    stale = client.post(f"{API}/trash/idea/{idea_id}/restore?version=1", headers=headers)
    assert stale.status_code == 409
    outsider = factory.api(w.other_teacher)
    assert client.get(f"{API}/boards/{w.board.id}/trash", headers=outsider).status_code == 404
    assert client.post(f"{API}/trash/idea/{idea_id}/restore", headers=outsider).status_code == 404
    assert client.post(f"{API}/trash/board/{idea_id}/restore", headers=headers).status_code == 404
    assert client.post(f"{API}/trash/idea/99999/restore", headers=headers).status_code == 404
    version = factory.get(Board, w.board.id).version
    assert client.post(f"{API}/trash/idea/{idea_id}/restore", headers=outsider).status_code == 404
    assert factory.get(Board, w.board.id).version == version  # a refusal changes nothing


def test_undo_on_the_board_brings_the_card_back_on_every_screen(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    action = client.post(
        f"{API}/boards/{w.board.id}/actions", json={"title": "Leeshoek inrichten"}, headers=api
    ).json()
    csrf = factory.login(w.teacher)
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=api) as other_screen:
        deleted = client.post(f"/actions/{action['id']}/delete", data={"version": 1}, headers=hx)
        assert deleted.status_code == 200
        assert "Leeshoek inrichten" not in deleted.text.split('id="toasts"')[0]
        assert "Ongedaan maken" in deleted.text and 'id="toasts"' in deleted.text
        gone = frames_until(other_screen, 'id="list-actions"')
        assert "Leeshoek inrichten" not in gone

        undo = client.post(f"/trash/action/{action['id']}/restore", data={"version": 2}, headers=hx)
        assert undo.status_code == 200
        assert f'id="action-{action["id"]}"' in undo.text  # back on this screen
        assert "Ongedaan maken" not in undo.text  # and the undo gone
        back = frames_until(other_screen, f'id="action-{action["id"]}"')
        assert "Leeshoek inrichten" in back

        # the other screen's undo came too late: it is told, and sees the board as it is
        late = client.post(f"/trash/action/{action['id']}/restore", data={"version": 2}, headers=hx)
        assert late.status_code == 409 and f'id="action-{action["id"]}"' in late.text


def test_an_undo_is_in_the_boards_history(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    idea = client.post(
        f"{API}/boards/{w.board.id}/ideas", json={"text": "Leesmaatjes"}, headers=api
    ).json()
    client.delete(f"{API}/ideas/{idea['id']}", headers=api)
    csrf = factory.login(w.teacher)
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    undo = client.post(f"/trash/idea/{idea['id']}/restore", data={"version": 2}, headers=hx)
    assert undo.status_code == 200

    history = client.get(f"{API}/boards/{w.board.id}/events", headers=api).json()
    assert [(e["version"], e["kind"], e["entity"], e["entity_id"]) for e in history] == [
        (1, "created", "idea", idea["id"]),
        (2, "deleted", "idea", idea["id"]),
        (3, "restored", "idea", idea["id"]),
    ]
    assert history[-1]["actor"] == "Tim Teacher"
    assert board_json(client, api, w.board.id)["version"] == 3


def test_the_prullenbak_page_lists_and_restores(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    success = client.post(
        f"{API}/boards/{w.board.id}/successes", json={"text": "Iedereen las mee"}, headers=api
    ).json()
    client.delete(f"{API}/successes/{success['id']}", headers=api)
    csrf = factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}/trash")
    assert page.status_code == 200
    assert "Iedereen las mee" in page.text and "Tim Teacher" in page.text and "Succes" in page.text
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    restored = client.post(
        f"/trash/success/{success['id']}/restore",
        data={"version": 2, "from": "trash"},
        headers=hx,
    )
    assert restored.status_code == 200 and "Teruggezet." in restored.text
    assert "De prullenbak is leeg." in restored.text
    assert "Iedereen las mee" in client.get(f"/boards/{w.board.id}").text


def test_the_prullenbak_empties_after_30_days(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    goal = client.post(f"{API}/boards/{w.board.id}/goals", json=NEW["goal"], headers=headers)
    goal_id = goal.json()["id"]
    deleted_at = clock.now()
    client.delete(f"{API}/goals/{goal_id}", headers=headers)
    db = client.app.state.db

    def goal_row_stored() -> bool:
        with factory.session() as session:
            query = select(Goal).execution_options(**{INCLUDE_DELETED: True})
            return session.exec(query.where(Goal.id == goal_id)).first() is not None

    try:
        clock.set_now(deleted_at + timedelta(days=29, hours=23))
        assert trash.purge(db) == 0
        assert goal_row_stored()
        assert len(client.get(f"{API}/boards/{w.board.id}/trash", headers=headers).json()) == 1
        clock.set_now(deleted_at + timedelta(days=30, minutes=1))
        # past its days it is no longer listed or restorable, even before the job ran
        assert client.get(f"{API}/boards/{w.board.id}/trash", headers=headers).json() == []
        late = client.post(f"{API}/trash/goal/{goal_id}/restore", headers=headers)
        assert late.status_code == 404
        assert trash.purge(db) == 1
        assert trash.purge(db) == 0  # a second run finds nothing
    finally:
        clock.set_now(deleted_at)
    assert not goal_row_stored()  # removed for good, not only hidden


def test_a_care_boards_prullenbak_is_for_its_members_only(client, factory):
    cw = care_world(factory)
    case = new_case(client, factory, cw, pupil_code="P-77", concern="Zorgmarker-trash")
    ib = factory.api(cw.ib)
    agreement = client.post(
        f"{API}/cases/{case['id']}/agreements", json={"title": "Afspraak-marker"}, headers=ib
    ).json()
    assert client.delete(f"{API}/agreements/{agreement['id']}", headers=ib).status_code == 204
    assert client.delete(f"{API}/cases/{case['id']}", headers=ib).status_code == 204
    listed = client.get(f"{API}/boards/{cw.care.id}/trash", headers=ib).json()
    assert {(e["kind"], e["id"]) for e in listed} == {
        ("case", case["id"]),
        ("agreement", agreement["id"]),
    }
    assert client.get(f"{API}/cases/{case['id']}", headers=ib).status_code == 404
    for outsider in cw.outsiders:
        headers = factory.api(outsider)
        trash_list = client.get(f"{API}/boards/{cw.care.id}/trash", headers=headers)
        assert trash_list.status_code == 404
        assert "Zorgmarker" not in trash_list.text and "P-77" not in trash_list.text
        refused = client.post(f"{API}/trash/case/{case['id']}/restore", headers=headers)
        assert refused.status_code == 404
    # an agreement cannot come back while its case is in the prullenbak
    blocked = client.post(f"{API}/trash/agreement/{agreement['id']}/restore", headers=ib)
    assert blocked.status_code == 409
    colleague = factory.api(cw.colleague)
    assert (
        client.post(f"{API}/trash/case/{case['id']}/restore", headers=colleague).status_code == 200
    )
    assert (
        client.post(f"{API}/trash/agreement/{agreement['id']}/restore", headers=ib).status_code
        == 200
    )
    assert client.get(f"{API}/cases/{case['id']}", headers=ib).status_code == 200


def test_retention_treats_a_case_in_the_prullenbak_as_deleted(client, factory):
    cw = care_world(factory)
    case = new_case(client, factory, cw, pupil_code="R-9", concern="Oud")
    ib = factory.api(cw.ib)
    client.delete(f"{API}/cases/{case['id']}", headers=ib)
    with factory.session() as session:
        row = session.get(Case, case["id"], execution_options={INCLUDE_DELETED: True})
        row.status = "afgesloten"
        row.closed_at = clock.now() - timedelta(days=1000)
        session.add(row)
        session.commit()
        assert retention.due_cases(session, clock.now()) == []


def test_a_case_can_still_be_erased_at_once(client, factory):
    cw = care_world(factory)
    case = new_case(client, factory, cw, pupil_code="E-1", concern="Wissen")
    ib = factory.api(cw.ib)
    erased = client.delete(f"{API}/cases/{case['id']}?permanent=true", headers=ib)
    assert erased.status_code == 204
    assert client.get(f"{API}/boards/{cw.care.id}/trash", headers=ib).json() == []
    with factory.session() as session:
        everything = select(Case).execution_options(**{INCLUDE_DELETED: True})
        assert session.exec(everything.where(Case.id == case["id"])).first() is None
        agreements = select(Agreement).execution_options(**{INCLUDE_DELETED: True})
        assert session.exec(agreements.where(Agreement.case_id == case["id"])).all() == []


def test_a_deleted_item_is_left_out_of_every_read(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    marker = "Verwijderd-marker-7"
    help_request = client.post(
        f"{API}/boards/{w.board.id}/help-requests", json={"text": marker}, headers=headers
    ).json()
    client.delete(f"{API}/help-requests/{help_request['id']}", headers=headers)
    assert marker not in json.dumps(board_json(client, headers, w.board.id))
    factory.login(w.leader)
    assert marker not in client.get(f"/boards/{w.board.id}").text
    assert marker not in client.get(f"/schools/{w.school.id}/overview").text


def undo_version(page: str, kind: str, item_id: int) -> int:
    """The version the page's "Ongedaan maken" names."""
    found = re.search(
        rf'hx-post="/trash/{kind}/{item_id}/restore" hx-vals=\'{{"version": (\d+)}}\'', page
    )
    assert found, "no undo for this item"
    return int(found.group(1))


def care_screens(client, factory, cw):
    """A member's screen and a display link (TV) of the care board, both caught up."""
    link = client.post(
        f"{API}/boards/{cw.care.id}/screens", json={"label": "tv"}, headers=factory.api(cw.ib)
    ).json()
    member = client.websocket_connect(f"/boards/{cw.care.id}/ws", headers=factory.api(cw.ib))
    display = client.websocket_connect(link["path"] + "/ws")
    return link, member, display


def test_a_deleted_case_comes_back_with_undo_on_the_care_board(client, factory):
    cw, case = seeded(client, factory)
    link, member_ws, display_ws = care_screens(client, factory, cw)
    csrf = factory.login(cw.ib)
    with member_ws as member, display_ws as display:
        deleted = client.post(
            f"/cases/{case['id']}/erase",
            data={"csrf_token": csrf, "confirm": "yes", "how": "bin"},
            follow_redirects=False,
        )
        assert deleted.status_code == 303
        page = client.get(deleted.headers["location"]).text
        assert "Ongedaan maken" in page and 'id="toasts"' in page
        assert "K-118" not in page.split('id="list-cases"')[1]  # gone from the list
        gone = frames_until(display, 'id="list-cases"')
        assert "K-118" not in gone and not leaks(gone)

        hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
        version = undo_version(page, "case", case["id"])
        undo = client.post(
            f"/trash/case/{case['id']}/restore", data={"version": version}, headers=hx
        )
        assert undo.status_code == 200
        assert 'id="list-cases"' in undo.text and CONCERN in undo.text  # back on this screen
        assert "Ongedaan maken" not in undo.text  # and the undo gone
        assert CONCERN in frames_until(member, CONCERN)  # and on the other members' screens
        back = frames_until(display, "K-118")
        assert not leaks(back)  # the TV gets the pupil code back, never what is confidential

        # a second undo (another screen, a second tap) is told, and sees the board as it is
        late = client.post(
            f"/trash/case/{case['id']}/restore", data={"version": version}, headers=hx
        )
        assert late.status_code == 409 and CONCERN in late.text
    assert client.get(f"{API}/cases/{case['id']}", headers=factory.api(cw.ib)).status_code == 200
    shown = client.get(link["path"]).text
    assert "K-118" in shown and "Ongedaan maken" not in shown and not leaks(shown)


def test_a_deleted_agreement_comes_back_with_undo_on_its_case(client, factory):
    cw, case = seeded(client, factory)
    agreement = client.get(f"{API}/cases/{case['id']}", headers=factory.api(cw.ib)).json()[
        "agreements"
    ][0]
    link, member_ws, display_ws = care_screens(client, factory, cw)
    csrf = factory.login(cw.colleague)
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    page = client.get(f"/cases/{case['id']}").text
    assert f'hx-post="/agreements/{agreement["id"]}/delete"' in page
    with member_ws as member, display_ws as display:
        deleted = client.post(
            f"/agreements/{agreement['id']}/delete",
            data={"version": agreement["version"]},
            headers=hx,
        )
        assert deleted.status_code == 200
        case_part, toast = deleted.text.split('id="toasts"')
        assert f'id="case-{case["id"]}"' in case_part and AGREEMENT not in case_part
        assert "Ongedaan maken" in toast
        frame = frames_until(member, f'id="case-{case["id"]}"')
        assert AGREEMENT not in frame
        listed = client.get(f"{API}/boards/{cw.care.id}/trash", headers=factory.api(cw.ib))
        assert [(e["kind"], e["id"]) for e in listed.json()] == [("agreement", agreement["id"])]

        version = undo_version(deleted.text, "agreement", agreement["id"])
        undo = client.post(
            f"/trash/agreement/{agreement['id']}/restore", data={"version": version}, headers=hx
        )
        assert undo.status_code == 200
        assert f'id="case-{case["id"]}"' in undo.text and AGREEMENT in undo.text
        assert "Ongedaan maken" not in undo.text
        assert AGREEMENT in frames_until(member, AGREEMENT)
        # the TV heard that the board changed, twice, and nothing of what changed
        for _ in range(2):
            frame = frames_until(display, 'id="board-version"')
            assert not leaks(frame)
    assert client.get(f"{API}/boards/{cw.care.id}/trash", headers=factory.api(cw.ib)).json() == []
    shown = client.get(link["path"]).text
    assert "Ongedaan maken" not in shown and not leaks(shown)


def test_only_members_delete_and_undo_on_a_care_board(client, factory):
    cw, case = seeded(client, factory)
    agreement = client.get(f"{API}/cases/{case['id']}", headers=factory.api(cw.ib)).json()[
        "agreements"
    ][0]
    for outsider in cw.outsiders:
        client.cookies.clear()
        hx = {"HX-Request": "true", "X-CSRF-Token": factory.login(outsider, client)}
        refused = client.post(
            f"/agreements/{agreement['id']}/delete", data={"version": 1}, headers=hx
        )
        assert refused.status_code == 404 and not leaks(refused.text)
    assert client.get(f"{API}/cases/{case['id']}", headers=factory.api(cw.ib)).json()[
        "agreements"
    ]  # still there
    client.cookies.clear()
    member = {"HX-Request": "true", "X-CSRF-Token": factory.login(cw.ib, client)}
    client.post(
        f"/agreements/{agreement['id']}/delete",
        data={"version": agreement["version"]},
        headers=member,
    )
    deleted_at = factory.get(Board, cw.care.id).version
    for outsider in cw.outsiders:
        client.cookies.clear()
        hx = {"HX-Request": "true", "X-CSRF-Token": factory.login(outsider, client)}
        refused = client.post(f"/trash/agreement/{agreement['id']}/restore", headers=hx)
        assert refused.status_code == 404 and not leaks(refused.text)
        page = client.get(f"/boards/{cw.care.id}?deleted={case['id']}")
        assert page.status_code == 404 and "Ongedaan maken" not in page.text
    assert factory.get(Board, cw.care.id).version == deleted_at  # a refusal changes nothing
