"""The demo's leernetwerk: De Regenboog learns with two other schools, De Klimop and OBS De
Vlinder (made here when they do not exist, each with a leader, a teacher and a team board).

Its practices, the adoption, the question and the next bijeenkomst are written through the
services (app/services/networks.py, network_questions.py, network_meetings.py), as members
would. The answer to the question
is a row of its own: an answer through the service mails the asker, and seeding mails no one.
Seeding is idempotent: once the network exists, nothing is touched.
"""

from datetime import timedelta

from sqlmodel import Session, select

from app import clock
from app.models import Answer, Board, BoardKind, Network, Role, School, Team, TeamMember, User
from app.models.board import BoardCreate
from app.models.meeting import ContributionCreate, MeetingCreate
from app.models.network import NetworkCreate, PracticeCreate
from app.models.rows import require_id
from app.models.school import SchoolCreate, TeamCreate
from app.security.passwords import hash_password
from app.services import accounts, demo, network_meetings, network_questions, networks, schools

NAME = "Leernetwerk Lezen en Rust"
REGENBOOG_MEMBERS = ("directeur@deregenboog.nl", "fatima@deregenboog.nl")

# (slug, name, team): the two other schools of the network
SCHOOLS = (
    ("de-klimop", "De Klimop", "Groep 5-6"),
    ("obs-de-vlinder", "OBS De Vlinder", "Bovenbouw"),
)
PEOPLE = (
    demo.Person("directeur@deklimop.nl", "Ruud Koster", Role.leader),
    demo.Person("yara@deklimop.nl", "Yara Bos", Role.teacher, ("Groep 5-6",)),
    demo.Person("directeur@obsdevlinder.nl", "Ingrid Peters", Role.leader),
    demo.Person("tom@obsdevlinder.nl", "Tom Willems", Role.teacher, ("Bovenbouw",)),
)
SCHOOL_OF = {
    "directeur@deklimop.nl": "de-klimop",
    "yara@deklimop.nl": "de-klimop",
    "directeur@obsdevlinder.nl": "obs-de-vlinder",
    "tom@obsdevlinder.nl": "obs-de-vlinder",
}


def logins() -> list[tuple[str, str, str]]:
    """(email, name, what they are) for the network's people of the other schools."""
    names = {slug: name for slug, name, _team in SCHOOLS}
    return [
        (
            p.email,
            p.name,
            f"{demo.ROLE_LABELS[p.role]}, {names[SCHOOL_OF[p.email]]}"
            + (f" ({', '.join(p.teams)})" if p.teams else ""),
        )
        for p in PEOPLE
    ]


def exists(session: Session) -> bool:
    return session.exec(select(Network.id).where(Network.name == NAME)).first() is not None


def ensure(session: Session, password_hash: str | None = None) -> bool:
    """Make the network (and the two schools) unless it exists; True when made now. The new
    accounts share the demo school's password hash (`password_hash`, else demo.PASSWORD's)."""
    if exists(session):
        return False
    admin = accounts.find_user(session, demo.ADMIN_EMAIL)
    facilitator = accounts.find_user(session, REGENBOOG_MEMBERS[0])
    if admin is None or facilitator is None:
        return False
    # the published demo password, never the administrator's (which may have been changed)
    password_hash = password_hash or hash_password(demo.PASSWORD)
    users = {p.email: demo._user(session, p, password_hash) for p in PEOPLE}
    boards = {
        slug: _school(session, admin, users, slug, name, team) for slug, name, team in SCHOOLS
    }
    network = networks.create_network(session, facilitator, NetworkCreate(name=NAME))
    network_id = require_id(network)
    for email in (*REGENBOOG_MEMBERS[1:], *users):
        networks.add_member(session, facilitator, network_id, email)
    fatima = accounts.find_user(session, REGENBOOG_MEMBERS[1])
    assert fatima is not None
    yara, tom = users["yara@deklimop.nl"], users["tom@obsdevlinder.nl"]
    ingrid = users["directeur@obsdevlinder.nl"]
    leesmaatjes = networks.share_practice(session, fatima, network_id, LEESMAATJES)
    networks.share_practice(session, yara, network_id, REKENMUUR)
    networks.share_practice(session, tom, network_id, STILTEPLEK)
    _item, adoption = networks.adopt(
        session, yara, require_id(leesmaatjes), require_id(boards["de-klimop"])
    )
    networks.tell_how_it_went(session, yara, require_id(adoption), ADOPTION_STORY)
    question = network_questions.ask(session, ingrid, network_id, QUESTION)
    session.add(Answer(question_id=require_id(question), answered_by_id=fatima.id, text=ANSWER))
    session.flush()
    # the next bijeenkomst, in three weeks at De Klimop: Fatima brings the leesmaatjes, Ingrid
    # fetches an answer to her question
    meeting = network_meetings.plan(
        session,
        facilitator,
        network_id,
        MeetingCreate(
            date=clock.today() + timedelta(weeks=3),
            start_time="15:30",
            host_school_id=require_id(
                session.exec(select(School).where(School.slug == "de-klimop")).one()
            ),
            theme="Lezen met plezier",
        ),
    )
    network_meetings.contribute(
        session,
        fatima,
        require_id(meeting),
        ContributionCreate(kind="bring", practice_id=require_id(leesmaatjes)),
    )
    network_meetings.contribute(
        session,
        ingrid,
        require_id(meeting),
        ContributionCreate(kind="fetch", question_id=require_id(question)),
    )
    return True


