"""/api/v1 care boards: cases, agreements, meetings, the audit log, export and erasure."""

import pytest

from app.models import Agreement, AuditEntry, CareMeeting, Case, CaseParticipant, School
from tests.care_world import API, care_world, new_case


def field_of(response) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def test_cases_are_out_of_reach_for_everyone_but_the_care_boards_members(client, factory):
    cw = care_world(factory)
    case = new_case(client, factory, cw)
    body = {"pupil_code": "X1", "concern": "nee"}
    assert client.post(f"{API}/boards/{cw.care.id}/cases", json=body).status_code == 401
    assert client.get(f"{API}/cases/{case['id']}").status_code == 401
    for user in cw.outsiders:
        headers = factory.api(user)
        assert (
            client.post(f"{API}/boards/{cw.care.id}/cases", json=body, headers=headers).status_code
            == 404
        )
        for path in ("", "/export"):
            assert client.get(f"{API}/cases/{case['id']}{path}", headers=headers).status_code == 404
        patch = {"concern": "x", "version": 1}
        assert (
            client.patch(f"{API}/cases/{case['id']}", json=patch, headers=headers).status_code
            == 404
        )
        assert (
            client.delete(f"{API}/cases/{case['id']}?confirm=true", headers=headers).status_code
            == 404
        )
        assert (
            client.post(
                f"{API}/cases/{case['id']}/agreements", json={"title": "x"}, headers=headers
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"{API}/cases/{case['id']}/meetings", json={"date": "2026-11-23"}, headers=headers
            ).status_code
            == 404
        )
    # the privacy officer may read the audit log, nobody else outside the board
    for user in cw.outsiders:
        status = client.get(f"{API}/cases/{case['id']}/audit", headers=factory.api(user))
        assert status.status_code == (200 if user is cw.officer else 404)
    # a team board has no cases
    ib = factory.api(cw.ib)
    assert (
        client.post(f"{API}/boards/{cw.w.board.id}/cases", json=body, headers=ib).status_code == 404
    )
    assert client.get(f"{API}/cases/999999", headers=ib).status_code == 404
    assert [c.pupil_code for c in factory.all(Case)] == ["L-0412"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"concern": "x"}, "pupil_code"),
        ({"pupil_code": "A1"}, "concern"),
        ({"pupil_code": "A1", "concern": "x" * 501}, "concern"),
        ({"pupil_code": "A1", "concern": "x", "status": "later"}, "status"),
        ({"pupil_code": "A1", "concern": "x", "review_date": "1999-01-01"}, "review_date"),
        ({"pupil_code": "Jan de Vries", "concern": "x"}, "pupil_code"),  # a full name
    ],
)
def test_bad_case_input_is_named_and_changes_nothing(client, factory, body, field):
    cw = care_world(factory)
    answer = client.post(f"{API}/boards/{cw.care.id}/cases", json=body, headers=factory.api(cw.ib))
    assert answer.status_code == 422
    assert field in field_of(answer)
    assert factory.all(Case) == []
    assert factory.all(AuditEntry) == []


def test_full_names_only_where_the_school_allows_them(client, factory):
    cw = care_world(factory)
    with factory.session() as s:
        school = s.get(School, cw.w.school.id)
        school.care_full_names = True
        s.add(school)
        s.commit()
    case = new_case(client, factory, cw, pupil_code="Jan de Vries")
    assert case["pupil_code"] == "Jan de Vries"


