"""The weekly stand-up: start it, keep its notes and attendance, end it, summarise it.

Every change goes through services/changes.py like any other board change (entity "stand_up",
section "session"), so the board's version and history move with the session too.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from sqlmodel import Session, col, func, select

from app import clock
from app.errors import Conflict, Invalid, NotFound
from app.models import (
    Action,
    ActionStatus,
    Board,
    BoardEvent,
    BoardKind,
    BoardMember,
    Goal,
    Measurement,
    Success,
    TeamMember,
    User,
)
from app.models.item import BoardItem
from app.models.rows import require_id
from app.models.standup import (
    MOODS,
    CheckinCreate,
    CheckinVote,
    StandUp,
    StandUpPublic,
    StandUpStart,
    StandUpSummary,
    StandUpUpdate,
    SummaryAction,
    SummaryMeasurement,
    SummarySuccess,
    default_agenda,
)
from app.security.policy import visible_board
from app.services import archive, changes
from app.services.school_time import board_today

ENTITY = "stand_up"
SECTIONS = ("session",)
# Starting and ending also change the actions area ("Acties van vorige week" comes first);
# ending moves finished work to the archive (services/archive.py), in the same change.
OPEN_CLOSE_SECTIONS = ("session", "actions")
HISTORY_LIMIT = 200
TREND_WEEKS = 8
# The board area each default agenda part is about: highlighted while that part runs.
PART_FOCUS = {
    "successen": "successes",
    "doelen": "goals",
    "maanddashboard": "goals",  # a leadership board's goals are its monthly dashboard
    "acties": "actions",
    "planning": "plan",
    "hulp en afsluiting": "help",
}

Item = TypeVar("Item", bound=BoardItem)


@dataclass
class SessionView:
    """Everything the session panel shows: this week's stand-up, or what starts one."""

    stand_up: StandUp | None
    week: int
    team: list[str]
    suggested: str | None
    server_now: datetime
    checkin: dict[str, int] = field(default_factory=dict)
    trend: list[tuple[str, float, int]] = field(default_factory=list)
    summary: StandUpSummary | None = None

    @property
    def active(self) -> bool:
        return self.stand_up is not None and self.stand_up.ended_at is None

    @property
    def part(self) -> dict | None:
        if self.stand_up is None or not self.stand_up.agenda:
            return None
        index = min(self.stand_up.current_part, len(self.stand_up.agenda) - 1)
        return self.stand_up.agenda[index]

    @property
    def focus(self) -> str | None:
        part = self.part
        return PART_FOCUS.get(str(part["part"]).casefold()) if part and self.active else None

    @property
    def guests(self) -> list[str]:
        if self.stand_up is None:
            return []
        return [name for name in self.stand_up.attendance if name not in self.team]

    @property
    def votes(self) -> int:
        return sum(self.checkin.values())


def session_view(session: Session, board: Board, stand_up: StandUp | None, on: date) -> SessionView:
    week = clock.iso_week(on)
    view = SessionView(
        stand_up=stand_up,
        week=on.isocalendar()[1],
        team=team_names(session, board),
        suggested=None,
        server_now=clock.now(),
        trend=checkin_trend(session, require_id(board)),
    )
    if stand_up is None:
        view.suggested = suggest_bordleider(session, board, week)
        return view
    view.checkin = checkin_counts(session, require_id(stand_up))
    if stand_up.ended_at is not None:
        view.summary = summary(session, stand_up)
    return view


def checkin_trend(session: Session, board_id: int) -> list[tuple[str, float, int]]:
    """(week, average mood, votes) of the board's last stand-ups with a check-in, oldest first."""
    rows = session.exec(
        select(StandUp.week, func.avg(CheckinVote.mood), func.count())
        .join(CheckinVote, col(CheckinVote.stand_up_id) == StandUp.id)
        .where(StandUp.board_id == board_id)
        .group_by(StandUp.week)
        .order_by(col(StandUp.week).desc())
        .limit(TREND_WEEKS)
    ).all()
    return [(week, float(mood), votes) for week, mood, votes in reversed(rows)]


def get_stand_up(session: Session, user: User, stand_up_id: int) -> tuple[StandUp, Board]:
    stand_up = session.get(StandUp, stand_up_id)
    if stand_up is None:
        raise NotFound()
    return stand_up, visible_board(session, user, stand_up.board_id)


def get_on_board(
    session: Session, user: User, board_id: int, stand_up_id: int
) -> tuple[StandUp, Board]:
    stand_up, board = get_stand_up(session, user, stand_up_id)
    if board.id != board_id:
        raise NotFound()
    return stand_up, board


