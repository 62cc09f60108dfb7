"""Signing in with the school's own account: which provider a school uses and who it covers,
and which provider subject stands for which account."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from app import clock


class SchoolSignIn(SQLModel, table=True):
    __tablename__ = "school_sign_in"
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", unique=True, ondelete="CASCADE")
    # A key of BORD_OIDC_PROVIDERS.
    provider: str = Field(max_length=40)
    # The school's e-mail domains, lower case, separated by spaces ("deklimop.nl klimop.nl").
    domains: str = Field(default="", max_length=500)
    # Someone of the school's domain or BRIN without an account gets one (teacher, no teams).
    auto_accounts: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Passwords no longer sign in the school's people (the installation's admin keeps theirs).
    passwords_off: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})

    @property
    def domain_list(self) -> list[str]:
        return self.domains.split()


class IdentityLink(SQLModel, table=True):
    """After the first sign-in the provider's subject, not the e-mail address, names the user."""

    __tablename__ = "identity_link"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)
    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=clock.now)