def test_a_case_is_created_read_and_edited_with_its_version(client, factory):
    cw = care_world(factory)
    headers = factory.api(cw.ib)
    answer = client.post(
        f"{API}/boards/{cw.care.id}/cases",
        json={
            "pupil_code": "JdV",
            "group": "5b",
            "concern": "Stil in de klas",
            "review_date": "2026-12-01",
        },
        headers=headers,
    )
    assert answer.status_code == 201
    assert answer.headers["X-Board-Version"] == "1"
    case = answer.json()
    assert case["status"] == "signalering" and case["version"] == 1
    # the colleague the IB'er added reads it too
    read = client.get(f"{API}/cases/{case['id']}", headers=factory.api(cw.colleague))
    assert read.status_code == 200 and read.json()["concern"] == "Stil in de klas"
    # a stale edit is refused with the case as it is
    url = f"{API}/cases/{case['id']}"
    ok = client.patch(url, json={"status": "afgesloten", "version": 1}, headers=headers)
    assert ok.status_code == 200 and ok.json()["closed_at"] is not None
    assert ok.headers["X-Board-Version"] == "2"
    stale = client.patch(url, json={"concern": "Anders", "version": 1}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["current"]["concern"] == "Stil in de klas"
    reopened = client.patch(url, json={"status": "begeleiding", "version": 2}, headers=headers)
    assert reopened.json()["closed_at"] is None


def test_agreements_and_meetings_of_a_case(client, factory):
    cw = care_world(factory)
    case = new_case(client, factory, cw)
    headers = factory.api(cw.ib)
    url = f"{API}/cases/{case['id']}"
    part = client.post(
        f"{url}/participants",
        json={"name": "Mw. Bakker", "role": "external", "organisation": "Logopedie"},
        headers=headers,
    )
    assert part.status_code == 201
    made = client.post(
        f"{url}/agreements",
        json={"title": "Oefenen met klanken", "owner": "Mw. Bakker", "due": "2026-12-15"},
        headers=headers,
    )
    assert made.status_code == 201 and made.json()["owner"] == "Mw. Bakker"
    agreement = made.json()
    patch = f"{API}/agreements/{agreement['id']}"
    done = client.patch(patch, json={"status": "done", "version": 1}, headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "done"
    stale = client.patch(patch, json={"status": "todo", "version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.json()["current"]["status"] == "done"
    meeting = client.post(
        f"{url}/meetings",
        json={
            "date": "2026-11-23",
            "attendees": ["Vader", "Mw. Bakker"],
            "notes": "Goed gesprek",
            "next_review": "2027-01-10",
        },
        headers=headers,
    )
    assert meeting.status_code == 201 and meeting.json()["attendees"] == ["Vader", "Mw. Bakker"]
    read = client.get(url, headers=headers).json()
    assert read["review_date"] == "2027-01-10"
    assert [m["notes"] for m in read["meetings"]] == ["Goed gesprek"]
    assert [p["organisation"] for p in read["participants"]] == ["Logopedie"]
    bad = client.post(f"{url}/meetings", json={"date": "gisteren"}, headers=headers)
    assert bad.status_code == 422 and "date" in field_of(bad)


def test_erasing_a_case_with_open_agreements_needs_confirmation(client, factory):
    cw = care_world(factory)
    case = new_case(client, factory, cw)
    headers = factory.api(cw.ib)
    url = f"{API}/cases/{case['id']}"
    client.post(f"{url}/agreements", json={"title": "Gesprek met ouders"}, headers=headers)
    client.post(f"{url}/meetings", json={"date": "2026-11-23"}, headers=headers)
    refused = client.delete(url, headers=headers)
    assert refused.status_code == 409
    assert "confirm" in refused.json()["detail"]
    assert len(factory.all(Case)) == 1 and len(factory.all(Agreement)) == 1
    erased = client.delete(f"{url}?confirm=true&permanent=true", headers=headers)
    assert erased.status_code == 204 and erased.headers["X-Board-Version"]
    assert client.get(url, headers=headers).status_code == 404
    assert factory.all(Case) == [] and factory.all(Agreement) == []
    assert factory.all(CareMeeting) == [] and factory.all(CaseParticipant) == []
    trail = [e.action for e in factory.all(AuditEntry) if e.case_id == case["id"]]
    assert trail[-1] == "erased"


def test_a_case_without_open_agreements_is_erased_at_once(client, factory):
    cw = care_world(factory)
    case = new_case(client, factory, cw)
    answer = client.delete(f"{API}/cases/{case['id']}", headers=factory.api(cw.ib))
    assert answer.status_code == 204


def test_every_view_change_and_export_is_in_the_audit_log(client, factory):
    cw = care_world(factory)
    case = new_case(client, factory, cw)
    ib, colleague = factory.api(cw.ib), factory.api(cw.colleague)
    url = f"{API}/cases/{case['id']}"
    client.get(url, headers=colleague)
    client.patch(url, json={"review_date": "2027-01-01", "version": 1}, headers=ib)
    client.post(f"{url}/agreements", json={"title": "Toetsen afnemen"}, headers=ib)
    export = client.get(f"{url}/export", headers=ib)
    assert export.status_code == 200
    assert export.json()["case"]["agreements"][0]["title"] == "Toetsen afnemen"
    log = client.get(f"{url}/audit", headers=ib).json()
    trail = [(e["action"], e["user_name"]) for e in reversed(log)]
    assert trail == [
        ("created", "Ingrid IB"),
        ("viewed", "Carla Collega"),
        ("updated", "Ingrid IB"),
        ("agreement_added", "Ingrid IB"),
        ("exported", "Ingrid IB"),
        ("audit_read", "Ingrid IB"),
    ]
    assert next(e for e in log if e["action"] == "updated")["detail"] == "review_date"
    # the privacy officer reads the trail (and the school's), never the case
    officer = factory.api(cw.officer)
    assert client.get(f"{url}/audit", headers=officer).status_code == 200
    school_log = client.get(f"{API}/schools/{cw.w.school.id}/care-audit", headers=officer)
    assert school_log.status_code == 200 and len(school_log.json()) >= 7
    for user in (cw.w.leader, cw.ib):
        answer = client.get(f"{API}/schools/{cw.w.school.id}/care-audit", headers=factory.api(user))
        assert answer.status_code == 404


def test_the_leader_counts_cases_per_status_and_nothing_more(client, factory):
    cw = care_world(factory)
    new_case(client, factory, cw, concern="GEHEIM-LEIDER")
    new_case(client, factory, cw, pupil_code="K2", status="begeleiding")
    answer = client.get(
        f"{API}/schools/{cw.w.school.id}/care-overview", headers=factory.api(cw.w.leader)
    )
    assert answer.status_code == 200
    assert answer.json()["counts"] == {
        "signalering": 1,
        "onderzoek": 0,
        "begeleiding": 1,
        "afgesloten": 0,
    }
    assert "GEHEIM" not in answer.text and "L-0412" not in answer.text
    for user in (cw.w.teacher, cw.ib, cw.w.other_leader):
        answer = client.get(
            f"{API}/schools/{cw.w.school.id}/care-overview", headers=factory.api(user)
        )
        assert answer.status_code == 404


def test_the_leader_sets_retention_full_names_and_the_privacy_officer(client, factory):
    cw = care_world(factory)
    url = f"{API}/schools/{cw.w.school.id}/care-settings"
    leader = factory.api(cw.w.leader)
    now = client.get(url, headers=leader).json()
    assert now == {
        "school_id": cw.w.school.id,
        "retention_days": 730,
        "full_names": False,
        "privacy_officers": [cw.officer.id],
    }
    for user in (cw.ib, cw.w.teacher, cw.w.other_leader):
        assert client.get(url, headers=factory.api(user)).status_code == 404
        answer = client.patch(url, json={"full_names": True}, headers=factory.api(user))
        assert answer.status_code == 404
    bad = client.patch(url, json={"retention_days": 5}, headers=leader)
    assert bad.status_code == 422 and "retention_days" in field_of(bad)
    not_leader = client.patch(url, json={"privacy_officer": cw.ib.email}, headers=leader)
    assert not_leader.status_code == 422 and "privacy_officer" in field_of(not_leader)
    changed = client.patch(
        url,
        json={"retention_days": 365, "full_names": True, "privacy_officer": cw.w.leader.email},
        headers=leader,
    ).json()
    assert changed["retention_days"] == 365 and changed["full_names"] is True
    assert changed["privacy_officers"] == sorted([cw.officer.id, cw.w.leader.id])
    # now the leader reads the school's care audit log, still not the cases
    assert (
        client.get(f"{API}/schools/{cw.w.school.id}/care-audit", headers=leader).status_code == 200
    )
    case = new_case(client, factory, cw, pupil_code="Jan de Vries")
    assert client.get(f"{API}/cases/{case['id']}", headers=leader).status_code == 404


def test_this_weeks_review_and_late_agreements(client, factory):
    from datetime import date

    from app.models import Board
    from app.services.care_view import load_care

    cw = care_world(factory)
    new_case(client, factory, cw, pupil_code="DEZE", review_date="2026-11-26")  # Thursday
    new_case(client, factory, cw, pupil_code="LATER", review_date="2026-12-10")
    late = new_case(client, factory, cw, pupil_code="OUDER", review_date="2026-11-02")
    client.post(
        f"{API}/cases/{late['id']}/agreements",
        json={"title": "Verslag sturen", "owner": "Jeugdzorg", "due": "2026-11-20"},
        headers=factory.api(cw.ib),
    )
    with factory.session() as s:
        view = load_care(s, s.get(Board, cw.care.id), today=date(2026, 11, 24))  # Tuesday
        assert [cv.case.pupil_code for cv in view.due_for_review()] == ["OUDER", "DEZE"]
        assert [(cv.case.pupil_code, a.owner) for cv, a in view.late_agreements()] == [
            ("OUDER", "Jeugdzorg")
        ]
        # on Sunday the coming week is the one to prepare
        sunday = load_care(s, s.get(Board, cw.care.id), today=date(2026, 11, 22))
        assert [cv.case.pupil_code for cv in sunday.due_for_review()] == ["OUDER", "DEZE"]


def test_the_export_holds_every_case_about_the_pupil_on_my_care_boards(client, factory):
    from app.models import BoardKind

    cw = care_world(factory)
    first = new_case(client, factory, cw, pupil_code="P-9", concern="Eerste zorg")
    second = new_case(client, factory, cw, pupil_code="P-9", concern="Tweede zorg")
    new_case(client, factory, cw, pupil_code="P-10", concern="Iemand anders")
    # a care board of another IB'er with the same code stays out of my export
    elsewhere = factory.board(cw.w.team, BoardKind.care, "Ander zorgbord", members=(cw.other_ib,))
    client.post(
        f"{API}/boards/{elsewhere.id}/cases",
        json={"pupil_code": "P-9", "concern": "Niet van mij"},
        headers=factory.api(cw.other_ib),
    )
    export = client.get(f"{API}/cases/{first['id']}/export", headers=factory.api(cw.ib)).json()
    assert export["case"]["concern"] == "Eerste zorg"
    assert [c["concern"] for c in export["other_cases"]] == ["Tweede zorg"]
    page = client.get(f"{API}/cases/{second['id']}/audit", headers=factory.api(cw.ib)).json()
    assert "exported" in [e["action"] for e in page]


def test_the_ib_shares_the_care_board_with_a_colleague_and_takes_them_off(client, factory):
    import json

    from starlette.websockets import WebSocketDisconnect

    cw = care_world(factory)
    case = new_case(client, factory, cw)
    url = f"{API}/boards/{cw.care.id}/members"
    ib = factory.api(cw.ib)
    for user in cw.outsiders:
        headers = factory.api(user)
        assert client.get(url, headers=headers).status_code == 404
        answer = client.post(url, json={"email": user.email}, headers=headers)
        assert answer.status_code == 404
    elsewhere = client.post(url, json={"email": cw.w.other_teacher.email}, headers=ib)
    assert elsewhere.status_code == 422 and "email" in field_of(elsewhere)
    added = client.post(url, json={"email": cw.w.teacher.email}, headers=ib)
    assert added.status_code == 201 and added.json()["user_id"] == cw.w.teacher.id
    teacher = factory.api(cw.w.teacher)
    assert client.get(f"{API}/cases/{case['id']}", headers=teacher).status_code == 200
    names = [m["name"] for m in client.get(url, headers=ib).json()]
    assert names == ["Carla Collega", "Ingrid IB", "Tim Teacher"]
    with client.websocket_connect(f"/boards/{cw.care.id}/ws", headers=teacher) as ws:
        ws.send_text(json.dumps({"since": 0}))
        ws.receive_text()
        gone = client.delete(f"{url}/{cw.w.teacher.id}", headers=ib)
        assert gone.status_code == 204
        try:
            for _ in range(5):
                ws.receive_text()
            closed = False
        except WebSocketDisconnect:
            closed = True
        assert closed
    assert client.get(f"{API}/cases/{case['id']}", headers=teacher).status_code == 404
    assert client.delete(f"{url}/{cw.w.teacher.id}", headers=ib).status_code == 404
    client.delete(f"{url}/{cw.colleague.id}", headers=ib)
    last = client.delete(f"{url}/{cw.ib.id}", headers=ib)
    assert last.status_code == 422
