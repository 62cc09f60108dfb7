"""A marker typed into a case reaches exactly the care board's members, on every channel:
HTML pages, the JSON API, WebSocket frames, display links, exports, webhooks and the logs."""

import json
import logging
import time

import pytest
from starlette.websockets import WebSocketDisconnect

from app.models import AuditEntry, Board, Case, WebhookDelivery
from app.services.webhook_events import NAMES
from tests.care_world import API, care_world, new_case
from tests.test_realtime_ws import frames_until, refusal
from tests.webhook_receiver import receiver

CONCERN = "MARKER-ZORG-7731"
AGREEMENT = "MARKER-AFSPRAAK-4410"
PERSON = "MARKER-BETROKKENE-5520"
NOTES = "MARKER-OVERLEG-9902"
HX = {"HX-Request": "true"}


def seeded(client, factory):
    cw = care_world(factory)
    case = new_case(
        client,
        factory,
        cw,
        pupil_code="K-118",
        concern=f"Leest moeizaam {CONCERN}",
        review_date="2026-11-23",
    )
    answer = client.post(
        f"{API}/cases/{case['id']}/agreements",
        json={"title": f"Leesplan {AGREEMENT}", "owner": "Mw. Bakker (logopedie)"},
        headers=factory.api(cw.ib),
    )
    assert answer.status_code == 201
    answer = client.post(
        f"{API}/cases/{case['id']}/participants",
        json={"name": f"Mw. {PERSON}", "role": "external", "organisation": "Logopedie"},
        headers=factory.api(cw.ib),
    )
    assert answer.status_code == 201, answer.text
    answer = client.post(
        f"{API}/cases/{case['id']}/meetings",
        json={"date": "2026-11-20", "attendees": ["Moeder"], "notes": f"Besproken {NOTES}"},
        headers=factory.api(cw.ib),
    )
    assert answer.status_code == 201, answer.text
    return cw, case


def leaks(text: str) -> bool:
    return any(marker in text for marker in (CONCERN, AGREEMENT, PERSON, NOTES))


def pages_for(client, factory, user, case_id: int, board_id: int) -> list:
    client.cookies.clear()
    factory.login(user, client)
    return [
        client.get(f"/boards/{board_id}"),
        client.get(f"/cases/{case_id}"),
        client.get(f"/cases/{case_id}/export"),
        client.get(f"{API}/cases/{case_id}"),
        client.get(f"{API}/cases/{case_id}/export"),
        client.get(f"{API}/boards/{board_id}"),
    ]


def test_html_and_api_reach_only_members(client, factory):
    cw, case = seeded(client, factory)
    for user in cw.members:
        for answer in pages_for(client, factory, user, case["id"], cw.care.id):
            assert answer.status_code == 200
        board, case_page, export, api_case, api_export, _api_board = pages_for(
            client, factory, user, case["id"], cw.care.id
        )
        for answer in (board, case_page, export, api_case, api_export):
            assert CONCERN in answer.text and AGREEMENT in answer.text
    for user in cw.outsiders:
        for answer in pages_for(client, factory, user, case["id"], cw.care.id):
            assert answer.status_code == 404, (user.name, answer.request.url)
            assert not leaks(answer.text)
        for path in (f"/boards/{cw.care.id}/audit", f"/schools/{cw.w.school.id}/care-audit"):
            audit_page = client.get(path)
            assert audit_page.status_code == (200 if user is cw.officer else 404)
            assert not leaks(audit_page.text)
    # the school's home page, the leader's counts and the audit log carry no case contents
    client.cookies.clear()
    factory.login(cw.w.leader)
    assert not leaks(client.get("/").text)
    counts = client.get(f"{API}/schools/{cw.w.school.id}/care-overview")
    assert counts.status_code == 200 and not leaks(counts.text)
    client.cookies.clear()
    factory.login(cw.officer)
    for path in (
        f"/boards/{cw.care.id}/audit",
        f"{API}/cases/{case['id']}/audit",
        f"{API}/schools/{cw.w.school.id}/care-audit",
    ):
        answer = client.get(path)
        assert answer.status_code == 200 and not leaks(answer.text)
        assert "K-118" not in answer.text


