"""Property-based fuzzing of the JSON API from its own OpenAPI schema, in process.

The requests carry a leader's Bearer token; the leader's school has a board with a few of every
item, so small generated ids sometimes hit real rows. Any 5xx, or an answer that its schema does
not describe, fails the run. Limits live in schemathesis.toml.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.models import ApiToken, BoardKind, TeamMember
from app.security.tokens import token_hash

# Small ids are what the fuzzer tries most; the fuzzing token lives far from them, so a
# generated DELETE /tokens/{id} does not log the run out halfway.
FUZZ_TOKEN_ID = 1_000_000
FUZZ_TOKEN = "bord_fuzz-token-for-schemathesis"
API = "/api/v1"


@pytest.fixture
def fuzz_headers(app, client, factory) -> dict[str, str]:
    w = factory.world()
    factory._save(
        ApiToken(id=FUZZ_TOKEN_ID, token_hash=token_hash(FUZZ_TOKEN), user_id=w.leader.id)
    )
    headers = {"Authorization": f"Bearer {FUZZ_TOKEN}"}
    board = f"{API}/boards/{w.board.id}"
    for _ in range(3):
        for path, body in [
            ("goals", {"title": "Leesplezier", "unit": "%"}),
            ("actions", {"title": "Rekenles samen ontwerpen", "owner": "Ans"}),
            ("successes", {"text": "Iedereen op tijd"}),
            ("plan-items", {"text": "Lesbezoek", "date": "2026-09-16", "kind": "lesbezoek"}),
            ("ideas", {"text": "Leesmaatjes"}),
            ("help-requests", {"text": "Budget voor boeken?"}),
        ]:
            assert client.post(f"{board}/{path}", json=body, headers=headers).status_code == 201
    # the leader joins the team to take part in a lesson visit: its reads and writes are theirs
    factory._save(TeamMember(team_id=w.team.id, user_id=w.leader.id))
    visit = {
        "visitor_id": w.leader.id,
        "visited_id": w.teacher.id,
        "date": "2026-09-16",
        "question": "Wachttijd na een vraag?",
    }
    assert client.post(f"{board}/visits", json=visit, headers=headers).status_code == 201
    design = {
        "title": "Voorspellen bij lezen",
        "lesson_goal": "Leerlingen voorspellen wat er komt",
        "goal_id": 1,
        "date": "2026-11-02",
        "visit_ids": [1],
    }
    made = client.post(f"{board}/lesson-designs", json=design, headers=headers)
    assert made.status_code == 201
    evaluation = {"worked": "Eerst samen voorspellen", "to_change": "Korter uitleggen"}
    design_url = f"{API}/lesson-designs/{made.json()['id']}"
    assert client.post(f"{design_url}/evaluation", json=evaluation, headers=headers)
    card = client.post(f"{design_url}/quality-card", json={"subject": "lezen"}, headers=headers)
    assert card.status_code == 201
    measurement = {"date": "2026-09-07", "value": 50}
    assert client.post(f"{API}/goals/1/measurements", json=measurement, headers=headers)
    # webhooks to hit by id; nothing is delivered (the fuzzer registers URLs of its own)
    app.state.webhooks.stop()
    hook = {"url": "http://127.0.0.1:9/hook", "events": ["action.created", "session.ended"]}
    for _ in range(2):
        answer = client.post(f"{API}/schools/{w.school.id}/webhooks", json=hook, headers=headers)
        assert answer.status_code == 201
    poll = {
        "title": "Hoe ging het?",
        "questions": [
            {"kind": "smiley", "text": "Hoe vond je de les?"},
            {"kind": "choice", "text": "Wat nu?", "options": ["Rekenen", "Taal"]},
            {"kind": "open", "text": "Wat kan beter?"},
        ],
    }
    made = client.post(f"{board}/polls", json=poll, headers=headers)
    assert made.status_code == 201
    client.cookies.set("bord_device", "fuzz-device-" + "x" * 24)
    answered = client.post(f"{API}/answer/{made.json()['code']}", json={"answers": [3, 1, "Meer"]})
    assert answered.status_code == 201
    client.cookies.clear()
    # a class board with its pupils' first names and a klasscherm link
    klas = factory.board(w.team, BoardKind.klas, "Groep 5")
    names = {"names": ["Ada", "Bram", "Cas"]}
    assert (
        client.put(f"{API}/boards/{klas.id}/pupils", json=names, headers=headers).status_code == 200
    )
    made = client.post(f"{API}/boards/{klas.id}/class-screens", json={}, headers=headers)
    assert made.status_code == 201
    # a leernetwerk with a practice, so its reads, searches and adoptions meet real rows
    network = client.post(f"{API}/networks", json={"name": "Leesnetwerk"}, headers=headers)
    practice = {"title": "Leesmaatjes", "text": "Groep 7 leest met groep 3", "success_id": 1}
    shared = client.post(
        f"{API}/networks/{network.json()['id']}/practices", json=practice, headers=headers
    )
    assert shared.status_code == 201
    # and a meeting with a part on its agenda and an agreement
    network_url = f"{API}/networks/{network.json()['id']}"
    meeting = client.post(f"{network_url}/meetings", json={"date": "2026-12-10"}, headers=headers)
    assert meeting.status_code == 201
    meeting_url = f"{API}/meetings/{meeting.json()['id']}"
    part = {"kind": "bring", "practice_id": shared.json()["id"]}
    assert client.post(f"{meeting_url}/contributions", json=part, headers=headers)
    agreement = {"text": "Leesmaatjes uitproberen"}
    assert client.post(f"{meeting_url}/agreements", json=agreement, headers=headers)
    # a few of them in the board's archive, so its reads and restores meet real rows
    for action_id in (1, 2):
        assert client.post(f"{API}/actions/{action_id}/archive", headers=headers).status_code == 200
    return headers


@pytest.fixture
def api_schema(app, fuzz_headers):
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/")


schema = schemathesis.pytest.from_fixture("api_schema")


# Every operation of the API runs within this one test: its time limit is the whole run's.
@pytest.mark.timeout(1200)
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_by_its_schema(case, fuzz_headers):
    case.call_and_validate(headers=fuzz_headers)
