"""The demo school "De Regenboog": three teams, their boards, and a Bovenbouw board in full swing;
and its leernetwerk with two other schools (app/services/demo_network.py).

Everything on the boards is written through the services, so versions and events are the same as
if the team had typed it. Dates are relative to today. Seeding is idempotent: once the school
exists, nothing is touched.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from app import clock
from app.models import (
    Board,
    BoardKind,
    CheckinVote,
    Membership,
    Role,
    School,
    StandUp,
    Team,
    TeamMember,
    User,
)
from app.models.action import Action, ActionCreate, ActionStatus, ActionUpdate
from app.models.board import BoardCreate
from app.models.care import (
    AgreementCreate,
    CaseCreate,
    CaseStatus,
    MeetingCreate,
    ParticipantCreate,
    ParticipantRole,
)
from app.models.goal import GoalCreate, MeasurementCreate
from app.models.holiday import HolidayWeekCreate
from app.models.notes import (
    HelpAnswer,
    HelpRequestCreate,
    IdeaCreate,
    PlanItemCreate,
    PlanKind,
    SuccessCreate,
)
from app.models.rows import require_id
from app.models.school import SchoolCreate, TeamCreate
from app.models.visit import FeedbackCreate, ReflectionCreate, VisitCreate
from app.security.passwords import hash_password
from app.services import accounts, care, item_kinds, items, overview, schools, visits

SLUG = "de-regenboog"
NAME = "De Regenboog"
PASSWORD = "regenboog-demo"  # noqa: S105 - the demo school's published login
ADMIN_EMAIL = "beheer@bord.local"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: Role | None  # None: the installation's administrator, outside the school
    teams: tuple[str, ...] = ()


TEAMS = ("Onderbouw", "Middenbouw", "Bovenbouw")

PEOPLE = (
    Person(ADMIN_EMAIL, "Beheerder", None),
    Person("directeur@deregenboog.nl", "Marieke van Dijk", Role.leader),
    Person("ib@deregenboog.nl", "Kees Smit", Role.ib, TEAMS),
    Person("lieke@deregenboog.nl", "Lieke Mulder", Role.teacher, ("Onderbouw",)),
    Person("anouk@deregenboog.nl", "Anouk de Boer", Role.teacher, ("Onderbouw",)),
    Person("mehmet@deregenboog.nl", "Mehmet Yılmaz", Role.teacher, ("Onderbouw",)),
    Person("emma@deregenboog.nl", "Emma Jansen", Role.teacher, ("Middenbouw",)),
    Person("daan@deregenboog.nl", "Daan Visser", Role.teacher, ("Middenbouw",)),
    Person("noor@deregenboog.nl", "Noor Hendriks", Role.teacher, ("Middenbouw",)),
    Person("joris@deregenboog.nl", "Joris de Vries", Role.teacher, ("Bovenbouw",)),
    Person("fatima@deregenboog.nl", "Fatima El Amrani", Role.teacher, ("Bovenbouw",)),
    Person("sanne@deregenboog.nl", "Sanne Bakker", Role.teacher, ("Bovenbouw",)),
)

ROLE_LABELS = {
    None: "beheerder",
    Role.leader: "schoolleider",
    Role.ib: "intern begeleider",
    Role.teacher: "leerkracht",
}


def logins() -> list[tuple[str, str, str]]:
    """(email, name, what they are) for every demo account; all share PASSWORD."""
    from app.services import demo_network  # the network's module reads this one's people

    return [
        (
            p.email,
            p.name,
            ROLE_LABELS[p.role] + (f" ({', '.join(p.teams)})" if p.role == Role.teacher else ""),
        )
        for p in PEOPLE
    ] + demo_network.logins()


def exists(session: Session) -> bool:
    return session.exec(select(School.id).where(School.slug == SLUG)).first() is not None


def seed(session: Session) -> bool:
    """Create the demo school unless it exists; True when it was created now."""
    from app.services import demo_network  # the network's module reads this one's people

    if exists(session):
        _ensure_care_board(session)  # a school seeded before care boards existed gets one
        demo_network.ensure(session)  # and one seeded before networks, its network
        return False
    password_hash = hash_password(PASSWORD)  # Argon2 is slow on purpose: hash once, share it
    users = {p.email: _user(session, p, password_hash) for p in PEOPLE}
    admin = users[ADMIN_EMAIL]
    school = schools.create_school(session, admin, SchoolCreate(name=NAME, slug=SLUG))
    for person in PEOPLE:
        if person.role is not None:
            _join_school(session, users[person.email], school, person.role)
    boards: dict[str, Board] = {}
    for name in TEAMS:
        team = schools.create_team(session, admin, require_id(school), TeamCreate(name=name))
        members = [users[p.email] for p in PEOPLE if name in p.teams]
        for member in members:
            session.add(TeamMember(team_id=require_id(team), user_id=require_id(member)))
        session.flush()
        boards[name] = schools.create_board(
            session,
            members[-1],
            require_id(team),
            BoardCreate(title=f"Teambord {name}", kind=BoardKind.team),
        )
    today = clock.today()
    _fill_bovenbouw(session, boards["Bovenbouw"], users, today)
    _fill_middenbouw(session, boards["Middenbouw"], users, today)
    _fill_onderbouw(session, boards["Onderbouw"], users, today)
    _past_sessions(session, school, boards, today)
    _ensure_care_board(session)
    demo_network.ensure(session, password_hash)
    return True


# Weeks ago in which each team held its stand-up; the Herfstvakantie (3 weeks ago) is a holiday.
HELD_WEEKS_AGO = {"Bovenbouw": (1, 2, 4, 5, 6, 7), "Middenbouw": (1, 4, 6), "Onderbouw": (2, 5)}
# What the Bovenbouw's recent sessions hold: bordleider, the check-in, a decision, who was away.
BOVENBOUW_SESSIONS = {
    5: ("Fatima El Amrani", (3, 4, 4, 2), "Leesrooster na de kerstvakantie evalueren."),
    4: ("Joris de Vries", (4, 4, 3, 5), "Overgangen: vaste startopdracht in elke groep."),
    2: ("Sanne Bakker", (2, 3, 4, 4), "Lesbezoeken plannen voor rekenen."),
    1: ("Fatima El Amrani", (4, 5, 4, 4), "Leesboekenbudget aanvragen bij de directie."),
}
BOVENBOUW = ["Fatima El Amrani", "Joris de Vries", "Kees Smit", "Sanne Bakker"]


def _past_sessions(session: Session, school: School, boards: dict[str, Board], today: date) -> None:
    """The last weeks' stand-ups and two holiday weeks, for the leader overview. Past weeks
    cannot be started through the stand-up service (it starts this week's), so they are rows."""
    admin = session.exec(select(User).where(User.email == ADMIN_EMAIL)).one()
    for weeks_ago, label in ((3, "Herfstvakantie"), (-5, "Kerstvakantie")):
        week = clock.iso_week(today - timedelta(weeks=weeks_ago))
        overview.mark_holiday(
            session, admin, require_id(school), HolidayWeekCreate(week=week, label=label)
        )
    for name, weeks in HELD_WEEKS_AGO.items():
        for weeks_ago in weeks:
            monday = _monday(today, -weeks_ago)
            started = datetime.combine(monday, time(8, 15), tzinfo=clock.SCHOOL_TZ)
            stand_up = StandUp(
                board_id=require_id(boards[name]),
                week=clock.iso_week(monday),
                started_at=started,
                part_started_at=started,
                ended_at=started + timedelta(minutes=15),
            )
            session.add(stand_up)
            if name == "Bovenbouw" and weeks_ago in BOVENBOUW_SESSIONS:
                _session_details(session, stand_up, weeks_ago)
    session.flush()


def _session_details(session: Session, stand_up: StandUp, weeks_ago: int) -> None:
    """History for the session page and the check-in trend, as it was at the time."""
    leader, moods, decision = BOVENBOUW_SESSIONS[weeks_ago]
    away = BOVENBOUW[weeks_ago % len(BOVENBOUW)]
    stand_up.bordleider = leader
    stand_up.schrijver = BOVENBOUW[(weeks_ago + 1) % len(BOVENBOUW)]
    stand_up.attendance = [name for name in BOVENBOUW if name != away]
    stand_up.notes = {"Acties": decision}
    stand_up.current_part = 5
    session.flush()
    session.add_all(
        CheckinVote(stand_up_id=require_id(stand_up), mood=mood, at=stand_up.started_at)
        for mood in moods
    )


def _user(session: Session, person: Person, password_hash: str) -> User:
    existing = accounts.find_user(session, person.email)
    if existing is not None:
        return existing
    user = User(
        email=accounts.normalise_email(person.email),
        name=person.name,
        password_hash=password_hash,
        is_admin=person.role is None,
    )
    session.add(user)
    session.flush()
    return user


def _join_school(session: Session, user: User, school: School, role: Role) -> None:
    found = session.exec(
        select(Membership.id).where(
            Membership.user_id == user.id, Membership.school_id == school.id
        )
    ).first()
    if found is None:
        session.add(Membership(user_id=require_id(user), school_id=require_id(school), role=role))


def _monday(today: date, weeks: int = 0) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def _fill_bovenbouw(session: Session, board: Board, users: dict[str, User], today: date) -> None:
    joris = users["joris@deregenboog.nl"]
    fatima = users["fatima@deregenboog.nl"]
    sanne = users["sanne@deregenboog.nl"]
    leader = users["directeur@deregenboog.nl"]
    monday = _monday(today)

    lezen = items.create_item(
        session,
        joris,
        item_kinds.GOAL,
        require_id(board),
        GoalCreate(
            title="Begrijpend lezen: meer leerlingen op niveau",
            metric="% leerlingen op niveau",
            unit="%",
            baseline=58,
            target=75,
            target_date=monday + timedelta(weeks=16),
        ),
    )
    overgangen = items.create_item(
        session,
        fatima,
        item_kinds.GOAL,
        require_id(board),
        GoalCreate(
            title="Rustige overgangen tussen lessen",
            metric="minuten verlies per les",
            unit="min",
            baseline=9,
            target=3,
            target_date=monday + timedelta(weeks=10),
        ),
    )
    for weeks_ago, reading, minutes in ((5, 58, 9), (4, 60, 8), (3, 59, 7), (2, 63, 6), (1, 66, 5)):
        day = monday - timedelta(weeks=weeks_ago)
        items.add_measurement(
            session, joris, require_id(lezen), MeasurementCreate(date=day, value=reading)
        )
        items.add_measurement(
            session, fatima, require_id(overgangen), MeasurementCreate(date=day, value=minutes)
        )

    def action(by: User, title: str, owner: str, due_in: int, goal_id: int | None = None) -> Action:
        return items.create_item(
            session,
            by,
            item_kinds.ACTION,
            require_id(board),
            ActionCreate(
                title=title, owner=owner, due=today + timedelta(days=due_in), goal_id=goal_id
            ),
        )

    def move(by: User, row: Action, status: ActionStatus) -> None:
        items.update_item(
            session,
            by,
            item_kinds.ACTION,
            require_id(row),
            ActionUpdate(status=status, version=row.version),
        )

    action(joris, "Leesstrategie 'voorspellen' voordoen in groep 7 en 8", "Joris", 5, lezen.id)
    action(sanne, "Woordenschatmuur inrichten in de klas", "Sanne", 12, lezen.id)
    action(fatima, "Afspraken overgangen op een kaart bij de deur", "Fatima", -3)
    action(leader, "Stem van de leerling: korte enquête over rust in de klas", "Sanne", 19)
    doing = action(joris, "Tekstbegrip toetsen met korte exit tickets", "Joris", -1, lezen.id)
    move(joris, doing, ActionStatus.doing)
    timer = action(fatima, "Timer en vast signaal bij elke wisseling", "Fatima", 2, overgangen.id)
    move(fatima, timer, ActionStatus.doing)
    kwaliteitskaart = action(sanne, "Kwaliteitskaart 'instructie' bespreken", "Sanne", -10)
    move(sanne, kwaliteitskaart, ActionStatus.done)
    boeken = action(joris, "Nieuwe leesboeken voor de bibliotheekhoek bestellen", "Joris", -6)
    move(joris, boeken, ActionStatus.done)

    for by, text, goal_id in (
        (fatima, "Groep 8 ging na de gym binnen twee minuten rustig aan het werk!", overgangen.id),
        (
            joris,
            "Drie leerlingen uit groep 7 lazen voor het eerst zelf een informatieve tekst "
            "en vatten hem goed samen.",
            lezen.id,
        ),
        (sanne, "Het lesbezoek bij Fatima leverde een mooie tip en top op.", None),
    ):
        items.create_item(
            session,
            by,
            item_kinds.SUCCESS,
            require_id(board),
            SuccessCreate(text=text, goal_id=goal_id),
        )

    for by, text, day, kind, who in (
        (
            fatima,
            "Lesbezoek: Fatima bij Joris (begrijpend lezen)",
            monday + timedelta(days=2),
            PlanKind.lesbezoek,
            "Fatima bij Joris",
        ),
        (
            joris,
            "Gezamenlijk lesontwerp: voorspellen bij informatieve teksten",
            monday + timedelta(days=3),
            PlanKind.lesontwerp,
            "Joris, Sanne",
        ),
        (
            sanne,
            "Lesbezoek: Sanne bij Fatima (overgangen)",
            monday + timedelta(days=8),
            PlanKind.lesbezoek,
            "Sanne bij Fatima",
        ),
        (
            leader,
            "Kinderboekenweek: opening op het plein",
            monday + timedelta(days=11),
            PlanKind.overig,
            "hele bouw",
        ),
    ):
        items.create_item(
            session,
            by,
            item_kinds.PLAN_ITEM,
            require_id(board),
            PlanItemCreate(text=text, date=day, kind=kind, who=who),
        )

    for by, text in (
        (sanne, "Tutorlezen: groep 8 leest voor aan groep 4"),
        (fatima, "Een vaste 'rustplek' in elke klas voor leerlingen die even moeten landen"),
    ):
        items.create_item(session, by, item_kinds.IDEA, require_id(board), IdeaCreate(text=text))

    answered = items.create_item(
        session,
        joris,
        item_kinds.HELP_REQUEST,
        require_id(board),
        HelpRequestCreate(text="Kunnen we een extra uur inval krijgen voor de lesbezoeken?"),
    )
    items.answer_help_request(
        session,
        leader,
        require_id(answered),
        HelpAnswer(text="Ja: Thijs valt op woensdag het tweede uur in. Succes!"),
    )
    items.create_item(
        session,
        fatima,
        item_kinds.HELP_REQUEST,
        require_id(board),
        HelpRequestCreate(text="Budget voor een set leesboeken op AVI-niveau E7 en plus?"),
    )
    _visits_bovenbouw(session, board, joris, fatima, sanne, overgangen.id, monday)


def _visits_bovenbouw(
    session: Session,
    board: Board,
    joris: User,
    fatima: User,
    sanne: User,
    overgangen: int | None,
    monday: date,
) -> None:
    """A lesbezoek held last week (feedback and reflection, read by the two only) and one
    planned for next week."""
    held = visits.plan_visit(
        session,
        sanne,
        require_id(board),
        VisitCreate(
            visitor_id=require_id(sanne),
            visited_id=require_id(fatima),
            date=monday - timedelta(days=5),
            group="groep 7",
            question="Hoe verlopen mijn overgangen van rekenen naar lezen?",
            goal_id=overgangen,
        ),
    )
    feedback = FeedbackCreate(
        seen="Je zette een zandloper neer en noemde de drie stappen; na 2 minuten las iedereen.",
        effect="De klas wist wat er kwam: geen vragen 'wat moeten we doen?'.",
        tip="Laat een leerling de stappen hardop herhalen voor je de zandloper omdraait.",
        top="Je rustige stem en het vaste ritueel.",
    )
    visits.write_feedback(session, sanne, require_id(held), feedback)
    reflection = ReflectionCreate(text="Ik laat voortaan een leerling de stappen herhalen.")
    visits.write_reflection(session, fatima, require_id(held), reflection)
    visits.plan_visit(
        session,
        joris,
        require_id(board),
        VisitCreate(
            visitor_id=require_id(joris),
            visited_id=require_id(sanne),
            date=monday + timedelta(days=9),
            group="groep 8",
            question="Krijgen alle kinderen denktijd na mijn vragen?",
        ),
    )


def _fill_middenbouw(session: Session, board: Board, users: dict[str, User], today: date) -> None:
    emma = users["emma@deregenboog.nl"]
    daan = users["daan@deregenboog.nl"]
    goal = items.create_item(
        session,
        emma,
        item_kinds.GOAL,
        require_id(board),
        GoalCreate(
            title="Tafels automatiseren in groep 5",
            metric="% leerlingen dat tafels 1-10 beheerst",
            unit="%",
            baseline=40,
            target=80,
            target_date=today + timedelta(weeks=12),
        ),
    )
    items.add_measurement(
        session, emma, require_id(goal), MeasurementCreate(date=today - timedelta(days=7), value=46)
    )
    for by, title, owner, due_in in (
        (emma, "Dagelijks vijf minuten tafelspel", "Emma", 7),
        (daan, "Oefenkaarten maken voor thuis", "Daan", 14),
    ):
        items.create_item(
            session,
            by,
            item_kinds.ACTION,
            require_id(board),
            ActionCreate(
                title=title, owner=owner, due=today + timedelta(days=due_in), goal_id=goal.id
            ),
        )
    items.create_item(
        session,
        daan,
        item_kinds.SUCCESS,
        require_id(board),
        SuccessCreate(text="Het eerste tafeldiploma is uitgereikt!"),
    )


def _fill_onderbouw(session: Session, board: Board, users: dict[str, User], today: date) -> None:
    lieke = users["lieke@deregenboog.nl"]
    anouk = users["anouk@deregenboog.nl"]
    items.create_item(
        session,
        lieke,
        item_kinds.ACTION,
        require_id(board),
        ActionCreate(
            title="Kringgesprek met praatkaarten proberen",
            owner="Lieke",
            due=today + timedelta(days=4),
        ),
    )
    items.create_item(
        session,
        anouk,
        item_kinds.PLAN_ITEM,
        require_id(board),
        PlanItemCreate(
            text="Lesbezoek: Anouk bij Lieke (kringgesprek)",
            date=_monday(today, 1) + timedelta(days=1),
            kind=PlanKind.lesbezoek,
            who="Anouk bij Lieke",
        ),
    )
    items.create_item(
        session,
        lieke,
        item_kinds.IDEA,
        require_id(board),
        IdeaCreate(text="Ouders uitnodigen voor een inloopochtend"),
    )


def team_boards(session: Session) -> list[tuple[Team, Board]]:
    """The demo school's teams and their (team) boards, for tests and the CLI."""
    return list(
        session.exec(
            select(Team, Board)
            .join(Board, col(Board.team_id) == col(Team.id))
            .join(School, col(School.id) == col(Team.school_id))
            .where(School.slug == SLUG, Board.kind != BoardKind.care)
            .order_by(Team.name)
        ).all()
    )


CARE_TITLE = "Zorgbord Kees"


def care_board(session: Session) -> Board | None:
    return session.exec(
        select(Board)
        .join(Team, col(Team.id) == col(Board.team_id))
        .join(School, col(School.id) == col(Team.school_id))
        .where(School.slug == SLUG, Board.kind == BoardKind.care)
    ).first()


def _ensure_care_board(session: Session) -> None:
    """The IB'er's care board with a few cases, pupils by code only; made once."""
    if care_board(session) is not None:
        return
    ib = accounts.find_user(session, "ib@deregenboog.nl")
    team = session.exec(
        select(Team)
        .join(School, col(School.id) == col(Team.school_id))
        .where(School.slug == SLUG, Team.name == "Bovenbouw")
    ).first()
    if ib is None or team is None:
        return
    board = schools.create_board(
        session, ib, require_id(team), BoardCreate(title=CARE_TITLE, kind=BoardKind.care)
    )
    today = clock.today()
    lezen = care.create_case(
        session,
        ib,
        require_id(board),
        CaseCreate(
            pupil_code="L-0412",
            group="5",
            concern="Leest moeizaam; vermoeden van dyslexie",
            status=CaseStatus.onderzoek,
            review_date=today + timedelta(days=2),
        ),
    )
    care.add_participant(
        session,
        ib,
        require_id(lezen),
        ParticipantCreate(name="Moeder", role=ParticipantRole.parent),
    )
    care.add_participant(
        session,
        ib,
        require_id(lezen),
        ParticipantCreate(
            name="Mw. Vos", role=ParticipantRole.external, organisation="Logopediepraktijk"
        ),
    )
    care.add_meeting(
        session,
        ib,
        require_id(lezen),
        MeetingCreate(
            date=today - timedelta(days=28),
            attendees=["Moeder", "Sanne Bakker", "Kees Smit"],
            notes="Afgesproken: toetsen afnemen en thuis samen lezen.",
        ),
    )
    care.create_agreement(
        session,
        ib,
        require_id(lezen),
        AgreementCreate(title="Dyslexietoets afnemen", owner="Kees", due=today - timedelta(days=3)),
    )
    care.create_agreement(
        session,
        ib,
        require_id(lezen),
        AgreementCreate(
            title="Elke avond 15 minuten samen lezen", owner="Moeder", due=today + timedelta(21)
        ),
    )
    rust = care.create_case(
        session,
        ib,
        require_id(board),
        CaseCreate(
            pupil_code="M-0718",
            group="7",
            concern="Onrustig na de zomer; zit niet lekker in de groep",
            status=CaseStatus.signalering,
            review_date=today + timedelta(days=16),
        ),
    )
    care.create_agreement(
        session,
        ib,
        require_id(rust),
        AgreementCreate(
            title="Gesprek met schoolmaatschappelijk werk",
            owner="SMW",
            due=today + timedelta(days=10),
        ),
    )