def test_the_board_page_shows_the_care_view_with_open_agreements(client, factory):
    cw, case = seeded(client, factory)
    factory.login(cw.ib)
    page = client.get(f"/boards/{cw.care.id}").text
    assert "Casussen" in page and "Verbeteracties" not in page
    assert "K-118" in page and "Privacyscherm" in page
    detail = client.get(f"/cases/{case['id']}").text
    assert detail.index("Open afspraken") < detail.index("Zorgoverleggen")
    assert 'class="agreement-what confidential"' in detail


def test_web_forms_run_a_care_meeting(client, factory):
    cw = care_world(factory)
    csrf = factory.login(cw.ib)
    headers = {**HX, "X-CSRF-Token": csrf}
    bad = client.post(
        f"/boards/{cw.care.id}/cases",
        data={"pupil_code": "Jan de Vries", "concern": "x"},
        headers=headers,
    )
    assert bad.status_code == 422 and "volledige naam" in bad.text
    made = client.post(
        f"/boards/{cw.care.id}/cases",
        data={"pupil_code": "JdV", "group": "6", "concern": "Rekent traag", "review_date": ""},
        headers=headers,
    )
    assert made.status_code == 200 and "JdV" in made.text
    case_id = factory.all(Case)[0].id
    agreement = client.post(
        f"/cases/{case_id}/agreements",
        data={"title": "Rekenmuur thuis", "owner": "Moeder", "due": "2026-12-01"},
        headers=headers,
    )
    assert agreement.status_code == 200 and "Rekenmuur thuis" in agreement.text
    meeting = client.post(
        f"/cases/{case_id}/meetings",
        data={
            "date": "2026-11-23",
            "attendees": "Moeder, Juf Anna",
            "notes": "Fijn overleg",
            "next_review": "2027-01-11",
        },
        headers=headers,
    )
    assert meeting.status_code == 200 and "Moeder, Juf Anna" in meeting.text
    refused = client.post(
        f"/cases/{case_id}/meetings",
        data={"date": "2026-11-24", "attendees": "Moeder, Va\x00der", "notes": ""},
        headers=headers,
    )
    assert refused.status_code == 422 and "teken dat niet kan" in refused.text
    status = client.post(
        f"/cases/{case_id}",
        data={"status": "begeleiding", "review_date": "2027-01-11", "version": "2"},
        headers=headers,
    )
    assert status.status_code == 200 and "In begeleiding" in status.text
    stale = client.post(
        f"/cases/{case_id}", data={"status": "afgesloten", "version": "2"}, headers=headers
    )
    assert stale.status_code == 409 and "verouderd" in stale.text
    api = client.get(f"{API}/cases/{case_id}", headers=factory.api(cw.ib)).json()
    assert api["review_date"] == "2027-01-11" and api["status"] == "begeleiding"
    assert api["agreements"][0]["owner"] == "Moeder"
    # erasing a case with an open agreement asks for confirmation first
    form = {"csrf_token": csrf}
    assert "open afspraak" in client.get(f"/cases/{case_id}/erase").text
    refused = client.post(f"/cases/{case_id}/erase", data=form, follow_redirects=False)
    assert refused.status_code == 409
    assert client.get(f"{API}/cases/{case_id}", headers=factory.api(cw.ib)).status_code == 200
    erased = client.post(
        f"/cases/{case_id}/erase", data={**form, "confirm": "yes"}, follow_redirects=False
    )
    assert erased.status_code == 303
    assert client.get(f"{API}/cases/{case_id}", headers=factory.api(cw.ib)).status_code == 404


