"""Goals show at a glance how they are doing: the status from the trend, the chart, the offer to
celebrate a reached target as a success."""

import re
from datetime import UTC, date, datetime

import pytest

from app import clock
from app.models import BoardKind, Goal, Success, User
from app.models.goal import Measurement
from app.services.goal_progress import Progress, chart, dashboard_months, progress
from tests.test_realtime_ws import frames_until

API = "/api/v1"

SET_ON = datetime(2026, 9, 1, tzinfo=UTC)


def goal(**values) -> Goal:
    return Goal(board_id=1, title="Lezen", created_at=SET_ON, **values)


def measured(*points: tuple[date, float]) -> list[Measurement]:
    return [Measurement(goal_id=1, date=day, value=value) for day, value in points]


@pytest.mark.parametrize(
    ("values", "points", "expected"),
    [
        # halfway through the time, more than halfway to the target
        (
            {"baseline": 40, "target": 80, "target_date": date(2026, 12, 31)},
            [(date(2026, 11, 1), 70)],
            Progress.on_track,
        ),
        # halfway through the time, hardly moved
        (
            {"baseline": 40, "target": 80, "target_date": date(2026, 12, 31)},
            [(date(2026, 11, 1), 45)],
            Progress.at_risk,
        ),
        ({"baseline": 40, "target": 80}, [(date(2026, 11, 1), 80)], Progress.reached),
        # a goal that goes down (fewer late arrivals) is reached by going under the target
        ({"baseline": 20, "target": 5}, [(date(2026, 11, 1), 4)], Progress.reached),
        # no target date: the direction of the last measurements decides
        (
            {"baseline": 20, "target": 5},
            [(date(2026, 10, 1), 15), (date(2026, 10, 8), 12)],
            Progress.on_track,
        ),
        (
            {"baseline": 40, "target": 80},
            [(date(2026, 10, 1), 60), (date(2026, 10, 8), 55)],
            Progress.at_risk,
        ),
        ({"baseline": 40, "target": 80}, [(date(2026, 10, 1), 60)], None),
        ({"baseline": 40}, [(date(2026, 10, 1), 60)], None),
        ({"baseline": 40, "target": 80}, [], None),
    ],
)
def test_progress_follows_the_trend(values, points, expected):
    assert progress(goal(**values), measured(*points), date(2026, 11, 2)) == expected


def test_the_chart_shows_the_target_above_a_rising_line():
    g = goal(baseline=40, target=80)
    picture = chart(g, measured((date(2026, 10, 1), 50), (date(2026, 10, 8), 60)))
    ys = [float(p.split(",")[1]) for p in picture.line.split()]
    assert ys[1] < ys[0]  # SVG y grows downward: a rising value goes up
    assert picture.target_y < min(ys) and picture.baseline_y > max(ys)
    assert chart(g, []) is None


HX = {"HX-Request": "true"}


def reading_goal(client, factory) -> tuple[dict[str, str], Goal]:
    """A teacher's goal from 40 % to 80 %, made on the board page; their htmx headers."""
    w = factory.world()
    headers = {**HX, "X-CSRF-Token": factory.login(w.teacher)}
    client.post(
        f"/boards/{w.board.id}/goals",
        data={"title": "Lezen", "baseline": "40", "target": "80", "unit": "%"},
        headers=headers,
    )
    [g] = factory.all(Goal)
    return headers, g


def test_a_reached_goal_offers_a_success_in_one_tap(client, factory):
    headers, g = reading_goal(client, factory)
    assert client.post(f"/goals/{g.id}/celebrate", headers=headers).status_code == 422
    answer = client.post(
        f"/goals/{g.id}/measurements", data={"value": "82", "date": "2026-11-20"}, headers=headers
    )
    assert "Doel bereikt! Vier het als succes" in answer.text
    assert "Doel bereikt</span>" in answer.text
    answer = client.post(f"/goals/{g.id}/celebrate", headers=headers)
    assert answer.status_code == 200
    [success] = factory.all(Success)
    assert success.goal_id == g.id and success.text == "Doel bereikt: Lezen (82 %)"
    assert "Vier het als succes" not in answer.text  # offered once
    again = client.post(f"/goals/{g.id}/celebrate", headers=headers)  # a second screen's tap
    assert again.status_code == 409 and len(factory.all(Success)) == 1
    assert 'id="list-successes"' in answer.text and "Doel bereikt: Lezen" in answer.text


def test_the_chart_has_words_for_screen_readers(client, factory):
    headers, g = reading_goal(client, factory)
    for day, value in (("2026-11-13", "50"), ("2026-11-20", "55")):
        client.post(
            f"/goals/{g.id}/measurements", data={"value": value, "date": day}, headers=headers
        )
    page = client.get(f"/boards/{g.board_id}").text
    assert 'role="img" aria-label="Metingen: vr 13 nov 50 %, vr 20 nov 55 %. Doel: 80 %."' in page
    assert "Op koers" in page