def _this_week(session: Session, board_id: int, week: str) -> StandUp | None:
    return session.exec(
        select(StandUp).where(StandUp.board_id == board_id, StandUp.week == week)
    ).first()


def team_names(session: Session, board: Board) -> list[str]:
    """The people who stand at this board, in name order."""
    if board.kind == BoardKind.care:
        query = select(User.name).join(BoardMember).where(BoardMember.board_id == board.id)
    else:
        query = select(User.name).join(TeamMember).where(TeamMember.team_id == board.team_id)
    return sorted({name for name in session.exec(query) if name}, key=str.casefold)


def suggest_bordleider(session: Session, board: Board, week: str) -> str | None:
    """The team member after the last bordleider in name order (the role rotates weekly)."""
    names = team_names(session, board)
    if not names:
        return None
    last = session.exec(
        select(StandUp.bordleider)
        .where(
            StandUp.board_id == board.id,
            col(StandUp.week) < week,
            col(StandUp.bordleider).is_not(None),
        )
        .order_by(col(StandUp.week).desc())
    ).first()
    if not last:
        return names[0]
    later = [name for name in names if name.casefold() > last.casefold()]
    return later[0] if later else names[0]


def start(
    session: Session, user: User, board_id: int, data: StandUpStart | None = None
) -> tuple[StandUp, bool]:
    """This ISO week's stand-up; (row, True) when it was started now, (row, False) if it existed."""
    board = visible_board(session, user, board_id)
    week = clock.iso_week(board_today(session, board))
    existing = _this_week(session, require_id(board), week)
    if existing is not None and existing.ended_at is None:
        return existing, False
    changes.begin(session, board)  # the board's row lock: two starts at once make one session
    existing = _this_week(session, require_id(board), week)
    if existing is not None:
        session.refresh(existing)
        if existing.ended_at is not None:
            _reopen(session, user, board, existing)
        return existing, False
    data = data or StandUpStart()
    now = clock.now()
    stand_up = StandUp(
        board_id=require_id(board),
        week=week,
        started_at=now,
        part_started_at=now,
        bordleider=data.bordleider or suggest_bordleider(session, board, week),
        schrijver=data.schrijver or None,
        agenda=_last_agenda(session, board, week),
    )
    session.add(stand_up)
    session.flush()
    changes.record(session, board, user, "started", ENTITY, stand_up.id, OPEN_CLOSE_SECTIONS)
    return stand_up, True


def _reopen(session: Session, user: User, board: Board, stand_up: StandUp) -> None:
    """Starting again in the same week carries on with that week's session."""
    stand_up.ended_at = None
    stand_up.version += 1
    stand_up.updated_at = clock.now()
    session.add(stand_up)
    session.flush()
    changes.record(session, board, user, "reopened", ENTITY, stand_up.id, OPEN_CLOSE_SECTIONS)


def _last_agenda(session: Session, board: Board, week: str) -> list[dict]:
    """A team that changed its agenda keeps it: the last session's parts, else the agenda the
    board started with (its template's), else the default."""
    agenda = session.exec(
        select(StandUp.agenda)
        .where(StandUp.board_id == board.id, col(StandUp.week) < week)
        .order_by(col(StandUp.week).desc())
    ).first()
    agenda = agenda or board.agenda
    return [dict(part) for part in agenda] if agenda else default_agenda()


def board_agenda(session: Session, board: Board) -> list[dict]:
    """The agenda the board's next stand-up would start with."""
    return _last_agenda(session, board, "9999-W99")


