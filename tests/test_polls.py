"""Stem van de leerling: a teacher's poll, answered by pupils without an account, live on the
class screen, saved as a goal's measurement."""

import json
from datetime import timedelta

import pytest
import segno
from starlette.testclient import WebSocketDenialResponse

from app import clock
from app.models import Board, BoardEvent, BoardKind, LoginFailure, Measurement, Role
from app.models.poll import Poll, PollResponse, PollText
from app.web.device import DEVICE_COOKIE

API = "/api/v1"
QUESTIONS = [
    {"kind": "smiley", "text": "Hoe vond je de les?"},
    {"kind": "scale", "text": "Hoe goed snap je breuken?"},
    {"kind": "choice", "text": "Wat wil je morgen?", "options": ["Rekenen", "Taal", "Gym"]},
    {"kind": "open", "text": "Wat kan beter?"},
]


def make_poll(client, headers, board_id: int, **extra) -> dict:
    body = {"title": "Rekenles", "questions": QUESTIONS, **extra}
    answer = client.post(f"{API}/boards/{board_id}/polls", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def answer(client, code: str, answers: list, device: str | None = None):
    """An answer from a device with no account: only its device cookie, if it has one."""
    client.cookies.clear()
    if device:
        client.cookies.set(DEVICE_COOKIE, device)
    return client.post(f"{API}/answer/{code}", json={"answers": answers})


DEVICE_A = "a" * 32
DEVICE_B = "b" * 32
DEVICE_C = "c" * 32


def frames_until(ws, text: str, limit: int = 10) -> str:
    for _ in range(limit):
        frame = ws.receive_text()
        if text in frame:
            return frame
    raise AssertionError(f"no frame with {text!r}")


# --- making a poll ------------------------------------------------------------------------------


def test_a_teacher_makes_a_poll_and_gets_its_code_and_answer_url(client, factory):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    assert set(made) == {"id", "code", "answer_url"}
    assert len(made["code"]) == 6 and made["code"].isalnum()
    assert made["answer_url"].endswith(f"/s/{made['code']}")
    assert not set(made["code"]) & set("0O1IL2Z5S8B")  # unambiguous on a class screen
    poll = factory.get(Poll, made["id"])
    assert [q["kind"] for q in poll.questions] == ["smiley", "scale", "choice", "open"]
    assert factory.all(BoardEvent)[-1].entity == "poll"
    listed = client.get(f"{API}/boards/{w.board.id}/polls", headers=factory.api(w.teacher))
    assert [p["code"] for p in listed.json()] == [made["code"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "questions": []}, "questions"),
        ({"title": "x", "questions": [QUESTIONS[0]] * 6}, "questions"),
        ({"title": "", "questions": [QUESTIONS[0]]}, "title"),
        ({"title": "x", "questions": [{"kind": "emoji", "text": "?"}]}, "kind"),
        ({"title": "x", "questions": [{"kind": "choice", "text": "?", "options": ["a"]}]}, None),
        (
            {"title": "x", "questions": [{"kind": "scale", "text": "?", "options": ["a", "b"]}]},
            None,
        ),
        ({"title": "x", "questions": [QUESTIONS[0]], "closes_at": "2020-01-01T10:00:00Z"}, None),
    ],
)
def test_a_bad_poll_is_refused_with_its_field(client, factory, body, field):
    w = factory.world()
    refused = client.post(
        f"{API}/boards/{w.board.id}/polls", json=body, headers=factory.api(w.teacher)
    )
    assert refused.status_code == 422
    if field:
        assert field in json.dumps(refused.json()["detail"])
    assert factory.all(Poll) == []