def test_a_success_can_name_the_goal_it_belongs_to(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    headers = {**HX, "X-CSRF-Token": csrf}
    client.post(f"/boards/{w.board.id}/goals", data={"title": "Leesplezier"}, headers=headers)
    [g] = factory.all(Goal)
    page = client.get(f"/boards/{w.board.id}").text
    assert 'id="add-successes-goal_id"' in page
    answer = client.post(
        f"/boards/{w.board.id}/successes",
        data={"text": "Groep 7 las een heel boek uit", "goal_id": str(g.id)},
        headers=headers,
    )
    assert answer.status_code == 200
    [success] = factory.all(Success)
    assert success.goal_id == g.id
    card = answer.text[answer.text.index(f'id="success-{success.id}"') :]
    assert "↳ Leesplezier" in card[: card.index("</li>")]
    bad = client.post(
        f"/boards/{w.board.id}/successes",
        data={"text": "x", "goal_id": str(w.other_board.id + 999)},
        headers=headers,
    )
    assert bad.status_code == 422 and len(factory.all(Success)) == 1


# --- a leadership board's monthly dashboard --------------------------------------------------

# 00:30 on 1 December in Amsterdam: the school's December, still November in UTC
FIRST_OF_DECEMBER = datetime.fromisoformat("2026-12-01T00:30:00+01:00")


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (
            date(2026, 12, 1),
            [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)],
        ),
        # early in the school year: only its own months, none of the last one's
        (date(2026, 9, 15), [date(2026, 8, 1), date(2026, 9, 1)]),
        (
            date(2027, 7, 20),
            [date(2027, 4, 1), date(2027, 5, 1), date(2027, 6, 1), date(2027, 7, 1)],
        ),
    ],
)
def test_a_dashboard_shows_the_last_months_of_the_school_year(today, months):
    assert dashboard_months(today) == months


def month_rows(html: str, goal_id: int) -> list[tuple[str, str]]:
    """The goal's dashboard as a reader sees it: (month, latest measurement) per row."""
    card = html.split(f'id="goal-{goal_id}"')[1].split("</table>")[0]
    rows = re.findall(
        r"<tr class=\"month-dashboard-row[^>]*>\s*<th[^>]*>(.*?)</th>\s*<td>(.*?)</td>", card, re.S
    )
    return [
        (re.sub(r"<[^>]+>", "", month), re.sub(r"<[^>]+>", " ", value).split()[0])
        for month, value in rows
    ]


def measured_goal(client, factory, kind: BoardKind):
    """A goal from 40 % to 80 % on a board of `kind`, measured in August (last school year's
    summer is this one's August), twice in September, in November and on 1 December."""
    w = factory.world()
    board = factory.board(w.team, kind, "Directiebord", members=(w.teacher,))
    api = factory.api(w.teacher)
    made = client.post(
        f"{API}/boards/{board.id}/goals",
        json={"title": "Lezen", "baseline": 40, "target": 80, "unit": "%"},
        headers=api,
    ).json()
    for day, value in (
        ("2026-08-25", 41),
        ("2026-09-07", 50),
        ("2026-09-28", 55),
        ("2026-11-16", 70),
        ("2026-12-01", 82),
    ):
        answer = client.post(
            f"{API}/goals/{made['id']}/measurements",
            json={"date": day, "value": value},
            headers=api,
        )
        assert answer.status_code == 201, answer.text
    return w, board, made["id"]


def test_a_leadership_board_shows_each_goal_per_month(client, factory):
    clock.set_now(FIRST_OF_DECEMBER)
    w, board, goal_id = measured_goal(client, factory, BoardKind.leadership)
    factory.login(w.teacher)
    page = client.get(f"/boards/{board.id}").text
    expected = [
        ("september", "55"),  # the month's latest, not its first
        ("oktober", "–"),  # not measured
        ("november", "70"),
        ("december", "82"),  # the school's month, though UTC is still in November
    ]
    assert month_rows(page, goal_id) == expected
    table = page.split(f'id="goal-{goal_id}"')[1].split("</table>")[0]
    assert '<caption><span class="visually-hidden">Lezen: </span>Per maand: laatste meting' in table
    assert '<th scope="col">Maand</th>' in table and "Doel bereikt" in table
    assert '<th scope="row">Streefwaarde</th><td>80 %</td>' in table.split("<tfoot>")[1]
    assert 'datetime="2026-12"' in table and 'datetime="2026-08"' not in table
    assert "goal-facts" not in table

    with factory.session() as s:
        teacher = s.get(User, w.teacher.id)
        teacher.locale = "en"
        s.add(teacher)
        s.commit()
    english = client.get(f"/boards/{board.id}").text
    assert month_rows(english, goal_id)[0] == ("September", "55")
    assert "Latest measurement per month" in english

    link = client.post(
        f"{API}/boards/{board.id}/screens", json={"label": "kamer"}, headers=factory.api(w.teacher)
    ).json()
    display = client.get(link["path"]).text
    assert month_rows(display, goal_id) == expected
    assert "Meting toevoegen" not in display  # a wall has no controls


def test_a_pushed_goal_is_the_same_monthly_dashboard(client, factory):
    clock.set_now(FIRST_OF_DECEMBER)
    w, board, goal_id = measured_goal(client, factory, BoardKind.leadership)
    api = factory.api(w.teacher)
    link = client.post(f"{API}/boards/{board.id}/screens", json={"label": "tv"}, headers=api).json()
    with client.websocket_connect(link["path"] + "/ws") as display:
        client.post(
            f"{API}/goals/{goal_id}/measurements",
            json={"date": "2026-10-12", "value": 60},
            headers=api,
        )
        frame = frames_until(display, 'id="list-goals"')
    assert ("oktober", "60") in month_rows(frame, goal_id)
    assert month_rows(frame, goal_id)[-1] == ("december", "82")


def test_a_team_board_keeps_its_goal_cards(client, factory):
    clock.set_now(FIRST_OF_DECEMBER)
    w, board, goal_id = measured_goal(client, factory, BoardKind.team)
    factory.login(w.teacher)
    page = client.get(f"/boards/{board.id}").text
    card = page.split(f'id="goal-{goal_id}"')[1].split("</li>")[0]
    assert "month-dashboard" not in page
    assert "goal-facts" in card and 'class="goal-chart' in card
    assert "Klein, meetbaar en elke week gemeten." in page
