import datetime
import enum
from decimal import Decimal
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import JSON_DOCUMENT, ParkScoped, UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels
from incubator.incubatees.models import Gender, TargetGroup


class TrainingKind(enum.StrEnum):
    STARTUP_TRAINING = "startup_training"
    ONLINE_BUSINESS = "online_business"
    INTERNET_PLUS = "internet_plus"
    PUBLIC_CLASS = "public_class"
    FORUM = "forum"
    COMPETITION = "competition"


class Attendance(enum.StrEnum):
    ENROLLED = "enrolled"
    ATTENDED = "attended"
    ABSENT = "absent"


class Trainer(UUIDv7AuditBase):
    """A member of the city-wide trainer pool (创业培训讲师库), kept like the mentor pool."""

    __tablename__ = "trainers"

    name: Mapped[str] = mapped_column(sa.String(50))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    specialties: Mapped[list[str]] = mapped_column(JSON_DOCUMENT, default=list)
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    bio: Mapped[str] = mapped_column(sa.String(2000), default="")
    active: Mapped[bool] = mapped_column(default=True)


class Training(ParkScoped, UUIDv7AuditBase):
    """A course or an event a park holds, from ``starts_on`` to ``ends_on`` (both included).

    The rating counts trainings by their dates, and trainees who attended one (``Enrolment.attendance``)
    and whose linked firm registered within 12 months of ``ends_on``."""

    __tablename__ = "trainings"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.CheckConstraint("hours > 0", name="hours_positive"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.Index("ix_trainings_park_ends_on", "park_id", "ends_on"),
    )

    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[TrainingKind] = enum_column(TrainingKind, "training_kind")
    starts_on: Mapped[datetime.date]
    ends_on: Mapped[datetime.date]
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1))
    provider: Mapped[str] = mapped_column(sa.String(200), default="")
    trainer_id: Mapped[UUID | None] = mapped_column(sa.ForeignKey("trainers.id", ondelete="RESTRICT"), index=True)
    capacity: Mapped[int]
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.String(2000), default="")


class Trainee(ParkScoped, UUIDv7AuditBase):
    """A person a park trains, an incubatee's founder or not. The phone (normalised) is the natural key
    within the park; ``incubatee_id`` is set when the person later registers a firm in the park."""

    __tablename__ = "trainees"
    __table_args__ = (
        sa.UniqueConstraint("park_id", "phone", name="uq_trainees_park_phone"),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_trainees_incubatee"
        ),
    )

    name: Mapped[str] = mapped_column(sa.String(50))
    phone: Mapped[str] = mapped_column(sa.String(20))
    target_group: Mapped[TargetGroup] = enum_column(TargetGroup, "target_group")
    gender: Mapped[Gender | None] = enum_column(Gender, "gender", nullable=True)
    incubatee_id: Mapped[UUID | None] = mapped_column(index=True)


class Enrolment(ParkScoped, UUIDv7AuditBase):
    """A trainee's place in a training, and whether they came."""

    __tablename__ = "training_enrolments"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "training_id"], ["trainings.park_id", "trainings.id"], name="fk_training_enrolments_training"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "trainee_id"], ["trainees.park_id", "trainees.id"], name="fk_training_enrolments_trainee"
        ),
        sa.UniqueConstraint("park_id", "training_id", "trainee_id", name="uq_training_enrolments_trainee"),
        sa.Index("ix_training_enrolments_park_attendance", "park_id", "attendance"),
    )

    training_id: Mapped[UUID] = mapped_column(index=True)
    trainee_id: Mapped[UUID] = mapped_column(index=True)
    enrolled_on: Mapped[datetime.date]
    attendance: Mapped[Attendance] = enum_column(Attendance, "attendance", default=Attendance.ENROLLED)


register_labels(
    {
        TrainingKind.STARTUP_TRAINING: N_("Start-up training"),
        TrainingKind.ONLINE_BUSINESS: N_("Online-shop start-up training"),
        TrainingKind.INTERNET_PLUS: N_("Internet Plus start-up training"),
        TrainingKind.PUBLIC_CLASS: N_("Public class"),
        TrainingKind.FORUM: N_("Forum"),
        TrainingKind.COMPETITION: N_("Start-up competition"),
        Attendance.ENROLLED: N_("Enrolled"),
        Attendance.ATTENDED: N_("Attended"),
        Attendance.ABSENT: N_("Absent"),
        ("entity", "trainers"): N_("Trainer"),
        ("entity", "trainings"): N_("Training"),
        ("entity", "trainees"): N_("Trainee"),
        ("entity", "training_enrolments"): N_("Enrolment"),
        ("field", "trainer_id"): N_("Trainer"),
        ("field", "specialties"): N_("Specialties"),
        ("field", "title"): N_("Title"),
        ("field", "hours"): N_("Class hours"),
        ("field", "provider"): N_("Provider institution"),
        ("field", "capacity"): N_("Capacity"),
        ("field", "location"): N_("Location"),
        ("field", "description"): N_("Description"),
        ("field", "training_id"): N_("Training"),
        ("field", "trainee_id"): N_("Trainee"),
        ("field", "enrolled_on"): N_("Enrolled on"),
        ("field", "attendance"): N_("Attendance"),
    }
)