def test_only_those_who_may_open_the_board_make_or_read_polls_and_care_boards_refuse(
    client, factory
):
    w = factory.world()
    for outsider in (w.other_teacher, w.other_leader):
        refused = client.post(
            f"{API}/boards/{w.board.id}/polls",
            json={"title": "x", "questions": QUESTIONS},
            headers=factory.api(outsider),
        )
        assert refused.status_code == 404
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    refused = client.post(
        f"{API}/boards/{care.id}/polls",
        json={"title": "x", "questions": QUESTIONS},
        headers=factory.api(ib),
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "care_board"
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    for path in ("", "/results"):
        url = f"{API}/polls/{made['id']}{path}"
        assert client.get(url, headers=factory.api(w.other_teacher)).status_code == 404
        assert client.get(url, headers=factory.api(w.leader)).status_code == 200
    assert client.post(f"{API}/polls/{made['id']}/close").status_code == 401


# --- answering ----------------------------------------------------------------------------------


def test_pupils_answer_without_an_account_once_per_device(client, factory):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    code = made["code"]
    shown = client.get(f"{API}/answer/{code}")
    assert shown.status_code == 200
    assert shown.json()["open"] is True and len(shown.json()["questions"]) == 4
    assert shown.json()["answered"] is False
    assert "board" not in json.dumps(shown.json())

    first = answer(client, code, [3, 4, 0, "Meer spelletjes"], DEVICE_A)
    assert first.status_code == 201, first.text
    again = answer(client, code, [1, 1, 1, None], DEVICE_A)
    assert again.status_code == 409  # the first answer stands
    assert client.get(f"{API}/answer/{code}").json()["answered"] is True
    second = answer(client, code, [1, 2, 2, ""], DEVICE_B)
    assert second.status_code == 201
    fresh = answer(client, code, [3, None, None, None])  # a device without a cookie yet
    assert fresh.status_code == 201
    assert DEVICE_COOKIE in fresh.cookies

    results = client.get(f"{API}/polls/{made['id']}/results", headers=factory.api(w.teacher)).json()
    assert results["responses"] == 3
    smiley, scale, choice, open_ = results["questions"]
    assert smiley["counts"] == [1, 0, 2] and smiley["positive"] == pytest.approx(66.7)
    assert scale["counts"] == [0, 1, 0, 1, 0] and scale["mean"] == 3.0
    assert choice["counts"] == [1, 0, 1] and choice["options"] == ["Rekenen", "Taal", "Gym"]
    assert [a["text"] for a in open_["open_answers"]] == ["Meer spelletjes"]
    assert open_["open_answers"][0]["status"] == "new"

    # no pupil identity, no IP: a device's cookie is kept only as a hash salted with the poll
    rows = factory.all(PollResponse)
    assert len(rows) == 3
    assert all(DEVICE_A not in r.device_hash and len(r.device_hash) == 64 for r in rows)
    assert "testclient" not in json.dumps([r.model_dump(mode="json") for r in rows])


@pytest.mark.parametrize(
    "answers",
    [[4, None, None, None], [0], [None, 6], [None, None, 3], [None, None, -1], [None] * 4, [1] * 5],
)
def test_an_answer_out_of_range_is_refused_and_counts_nothing(client, factory, answers):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    refused = answer(client, made["code"], answers, DEVICE_A)
    assert refused.status_code == 422
    assert factory.all(PollResponse) == []


def test_a_poll_closes_at_its_time_and_by_hand(client, factory, pinned_clock):
    w = factory.world()
    teacher = factory.api(w.teacher)
    # a closing time without a zone is the school's time (Amsterdam; the clock is 00:30 there)
    made = make_poll(client, teacher, w.board.id, closes_at="2026-11-30T10:00:00")
    poll = factory.get(Poll, made["id"])
    assert poll.closes_at.replace(tzinfo=None).isoformat() == "2026-11-30T09:00:00"
    assert answer(client, made["code"], [3], DEVICE_A).status_code == 201

    clock.set_now(pinned_clock + timedelta(hours=9, minutes=31))  # 10:01 in Amsterdam
    assert client.get(f"{API}/answer/{made['code']}").json()["open"] is False
    assert answer(client, made["code"], [3], DEVICE_B).status_code == 410
    page = client.get(f"/s/{made['code']}")
    assert page.status_code == 410 and "Deze peiling is gesloten" in page.text

    by_hand = make_poll(client, teacher, w.board.id)
    assert answer(client, by_hand["code"], [2], DEVICE_A).status_code == 201
    closed = client.post(f"{API}/polls/{by_hand['id']}/close", headers=teacher)
    assert closed.status_code == 200 and closed.json()["open"] is False
    assert answer(client, by_hand["code"], [2], DEVICE_B).status_code == 410
    assert len(factory.all(PollResponse)) == 2


def test_guessing_codes_is_throttled_with_the_login_throttle(client, factory, settings):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    limit = settings.login_max_failures * 4  # per IP address, as for logins
    for n in range(limit):
        assert client.get(f"/s/QQQ{n:03d}").status_code == 404
    assert len(factory.all(LoginFailure)) >= limit
    throttled = client.get(f"/s/{made['code']}")
    assert throttled.status_code == 429 and "Even wachten" in throttled.text
    assert client.post(f"{API}/answer/{made['code']}", json={"answers": [3]}).status_code == 429
    clock.set_now(clock.now() + timedelta(minutes=settings.login_window_minutes + 1))
    assert client.get(f"/s/{made['code']}").status_code == 200


# --- the pupils' page ---------------------------------------------------------------------------


def test_the_pupils_page_answers_once_and_shows_nothing_of_the_school(client, factory):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    client.cookies.clear()
    page = client.get(f"/s/{made['code']}")
    assert page.status_code == 200
    assert "Hoe vond je de les?" in page.text and "Niet fijn" in page.text  # a smiley's word
    for private in (w.school.name, w.team.name, w.board.title, w.teacher.name, "<script"):
        assert private not in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"

    sent = client.post(f"/s/{made['code']}", data={"q0": "3", "q1": "5", "q2": "1", "q3": "Leuk!"})
    assert sent.status_code == 200 and "Bedankt!" in sent.text  # after the redirect
    assert client.get(f"/s/{made['code']}").text.count("Bedankt!") == 1
    twice = client.post(f"/s/{made['code']}", data={"q0": "1"})
    assert twice.status_code == 409 and "Bedankt!" in twice.text
    assert len(factory.all(PollResponse)) == 1
    assert [t.text for t in factory.all(PollText)] == ["Leuk!"]

    client.cookies.clear()
    empty = client.post(f"/s/{made['code']}", data={})
    assert empty.status_code == 422 and "Beantwoord minstens één vraag." in empty.text

    english = client.get(f"/s/{made['code']}?lang=en")
    assert 'lang="en"' in english.text and "Send" in english.text

    typed = client.get(f"/s?code={made['code'].lower()}", follow_redirects=False)
    assert typed.headers["location"] == f"/s/{made['code']}"
    unknown = client.get("/s/NOPE42")
    assert unknown.status_code == 404 and "Deze code kennen we niet" in unknown.text


# --- open answers and the class screen ----------------------------------------------------------


def test_an_open_answer_reaches_the_class_screen_only_once_the_teacher_showed_it(client, factory):
    w = factory.world()
    teacher = factory.api(w.teacher)
    made = make_poll(client, teacher, w.board.id)
    answer(client, made["code"], [None, None, None, "MARKER-geheim"], DEVICE_A)
    csrf = factory.login(w.teacher)
    teacher_page = client.get(f"/polls/{made['id']}").text
    assert "MARKER-geheim" in teacher_page
    assert f'name="csrf_token" value="{csrf}"' in teacher_page  # the buttons work without script
    screen = client.get(f"/polls/{made['id']}/screen")
    assert screen.status_code == 200 and made["code"] in screen.text
    # the QR code is the answer link's, drawn inline
    assert segno.make(made["answer_url"]).svg_inline(border=2, omitsize=True) in screen.text
    assert "MARKER-geheim" not in screen.text

    text_id = factory.all(PollText)[0].id
    url = f"{API}/polls/{made['id']}/open-answers/{text_id}"
    shown = client.patch(url, json={"status": "shown"}, headers=teacher)
    assert shown.status_code == 200 and shown.json()["status"] == "shown"
    assert "MARKER-geheim" in client.get(f"/polls/{made['id']}/screen").text
    client.patch(url, json={"status": "hidden"}, headers=teacher)
    assert "MARKER-geheim" not in client.get(f"/polls/{made['id']}/screen").text
    assert client.patch(url, json={"status": "gone"}, headers=teacher).status_code == 422

    # the teacher's page: a plain form, or htmx (the live channel then updates the page)
    page_url = f"/polls/{made['id']}/open-answers/{text_id}"
    shown_on_page = client.post(
        page_url, data={"csrf_token": csrf, "status": "shown"}, follow_redirects=False
    )
    assert shown_on_page.status_code == 303
    assert factory.get(PollText, text_id).status == "shown"
    hidden_by_htmx = client.post(
        page_url, data={"status": "hidden"}, headers={"HX-Request": "true", "X-CSRF-Token": csrf}
    )
    assert hidden_by_htmx.status_code == 204
    assert factory.get(PollText, text_id).status == "hidden"
    outsider = factory.api(w.other_teacher)
    assert client.patch(url, json={"status": "shown"}, headers=outsider).status_code == 404


def test_live_results_reach_a_second_screen_and_open_answers_wait_for_the_teacher(client, factory):
    w = factory.world()
    teacher = factory.api(w.teacher)
    made = make_poll(client, teacher, w.board.id)
    with (
        client.websocket_connect(f"/polls/{made['id']}/screen/ws", headers=teacher) as display,
        client.websocket_connect(f"/polls/{made['id']}/ws", headers=teacher) as own,
    ):
        assert 'data-responses="0"' in frames_until(display, "poll-results")
        assert 'data-responses="0"' in frames_until(own, "poll-results")

        answer(client, made["code"], [3, 4, 1, "MARKER-open"], DEVICE_A)
        frame = frames_until(display, 'data-responses="1"')
        assert 'hx-swap-oob="true"' in frame and "MARKER-open" not in frame
        assert "MARKER-open" in frames_until(own, 'data-responses="1"')

        text_id = factory.all(PollText)[0].id
        client.patch(
            f"{API}/polls/{made['id']}/open-answers/{text_id}",
            json={"status": "shown"},
            headers=teacher,
        )
        assert "MARKER-open" in frames_until(display, "MARKER-open")

        client.post(f"{API}/polls/{made['id']}/close", headers=teacher)
        assert 'data-open="no"' in frames_until(display, 'data-open="no"')


def test_the_class_screen_says_closed_at_the_closing_time_by_itself(client, factory):
    w = factory.world()
    teacher = factory.api(w.teacher)
    closes_at = (clock.now() + timedelta(seconds=3)).isoformat()
    made = make_poll(client, teacher, w.board.id, closes_at=closes_at)
    with client.websocket_connect(f"/polls/{made['id']}/screen/ws", headers=teacher) as display:
        assert 'data-open="yes"' in frames_until(display, "poll-results")
        # nobody touches the poll: the channel's timer wakes it at the closing time
        assert 'data-open="no"' in frames_until(display, "poll-results")
    assert answer(client, made["code"], [3], DEVICE_A).status_code == 410


def test_the_live_channels_are_for_those_who_may_open_the_board(client, factory):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    for path in ("ws", "screen/ws"):
        for outsider in (None, w.other_teacher):
            headers = factory.api(outsider) if outsider else {}
            with (
                pytest.raises(WebSocketDenialResponse) as refused,
                client.websocket_connect(f"/polls/{made['id']}/{path}", headers=headers),
            ):
                pass
            assert refused.value.status_code == 404


def test_answers_bump_the_board_without_touching_its_sections(client, factory):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    before = factory.get(Board, w.board.id).version
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=factory.api(w.teacher)) as ws:
        ws.send_text(json.dumps({"since": before}))
        answer(client, made["code"], [3, None, None, "MARKER-bord"], DEVICE_A)
        frame = frames_until(ws, f'data-to="{before + 1}"')
        assert "MARKER-bord" not in frame and "hx-swap-oob" in frame
        assert 'id="list-' not in frame  # no board section was sent again


