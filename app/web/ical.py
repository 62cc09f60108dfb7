"""An agenda (services/calendar_items.py) as an iCalendar file, in its reader's language.

Built with `icalendar`. Due dates and plan items are all-day events; bordsessies carry their
school's time zone, described by a VTIMEZONE. Every event's UID is its item's kind and id at this
installation's host (`action-12@bord.school.nl`), so a calendar app updates an event it has
instead of adding it again.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from icalendar import Calendar, Event, Timezone

from app import clock, i18n
from app.models import PlanKind
from app.services.calendar_items import Agenda
from app.web.forms import N_

PRODID = "-//Bord//Bord//NL"
REFRESH = timedelta(hours=1)  # how often a calendar app is asked to look again (as below)
ZONE_YEARS = (date(2020, 1, 1), date(2040, 1, 1))  # the VTIMEZONE's rules cover these years

PLAN_KINDS = {
    PlanKind.lesbezoek: N_("Lesbezoek"),
    PlanKind.lesontwerp: N_("Gezamenlijk lesontwerp"),
    PlanKind.overig: N_("Planning"),
}


@dataclass(frozen=True, slots=True)
class Entry:
    uid: str
    summary: str
    description: str
    start: date | datetime
    end: date | datetime
    url: str
    modified: datetime


@dataclass(frozen=True, slots=True)
class Feed:
    uid: str
    name: str
    zone: str
    entries: list[Entry]


def feed(uid: str, name: str, agenda: Agenda, locale: str, base_url: str, host: str) -> Feed:
    """The agenda's events; `uid` names the calendar itself ("me-12", "board-3")."""

    def t(message: str, **params: object) -> str:
        return i18n.gettext(locale, message, **params)

    entries = []
    for a in agenda.actions:
        entries.append(
            Entry(
                f"action-{a.id}@{host}",
                t(N_("Actie: %(title)s"), title=a.title),
                _lines(t(N_("Wie: %(who)s"), who=a.owner), _where(t, a.at.board, a.at.team)),
                a.due,
                a.due + timedelta(days=1),
                f"{base_url}/boards/{a.at.board_id}#action-{a.id}",
                a.updated_at,
            )
        )
    for p in agenda.plans:
        who = t(N_("Wie: %(who)s"), who=p.who) if p.who else ""
        entries.append(
            Entry(
                f"plan-{p.id}@{host}",
                f"{t(PLAN_KINDS[p.kind])}: {_first_line(p.text)}",
                _lines(p.text, who, _where(t, p.at.board, p.at.team)),
                p.day,
                p.day + timedelta(days=1),
                f"{base_url}/boards/{p.at.board_id}#plan-{p.id}",
                p.updated_at,
            )
        )
    for s in agenda.sessions:
        leader = t(N_("Bordleider: %(name)s"), name=s.bordleider) if s.bordleider else ""
        entries.append(
            Entry(
                f"session-{s.id}@{host}",
                t(N_("Bordsessie: %(board)s"), board=s.at.board),
                _lines(leader, _where(t, s.at.board, s.at.team)),
                _minute(clock.local(s.start, s.at.zone)),
                _minute(clock.local(s.end, s.at.zone)),
                f"{base_url}/boards/{s.at.board_id}/sessions",
                s.updated_at,
            )
        )
    return Feed(f"{uid}@{host}", name, agenda.zone.key, entries)


def ical(feed: Feed) -> bytes:
    calendar = Calendar.new(
        prodid=PRODID,
        name=feed.name,
        uid=feed.uid,
        refresh_interval=REFRESH,
    )
    calendar.add("X-PUBLISHED-TTL", "PT1H")  # Outlook's older name for REFRESH-INTERVAL
    calendar.add("X-WR-TIMEZONE", feed.zone)
    zones = {feed.zone} | {
        e.start.tzinfo.key  # type: ignore[union-attr]
        for e in feed.entries
        if isinstance(e.start, datetime)
    }
    for zone in sorted(zones):
        calendar.add_component(_vtimezone(zone))
    stamp = clock.now()
    for e in feed.entries:
        calendar.add_component(
            Event.new(
                uid=e.uid,
                summary=e.summary,
                description=e.description,
                start=e.start,
                end=e.end,
                url=e.url,
                stamp=stamp,
                last_modified=e.modified,
            )
        )
    ics: bytes = calendar.to_ical()
    return ics


@cache
def _vtimezone(zone: str) -> Timezone:
    return Timezone.from_tzid(zone, first_date=ZONE_YEARS[0], last_date=ZONE_YEARS[1])


def _where(t: Callable[..., str], board: str, team: str) -> str:
    return t(N_("Bord: %(board)s (%(team)s)"), board=board, team=team)


def _minute(moment: datetime) -> datetime:
    """Calendars show minutes; seconds would only make an event look odd."""
    return moment.replace(second=0, microsecond=0)


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _first_line(text: str, limit: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
