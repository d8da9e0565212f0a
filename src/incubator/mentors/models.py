import datetime
import enum
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import JSON_DOCUMENT, ParkScoped, UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels


class SessionMode(enum.StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    ONLINE = "online"


class SessionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    RETURNED = "returned"


class Mentor(UUIDv7AuditBase):
    """A member of the city-wide mentor pool (创业导师库), kept by the bureau, seen by every park."""

    __tablename__ = "mentors"
    __table_args__ = (
        # the phone tells one mentor from another (an import finds them by it); many have none on file
        sa.Index(
            "uq_mentors_phone",
            "phone",
            unique=True,
            postgresql_where=sa.text("phone <> ''"),
            sqlite_where=sa.text("phone <> ''"),
        ),
    )

    user_id: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    expertise: Mapped[list[str]] = mapped_column(JSON_DOCUMENT, default=list)
    bio: Mapped[str] = mapped_column(sa.String(2000), default="")
    max_mentees: Mapped[int] = mapped_column(default=5)
    availability: Mapped[str] = mapped_column(sa.String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)


class Assignment(ParkScoped, UUIDv7AuditBase):
    """A park allots a mentor of the pool to one of its incubatees, from a day, until a day or open."""

    __tablename__ = "mentor_assignments"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_mentor_assignments_incubatee"
        ),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )

    mentor_id: Mapped[UUID] = mapped_column(sa.ForeignKey("mentors.id", ondelete="RESTRICT"), index=True)
    incubatee_id: Mapped[UUID] = mapped_column(index=True)
    starts_on: Mapped[datetime.date]
    ends_on: Mapped[datetime.date | None]


class MentorSession(ParkScoped, UUIDv7AuditBase):
    """One logged meeting: draft → submitted → confirmed by the park, or returned to the mentor."""

    __tablename__ = "mentor_sessions"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "assignment_id"],
            ["mentor_assignments.park_id", "mentor_assignments.id"],
            name="fk_mentor_sessions_assignment",
        ),
        sa.Index("ix_mentor_sessions_mentor_held", "mentor_id", "held_on"),
        # a firm's sessions of a year: what the firm_years triggers recount
        sa.Index("ix_mentor_sessions_incubatee_held", "incubatee_id", "held_on"),
        sa.Index("ix_mentor_sessions_park_status", "park_id", "status"),
        # a park's confirmed sessions of a period (the rating's drill-down) are read from this index
        sa.Index(
            "ix_mentor_sessions_confirmed_held",
            "park_id",
            "held_on",
            postgresql_where=sa.text("status = 'confirmed'"),
            sqlite_where=sa.text("status = 'confirmed'"),
        ),
    )

    assignment_id: Mapped[UUID] = mapped_column(index=True)
    mentor_id: Mapped[UUID] = mapped_column(sa.ForeignKey("mentors.id", ondelete="RESTRICT"))
    incubatee_id: Mapped[UUID]
    held_on: Mapped[datetime.date]
    minutes: Mapped[int]
    mode: Mapped[SessionMode] = enum_column(SessionMode, "session_mode")
    topics: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.String(4000), default="")
    follow_ups: Mapped[str] = mapped_column(sa.String(1000), default="")
    status: Mapped[SessionStatus] = enum_column(SessionStatus, "session_status", default=SessionStatus.DRAFT)
    return_reason: Mapped[str] = mapped_column(sa.String(500), default="")


register_labels(
    {
        SessionMode.IN_PERSON: N_("In person"),
        SessionMode.PHONE: N_("Phone call"),
        SessionMode.ONLINE: N_("Online"),
        SessionStatus.DRAFT: N_("Draft"),
        SessionStatus.SUBMITTED: N_("Submitted"),
        SessionStatus.CONFIRMED: N_("Confirmed"),
        SessionStatus.RETURNED: N_("Returned"),
        ("entity", "mentors"): N_("Mentor"),
        ("entity", "mentor_assignments"): N_("Mentor assignment"),
        ("entity", "mentor_sessions"): N_("Mentor session"),
        ("field", "mentor_id"): N_("Mentor"),
        ("field", "organisation"): N_("Organisation"),
        ("field", "expertise"): N_("Expertise"),
        ("field", "bio"): N_("Biography"),
        ("field", "max_mentees"): N_("Most mentees at once"),
        ("field", "availability"): N_("Availability"),
        ("field", "active"): N_("Active"),
        ("field", "assignment_id"): N_("Mentor assignment"),
        ("field", "held_on"): N_("Held on"),
        ("field", "minutes"): N_("Minutes"),
        ("field", "mode"): N_("Mode"),
        ("field", "topics"): N_("Topics"),
        ("field", "notes"): N_("Notes"),
        ("field", "follow_ups"): N_("Follow-up actions"),
        ("field", "return_reason"): N_("Why it was returned"),
    }
)
