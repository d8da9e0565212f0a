import datetime
import enum
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.db.base import ParkScoped, UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels


class IncubateeType(enum.StrEnum):
    TECHNOLOGY = "technology"
    E_COMMERCE = "e_commerce"
    PLANTING_BREEDING = "planting_breeding"
    HANDICRAFT = "handicraft"
    SERVICES = "services"
    OTHER = "other"


class IncubateeStatus(enum.StrEnum):
    APPLICANT = "applicant"
    INCUBATING = "incubating"
    GRADUATED = "graduated"
    EXITED = "exited"


class ExitReason(enum.StrEnum):
    GRADUATION_CRITERIA = "graduation_criteria"
    TERM_EXPIRED = "term_expired"
    FOR_CAUSE = "for_cause"
    VOLUNTARY = "voluntary"
    CLOSED = "closed"


class TargetGroup(enum.StrEnum):
    RETURNING_MIGRANT_WORKER = "returning_migrant_worker"
    COLLEGE_GRADUATE = "college_graduate"
    RESEARCH_STAFF = "research_staff"
    SECOND_TIME_ENTREPRENEUR = "second_time_entrepreneur"
    VETERAN = "veteran"
    UNEMPLOYED = "unemployed"
    OTHER = "other"


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class Education(enum.StrEnum):
    PRIMARY = "primary"
    JUNIOR_SECONDARY = "junior_secondary"
    SENIOR_SECONDARY = "senior_secondary"
    VOCATIONAL = "vocational"
    JUNIOR_COLLEGE = "junior_college"
    BACHELOR = "bachelor"
    POSTGRADUATE = "postgraduate"


class RecommendationKind(enum.StrEnum):
    GRADUATE = "graduate"
    """A graduation criterion is met."""
    TERM_OVERDUE = "term_overdue"
    """Still incubating after the term ended."""
    MISSED_REPORTS = "missed_reports"
    """Two periodic reports in a row never filed: a warning, then exit for cause."""


class GraduationCriterion(enum.StrEnum):
    HIGH_TECH = "high_tech"
    FUNDING = "funding"
    REVENUE = "revenue"
    EMPLOYEES = "employees"


class DecisionOutcome(enum.StrEnum):
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class Incubatee(ParkScoped, UUIDv7AuditBase):
    """A firm incubated by a park (在孵企业)."""

    __tablename__ = "incubatees"
    __table_args__ = (
        sa.UniqueConstraint("park_id", "name", name="uq_incubatees_park_name"),
        sa.UniqueConstraint("park_id", "credit_code", name="uq_incubatees_park_credit_code"),
        sa.Index("ix_incubatees_park_status", "park_id", "status"),
    )

    name: Mapped[str] = mapped_column(sa.String(200))
    credit_code: Mapped[str | None] = mapped_column(sa.String(18))
    registered_on: Mapped[datetime.date | None]
    industry: Mapped[str] = mapped_column(sa.String(100), default="")
    kind: Mapped[IncubateeType] = enum_column(IncubateeType, "incubatee_type")
    status: Mapped[IncubateeStatus] = enum_column(
        IncubateeStatus, "incubatee_status", default=IncubateeStatus.APPLICANT
    )
    applied_on: Mapped[datetime.date]
    admitted_on: Mapped[datetime.date | None]
    term_ends_on: Mapped[datetime.date | None]
    left_on: Mapped[datetime.date | None]
    exit_reason: Mapped[ExitReason | None] = enum_column(ExitReason, "exit_reason", nullable=True)
    exit_note: Mapped[str] = mapped_column(sa.String(500), default="")

    founders: Mapped[list["Founder"]] = relationship(
        back_populates="incubatee", lazy="raise", order_by="Founder.created_at", cascade="all, delete-orphan"
    )


class Founder(ParkScoped, UUIDv7AuditBase):
    """A person behind an incubatee. The resident ID number is stored encrypted, with a keyed digest
    (to find duplicates) and its masked form (to show and export without decrypting)."""

    __tablename__ = "founders"
    __audit_exclude__ = frozenset({"id_number_ciphertext", "id_number_digest"})
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_founders_incubatee",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("park_id", "id_number_digest", name="uq_founders_park_id_number"),
    )

    incubatee_id: Mapped[UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    id_number_ciphertext: Mapped[str | None] = mapped_column(sa.String(200))
    id_number_digest: Mapped[str | None] = mapped_column(sa.String(64))
    id_number_masked: Mapped[str] = mapped_column(sa.String(18), default="")
    target_group: Mapped[TargetGroup] = enum_column(TargetGroup, "target_group")
    gender: Mapped[Gender | None] = enum_column(Gender, "gender", nullable=True)
    birth_year: Mapped[int | None]
    education: Mapped[Education | None] = enum_column(Education, "education", nullable=True)

    incubatee: Mapped[Incubatee] = relationship(back_populates="founders", lazy="raise")


class FollowUp(ParkScoped, UUIDv7AuditBase):
    """A yearly check on a firm that left, for five years: is it still operating, with how many people."""

    __tablename__ = "incubatee_follow_ups"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_follow_ups_incubatee",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("park_id", "incubatee_id", "year_after", name="uq_follow_ups_park_incubatee_year"),
        sa.CheckConstraint("year_after BETWEEN 1 AND 5", name="year_after_in_range"),
    )

    incubatee_id: Mapped[UUID] = mapped_column(index=True)
    year_after: Mapped[int]
    followed_on: Mapped[datetime.date]
    operating: Mapped[bool]
    employees: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(sa.String(500), default="")


