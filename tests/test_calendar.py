"""Calendar feeds (iCal): a user's own agenda and a board's planning and bordsessies, at a private
address that can be replaced and revoked. Every feed is parsed with `icalendar`, as a calendar
app would read it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlmodel import select

from app import clock
from app.models import (
    Action,
    CalendarFeed,
    PlanItem,
    PlanKind,
    School,
    StandUp,
    TeamMember,
    User,
)
from app.security.tokens import token_hash
from tests.care_world import care_world, new_case
from tests.conftest import NOW

API = "/api/v1"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MARKER = "ZORGMARKER-7311"


def _action(client, headers, board_id, **body) -> dict:
    answer = client.post(f"{API}/boards/{board_id}/actions", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _plan(client, headers, board_id, **body) -> dict:
    answer = client.post(f"{API}/boards/{board_id}/plan-items", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _my_url(client, headers) -> str:
    answer = client.post(f"{API}/me/calendar", headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["url"]


def _path(url: str) -> str:
    assert url.startswith("http://testserver/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://testserver")


def _fetch(client, url: str) -> Calendar:
    answer = client.get(_path(url))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(answer.content)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in calendar.events}


def test_my_feed_has_my_open_actions_due_dates_as_all_day_events(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    mine = _action(
        client, api, w.board.id, title="Rekenles ontwerpen", owner="Tim", due="2026-12-04"
    )
    full = _action(
        client, api, w.board.id, title="Ouders bellen", owner=" tim teacher ", due="2026-12-09"
    )
    shared = _action(client, api, w.board.id, title="Leesmap", owner="Ans en Tim", due="2026-12-10")
    _action(client, api, w.board.id, title="Niet van mij", owner="Lotte", due="2026-12-04")
    _action(client, api, w.board.id, title="Zonder datum", owner="Tim")
    _action(client, api, w.board.id, title="Al klaar", owner="Tim", due="2026-12-01", status="done")

    calendar = _fetch(client, _my_url(client, api))

    host = "testserver"
    events = _events(calendar)
    assert set(events) == {f"action-{a['id']}@{host}" for a in (mine, full, shared)}
    event = events[f"action-{mine['id']}@{host}"]
    assert event.start == date(2026, 12, 4) and not isinstance(event.start, datetime)
    assert event.end == date(2026, 12, 5)
    assert str(event["SUMMARY"]) == "Actie: Rekenles ontwerpen"
    assert "Wie: Tim" in str(event["DESCRIPTION"])
    assert "Teambord (Bovenbouw)" in str(event["DESCRIPTION"])
    assert abs(event.DTSTAMP - NOW) < timedelta(minutes=5)  # app/clock's, not the machine's
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]


def test_my_feed_has_the_plan_items_i_am_in_and_my_teams_bordsessies(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    visit = _plan(
        client,
        api,
        w.board.id,
        text="Lesbezoek groep 5\nbij rekenen",
        date="2026-12-08",
        kind="lesbezoek",
        who="Ans en Tim",
    )
    _plan(client, api, w.board.id, text="Lesontwerp", date="2026-12-09", who="Ans")
    started = client.post(f"{API}/boards/{w.board.id}/sessions", json={}, headers=api)
    assert started.status_code == 201, started.text

    events = _events(_fetch(client, _my_url(client, api)))

    plan = events[f"plan-{visit['id']}@testserver"]
    assert plan.start == date(2026, 12, 8) and not isinstance(plan.start, datetime)
    assert str(plan["SUMMARY"]) == "Lesbezoek: Lesbezoek groep 5"
    assert "bij rekenen" in str(plan["DESCRIPTION"])
    session = events[f"session-{started.json()['id']}@testserver"]
    # the session started at the pinned clock: Monday 00:30 on the school's clock
    assert session.start == datetime(2026, 11, 30, 0, 30, tzinfo=AMSTERDAM)
    assert session.start.tzinfo.key == "Europe/Amsterdam"
    assert session.end - session.start == timedelta(minutes=15)  # the agenda's length
    assert str(session["SUMMARY"]) == "Bordsessie: Teambord"
    assert len(events) == 2


def test_bordsessies_are_on_the_clock_of_the_boards_school(client, factory):
    w = factory.world()
    with factory.session() as s:
        school = s.get(School, w.school.id)
        school.time_zone = "America/Curacao"
        s.add(school)
        s.commit()
    api = factory.api(w.teacher)
    started = client.post(f"{API}/boards/{w.board.id}/sessions", json={}, headers=api).json()
    _plan(client, api, w.board.id, text="Studiedag", date="2026-12-08", who="Tim")

    calendar = _fetch(client, _my_url(client, api))

    events = _events(calendar)
    session = events[f"session-{started['id']}@testserver"]
    assert session.start.tzinfo.key == "America/Curacao"
    assert session.start == datetime(2026, 11, 29, 19, 30, tzinfo=ZoneInfo("America/Curacao"))
    plans = [e for e in calendar.events if str(e["UID"]).startswith("plan-")]
    assert [p.start for p in plans] == [date(2026, 12, 8)]  # a day stays that day
    assert "America/Curacao" in {tz.tz_name for tz in calendar.timezones}
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Curacao"


def test_uids_stay_when_the_feed_is_fetched_again_and_when_items_change(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    action = _action(client, api, w.board.id, title="Rekenles", owner="Tim", due="2026-12-04")
    _plan(client, api, w.board.id, text="Lesbezoek", date="2026-12-08", who="Tim")
    url = _my_url(client, api)
    first = client.get(_path(url))
    again = client.get(_path(url))
    assert (
        _events(Calendar.from_ical(first.content)).keys()
        == _events(Calendar.from_ical(again.content)).keys()
    )
    assert first.headers["etag"] == again.headers["etag"]
    unchanged = client.get(_path(url), headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""

    moved = client.patch(
        f"{API}/actions/{action['id']}",
        json={"title": "Rekenles samen", "due": "2026-12-11", "version": action["version"]},
        headers=api,
    )
    assert moved.status_code == 200, moved.text
    changed = client.get(_path(url), headers={"If-None-Match": first.headers["etag"]})

    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    events = _events(Calendar.from_ical(changed.content))
    assert events.keys() == _events(Calendar.from_ical(first.content)).keys()
    event = events[f"action-{action['id']}@testserver"]
    assert (str(event["SUMMARY"]), event.start) == ("Actie: Rekenles samen", date(2026, 12, 11))


def test_revoked_and_replaced_links_are_404(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    old = _my_url(client, api)
    new = _my_url(client, api)
    assert old != new
    assert client.get(_path(old)).status_code == 404
    assert client.get(_path(new)).status_code == 200

    assert client.delete(f"{API}/me/calendar", headers=api).status_code == 204
    assert client.get(_path(new)).status_code == 404
    assert client.delete(f"{API}/me/calendar", headers=api).status_code == 204  # nothing left
    assert client.get("/calendar/unknown-token.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 500}.ics").status_code == 404


def test_the_token_is_stored_hashed_and_needs_a_login_to_be_made(client, factory):
    w = factory.world()
    assert client.post(f"{API}/me/calendar").status_code == 401
    assert client.delete(f"{API}/me/calendar").status_code == 401
    assert client.post(f"{API}/boards/{w.board.id}/calendar").status_code == 401
    url = _my_url(client, factory.api(w.teacher))
    token = _path(url).removeprefix("/calendar/").removesuffix(".ics")
    assert len(token) >= 43
    rows = factory.all(CalendarFeed)
    assert [(r.user_id, r.board_id, r.token_hash) for r in rows] == [
        (w.teacher.id, None, token_hash(token))
    ]


def test_other_peoples_items_stay_out_of_my_feed(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    _action(client, api, w.board.id, title="Van Lotte", owner="Lotte Leider", due="2026-12-04")
    _plan(client, api, w.board.id, text="Van Lotte", date="2026-12-04", who="Lotte")
    # another team's board of my school, and another school's board, both naming a "Tim"
    leader = factory.api(w.leader)
    _action(client, leader, w.outsider_board.id, title="Andere Tim", owner="Tim", due="2026-12-04")
    other = factory.api(w.other_teacher)
    _action(client, other, w.other_board.id, title="Tim elders", owner="Tim", due="2026-12-04")
    client.post(f"{API}/boards/{w.outsider_board.id}/sessions", json={}, headers=leader)

    feed = client.get(_path(_my_url(client, api)))

    assert feed.status_code == 200
    assert Calendar.from_ical(feed.content).events == []
    for text in (b"Lotte", b"Andere Tim", b"Tim elders"):
        assert text not in feed.content


def test_care_data_never_reaches_a_feed(client, factory):
    cw = care_world(factory)
    w = cw.w
    factory._save(TeamMember(team_id=w.team.id, user_id=cw.ib.id))  # the IB'er is in the team
    case = new_case(client, factory, cw, concern=f"Leest moeizaam {MARKER}")
    agreement = client.post(
        f"{API}/cases/{case['id']}/agreements",
        json={"title": f"Toets {MARKER}", "owner": "Ingrid", "due": "2026-12-03"},
        headers=factory.api(cw.ib),
    )
    assert agreement.status_code == 201, agreement.text
    # whatever a care board may ever hold, the feed never reads it
    factory._save(
        Action(board_id=cw.care.id, title=MARKER, owner="Ingrid", due=date(2026, 12, 3), rank="a"),
        PlanItem(board_id=cw.care.id, text=MARKER, date=date(2026, 12, 3), who="Ingrid"),
        StandUp(board_id=cw.care.id, week="2026-W49", bordleider=MARKER),
    )
    ib = factory.api(cw.ib)
    _action(client, ib, w.board.id, title="Gewone actie", owner="Ingrid", due="2026-12-03")

    feed = client.get(_path(_my_url(client, ib)))

    assert feed.status_code == 200
    assert MARKER.encode() not in feed.content
    assert [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).events] == [
        "Actie: Gewone actie"
    ]
    # a care board has no feed of its own, not even for its members
    assert client.post(f"{API}/boards/{cw.care.id}/calendar", headers=ib).status_code == 404
    factory._save(
        CalendarFeed(user_id=cw.ib.id, board_id=cw.care.id, token_hash=token_hash("z" * 43))
    )
    assert client.get(f"/calendar/{'z' * 43}.ics").status_code == 404


def test_a_board_feed_has_its_planning_and_bordsessies(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    _action(client, api, w.board.id, title="Een actie", owner="Tim", due="2026-12-04")
    visit = _plan(client, api, w.board.id, text="Lesbezoek", date="2026-12-08", kind="lesbezoek")
    design = _plan(client, api, w.board.id, text="Ontwerp", date="2026-12-09", who="Ans")
    started = client.post(f"{API}/boards/{w.board.id}/sessions", json={}, headers=api).json()
    ended = client.patch(f"{API}/sessions/{started['id']}", json={"ended": True}, headers=api)
    assert ended.status_code == 200, ended.text
    answer = client.post(f"{API}/boards/{w.board.id}/calendar", headers=api)
    assert answer.status_code == 201, answer.text

    calendar = _fetch(client, answer.json()["url"])

    events = _events(calendar)
    assert set(events) == {
        f"plan-{visit['id']}@testserver",
        f"plan-{design['id']}@testserver",
        f"session-{started['id']}@testserver",
    }
    assert str(calendar["NAME"]) == "Teambord (Bord)"
    session = events[f"session-{started['id']}@testserver"]
    assert session.start.tzinfo.key == "Europe/Amsterdam"
    # my own feed is another address; both work side by side
    assert _fetch(client, _my_url(client, api)).events
    assert client.get(_path(answer.json()["url"])).status_code == 200


def test_a_board_feed_is_for_members_only_and_ends_when_membership_does(client, factory):
    w = factory.world()
    for user in (w.other_teacher, w.other_leader):
        answer = client.post(f"{API}/boards/{w.board.id}/calendar", headers=factory.api(user))
        assert answer.status_code == 404
    outsider = client.post(
        f"{API}/boards/{w.outsider_board.id}/calendar", headers=factory.api(w.teacher)
    )
    assert outsider.status_code == 404
    assert (
        client.post(f"{API}/boards/999999/calendar", headers=factory.api(w.teacher)).status_code
        == 404
    )
    url = client.post(f"{API}/boards/{w.board.id}/calendar", headers=factory.api(w.teacher)).json()[
        "url"
    ]
    assert client.get(_path(url)).status_code == 200

    with factory.session() as s:
        row = s.exec(select(TeamMember).where(TeamMember.user_id == w.teacher.id)).one()
        s.delete(row)
        s.commit()

    assert client.get(_path(url)).status_code == 404


def test_revoking_a_board_feed_stops_only_that_one(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    board = client.post(f"{API}/boards/{w.board.id}/calendar", headers=api).json()["url"]
    mine = _my_url(client, api)
    assert client.delete(f"{API}/boards/{w.board.id}/calendar", headers=api).status_code == 204
    assert client.get(_path(board)).status_code == 404
    assert client.get(_path(mine)).status_code == 200
    other = factory.api(w.other_teacher)
    assert client.delete(f"{API}/boards/{w.board.id}/calendar", headers=other).status_code == 404


def test_an_archived_board_leaves_the_feeds(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    _action(client, api, w.board.id, title="Rekenles", owner="Tim", due="2026-12-04")
    _plan(client, api, w.board.id, text="Lesbezoek", date="2026-12-08", who="Tim")
    mine = _my_url(client, api)
    board = client.post(f"{API}/boards/{w.board.id}/calendar", headers=api).json()["url"]
    assert len(_fetch(client, mine).events) == 2
    archived = client.patch(
        f"{API}/boards/{w.board.id}", json={"archived": True}, headers=factory.api(w.leader)
    )
    assert archived.status_code == 200, archived.text

    assert _fetch(client, mine).events == []
    assert _fetch(client, board).events == []


def test_the_feed_speaks_its_readers_language(client, factory):
    w = factory.world()
    with factory.session() as s:
        teacher = s.get(User, w.teacher.id)
        teacher.locale = "en"
        s.add(teacher)
        s.commit()
    api = factory.api(w.teacher)
    _action(client, api, w.board.id, title="Rekenles", owner="Tim", due="2026-12-04")
    _plan(
        client,
        api,
        w.board.id,
        text="Bezoek",
        date="2026-12-08",
        kind=PlanKind.lesbezoek,
        who="Tim",
    )

    calendar = _fetch(client, _my_url(client, api))

    summaries = sorted(str(e["SUMMARY"]) for e in calendar.events)
    assert summaries == ["Action: Rekenles", "Lesson visit: Bezoek"]
    assert str(calendar["NAME"]) == "Bord: my calendar"


# --- on the web ---------------------------------------------------------------------------------


def test_the_profile_page_makes_shows_once_and_revokes_the_link(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    page = client.get("/me")
    assert "Agenda-koppeling" in page.text and "Outlook" in page.text

    made = client.post("/me/calendar", data={"csrf_token": csrf})

    assert made.status_code == 200
    url = made.text.split('id="new-calendar-url" class="calendar-url" value="', 1)[1].split('"')[0]
    assert client.get(_path(url)).status_code == 200
    again = client.get("/me")
    assert url not in again.text and "Nieuwe agenda-link maken" in again.text

    revoked = client.post("/me/calendar/revoke", data={"csrf_token": csrf}, follow_redirects=False)
    assert revoked.status_code == 303
    assert "Je agenda-link werkt niet meer." in client.get(revoked.headers["location"]).text
    assert client.get(_path(url)).status_code == 404


def test_the_board_menu_makes_and_revokes_the_board_link(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    assert f'hx-get="/boards/{w.board.id}/calendar"' in client.get(f"/boards/{w.board.id}").text
    assert "Agenda-link maken" in client.get(f"/boards/{w.board.id}/calendar", headers=hx).text

    made = client.post(f"/boards/{w.board.id}/calendar", headers=hx)

    assert made.status_code == 200
    url = made.text.split('id="board-calendar-url" class="calendar-url" value="', 1)[1].split('"')[
        0
    ]
    assert client.get(_path(url)).status_code == 200
    revoked = client.post(f"/boards/{w.board.id}/calendar/revoke", headers=hx)
    assert revoked.status_code == 200 and "Agenda-link maken" in revoked.text
    assert client.get(_path(url)).status_code == 404
    assert client.post(f"/boards/{w.other_board.id}/calendar", headers=hx).status_code == 404


def test_a_calendar_app_may_ask_with_head_first(client, factory):
    w = factory.world()
    url = _my_url(client, factory.api(w.teacher))
    answer = client.head(_path(url))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["etag"].startswith('W/"') and answer.content == b""
    assert answer.headers["referrer-policy"] == "no-referrer"


def test_an_unchanged_feed_is_not_made_again_and_any_change_makes_it_anew(client, factory):
    w = factory.world()
    api = factory.api(w.teacher)
    _action(client, api, w.board.id, title="Rekenles", owner="Tim", due="2026-12-04")
    path = _path(_my_url(client, api))
    first = client.get(path)
    clock.set_now(NOW + timedelta(minutes=10))
    again = client.get(path)
    assert again.content == first.content  # the same file, DTSTAMP and all

    renamed = client.patch(f"{API}/me", json={"name": "Anna Teacher"}, headers=api)
    assert renamed.status_code == 200
    after = client.get(path)

    assert after.headers["etag"] != first.headers["etag"]
    assert Calendar.from_ical(after.content).events == []  # "Tim" no longer names me
    _plan(client, api, w.board.id, text="Lesbezoek", date="2026-12-08", who="Anna")
    assert len(Calendar.from_ical(client.get(path).content).events) == 1
    clock.set_now(NOW + timedelta(days=400))  # more than a year on: the day moved the window
    assert Calendar.from_ical(client.get(path).content).events == []


def test_who_may_have_a_boards_feed(client, factory):
    """Everyone who may open a team board (its team, the school's leader, an admin); nobody
    else, and nobody at all for a care board."""
    cw = care_world(factory)
    w = cw.w
    expected = {
        w.teacher.id: 201,
        w.leader.id: 201,
        w.admin.id: 201,
        w.other_teacher.id: 404,
        w.other_leader.id: 404,
    }
    for user in (w.teacher, w.leader, w.admin, w.other_teacher, w.other_leader):
        api = factory.api(user)
        made = client.post(f"{API}/boards/{w.board.id}/calendar", headers=api)
        gone = client.delete(f"{API}/boards/{w.board.id}/calendar", headers=api)
        assert (made.status_code, gone.status_code) == (
            expected[user.id],
            204 if expected[user.id] == 201 else 404,
        ), user.name
    for user in (cw.ib, cw.colleague, w.leader, w.admin, cw.officer):
        api = factory.api(user)
        assert client.post(f"{API}/boards/{cw.care.id}/calendar", headers=api).status_code == 404
        assert client.delete(f"{API}/boards/{cw.care.id}/calendar", headers=api).status_code == 404
    assert factory.all(CalendarFeed) == []
