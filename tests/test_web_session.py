"""The bordsessie on the board page: start, agenda clock, check-in, attendance, notes, tip en top,
Afronden with its summary, the history page and its exports."""

import json
import re
from datetime import timedelta

from app import clock
from app.models import Action, ActionStatus, Board
from app.models.standup import CheckinVote, StandUp
from tests.test_realtime_ws import frames_until

HX = {"HX-Request": "true"}


def hx(csrf: str) -> dict[str, str]:
    return {**HX, "X-CSRF-Token": csrf}


def start(client, board, csrf, **form):
    answer = client.post(f"/boards/{board.id}/session/start", data=form, headers=hx(csrf))
    assert answer.status_code == 200, answer.text
    return answer


def the_stand_up(factory, board) -> StandUp:
    (stand_up,) = [s for s in factory.all(StandUp) if s.board_id == board.id]
    return stand_up


def test_the_board_offers_to_start_with_the_next_bordleider(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}").text
    week = clock.today().isocalendar()[1]
    assert f"Bordsessie week {week}" in page
    assert "Start bordsessie" in page
    assert re.search(r'<option value="Tim Teacher" selected>Tim Teacher \(aan de beurt\)', page)


def test_a_whole_session_from_start_to_summary(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    due = clock.today()
    with factory.session() as s:
        s.add(Action(board_id=w.board.id, title="Leesrooster maken", due=due, rank="a0"))
        s.add(Action(board_id=w.board.id, title="Al klaar", due=due, rank="a1", status="done"))
        s.commit()
    panel = start(client, w.board, csrf, bordleider="Tim Teacher", schrijver="Tim Teacher").text
    assert "Bordleider: Tim Teacher" in panel and "Schrijver: Tim Teacher" in panel
    assert 'id="session-clock"' in panel and 'data-seconds="60"' in panel  # Check-in: 1 minute
    # the actions due this week that are not done come first
    assert "Acties van vorige week" in panel and "Leesrooster maken" in panel
    carried = panel[panel.index("Acties van vorige week") : panel.index('class="columns"')]
    assert "Al klaar" not in carried
    stand_up = the_stand_up(factory, w.board)

    for mood in (4, 5, 5):  # one person: the last smiley tapped is their one vote
        panel = client.post(
            f"/sessions/{stand_up.id}/checkin", data={"mood": mood}, headers=hx(csrf)
        ).text
    assert 'aria-label="Top, 1 stem"' in panel and 'aria-label="Goed, 0 stemmen"' in panel
    client.post(f"/sessions/{stand_up.id}/present", data={"name": "Tim Teacher"}, headers=hx(csrf))
    client.post(f"/sessions/{stand_up.id}/present", data={"name": "Gast Gerda"}, headers=hx(csrf))
    panel = client.post(f"/sessions/{stand_up.id}/part", data={"part": "3"}, headers=hx(csrf)).text
    assert 'data-focus="actions"' in panel and 'data-seconds="300"' in panel
    client.post(
        f"/sessions/{stand_up.id}/notes",
        data={"part": "Acties", "text": "We lezen elke ochtend."},
        headers=hx(csrf),
    )
    client.post(f"/boards/{w.board.id}/actions", data={"title": "Nieuwe actie"}, headers=hx(csrf))
    client.post(
        f"/sessions/{stand_up.id}/tip-top",
        data={"tip": "Strakker op tijd", "top": "Fijne sfeer"},
        headers=hx(csrf),
    )
    panel = client.post(f"/sessions/{stand_up.id}/end", headers=hx(csrf)).text

    assert "afgerond" in panel
    summary = panel[panel.index("Samenvatting</summary>") :]
    assert "Nieuwe actie" in summary and "We lezen elke ochtend." in summary
    assert "Strakker op tijd" in summary and "Fijne sfeer" in summary
    assert "Tim Teacher, Gast Gerda" in summary
    assert "Acties van vorige week" not in panel  # the session is over
    assert "1 stem: 😄 Top 1" in summary
    assert [v.mood for v in factory.all(CheckinVote)] == [5]

    # the session history and both exports carry the same summary
    history = client.get(f"/boards/{w.board.id}/sessions").text
    assert f"Week {stand_up.week[-2:].lstrip('0')}" in history and "Nieuwe actie" in history
    assert "1 stem: 😄 Top 1" in history
    assert '<p class="empty">Geen</p>' not in history  # empty lists are left out
    printable = client.get(f"/boards/{w.board.id}/sessions/{stand_up.id}")
    assert printable.status_code == 200 and "Fijne sfeer" in printable.text
    assert "1 stem: 😄 Top 1" in printable.text
    markdown = client.get(f"/boards/{w.board.id}/sessions/{stand_up.id}.md")
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "attachment" in markdown.headers["content-disposition"]
    assert "- Nieuwe actie" in markdown.text and "**Top:** Fijne sfeer" in markdown.text
    assert "## Check-in\n\n1 stem: 😄 Top 1" in markdown.text


def test_a_check_in_can_be_taken_back_until_the_session_ends(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    start(client, w.board, csrf)
    stand_up = the_stand_up(factory, w.board)
    url = f"/sessions/{stand_up.id}/checkin"
    client.post(url, data={"mood": "2"}, headers=hx(csrf))
    panel = client.post(url, data={"mood": ""}, headers=hx(csrf)).text
    assert 'aria-label="Matig, 0 stemmen"' in panel and "Mijn stem intrekken" in panel
    assert factory.all(CheckinVote) == []
    client.post(url, data={"mood": "3"}, headers=hx(csrf))
    client.post(f"/sessions/{stand_up.id}/end", headers=hx(csrf))
    answer = client.post(url, data={"mood": "1"}, headers=hx(csrf))
    assert answer.status_code == 422
    assert "de check-in is gesloten" in answer.text
    assert [(v.mood, v.voter_id) for v in factory.all(CheckinVote)] == [(3, None)]
    history = client.get(f"/boards/{w.board.id}/sessions").text
    assert "1 stem: 😐 Gaat wel 1" in history
    assert "Geen acties, successen, metingen of besluiten in deze sessie." in history


def test_the_clock_starts_again_for_each_part(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    start(client, w.board, csrf)
    stand_up = the_stand_up(factory, w.board)
    with factory.session() as s:
        row = s.get(StandUp, stand_up.id)
        row.part_started_at = row.part_started_at - timedelta(minutes=10)
        s.add(row)
        s.commit()
    before = the_stand_up(factory, w.board).part_started_at
    client.post(f"/sessions/{stand_up.id}/part", data={"part": "1"}, headers=hx(csrf))
    after = the_stand_up(factory, w.board)
    assert after.current_part == 1 and after.part_started_at - before >= timedelta(minutes=10)


def test_bad_session_input_changes_nothing(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    start(client, w.board, csrf)
    stand_up = the_stand_up(factory, w.board)
    version = factory.get(Board, w.board.id).version
    for url, form in [
        ("part", {"part": "99"}),
        ("part", {"part": "twee"}),
        ("checkin", {"mood": "9"}),
        ("notes", {"part": "Acties", "text": "x" * 2001}),
        ("present", {"name": ""}),
    ]:
        answer = client.post(f"/sessions/{stand_up.id}/{url}", data=form, headers=hx(csrf))
        assert answer.status_code == 422, (url, form)
        assert 'role="alert"' in answer.text and 'id="session-panel"' in answer.text
    assert factory.get(Board, w.board.id).version == version
    assert factory.all(CheckinVote) == []


def test_sessions_are_out_of_reach_for_outsiders(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    start(client, w.board, csrf)
    stand_up = the_stand_up(factory, w.board)
    csrf = factory.login(w.other_teacher)
    assert client.post(f"/boards/{w.board.id}/session/start", headers=hx(csrf)).status_code == 404
    for url in ("part", "checkin", "present", "notes", "tip-top", "end"):
        assert client.post(f"/sessions/{stand_up.id}/{url}", headers=hx(csrf)).status_code == 404
    assert client.get(f"/boards/{w.board.id}/sessions").status_code == 404
    assert client.get(f"/boards/{w.board.id}/sessions/{stand_up.id}").status_code == 404
    assert client.get(f"/boards/{w.board.id}/sessions/{stand_up.id}.md").status_code == 404


def test_a_team_without_actions_or_goals_gets_a_useful_session(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    panel = start(client, w.board, csrf).text
    assert "Check-in" in panel and "Volgende: Successen" in panel
    assert "Acties van vorige week" not in panel
    assert factory.all(Action) == [] and ActionStatus.todo


def test_a_display_follows_the_session_without_controls_or_tip_en_top(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    start(client, w.board, csrf)
    stand_up = the_stand_up(factory, w.board)
    client.post(
        f"/sessions/{stand_up.id}/tip-top", data={"tip": "GEHEIMETIP", "top": ""}, headers=hx(csrf)
    )
    link = client.post(f"/boards/{w.board.id}/screens", data={"label": "Tv"}, headers=hx(csrf))
    path = re.search(r"/screen/[A-Za-z0-9_-]+", link.text).group(0)
    client.cookies.clear()
    page = client.get(path).text
    assert 'id="session-clock"' in page and "Check-in" in page
    assert "GEHEIMETIP" not in page and "hx-post" not in page
    # and the pushed panel: a new tip reaches the members' screens, never the wall
    with client.websocket_connect(path + "/ws") as wall:
        wall.send_text(json.dumps({"since": 0}))
        frames_until(wall, 'id="session-panel"')
        csrf = factory.login(w.teacher)
        client.post(
            f"/sessions/{stand_up.id}/tip-top",
            data={"tip": "NIEUWETIP", "top": "NIEUWETOP"},
            headers=hx(csrf),
        )
        client.post(f"/sessions/{stand_up.id}/part", data={"part": "1"}, headers=hx(csrf))
        seen = ""
        while 'data-focus="successes"' not in seen:
            seen += wall.receive_text()
        assert "NIEUWETIP" not in seen and "NIEUWETOP" not in seen and "hx-post" not in seen
        # the wall's panel is one slim bar: the part being discussed, its clock, the bordleider
        assert "session-bar--slim" in seen and 'id="session-clock"' in seen


def test_the_team_changes_its_agenda_and_can_reopen_the_week(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    start(client, w.board, csrf)
    stand_up = the_stand_up(factory, w.board)
    panel = client.post(
        f"/sessions/{stand_up.id}/agenda",
        data={"name-0": "Check-in", "minutes-0": "2", "name-1": "", "name-6": "Vieren"}
        | {"minutes-6": "3"},
        headers=hx(csrf),
    ).text
    assert the_stand_up(factory, w.board).agenda == [
        {"part": "Check-in", "minutes": 2},
        {"part": "Vieren", "minutes": 3},
    ]
    assert "Vieren" in panel and 'data-seconds="120"' in panel
    bad = client.post(
        f"/sessions/{stand_up.id}/agenda",
        data={"name-0": "Check-in", "minutes-0": "0"},
        headers=hx(csrf),
    )
    assert bad.status_code == 422 and len(the_stand_up(factory, w.board).agenda) == 2

    client.post(f"/sessions/{stand_up.id}/end", headers=hx(csrf))
    panel = start(client, w.board, csrf).text  # "Heropenen"
    assert 'id="session-clock"' in panel and the_stand_up(factory, w.board).ended_at is None
