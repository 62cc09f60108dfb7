"""The start page: my actions (late first, this week next), my teams' bordsessies, answers to
my help requests, a leader's teams that need attention; reach and care boards' privacy.

The clock is pinned (conftest.py) to Monday 30 November 2026, 00:30 in Amsterdam."""

import re
from datetime import date, timedelta

from sqlmodel import select

from app import clock
from app.models import BoardKind, HolidayWeek, Role, StandUp, TeamMember
from tests.factories import statements_asked

API = "/api/v1"
MONDAY = date(2026, 11, 30)


def add_action(client, headers, board_id: int, **data) -> dict:
    r = client.post(f"{API}/boards/{board_id}/actions", json=data, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def ask_help(client, headers, board_id: int, text: str) -> dict:
    r = client.post(f"{API}/boards/{board_id}/help-requests", json={"text": text}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def answer_help(client, headers, help_id: int, text: str) -> None:
    r = client.post(f"{API}/help-requests/{help_id}/answer", json={"text": text}, headers=headers)
    assert r.status_code == 200, r.text


def home_of(client, factory, user) -> str:
    client.cookies.clear()
    factory.login(user)
    page = client.get("/")
    assert page.status_code == 200, page.text
    return page.text


def section(page: str, heading_id: str) -> str:
    """The HTML of the start page's section headed by `heading_id`."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_my_actions_late_first_then_this_week_then_later(client, factory):
    w = factory.world()
    me = factory.api(w.teacher)
    later = add_action(
        client,
        me,
        w.board.id,
        title="Ouderavond voorbereiden",
        owner="Tim",
        due=(MONDAY + timedelta(days=20)).isoformat(),
    )
    undated = add_action(client, me, w.board.id, title="Leesplan bespreken", owner="tim teacher")
    this_week = add_action(
        client,
        me,
        w.board.id,
        title="Rekenmuur ophangen",
        owner="Tim Teacher",
        due=(MONDAY + timedelta(days=3)).isoformat(),
    )
    late = add_action(
        client,
        me,
        w.board.id,
        title="Toetsen nakijken",
        owner=" Tim ",
        due=(MONDAY - timedelta(days=2)).isoformat(),
    )
    due_today = add_action(
        client, me, w.board.id, title="Vandaag af", owner="Tim", due=MONDAY.isoformat()
    )
    add_action(
        client,
        me,
        w.board.id,
        title="Van een ander",
        owner="Lotte",
        due=(MONDAY - timedelta(days=5)).isoformat(),
    )
    done = add_action(
        client,
        me,
        w.board.id,
        title="Al klaar",
        owner="Tim",
        status="done",
        due=(MONDAY - timedelta(days=5)).isoformat(),
    )

    mine = section(home_of(client, factory, w.teacher), "home-actions")
    order = [late, due_today, this_week, later, undated]
    positions = [mine.index(f'href="/boards/{w.board.id}#action-{a["id"]}"') for a in order]
    assert positions == sorted(positions)
    assert "Van een ander" not in mine and done["title"] not in mine
    groups = re.findall(r'data-group="(\w+)"', mine)
    assert groups == ["late", "week", "later"]
    late_list = mine[mine.index('data-group="late"') : mine.index('data-group="week"')]
    assert "Toetsen nakijken" in late_list and "Vandaag af" not in late_list
    assert "Te laat" in late_list


def test_my_actions_come_from_every_board_i_may_open_and_no_other(client, factory):
    w = factory.world()
    class_board = factory.board(w.team, BoardKind.klas, "Groep 7")
    add_action(client, factory.api(w.teacher), class_board.id, title="Klassenactie", owner="Tim")
    # the same first name on a board of another team and of another school: not my boards
    add_action(client, factory.api(w.leader), w.outsider_board.id, title="Andere team", owner="Tim")
    add_action(
        client,
        factory.api(w.other_teacher),
        w.other_board.id,
        title="Andere school",
        owner="Tim Teacher",
    )
    page = home_of(client, factory, w.teacher)
    mine = section(page, "home-actions")
    assert "Klassenactie" in mine
    assert "Andere team" not in page and "Andere school" not in page
    assert "De Klimop" not in page and "Teams die aandacht vragen" not in page


def test_this_weeks_session_held_and_the_next_one(client, factory):
    w = factory.world()
    second = factory.team(w.school, "Middenbouw", (w.teacher,))
    second_board = factory.board(second)
    holiday_team = factory.team(w.school, "Kerstteam", (w.teacher,))
    factory.board(holiday_team)
    factory.team(w.school, "Zonder bord", (w.teacher,))
    # a team with two team boards held its session on the second: held, as the overview says
    two = factory.team(w.school, "Twee borden", (w.teacher,))
    factory.board(two)
    factory._save(StandUp(board_id=factory.board(two, title="Tweede").id, week="2026-W49"))
    r = client.post(f"{API}/boards/{w.board.id}/sessions", headers=factory.api(w.teacher))
    assert r.status_code == 201, r.text
    # the whole school's next week is a holiday week: the next session after it is in week 51
    factory._save(HolidayWeek(school_id=w.school.id, week="2026-W50", label="Kerst"))
    factory._save(HolidayWeek(school_id=w.school.id, week="2026-W49", label="Studieweek"))
    # a session of another school's team in the same week changes nothing here
    factory._save(StandUp(board_id=w.other_board.id, week="2026-W49"))

    sessions = section(home_of(client, factory, w.teacher), "home-sessions")
    states = dict(re.findall(r'data-team="(\d+)".*?data-this-week="(\w+)"', sessions, re.S))
    assert states[str(w.team.id)] == "held"  # held even in a holiday week
    assert states[str(second.id)] == "holiday"
    assert states[str(two.id)] == "held"
    nexts = dict(re.findall(r'data-team="(\d+)".*?data-next="([\d-]*)"', sessions, re.S))
    assert nexts[str(w.team.id)] == "2026-12-14"
    assert "Dit team heeft nog geen teambord." in sessions
    assert "week 51" in sessions and f'href="/boards/{second_board.id}"' in sessions


def test_a_session_not_yet_held_is_this_weeks(client, factory):
    w = factory.world()
    sessions = section(home_of(client, factory, w.teacher), "home-sessions")
    assert 'data-this-week="upcoming"' in sessions
    assert "Deze week nog niet gehouden" in sessions
    assert f'data-next="{MONDAY.isoformat()}"' in sessions
    assert "Volgende bordsessie: deze week" in sessions


def test_answers_to_my_help_requests_newest_first(client, factory):
    w = factory.world()
    me, lead = factory.api(w.teacher), factory.api(w.leader)
    first = ask_help(client, me, w.board.id, "Wie regelt de bus?")
    second = ask_help(client, me, w.board.id, "Mag ik een extra studiedag?")
    unanswered = ask_help(client, me, w.board.id, "Nog geen antwoord hierop")
    colleague = factory.user(w.school, Role.teacher, name="Cor Collega")
    factory._save(TeamMember(team_id=w.team.id, user_id=colleague.id))
    theirs = ask_help(client, factory.api(colleague), w.board.id, "Vraag van een collega")
    answer_help(client, lead, first["id"], "Ik bel de vervoerder")
    clock.set_now(clock.now() + timedelta(hours=1))
    answer_help(client, lead, second["id"], "Ja, in week 3")
    answer_help(client, lead, theirs["id"], "Antwoord aan de collega")

    answers = section(home_of(client, factory, w.teacher), "home-answers")
    assert answers.index("Ja, in week 3") < answers.index("Ik bel de vervoerder")
    assert "Mag ik een extra studiedag?" in answers
    assert unanswered["text"] not in answers and "Antwoord aan de collega" not in answers
    assert f'href="/boards/{w.board.id}#help-{second["id"]}"' in answers


def test_a_leader_sees_the_teams_that_need_attention(client, factory):
    w = factory.world()
    calm = factory.team(w.school, "Middenbouw")
    calm_board = factory.board(calm)
    lead = factory.api(w.leader)
    add_action(
        client, lead, w.board.id, title="Te laat", due=(MONDAY - timedelta(days=1)).isoformat()
    )
    ask_help(client, lead, w.outsider_board.id, "Hulp gezocht")
    for board in (w.board, w.outsider_board, calm_board):
        factory._save(StandUp(board_id=board.id, week="2026-W48"))
    attention = section(home_of(client, factory, w.leader), f"home-attention-{w.school.id}")
    assert "Bovenbouw" in attention and "1 actie te laat" in attention
    assert "Onderbouw" in attention and "1 hulpvraag wacht op antwoord" in attention
    assert "Middenbouw" not in attention
    assert f'href="/schools/{w.school.id}/overview"' in attention

    # a week without a session makes a team ask for attention
    factory._save(StandUp(board_id=calm_board.id, week="2026-W47"))
    with factory.session() as s:
        last_week = select(StandUp).where(StandUp.board_id == calm_board.id)
        s.delete(s.exec(last_week.where(StandUp.week == "2026-W48")).one())
        s.commit()
    attention = section(home_of(client, factory, w.leader), f"home-attention-{w.school.id}")
    assert "Middenbouw" in attention and "Vorige week geen bordsessie" in attention
    # a teacher's start page has no such list; another school's leader sees only their own
    assert "Teams die aandacht vragen" not in home_of(client, factory, w.teacher)
    other = home_of(client, factory, w.other_leader)
    assert "Bovenbouw" not in other and "Hulp gezocht" not in other


MARKER = "ZORG-GEHEIM-7731"


def test_care_boards_stay_off_the_start_page_of_non_members(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ingrid IB")
    care = factory.board(w.team, BoardKind.care, "Zorgbord", members=(ib,))
    ib_api = factory.api(ib)
    # an action on the care board in a team member's name, and a help request answered there
    add_action(
        client,
        ib_api,
        care.id,
        title=f"Tim: {MARKER}",
        owner="Tim Teacher",
        due=(MONDAY - timedelta(days=1)).isoformat(),
    )
    add_action(client, ib_api, care.id, title=f"Ingrid: {MARKER}", owner="Ingrid")
    for outsider in (w.teacher, w.leader, w.admin, w.other_leader):
        assert MARKER not in home_of(client, factory, outsider), outsider.name
    assert home_of(client, factory, ib).count(MARKER) == 1


def test_the_start_page_reads_a_fixed_number_of_statements(client, factory):
    """However many teams, boards, actions and answers: the same queries."""
    w = factory.world()
    factory.app.state.webhooks.stop()  # its own reads would be counted with the page's
    me = factory.api(w.leader)

    def add_team(n: int) -> None:
        team = factory.team(w.school, f"Team {n}", (w.leader,))
        board = factory.board(team)
        due = (MONDAY - timedelta(days=n)).isoformat()
        add_action(client, me, board.id, title=f"Actie {n}", owner="Lotte", due=due)
        answer_help(client, me, ask_help(client, me, board.id, f"Vraag {n}")["id"], "Goed")

    def statements_for_home() -> int:
        client.cookies.clear()
        factory.login(w.leader)
        with statements_asked(factory.app) as asked:
            assert client.get("/").status_code == 200
        return len(asked)

    # the fewest of two: a background sender's statement may fall within one of them
    add_team(0)
    few = min(statements_for_home(), statements_for_home())
    for n in range(1, 13):
        add_team(n)
    assert few > 0 and min(statements_for_home(), statements_for_home()) == few