def test_websocket_frames_reach_members_and_never_displays(client, factory):
    cw, case = seeded(client, factory)
    link = client.post(
        f"{API}/boards/{cw.care.id}/screens",
        json={"label": "overlegkamer"},
        headers=factory.api(cw.ib),
    ).json()
    display_page = client.get(link["path"])
    assert display_page.status_code == 200
    assert "K-118" in display_page.text and not leaks(display_page.text)
    for user in cw.outsiders:
        assert refusal(client, f"/boards/{cw.care.id}/ws", factory.api(user)) == 404
    with (
        client.websocket_connect(f"/boards/{cw.care.id}/ws", headers=factory.api(cw.ib)) as ib,
        client.websocket_connect(
            f"/boards/{cw.care.id}/ws", headers=factory.api(cw.colleague)
        ) as colleague,
        client.websocket_connect(link["path"] + "/ws") as display,
    ):
        for ws in (ib, colleague, display):
            ws.send_text(json.dumps({"since": 0}))
        assert CONCERN in frames_until(ib, 'id="list-cases"')
        assert AGREEMENT in frames_until(colleague, f'id="case-{case["id"]}"')
        first = frames_until(display, 'id="list-cases"')
        assert "K-118" in first and not leaks(first)
        answer = client.post(
            f"{API}/cases/{case['id']}/agreements",
            json={"title": "Nieuwe afspraak NIEUW-MARKER-99", "owner": "Jeugdzorg"},
            headers=factory.api(cw.ib),
        )
        assert answer.status_code == 201
        for ws in (ib, colleague):
            frame = frames_until(ws, "NIEUW-MARKER-99")
            assert f'id="case-{case["id"]}"' in frame
        # the display is told the new version, and nothing about the agreement
        frame = frames_until(display, 'id="board-version"')
        assert "NIEUW-MARKER-99" not in frame and not leaks(frame)
        # a change of the case itself updates its code and date on the display
        version = client.get(f"{API}/cases/{case['id']}", headers=factory.api(cw.ib)).json()
        client.patch(
            f"{API}/cases/{case['id']}",
            json={
                "pupil_code": "K-119",
                "concern": f"Nog steeds {CONCERN}",
                "version": version["version"],
            },
            headers=factory.api(cw.ib),
        )
        frame = frames_until(display, "K-119")
        assert 'id="list-cases"' in frame and not leaks(frame) and "NIEUW-MARKER-99" not in frame
        member = frames_until(ib, "K-119")
        assert CONCERN in member


def test_case_contents_never_reach_the_logs(client, factory, caplog):
    caplog.set_level(logging.DEBUG)
    cw, case = seeded(client, factory)
    headers = factory.api(cw.ib)
    client.get(f"{API}/cases/{case['id']}", headers=headers)
    client.get(f"{API}/cases/{case['id']}/export", headers=headers)
    client.patch(
        f"{API}/cases/{case['id']}",
        json={"concern": f"x {CONCERN}", "version": 99},
        headers=headers,
    )
    too_long = client.post(
        f"{API}/boards/{cw.care.id}/cases",
        json={"pupil_code": "Z1", "concern": CONCERN * 40},
        headers=headers,
    )
    assert too_long.status_code == 422 and CONCERN not in too_long.text
    factory.login(cw.ib)
    client.get(f"/cases/{case['id']}")
    assert caplog.records, "nothing was captured: the check would prove nothing"
    assert not leaks(caplog.text)
    assert not any(leaks(str(e.detail)) for e in factory.all(AuditEntry))


def test_a_reconnecting_screen_gets_the_cases_that_changed_and_not_the_others(client, factory):
    cw, case = seeded(client, factory)
    other = new_case(client, factory, cw, pupil_code="R-2", concern="Andere zorg")
    headers = factory.api(cw.ib)
    since = factory.get(Board, cw.care.id).version
    client.post(f"{API}/cases/{other['id']}/agreements", json={"title": "Bellen"}, headers=headers)
    with client.websocket_connect(f"/boards/{cw.care.id}/ws", headers=headers) as ws:
        ws.send_text(json.dumps({"since": since}))
        # the changes' own sections, as their events recorded them: that case's card and page
        frame = frames_until(ws, f'id="case-{other["id"]}"')
        assert "Bellen" in frame
        assert f'id="case-{case["id"]}"' not in frame


def test_sharing_the_care_board_on_the_web(client, factory):
    cw = care_world(factory)
    csrf = factory.login(cw.ib)
    headers = {**HX, "X-CSRF-Token": csrf}
    panel = client.get(f"/boards/{cw.care.id}/members")
    assert "Carla Collega" in panel.text and "Ingrid IB" in panel.text
    refused = client.post(
        f"/boards/{cw.care.id}/members", data={"email": cw.w.other_teacher.email}, headers=headers
    )
    assert refused.status_code == 422 and "Niemand van deze school" in refused.text
    added = client.post(
        f"/boards/{cw.care.id}/members", data={"email": cw.w.teacher.email}, headers=headers
    )
    assert added.status_code == 200 and "Tim Teacher" in added.text
    removed = client.post(f"/boards/{cw.care.id}/members/{cw.w.teacher.id}/remove", headers=headers)
    assert removed.status_code == 200 and "Tim Teacher" not in removed.text
    client.cookies.clear()
    factory.login(cw.w.teacher)
    assert client.get(f"/boards/{cw.care.id}/members").status_code == 404
    assert client.get(f"/boards/{cw.care.id}").status_code == 404


