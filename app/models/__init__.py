"""Every table, imported here so that SQLModel.metadata (and Alembic) sees them all."""

from app.models.action import Action, ActionStatus
from app.models.auth import ApiToken, LoginFailure, UserSession
from app.models.board import Board, BoardEvent, BoardKind, BoardMember
from app.models.calendar import CalendarFeed
from app.models.care import (
    Agreement,
    AuditEntry,
    CareMeeting,
    Case,
    CaseParticipant,
    CaseStatus,
    ParticipantRole,
)
from app.models.goal import Goal, Measurement
from app.models.holiday import HolidayWeek
from app.models.klas import ClassPupils
from app.models.lesson_design import LessonDesign, LessonDesignVisit, QualityCard
from app.models.links import Invitation, PasswordReset
from app.models.mail import MailOutbox
from app.models.meeting import MeetingAgreement, MeetingContribution, NetworkMeeting
from app.models.network import Adoption, Answer, Network, NetworkMember, Practice, Question
from app.models.notes import HelpRequest, Idea, PlanItem, PlanKind, Success
from app.models.poll import Poll, PollResponse, PollText
from app.models.school import Membership, Role, School, Team, TeamMember, User
from app.models.screen import ScreenLink
from app.models.sso import IdentityLink, SchoolSignIn
from app.models.standup import CheckinVote, StandUp
from app.models.template import BoardTemplate
from app.models.visit import Visit
from app.models.webhook import Webhook, WebhookDelivery

__all__ = [
    "Action",
    "ActionStatus",
    "Adoption",
    "Agreement",
    "Answer",
    "ApiToken",
    "AuditEntry",
    "Board",
    "BoardEvent",
    "BoardKind",
    "BoardMember",
    "BoardTemplate",
    "CalendarFeed",
    "CareMeeting",
    "Case",
    "CaseParticipant",
    "CaseStatus",
    "CheckinVote",
    "ClassPupils",
    "Goal",
    "HelpRequest",
    "HolidayWeek",
    "Idea",
    "IdentityLink",
    "Invitation",
    "LessonDesign",
    "LessonDesignVisit",
    "LoginFailure",
    "MailOutbox",
    "Measurement",
    "MeetingAgreement",
    "MeetingContribution",
    "Membership",
    "Network",
    "NetworkMeeting",
    "NetworkMember",
    "ParticipantRole",
    "PasswordReset",
    "PlanItem",
    "PlanKind",
    "Poll",
    "PollResponse",
    "PollText",
    "Practice",
    "QualityCard",
    "Question",
    "Role",
    "School",
    "SchoolSignIn",
    "ScreenLink",
    "StandUp",
    "Success",
    "Team",
    "TeamMember",
    "User",
    "UserSession",
    "Visit",
    "Webhook",
    "WebhookDelivery",
]