# --- a result as a goal's measurement -----------------------------------------------------------


def test_a_result_is_saved_as_a_goal_measurement_in_one_tap(client, factory):
    w = factory.world()
    teacher = factory.api(w.teacher)
    goal = client.post(
        f"{API}/boards/{w.board.id}/goals",
        json={"title": "Plezier in rekenen", "unit": "%"},
        headers=teacher,
    ).json()
    made = make_poll(client, teacher, w.board.id)
    for device, smiley, score in ((DEVICE_A, 3, 4), (DEVICE_B, 3, 5), (DEVICE_C, 1, 3)):
        answer(client, made["code"], [smiley, score], device)

    url = f"{API}/polls/{made['id']}/measurement"
    saved = client.post(url, json={"goal_id": goal["id"], "question": 0}, headers=teacher)
    assert saved.status_code == 201, saved.text
    assert saved.json()["value"] == pytest.approx(66.7)
    assert saved.json()["date"] == "2026-11-30"  # the school's day
    assert "Rekenles" in saved.json()["note"]
    mean = client.post(url, json={"goal_id": goal["id"], "question": 1}, headers=teacher)
    assert mean.json()["value"] == 4.0
    events = [e for e in factory.all(BoardEvent) if e.entity == "goal"]
    assert events[-1].kind == "measured"  # the one way a measurement is added

    for body, field in (
        ({"goal_id": goal["id"], "question": 2}, "not_measurable"),
        ({"goal_id": goal["id"], "question": 4}, "unknown_question"),
    ):
        refused = client.post(url, json=body, headers=teacher)
        assert refused.status_code == 422 and refused.json()["detail"][0]["type"] == field
    other_goal = client.post(
        f"{API}/boards/{w.other_board.id}/goals",
        json={"title": "Elders"},
        headers=factory.api(w.other_teacher),
    ).json()
    assert (
        client.post(
            url, json={"goal_id": other_goal["id"], "question": 0}, headers=teacher
        ).status_code
        == 404
    )
    assert len(factory.all(Measurement)) == 2