def update(session: Session, user: User, stand_up_id: int, data: StandUpUpdate) -> StandUp:
    stand_up, board = get_stand_up(session, user, stand_up_id)
    given = data.model_fields_set - {"version"}
    if "ended" in given and stand_up.ended_at is not None:
        given.discard("ended")  # ending twice is harmless
        if not given:
            return stand_up
    if not given:
        if data.version is not None and data.version != stand_up.version:
            raise Conflict(current=public(session, stand_up).model_dump(mode="json"))
        return stand_up
    changes.begin(session, board)
    session.refresh(stand_up)
    if data.version is not None and data.version != stand_up.version:
        raise Conflict(current=public(session, stand_up).model_dump(mode="json"))
    kind = "updated"
    sections: tuple[str, ...] = SECTIONS
    if "notes" in given:
        notes = dict(stand_up.notes or {})
        for part, text in data.notes.items():
            if text:
                notes[part] = text
            else:
                notes.pop(part, None)
        stand_up.notes = notes
    if "attendance" in given:
        stand_up.attendance = list(dict.fromkeys(name for name in data.attendance if name))
    if "present" in given:
        attendance = list(stand_up.attendance or [])
        for name, here in data.present.items():
            if here and name and name not in attendance:
                attendance.append(name)
            elif not here and name in attendance:
                attendance.remove(name)
        stand_up.attendance = attendance
    if "agenda" in given:
        stand_up.agenda = [part.model_dump() for part in data.agenda]
        stand_up.current_part = min(stand_up.current_part, len(stand_up.agenda) - 1)
    if "part" in given:
        if data.part >= len(stand_up.agenda):
            raise Invalid("part", "There is no such agenda part")
        if data.part != stand_up.current_part:
            stand_up.current_part = data.part
            stand_up.part_started_at = clock.now()
    for name in ("bordleider", "schrijver"):
        if name in given:
            setattr(stand_up, name, getattr(data, name) or None)
    for name in ("tip", "top"):
        if name in given:
            setattr(stand_up, name, getattr(data, name))
    if "ended" in given and stand_up.ended_at is None:
        stand_up.ended_at = clock.now()
        _forget_voters(session, stand_up)
        kind = "ended"
        archived = archive.archive_finished(session, board, stand_up.started_at)
        sections = tuple(dict.fromkeys((*OPEN_CLOSE_SECTIONS, *archived)))
    stand_up.version += 1
    stand_up.updated_at = clock.now()
    session.add(stand_up)
    session.flush()
    changes.record(session, board, user, kind, ENTITY, stand_up.id, sections)
    return stand_up


def check_in(session: Session, user: User, stand_up_id: int, data: CheckinCreate) -> StandUp:
    """The user's smiley: one per person, replaced by a new one, taken back by none, and only
    while the session runs. The event names no actor, so the history does not tell either."""
    stand_up, board = get_stand_up(session, user, stand_up_id)
    changes.begin(session, board)
    session.refresh(stand_up)
    if stand_up.ended_at is not None:
        raise Invalid("mood", "The session has ended", kind="session_ended")
    vote = session.exec(
        select(CheckinVote).where(
            CheckinVote.stand_up_id == require_id(stand_up), CheckinVote.voter_id == user.id
        )
    ).first()
    if data.mood is None:
        if vote is None:
            return stand_up
        session.delete(vote)
    elif vote is None:
        session.add(
            CheckinVote(stand_up_id=require_id(stand_up), voter_id=require_id(user), mood=data.mood)
        )
    elif vote.mood == data.mood:
        return stand_up
    else:
        vote.mood = data.mood
        vote.at = clock.now()
        session.add(vote)
    session.flush()
    changes.record(session, board, None, "checked_in", ENTITY, stand_up.id, SECTIONS)
    return stand_up


def _forget_voters(session: Session, stand_up: StandUp) -> None:
    """An ended check-in is counts only: who chose what is no longer kept."""
    for vote in session.exec(
        select(CheckinVote).where(
            CheckinVote.stand_up_id == stand_up.id, col(CheckinVote.voter_id).is_not(None)
        )
    ):
        vote.voter_id = None
        session.add(vote)


def history(session: Session, user: User, board_id: int) -> list[StandUp]:
    board = visible_board(session, user, board_id)
    return list(
        session.exec(
            select(StandUp)
            .where(StandUp.board_id == board.id)
            .order_by(col(StandUp.week).desc())
            .limit(HISTORY_LIMIT)
        )
    )


def checkin_counts(session: Session, stand_up_id: int) -> dict[str, int]:
    counts = {str(mood): 0 for mood in MOODS}
    rows = session.exec(
        select(CheckinVote.mood, func.count())
        .where(CheckinVote.stand_up_id == stand_up_id)
        .group_by(col(CheckinVote.mood))
    )
    for mood, count in rows:
        counts[str(mood)] = count
    return counts


def _window_versions(session: Session, stand_up: StandUp) -> tuple[int, int]:
    """The board versions of this session's start and (last) end events."""
    rows = session.exec(
        select(BoardEvent.kind, func.min(BoardEvent.version), func.max(BoardEvent.version))
        .where(
            BoardEvent.board_id == stand_up.board_id,
            BoardEvent.entity == ENTITY,
            BoardEvent.entity_id == stand_up.id,
            col(BoardEvent.kind).in_(("started", "ended")),
        )
        .group_by(BoardEvent.kind)
    )
    found = {kind: (first, last) for kind, first, last in rows}
    # from the first start to the last end: a reopened session spans both of its parts
    return found.get("started", (0, 0))[0], found.get("ended", (0, 0))[1]


