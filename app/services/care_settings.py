"""A school's care settings: the retention period, full names, and its privacy officer(s).
Set by the school's leader (or an admin)."""

from sqlmodel import Session, col, select

from app.errors import Invalid
from app.models import Membership, Role, School, User
from app.models.care import CareSettings, CareSettingsUpdate
from app.models.rows import require_id
from app.security import policy
from app.services import accounts


def settings_of(session: Session, school: School) -> CareSettings:
    officers = session.exec(
        select(Membership.user_id)
        .where(Membership.school_id == school.id, Membership.privacy_officer)
        .order_by(col(Membership.user_id))
    ).all()
    return CareSettings(
        school_id=require_id(school),
        retention_days=school.care_retention_days,
        full_names=school.care_full_names,
        privacy_officers=list(officers),
    )


def read(session: Session, user: User, school_id: int) -> CareSettings:
    return settings_of(session, policy.led_school(session, user, school_id))


def update(session: Session, user: User, school_id: int, data: CareSettingsUpdate) -> CareSettings:
    school = policy.led_school(session, user, school_id)
    if data.privacy_officer is not None:
        officer = accounts.find_user(session, data.privacy_officer)
        membership = (
            session.exec(
                select(Membership).where(
                    Membership.user_id == officer.id,
                    Membership.school_id == school.id,
                    Membership.role == Role.leader,
                )
            ).first()
            if officer
            else None
        )
        if membership is None:
            raise Invalid("privacy_officer", "not a leader of this school")
        membership.privacy_officer = data.privacy_officer_on
        session.add(membership)
    if data.retention_days is not None:
        school.care_retention_days = data.retention_days
    if data.full_names is not None:
        school.care_full_names = data.full_names
    session.add(school)
    session.flush()
    return settings_of(session, school)


def school_leaders(session: Session, user: User, school_id: int) -> list[tuple[User, bool]]:
    """The school's leaders, each with whether they are a privacy officer (leader)."""
    school = policy.led_school(session, user, school_id)
    rows = session.exec(
        select(User, Membership.privacy_officer)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.school_id == school.id, Membership.role == Role.leader)
        .order_by(User.name)
    ).all()
    return [(leader, bool(officer)) for leader, officer in rows]