def test_a_class_boards_poll_is_saved_as_a_measurement_of_its_class_goal(client, factory):
    """Bord in de Klas: the class's poll measures the class goal (which serves a team goal) on
    the class board; the team goal it serves keeps its own measurements."""
    w = factory.world()
    klas = factory.board(w.team, BoardKind.klas, "Groep 5")
    teacher = factory.api(w.teacher)
    team_goal = client.post(
        f"{API}/boards/{w.board.id}/goals", json={"title": "Rekenplezier"}, headers=teacher
    ).json()
    class_goal = client.post(
        f"{API}/boards/{klas.id}/goals",
        json={"title": "Wij vinden rekenen fijn", "unit": "%", "team_goal_id": team_goal["id"]},
        headers=teacher,
    ).json()
    made = make_poll(client, teacher, klas.id)
    for device, smiley in ((DEVICE_A, 3), (DEVICE_B, 3), (DEVICE_C, 2), ("d" * 32, 3)):
        answer(client, made["code"], [smiley], device)

    csrf = factory.login(w.teacher)
    page = client.get(f"/polls/{made['id']}")
    assert "Wij vinden rekenen fijn" in page.text and "Rekenplezier" in page.text
    before = factory.get(Board, klas.id).version
    saved = client.post(
        f"/polls/{made['id']}/measurement",
        data={"csrf_token": csrf, "goal_id": str(class_goal["id"]), "question": "0"},
    )
    assert saved.status_code == 200 and "Opgeslagen als meting van het doel." in saved.text
    [measurement] = factory.all(Measurement)
    assert measurement.goal_id == class_goal["id"] and measurement.value == 75.0
    assert str(measurement.date) == "2026-11-30" and "Rekenles" in measurement.note
    [event] = [e for e in factory.all(BoardEvent) if e.entity == "goal" and e.kind == "measured"]
    assert event.board_id == klas.id and event.entity_id == class_goal["id"]
    assert factory.get(Board, klas.id).version == before + 1
    board = client.get(f"{API}/boards/{klas.id}", headers=teacher).json()
    [goal] = board["goals"]
    assert goal["id"] == class_goal["id"] and "75" in json.dumps(goal)

    mean = client.post(
        f"{API}/polls/{made['id']}/measurement",
        json={"goal_id": class_goal["id"], "question": 0},
        headers=factory.api(w.leader),
    )
    assert mean.status_code == 201 and mean.json()["value"] == 75.0
    assert {m.goal_id for m in factory.all(Measurement)} == {class_goal["id"]}