class Decision(ParkScoped, UUIDv7AuditBase):
    """An operator's answer to a recommendation, with the reason: accepting a graduation or a term overdue
    also records the firm's departure."""

    __tablename__ = "incubatee_decisions"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_incubatee_decisions_incubatee",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("park_id", "incubatee_id", "kind", "basis", name="uq_incubatee_decisions_basis"),
    )

    incubatee_id: Mapped[UUID] = mapped_column(index=True)
    kind: Mapped[RecommendationKind] = enum_column(RecommendationKind, "recommendation_kind")
    basis: Mapped[str] = mapped_column(sa.String(200))
    outcome: Mapped[DecisionOutcome] = enum_column(DecisionOutcome, "decision_outcome")
    reason: Mapped[str] = mapped_column(sa.String(500))
    decided_on: Mapped[datetime.date]
    decided_by: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


register_labels(
    {
        RecommendationKind.GRADUATE: N_("Ready to graduate"),
        RecommendationKind.TERM_OVERDUE: N_("Term overdue"),
        RecommendationKind.MISSED_REPORTS: N_("Two reports in a row missed"),
    }
)
register_labels(
    {
        GraduationCriterion.HIGH_TECH: N_("certified high-tech or tech-based SME"),
        GraduationCriterion.FUNDING: N_("funding of 1,000,000 yuan or more"),
        GraduationCriterion.REVENUE: N_("revenue of 3,000,000 yuan or more in a year"),
        GraduationCriterion.EMPLOYEES: N_("10 or more employees for 12 months"),
    }
)
register_labels(
    {
        DecisionOutcome.ACCEPTED: N_("Accepted"),
        DecisionOutcome.DISMISSED: N_("Dismissed"),
        ("entity", "incubatee_decisions"): N_("Decision on a recommendation"),
        ("field", "outcome"): N_("Decision"),
        ("field", "reason"): N_("Reason"),
    }
)
register_labels(  # target groups share the value "other" with the incubatee types: a call of their own
    {
        TargetGroup.RETURNING_MIGRANT_WORKER: N_("Returning migrant worker"),
        TargetGroup.COLLEGE_GRADUATE: N_("College graduate"),
        TargetGroup.RESEARCH_STAFF: N_("Research staff on leave"),
        TargetGroup.SECOND_TIME_ENTREPRENEUR: N_("Second-time entrepreneur"),
        TargetGroup.VETERAN: N_("Veteran"),
        TargetGroup.UNEMPLOYED: N_("Unemployed or laid-off"),
        TargetGroup.OTHER: N_("Other group"),
    }
)
register_labels(
    {
        IncubateeType.TECHNOLOGY: N_("Technology"),
        IncubateeType.E_COMMERCE: N_("E-commerce"),
        IncubateeType.PLANTING_BREEDING: N_("Planting and breeding"),
        IncubateeType.HANDICRAFT: N_("Traditional handicraft"),
        IncubateeType.SERVICES: N_("Services"),
        IncubateeType.OTHER: N_("Other"),
        IncubateeStatus.APPLICANT: N_("Applicant"),
        IncubateeStatus.INCUBATING: N_("Incubating"),
        IncubateeStatus.GRADUATED: N_("Graduated"),
        IncubateeStatus.EXITED: N_("Exited"),
        ExitReason.GRADUATION_CRITERIA: N_("Met the graduation criteria"),
        ExitReason.TERM_EXPIRED: N_("Term expired"),
        ExitReason.FOR_CAUSE: N_("For cause"),
        ExitReason.VOLUNTARY: N_("Left voluntarily"),
        ExitReason.CLOSED: N_("Closed down"),
        Gender.FEMALE: N_("Female"),
        Gender.MALE: N_("Male"),
        Education.PRIMARY: N_("Primary school or below"),
        Education.JUNIOR_SECONDARY: N_("Junior secondary"),
        Education.SENIOR_SECONDARY: N_("Senior secondary"),
        Education.VOCATIONAL: N_("Vocational school"),
        Education.JUNIOR_COLLEGE: N_("Junior college"),
        Education.BACHELOR: N_("Bachelor"),
        Education.POSTGRADUATE: N_("Postgraduate"),
        ("entity", "incubatees"): N_("Incubatee"),
        ("entity", "founders"): N_("Founder"),
        ("entity", "incubatee_follow_ups"): N_("Follow-up after leaving"),
        ("field", "year_after"): N_("Year after leaving"),
        ("field", "followed_on"): N_("Followed up on"),
        ("field", "operating"): N_("Still operating"),
        ("field", "employees"): N_("Employees"),
        ("field", "credit_code"): N_("Unified social credit code"),
        ("field", "registered_on"): N_("Registered on"),
        ("field", "industry"): N_("Industry"),
        ("field", "status"): N_("Status"),
        ("field", "applied_on"): N_("Applied on"),
        ("field", "admitted_on"): N_("Admitted on"),
        ("field", "term_ends_on"): N_("Term ends on"),
        ("field", "left_on"): N_("Left on"),
        ("field", "exit_reason"): N_("Reason for leaving"),
        ("field", "exit_note"): N_("Note"),
        ("field", "incubatee_id"): N_("Incubatee"),
        ("field", "phone"): N_("Phone"),
        ("field", "id_number_masked"): N_("Resident ID number"),
        ("field", "id_number_ciphertext"): N_("Resident ID number (encrypted)"),
        ("field", "id_number_digest"): N_("Resident ID number (lookup key)"),
        ("field", "target_group"): N_("Target group"),
        ("field", "gender"): N_("Gender"),
        ("field", "birth_year"): N_("Birth year"),
        ("field", "education"): N_("Education"),
    }
)