def test_a_removed_member_loses_their_open_screen_and_the_others_keep_theirs(client, factory):
    cw, _case = seeded(client, factory)
    url = f"/boards/{cw.care.id}/ws"
    ib, colleague = factory.api(cw.ib), factory.api(cw.colleague)
    with (
        client.websocket_connect(url, headers=colleague) as removed,
        client.websocket_connect(url, headers=ib) as kept,
    ):
        for ws in (removed, kept):
            ws.send_text(json.dumps({"since": 0}))
            frames_until(ws, 'id="list-cases"')
        answer = client.delete(f"{API}/boards/{cw.care.id}/members/{cw.colleague.id}", headers=ib)
        assert answer.status_code == 204
        with pytest.raises(WebSocketDisconnect):
            for _ in range(50):
                removed.receive_text()
        new_case(client, factory, cw, pupil_code="N-7", concern="Nog steeds live")
        frames_until(kept, "N-7")  # the IB'er's screen was not touched
    assert refusal(client, url, colleague) == 404


def test_the_audit_log_and_the_export_speak_dutch_not_codes(client, factory):
    cw, case = seeded(client, factory)
    factory.login(cw.ib)
    client.get(f"/cases/{case['id']}")
    log = client.get(f"/boards/{cw.care.id}/audit").text
    assert "<td>casus bekeken</td>" in log and "<td>viewed</td>" not in log
    export = client.get(f"/cases/{case['id']}/export").text
    assert "<dd>Signalering</dd>" in export and "signalering</dd>" not in export
    assert "Te doen" in export and "· todo" not in export


def test_the_audit_log_names_the_case_by_its_pupil_code_and_says_its_details_in_dutch(
    client, factory
):
    cw, case = seeded(client, factory)
    headers = factory.api(cw.ib)
    agreements = client.get(f"{API}/cases/{case['id']}", headers=headers).json()["agreements"]
    answer = client.patch(
        f"{API}/agreements/{agreements[0]['id']}",
        json={"status": "done", "version": agreements[0]["version"]},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    meeting = client.post(
        f"{API}/cases/{case['id']}/meetings", json={"date": "2026-11-23"}, headers=headers
    )
    assert meeting.status_code == 201
    factory.login(cw.ib)
    log = client.get(f"/boards/{cw.care.id}/audit").text
    assert "K-118" in log
    assert f"<td>{case['id']}</td>" not in log
    assert "agreement " not in log and "meeting " not in log
    assert "gewijzigd: status" in log
    # the privacy officer reads the trail, not which pupil it is about
    client.cookies.clear()
    factory.login(cw.officer)
    for path in (f"/boards/{cw.care.id}/audit", f"/schools/{cw.w.school.id}/care-audit"):
        officer_log = client.get(path).text
        assert "K-118" not in officer_log and "gewijzigd: status" in officer_log


def test_webhooks_never_carry_care_data(client, factory):
    """A webhook for every event of the school hears of its team board, and of nothing that
    happens on the care board."""
    cw, case = seeded(client, factory)
    w, ib = cw.w, factory.api(cw.ib)
    with receiver() as box:
        hook = {"url": box.url, "events": list(NAMES)}
        made = client.post(
            f"{API}/schools/{w.school.id}/webhooks", json=hook, headers=factory.api(w.leader)
        )
        assert made.status_code == 201, made.text
        changes = [
            client.post(
                f"{API}/cases/{case['id']}/agreements",
                json={"title": f"Nog een {AGREEMENT}"},
                headers=ib,
            ),
            client.post(f"{API}/boards/{cw.care.id}/actions", json={"title": CONCERN}, headers=ib),
            client.post(
                f"{API}/boards/{cw.care.id}/help-requests", json={"text": NOTES}, headers=ib
            ),
            client.post(
                f"{API}/boards/{w.board.id}/actions",
                json={"title": "Teamactie"},
                headers=factory.api(w.teacher),
            ),
        ]
        assert [c.status_code for c in changes] == [201] * 4
        deadline = time.monotonic() + 10
        while not box.received:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)
    assert [json.loads(d.body)["data"]["title"] for d in box.received] == ["Teamactie"]
    assert not any(leaks(d.body.decode()) for d in box.received)
    assert not any(leaks(row.body) for row in factory.all(WebhookDelivery))