# --- the teacher's pages ------------------------------------------------------------------------


def test_the_teacher_makes_a_poll_on_the_page_and_saves_a_result(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    board_page = client.get(f"/boards/{w.board.id}")
    assert f'href="/boards/{w.board.id}/polls"' in board_page.text
    assert client.get(f"/boards/{w.board.id}/polls").status_code == 200

    form = {
        "csrf_token": csrf,
        "title": "Hoe was de week?",
        "q0_kind": "smiley",
        "q0_text": "Hoe voel je je?",
        "q1_kind": "choice",
        "q1_text": "Wat was het leukst?",
        "q1_options": "Rekenen\nTaal\n\n",
        "q2_kind": "scale",
        "q2_text": "",  # an empty slot is left out
        "closes_at": "15:30",
    }
    made = client.post(f"/boards/{w.board.id}/polls", data=form, follow_redirects=False)
    assert made.status_code == 303, made.text
    poll = factory.all(Poll)[0]
    assert made.headers["location"] == f"/polls/{poll.id}"
    assert [q["kind"] for q in poll.questions] == ["smiley", "choice"]
    assert poll.questions[1]["options"] == ["Rekenen", "Taal"]
    assert poll.closes_at.replace(tzinfo=None).isoformat() == "2026-11-30T14:30:00"

    for bad_field, message in (
        ({"q1_options": "Alleen dit"}, "Zet 2 tot 6 keuzes onder elkaar."),
        ({"closes_at": "00:10"}, "Deze tijd is al voorbij."),
        ({"closes_at": "half vier"}, "Vul een tijd in, bijvoorbeeld 14:30."),
        ({"q0_kind": "", "q1_kind": "", "q2_kind": ""}, "Stel minstens één vraag."),
        ({"title": ""}, "Vul dit veld in."),
    ):
        bad = client.post(f"/boards/{w.board.id}/polls", data={**form, **bad_field})
        assert bad.status_code == 422
        assert message in bad.text, bad_field
        assert 'value="Wat was het leukst?"' in bad.text  # what was typed stays
    assert len(factory.all(Poll)) == 1

    goal = client.post(
        f"{API}/boards/{w.board.id}/goals",
        json={"title": "Welbevinden"},
        headers=factory.api(w.teacher),
    ).json()
    page = client.get(f"/polls/{poll.id}")
    assert poll.code in page.text and "Welbevinden" in page.text
    empty = client.post(
        f"/polls/{poll.id}/measurement",
        data={"csrf_token": csrf, "goal_id": str(goal["id"]), "question": "0"},
    )
    assert empty.status_code == 422 and "Deze vraag heeft nog geen antwoorden." in empty.text
    answer(client, poll.code, [3], DEVICE_A)
    csrf = factory.login(w.teacher)
    saved = client.post(
        f"/polls/{poll.id}/measurement",
        data={"csrf_token": csrf, "goal_id": str(goal["id"]), "question": "0"},
    )
    assert saved.status_code == 200 and "Opgeslagen als meting van het doel." in saved.text
    assert [m.value for m in factory.all(Measurement)] == [100.0]

    closed = client.post(f"/polls/{poll.id}/close", data={"csrf_token": csrf})
    assert closed.status_code == 200 and "Gesloten" in closed.text


def test_a_care_board_offers_no_polls(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib)
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(ib,))
    factory.login(ib)
    assert client.get(f"/boards/{care.id}/polls").status_code == 422


