"""Settings read from ``INCUBATOR_*`` environment variables."""

import datetime
import os
from pathlib import Path
from typing import Annotated, Literal

import msgspec

# Where templates/ and migrations/ live: the checkout, or the image's /app (set by the Dockerfile).
PROJECT_ROOT = Path(os.environ.get("INCUBATOR_PROJECT_ROOT") or Path(__file__).resolve().parents[2])
DEMO_PASSWORD = "incubator-demo"  # noqa: S105 - published on purpose; refused outside demo mode
_DEV_SECRET = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production

Environment = Literal["development", "test", "production"]


class SettingsError(RuntimeError):
    """The environment does not describe a runnable configuration."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    environment: Environment = "development"
    database_url: str = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'incubator.db'}"
    secret_key: str = _DEV_SECRET
    # Encrypts personal data at rest; falls back to the secret key. Keep it when rotating the secret key.
    data_key: str = ""
    # Demo mode lets the demo accounts log in with the published demo password.
    demo_mode: bool = True
    session_max_age_seconds: int = 8 * 3600
    token_max_age_seconds: int = 24 * 3600
    login_attempts_per_minute: int = 10
    # Refused logins in a row that lock an e-mail address, and for how long: counted in the database, so every
    # worker and server behind the load balancer sees the same count (the per-minute limit is per worker).
    login_failures_before_lock: Annotated[int, msgspec.Meta(ge=1)] = 5
    login_lock_minutes: Annotated[int, msgspec.Meta(ge=1)] = 15
    # PDF worker processes of each server worker (0: one per core). With several server workers on one
    # machine, their share of the cores keeps the PDF processes from outnumbering them.
    pdf_workers: Annotated[int, msgspec.Meta(ge=0)] = 0
    echo_sql: bool = False
    # The demo city lives in January 2018 (the season when the bureau rates 2017): `make run` sets this so
    # that "today", due dates and "this month" fit its history. Demo mode only.
    demo_today: datetime.date | None = None
    # Where the public reaches the app (e.g. https://incubator.example.gov.cn): the certificates' QR codes point
    # there. Pages fall back to the request's own address, the batch command to http://127.0.0.1:8000.
    public_url: str = ""

    def __post_init__(self) -> None:
        if self.environment == "production":
            if self.secret_key == _DEV_SECRET or len(self.secret_key) < 32:
                raise SettingsError(
                    "INCUBATOR_SECRET_KEY must be set to a random value of at least 32 characters in production"
                )
            if self.demo_mode:
                raise SettingsError("INCUBATOR_DEMO_MODE must be off in production")
        if self.demo_today is not None and not self.demo_mode:
            raise SettingsError("INCUBATOR_DEMO_TODAY is for the demo city only (demo mode)")

    @property
    def personal_data_key(self) -> str:
        return self.data_key or self.secret_key

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: "os._Environ[str] | dict[str, str] | None" = None, **overrides: object) -> "Settings":
        """Build settings from ``INCUBATOR_<FIELD>`` variables; keyword overrides win."""
        environ = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        for field in msgspec.structs.fields(cls):
            value = environ.get(f"INCUBATOR_{field.name.upper()}")
            if value is not None:
                raw[field.name] = value
        if environ.get("INCUBATOR_ENVIRONMENT") == "production" and "demo_mode" not in raw:
            raw["demo_mode"] = "false"
        raw.update(overrides)
        try:
            return msgspec.convert(raw, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise SettingsError(f"invalid INCUBATOR_* setting: {exc}") from exc
