import datetime
import enum
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.db.base import ParkScoped, UUIDv7AuditBase, UUIDv7Base, enum_column
from incubator.i18n import N_, register_labels


class CityRole(enum.StrEnum):
    """Roles that are not tied to a park."""

    ADMIN = "admin"
    BUREAU = "bureau"
    MENTOR = "mentor"


class ParkRole(enum.StrEnum):
    """Roles a user holds inside one park, through a membership."""

    OPERATOR = "operator"
    FOUNDER = "founder"


class User(UUIDv7AuditBase):
    __tablename__ = "users"
    __audit_exclude__ = frozenset({"password_hash"})

    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(100))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    city_role: Mapped[CityRole | None] = enum_column(CityRole, "city_role", nullable=True)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", lazy="raise")


class Membership(ParkScoped, UUIDv7AuditBase):
    """A user's role in one park."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("park_id", "user_id", "role", name="uq_memberships_park_user_role"),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_memberships_incubatee",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("(role = 'founder') = (incubatee_id IS NOT NULL)", name="founder_has_incubatee"),
    )

    user_id: Mapped[UUID] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[ParkRole] = enum_column(ParkRole, "park_role")
    incubatee_id: Mapped[UUID | None] = mapped_column(index=True)
    """The firm a founder's portal shows; set for founders only."""

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")


class TokenKind(enum.StrEnum):
    API = "api"
    """A bearer token for the JSON API."""
    SESSION = "session"
    """A page login session, carried in a cookie."""


class AuthToken(UUIDv7AuditBase):
    """A login: an API bearer token or a page session, stored server-side.

    Only the SHA-256 of the secret is stored, so a copy of the database logs nobody in.
    A fresh secret is issued at every login, so a session id planted before login is useless.
    """

    __tablename__ = "auth_tokens"
    __audit_exclude__ = frozenset({"token_hash"})

    user_id: Mapped[UUID] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TokenKind] = enum_column(TokenKind, "token_kind")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime.datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime.datetime | None]


register_labels(
    {
        CityRole.ADMIN: N_("Administrator"),
        CityRole.BUREAU: N_("Bureau reviewer"),
        CityRole.MENTOR: N_("Mentor"),
        ParkRole.OPERATOR: N_("Park operator"),
        ParkRole.FOUNDER: N_("Founder"),
        TokenKind.API: N_("API token"),
        TokenKind.SESSION: N_("Page login"),
        ("entity", "users"): N_("Account"),
        ("entity", "memberships"): N_("Park role"),
        ("entity", "auth_tokens"): N_("Login"),
        ("field", "email"): N_("E-mail"),
        ("field", "display_name"): N_("Display name"),
        ("field", "is_active"): N_("Active"),
        ("action", "login_refused"): N_("Login refused"),
        ("action", "login_locked"): N_("Locked after too many refused logins"),
        ("action", "login_unlocked"): N_("Unlocked by a new password"),
        ("field", "city_role"): N_("City role"),
        ("field", "park_id"): N_("Park"),
        ("field", "user_id"): N_("Account"),
        ("field", "role"): N_("Role in the park"),
        ("field", "expires_at"): N_("Expires at"),
        ("field", "revoked_at"): N_("Revoked at"),
        ("field", "password_hash"): N_("Password"),
    }
)


class LoginThrottle(UUIDv7Base):
    """Login attempts in a row at one e-mail address — of an account or not, so that the answers never tell
    which — and the lock they lead to. Kept in the database: every worker and server sees the same count."""

    __tablename__ = "login_throttles"

    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    """As logins are looked up: trimmed, lower case."""
    attempts: Mapped[int] = mapped_column(default=0)
    """Counted as each attempt begins (so that attempts made at once count one by one); a login clears them."""
    locked_until: Mapped[datetime.datetime | None]
    updated_at: Mapped[datetime.datetime] = mapped_column(index=True)
    """The last attempt: rows of addresses not tried for a day are cleared."""