def _school(
    session: Session, admin: User, users: dict[str, User], slug: str, name: str, team_name: str
) -> Board:
    """The school (made when missing), its people and its team board."""
    school = session.exec(select(School).where(School.slug == slug)).first()
    if school is None:
        school = schools.create_school(session, admin, SchoolCreate(name=name, slug=slug))
    people = [p for p in PEOPLE if SCHOOL_OF[p.email] == slug]
    for person in people:
        assert person.role is not None
        demo._join_school(session, users[person.email], school, person.role)
    session.flush()
    team = session.exec(
        select(Team).where(Team.school_id == school.id, Team.name == team_name)
    ).first()
    if team is not None:  # the school and its team were there already: their board as it is
        board = session.exec(
            select(Board).where(Board.team_id == team.id, Board.kind == BoardKind.team)
        ).first()
        if board is not None:
            return board
    else:
        team = schools.create_team(session, admin, require_id(school), TeamCreate(name=team_name))
    for person in people:
        if team_name in person.teams:
            session.add(
                TeamMember(team_id=require_id(team), user_id=require_id(users[person.email]))
            )
    session.flush()
    teacher = users[next(p.email for p in people if p.teams)]
    return schools.create_board(
        session,
        teacher,
        require_id(team),
        BoardCreate(title=f"Teambord {team_name}", kind=BoardKind.team),
    )


LEESMAATJES = PracticeCreate(
    title="Leesmaatjes",
    text=(
        "Groep 7 leest twee keer per week een kwartier samen met groep 3. Elk maatje heeft een "
        "vast leesboek en een leeslogboekje waarin ze samen bijhouden wat ze lazen."
    ),
    strength=(
        "De oudsten voelen zich verantwoordelijk en lezen zelf beter voor; de jongsten lezen "
        "meer en met plezier."
    ),
    needs="Twee kwartieren per week in het rooster, een bak leesboeken op AVI-niveau",
    for_whom="groep 3 en groep 7",
    sector="po",
    theme="Lezen",
    contact="Fatima, groep 7",
    name_school=True,
    name_person=True,
)
REKENMUUR = PracticeCreate(
    title="Rekenmuur",
    text=(
        "Op een muur in de gang staan de rekendoelen van de week. Kinderen hangen er zelf een "
        "kaartje bij als ze een doel beheersen en laten zien hoe ze het oplosten."
    ),
    strength="Kinderen zien hun eigen groei en leggen het elkaar uit bij de muur.",
    needs="Een lege wand, kaartjes in drie kleuren, vijf minuten op vrijdag",
    for_whom="groep 5 en 6",
    sector="po",
    theme="Rekenen",
    name_school=True,
)
STILTEPLEK = PracticeCreate(
    title="Stilteplek",
    text=(
        "Een hoek in de klas met een koptelefoon, een zandloper van vijf minuten en een kussen. "
        "Wie even tot rust moet komen, mag er zonder te vragen heen."
    ),
    strength=(
        "Minder conflicten na de pauze; kinderen leren zelf aan te voelen wat ze nodig hebben."
    ),
    needs="Een rustige hoek, een koptelefoon, een zandloper",
    for_whom="groep 6 tot en met 8",
    sector="po",
    theme="Rust in de klas",
)
ADOPTION_STORY = (
    "We zijn na de herfstvakantie begonnen met groep 4 en groep 6. Het logboekje was de sleutel: "
    "de kinderen vragen er zelf om."
)
QUESTION = (
    "Hoe houden jullie de leesmaatjes vol na de eerste weken? Bij ons zakt het na een maand in."
)
ANSWER = (
    "Wissel elke zes weken van maatje en sluit elke ronde af met een voorleesmoment voor de "
    "ouders. Dan is er steeds iets om naartoe te werken."
)
