"""GET /api/v1/boards/{id}: the whole board in one answer."""

from app.models import BoardKind, Role

API = "/api/v1"


def test_board_out_of_reach(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    assert client.get(f"{API}/boards/{w.board.id}").status_code == 401
    for user, board in [
        (w.other_teacher, w.board),
        (w.other_leader, w.board),
        (w.teacher, w.outsider_board),
        (w.teacher, w.other_board),
        (w.teacher, care),
        (w.leader, care),
        (w.admin, care),
    ]:
        answer = client.get(f"{API}/boards/{board.id}", headers=factory.api(user))
        assert answer.status_code == 404
        assert answer.json() == {"detail": "Not found"}
    headers = factory.api(w.teacher)
    assert client.get(f"{API}/boards/999999", headers=headers).status_code == 404
    for bad in ("0", "-1", "x", str(2**31), "1.5"):
        answer = client.get(f"{API}/boards/{bad}", headers=headers)
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["path", "board_id"]


def test_who_sees_which_board(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    for user, board in [
        (w.teacher, w.board),
        (w.leader, w.board),
        (w.leader, w.outsider_board),
        (w.admin, w.other_board),
        (w.other_teacher, w.other_board),
        (ib, care),
    ]:
        assert client.get(f"{API}/boards/{board.id}", headers=factory.api(user)).status_code == 200


def test_empty_board(client, factory):
    w = factory.world()
    answer = client.get(f"{API}/boards/{w.board.id}", headers=factory.api(w.teacher))
    assert answer.status_code == 200
    assert answer.headers["X-Board-Version"] == "0"
    assert answer.json() == {
        "id": w.board.id,
        "team_id": w.team.id,
        "title": "Teambord",
        "kind": "team",
        "version": 0,
        "archived": False,
        "goals": [],
        "actions": [],
        "successes": [],
        "plan_items": [],
        "ideas": [],
        "help_requests": [],
        "visits": [],
        "lesson_designs": [],
    }


def test_whole_board(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    base = f"{API}/boards/{w.board.id}"

    def post(path, body):
        answer = client.post(path, json=body, headers=headers)
        assert answer.status_code == 201, answer.text
        return answer.json()

    goal = post(f"{base}/goals", {"title": "Leesplezier", "unit": "%", "target": 80})
    post(f"{API}/goals/{goal['id']}/measurements", {"date": "2026-09-07", "value": 55})
    post(f"{API}/goals/{goal['id']}/measurements", {"date": "2026-09-14", "value": 61.5})
    for title, status in [("a", "todo"), ("b", "doing"), ("c", "todo"), ("d", "done")]:
        post(f"{base}/actions", {"title": title, "status": status, "goal_id": goal["id"]})
    post(f"{base}/successes", {"text": "Iedereen op tijd", "goal_id": goal["id"]})
    post(f"{base}/plan-items", {"text": "Bij Ans", "date": "2026-09-16", "kind": "lesbezoek"})
    post(f"{base}/ideas", {"text": "Leesmaatjes"})
    post(f"{base}/help-requests", {"text": "Budget voor boeken?"})

    answer = client.get(base, headers=headers)
    body = answer.json()
    assert body["version"] == 11
    assert answer.headers["X-Board-Version"] == "11"
    assert [(a["title"], a["status"], a["position"]) for a in body["actions"]] == [
        ("a", "todo", 0),
        ("c", "todo", 1),
        ("b", "doing", 0),
        ("d", "done", 0),
    ]
    [g] = body["goals"]
    assert (g["title"], g["unit"], g["target"]) == ("Leesplezier", "%", 80)
    assert [m["value"] for m in g["measurements"]] == [55, 61.5]
    assert g["latest"]["value"] == 61.5
    assert body["successes"][0]["text"] == "Iedereen op tijd"
    assert body["plan_items"][0]["kind"] == "lesbezoek"
    assert body["ideas"][0]["text"] == "Leesmaatjes"
    assert body["help_requests"][0]["answer"] is None
    for section in ("goals", "actions", "successes", "plan_items", "ideas", "help_requests"):
        for item in body[section]:
            assert {"id", "board_id", "version", "created_at", "updated_at"} <= item.keys()
            assert item["board_id"] == w.board.id
