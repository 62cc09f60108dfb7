from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-secret-change-me"  # noqa: S105 - the known default that production refuses


class OidcProvider(BaseModel):
    """One OpenID Connect provider the installation is registered with (BORD_OIDC_PROVIDERS)."""

    title: str = Field(min_length=1, max_length=80)
    issuer: str = Field(pattern=r"^https?://")
    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1, repr=False)
    scope: str = "openid email profile"
    # The claim that carries the school's BRIN code (Entree Federatie: the home organisation).
    brin_claim: str | None = None
    # The claim that carries the person's role at school, and the values that may sign in to
    # Bord (pupils may not); unset: the provider sends only staff.
    role_claim: str | None = None
    staff_roles: list[str] = ["employee", "staff", "faculty"]

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


class Settings(BaseSettings):
    """All configuration, read from BORD_* environment variables or a .env file."""

    model_config = SettingsConfigDict(env_prefix="BORD_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite:///./data/bord.db"
    redis_url: str | None = None
    redis_channel: str = "bord:changes"
    secret_key: str = DEV_SECRET
    session_days: int = 14
    login_max_failures: int = 5
    login_window_minutes: int = 15
    default_locale: Literal["nl", "en"] = "nl"
    retention_interval_hours: float = 24.0
    # Admission (app/admission.py): requests using the database at once, how many may wait for
    # a turn, and for how long, before the answer is 503 with Retry-After.
    max_requests: int = Field(16, ge=1, le=256)
    max_waiting: int = Field(1000, ge=0)
    queue_timeout_seconds: float = Field(5.0, gt=0)
    # How long a request waits for a row lock (PostgreSQL) or the write lock another process
    # holds (SQLite) before it is answered 503.
    lock_timeout_seconds: float = Field(5.0, gt=0, le=60)
    # Mail (app/mailer.py): unset SMTP URL: nothing is sent and the leader copies links.
    smtp_url: str | None = None
    mail_from: str = "Bord <bord@localhost>"
    mail_retry_seconds: float = Field(60.0, gt=0)
    mail_max_attempts: int = Field(8, ge=1, le=50)
    # Links in mails start with this; unset: the address the request came in on.
    base_url: str | None = None
    invitation_days: int = Field(14, ge=1, le=365)
    reset_minutes: int = Field(60, ge=5, le=24 * 60)
    # Sign-in with the school's own account: the providers by key, as JSON (README.md), and how
    # long Bord waits for a provider before saying it is not answering.
    oidc_providers: dict[str, OidcProvider] = {}
    oidc_timeout_seconds: float = Field(10.0, gt=0, le=60)
    # Webhooks (app/webhook_sender.py): each attempt waits this long for the receiver; a failed
    # one is retried after the retry seconds, doubling, up to the attempts; this many failed
    # attempts in a row pause the webhook. Private and loopback addresses are refused unless
    # allowed (unset: allowed outside production); old deliveries leave the log after the days.
    webhook_timeout_seconds: float = Field(5.0, gt=0, le=30)
    webhook_retry_seconds: float = Field(30.0, gt=0)
    webhook_max_attempts: int = Field(8, ge=1, le=50)
    webhook_max_failures: int = Field(15, ge=1, le=1000)
    webhook_allow_private: bool | None = None
    webhook_log_days: int = Field(30, ge=1, le=365)

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url_names_a_server(cls, value: str | None) -> str | None:
        if not value:
            return None
        scheme, _, rest = value.partition("://")
        if scheme not in ("smtp", "smtps") or not rest.rsplit("@", 1)[-1].split(":")[0]:
            raise ValueError("BORD_SMTP_URL must look like smtp://user:pass@host:587 or smtps://…")
        return value

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> "Settings":
        if self.env == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("BORD_SECRET_KEY must be set when BORD_ENV=production")
        return self

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_url)

    @property
    def webhooks_reach_private(self) -> bool:
        """May webhooks call loopback, private and link-local addresses?"""
        if self.webhook_allow_private is None:
            return self.env != "production"
        return self.webhook_allow_private

    @property
    def secure_cookies(self) -> bool:
        return self.env == "production"


@lru_cache
def get_settings() -> Settings:
    return Settings()
