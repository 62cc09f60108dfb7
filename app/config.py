from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-secret-change-me"  # noqa: S105 - the known default that production refuses


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

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> "Settings":
        if self.env == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("BORD_SECRET_KEY must be set when BORD_ENV=production")
        return self

    @property
    def secure_cookies(self) -> bool:
        return self.env == "production"


@lru_cache
def get_settings() -> Settings:
    return Settings()