def summary(session: Session, stand_up: StandUp) -> StandUpSummary:
    """What changed on the board between the session's start and its end."""
    first, last = _window_versions(session, stand_up)
    events = session.exec(
        select(BoardEvent.kind, BoardEvent.entity, BoardEvent.entity_id)
        .where(
            BoardEvent.board_id == stand_up.board_id,
            col(BoardEvent.version) > first,
            col(BoardEvent.version) < last,
        )
        .order_by(col(BoardEvent.version))
    ).all()
    created: list[int] = []
    moved: list[int] = []
    successes: list[int] = []
    for kind, entity, entity_id in events:
        if entity_id is None:
            continue
        if entity == "action" and kind in ("created", "promoted") and entity_id not in created:
            created.append(entity_id)
        elif entity == "action" and kind == "moved" and entity_id not in moved:
            moved.append(entity_id)
        elif entity == "success" and kind == "created" and entity_id not in successes:
            successes.append(entity_id)
    ended_at = stand_up.ended_at or clock.now()
    actions = _rows(session, Action, created + moved, ended_at)

    def finished(action_id: int) -> bool:
        action = actions.get(action_id)
        return (
            action is not None
            and action.status == ActionStatus.done
            and action.done_at is not None
            and stand_up.started_at <= action.done_at <= ended_at
        )

    success_rows = _rows(session, Success, successes, ended_at)
    measurements = session.exec(
        select(Measurement, Goal.title)
        .join(Goal)
        .where(
            Goal.board_id == stand_up.board_id,
            col(Measurement.created_at) >= stand_up.started_at,
            col(Measurement.created_at) <= ended_at,
        )
        .order_by(col(Measurement.created_at), col(Measurement.id))
    ).all()
    return StandUpSummary(
        actions_created=[_action(actions, i) for i in created],
        actions_moved=[_action(actions, i) for i in moved],
        actions_finished=[
            _action(actions, i) for i in dict.fromkeys(created + moved) if finished(i)
        ],
        successes=[
            SummarySuccess(id=i, text=success_rows[i].text if i in success_rows else None)
            for i in successes
        ],
        measurements=[
            SummaryMeasurement(
                goal_id=m.goal_id, goal=title, date=m.date, value=m.value, note=m.note
            )
            for m, title in measurements
        ],
        decisions=dict(stand_up.notes or {}),
        tip=stand_up.tip,
        top=stand_up.top,
        attendance=list(stand_up.attendance or []),
        checkin=checkin_counts(session, require_id(stand_up)),
    )


def _rows(
    session: Session, model: type[Item], ids: list[int], ended_at: datetime
) -> dict[int, Item]:
    """The rows that still exist; a row made after the end reuses a deleted one's id (SQLite)."""
    if not ids:
        return {}
    query = select(model).where(col(model.id).in_(ids), col(model.created_at) <= ended_at)
    return {require_id(row): row for row in session.exec(query)}


def _action(actions: dict, action_id: int) -> SummaryAction:
    action = actions.get(action_id)
    return SummaryAction(id=action_id, title=action.title if action else None)


def public(session: Session, stand_up: StandUp) -> StandUpPublic:
    return StandUpPublic.model_validate(
        {
            **stand_up.model_dump(),
            "checkin": checkin_counts(session, require_id(stand_up)),
            "summary": summary(session, stand_up) if stand_up.ended_at is not None else None,
        }
    )


# --- the klasscherm: a class at its smartboard, without accounts (services/class_screens.py) ---


def _running(session: Session, board: Board) -> StandUp:
    """This week's session of `board`, locked and running; 422 when there is none."""
    changes.begin(session, board)
    stand_up = _this_week(session, require_id(board), clock.iso_week(board_today(session, board)))
    if stand_up is None or stand_up.ended_at is not None:
        raise Invalid("mood", "No session is running", kind="no_session")
    return stand_up


def class_check_in(session: Session, board: Board, mood: int) -> StandUp:
    """A pupil's smiley: every tap is one more vote (the class shares one screen and nobody
    has an account, so no vote is anyone's to change), counted like the team's."""
    stand_up = _running(session, board)
    session.add(CheckinVote(stand_up_id=require_id(stand_up), voter_id=None, mood=mood))
    session.flush()
    changes.record(session, board, None, "checked_in", ENTITY, stand_up.id, SECTIONS)
    return stand_up


def class_timer(session: Session, board: Board, restart: bool) -> StandUp:
    """The tijdbewaker's buttons: on to the next agenda part, or the part's timer again."""
    stand_up = _running(session, board)
    if not restart:
        if stand_up.current_part + 1 >= len(stand_up.agenda):
            raise Invalid("part", "This is the last agenda part", kind="last_part")
        stand_up.current_part += 1
    stand_up.part_started_at = clock.now()
    stand_up.version += 1
    stand_up.updated_at = clock.now()
    session.add(stand_up)
    session.flush()
    changes.record(session, board, None, "updated", ENTITY, stand_up.id, SECTIONS)
    return stand_up