# --- who may do what ----------------------------------------------------------------------------


ROLES = ("teacher", "leader", "admin", "colleague_of_another_team", "other_school", "anonymous")
MAY = {"teacher", "leader", "admin"}


def role_headers(factory, w, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    if role == "colleague_of_another_team":
        return factory.api(factory.user(w.school, Role.teacher))
    user = {
        "teacher": w.teacher,
        "leader": w.leader,
        "admin": w.admin,
        "other_school": w.other_teacher,
    }[role]
    return factory.api(user)


@pytest.mark.parametrize("role", ROLES)
def test_every_poll_endpoint_by_role(client, factory, role):
    """Those who may open the board use every teacher's endpoint; anyone else gets 404 (401
    without a login), and changes nothing. The answer endpoints need no login at all."""
    w = factory.world()
    teacher = factory.api(w.teacher)
    goal = client.post(
        f"{API}/boards/{w.board.id}/goals", json={"title": "Welbevinden"}, headers=teacher
    ).json()
    made = make_poll(client, teacher, w.board.id)
    answer(client, made["code"], [3, 4, 0, "Fijn"], DEVICE_A)
    client.cookies.clear()
    text_id = factory.all(PollText)[0].id
    poll = f"{API}/polls/{made['id']}"
    headers = role_headers(factory, w, role)
    calls = [
        ("POST", f"{API}/boards/{w.board.id}/polls", {"title": "x", "questions": QUESTIONS}, 201),
        ("GET", f"{API}/boards/{w.board.id}/polls", None, 200),
        ("GET", poll, None, 200),
        ("GET", f"{poll}/results", None, 200),
        ("PATCH", f"{poll}/open-answers/{text_id}", {"status": "shown"}, 200),
        ("POST", f"{poll}/measurement", {"goal_id": goal["id"], "question": 0}, 201),
        ("POST", f"{poll}/close", None, 200),
    ]
    for method, url, body, allowed in calls:
        got = client.request(method, url, json=body, headers=headers)
        expected = allowed if role in MAY else 401 if role == "anonymous" else 404
        assert got.status_code == expected, (method, url, got.text)
    for path in ("ws", "screen/ws"):
        if role in MAY:
            with client.websocket_connect(f"/polls/{made['id']}/{path}", headers=headers) as ws:
                assert "poll-results" in ws.receive_text()
        else:
            with (
                pytest.raises(WebSocketDenialResponse),
                client.websocket_connect(f"/polls/{made['id']}/{path}", headers=headers),
            ):
                pass
    if role not in MAY:
        assert len(factory.all(Poll)) == 1 and factory.all(Measurement) == []
        assert factory.all(PollText)[0].status == "new"
        assert factory.get(Poll, made["id"]).closed_at is None
    # the pupils' endpoints answer anyone, logged in or not
    assert client.get(f"{API}/answer/{made['code']}", headers=headers).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_every_poll_page_by_role(client, factory, role):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    user = {
        "teacher": w.teacher,
        "leader": w.leader,
        "admin": w.admin,
        "other_school": w.other_teacher,
        "colleague_of_another_team": factory.user(w.school, Role.teacher),
    }.get(role)
    csrf = factory.login(user) if user else ""
    pages = [f"/boards/{w.board.id}/polls", f"/polls/{made['id']}", f"/polls/{made['id']}/screen"]
    for url in pages:
        got = client.get(url, follow_redirects=False)
        if role in MAY:
            assert got.status_code == 200, url
        elif role == "anonymous":
            assert got.status_code == 303 and "/login" in got.headers["location"], url
        else:
            assert got.status_code == 404, url
    closed = client.post(
        f"/polls/{made['id']}/close", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert closed.status_code == (303 if role in MAY else 303 if role == "anonymous" else 404)
    assert (factory.get(Poll, made["id"]).closed_at is not None) == (role in MAY)


def test_a_care_boards_goals_never_reach_a_poll(client, factory):
    """Care data stays on its board: a care goal is never offered for a poll's result, and
    saving one there is 404, even for someone on the care board."""
    w = factory.world()
    care = factory.board(w.team, BoardKind.care, "Zorg", members=(w.teacher,))
    teacher = factory.api(w.teacher)
    care_goal = client.post(
        f"{API}/boards/{care.id}/goals", json={"title": "MARKER-zorgdoel"}, headers=teacher
    ).json()
    made = make_poll(client, teacher, w.board.id)
    answer(client, made["code"], [3], DEVICE_A)
    factory.login(w.teacher)
    for url in (f"/polls/{made['id']}", f"/polls/{made['id']}/screen"):
        assert "MARKER-zorgdoel" not in client.get(url).text
    refused = client.post(
        f"{API}/polls/{made['id']}/measurement",
        json={"goal_id": care_goal["id"], "question": 0},
        headers=teacher,
    )
    assert refused.status_code == 404
    assert factory.all(Measurement) == []
    listed = client.get(f"{API}/polls/{made['id']}/results", headers=teacher).text
    assert "MARKER" not in listed


def test_an_archived_boards_poll_takes_no_answers(client, factory):
    w = factory.world()
    made = make_poll(client, factory.api(w.teacher), w.board.id)
    archived = client.patch(
        f"{API}/boards/{w.board.id}", json={"archived": True}, headers=factory.api(w.leader)
    )
    assert archived.status_code == 200
    assert client.get(f"{API}/answer/{made['code']}").json()["open"] is False
    assert answer(client, made["code"], [3], DEVICE_A).status_code == 410
    assert client.get(f"/s/{made['code']}").status_code == 410
    assert factory.all(PollResponse) == []
