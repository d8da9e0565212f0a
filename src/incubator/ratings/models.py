import datetime
import enum
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from advanced_alchemy.base import AdvancedDeclarativeBase, CommonTableAttributes
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import JSON_DOCUMENT, ParkScoped, UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels


class RoundStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class RatingStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"
    """A correction the bureau gave up before publishing it: the published rating it corrected stands."""


SET_ASIDE = (RatingStatus.SUPERSEDED, RatingStatus.WITHDRAWN)
"""Revisions no longer in force: replaced by a published correction, or a correction withdrawn."""
OPEN_CORRECTION = (RatingStatus.SUBMITTED, RatingStatus.UNDER_REVIEW, RatingStatus.RETURNED, RatingStatus.APPROVED)
"""The states of a correction (a revision from 2 on) that may still be withdrawn."""


def withdrawable(rating: "Rating") -> bool:
    return rating.revision > 1 and rating.status in OPEN_CORRECTION


def correctable(rating: "Rating", revisions: Sequence["Rating"]) -> bool:
    """A published rating of a period with no correction open (one at a time)."""
    in_progress = any(each.status not in (RatingStatus.PUBLISHED, *SET_ASIDE) for each in revisions)
    return rating.status == RatingStatus.PUBLISHED and not in_progress


class FirmYear(ParkScoped, CommonTableAttributes, AdvancedDeclarativeBase):
    """One firm's figures of one calendar year, from its periodic reports, mentor sessions and service
    deliveries: what the rating reads instead of those tables, which are the largest. Kept by database
    triggers (migration 0022) on every insert, update and delete of a report, a session or a delivery, each
    time recomputed from the rows of that firm and year; the application never writes it. What bypasses
    triggers (PostgreSQL's TRUNCATE, a restore with triggers disabled) bypasses it too, and a migration that
    rebuilds a source table (SQLite's batch mode) must create its triggers again (a test checks they are
    there). The rules it counts by (on time, technical, satisfied, policy support) are those of
    ``incubator.ratings.metrics``; the drill-down applies them to the rows themselves, and the tests compare."""

    __tablename__ = "firm_years"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_firm_years_incubatee",
            ondelete="CASCADE",
        ),
    )

    incubatee_id: Mapped[UUID] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    revenue: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), server_default="0")
    revenue_before: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), server_default="0")
    """The revenue of the year before (so that growth reads one row)."""
    funded_reports: Mapped[int] = mapped_column(server_default="0")
    """Reports giving new financing raised."""
    loan_reports: Mapped[int] = mapped_column(server_default="0")
    """Reports giving a loan taken."""
    reports_on_time: Mapped[int] = mapped_column(server_default="0")
    """Reports filed complete by their due date."""
    jobs: Mapped[int | None]
    """Employees at the latest report of the year that gives them."""
    sessions: Mapped[int] = mapped_column(server_default="0")
    """Mentor sessions held and confirmed by the park."""
    tech_services: Mapped[int] = mapped_column(server_default="0")
    """Technical support delivered (testing, design, IP, technology transfer)."""
    fees: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2), server_default="0")
    """Fees the park charged for its services."""
    rated_services: Mapped[int] = mapped_column(server_default="0")
    satisfied_services: Mapped[int] = mapped_column(server_default="0")
    """Rated 4 or 5 out of 5."""
    policy_services: Mapped[int] = mapped_column(server_default="0")
    """Guaranteed start-up loans and subsidies obtained through the park."""


class LeaseYear(ParkScoped, CommonTableAttributes, AdvancedDeclarativeBase):
    """One park's leases in one calendar year: the area × days leased of its rentable units, and the rent
    charged (after any rent-free months), by the rules of ``incubator.ratings.metrics.lease_figures``. Kept
    like ``FirmYear``, by triggers (migration 0023) on the leases and on the units' areas."""

    __tablename__ = "lease_years"

    year: Mapped[int] = mapped_column(primary_key=True)
    leased_area_days: Mapped[Decimal] = mapped_column(sa.Numeric(), server_default="0")
    rent: Mapped[Decimal] = mapped_column(sa.Numeric(), server_default="0")


class RatingRound(UUIDv7AuditBase):
    """A rating period the bureau opens (a calendar year by default), scored under one rubric version."""

    __tablename__ = "rating_rounds"

    label: Mapped[str] = mapped_column(sa.String(20), unique=True)
    starts_on: Mapped[datetime.date]
    ends_on: Mapped[datetime.date]
    rubric_version: Mapped[str] = mapped_column(sa.String(50))
    status: Mapped[RoundStatus] = enum_column(RoundStatus, "round_status", default=RoundStatus.OPEN)


class Rating(ParkScoped, UUIDv7AuditBase):
    """One park's assessment for one round: the metric values it used, frozen, and what they scored.
    A correction after publication is a new revision; the published one is superseded, never changed."""

    __tablename__ = "ratings"
    __table_args__ = (
        sa.UniqueConstraint("park_id", "round_id", "revision", name="uq_ratings_park_round_revision"),
        sa.CheckConstraint("stars BETWEEN 0 AND 5", name="stars_in_range"),
    )

    round_id: Mapped[UUID] = mapped_column(sa.ForeignKey("rating_rounds.id", ondelete="RESTRICT"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    rubric_version: Mapped[str] = mapped_column(sa.String(50))
    status: Mapped[RatingStatus] = enum_column(RatingStatus, "rating_status", default=RatingStatus.DRAFT)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON_DOCUMENT)
    """Metric key → {value, numerator, denominator}, as collected (adjustments are kept apart)."""
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSON_DOCUMENT)
    """The scoring result: indicator points, dimension subtotals, floors, vetoes, funding."""
    total: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    stars: Mapped[int]
    failed: Mapped[bool]
    funding: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    exit_decision: Mapped[str] = mapped_column(sa.String(20), default="")
    park_comment: Mapped[str] = mapped_column(sa.String(2000), default="")
    return_reason: Mapped[str] = mapped_column(sa.String(2000), default="")
    revision_reason: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    """Why the bureau opened this revision to correct the published one (empty for the first revision)."""
    withdrawal_reason: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    """Why the bureau withdrew this correction (empty unless withdrawn)."""
    lock_version: Mapped[int] = mapped_column(default=1)
    """Optimistic locking: two reviewers acting at once cannot both win."""

    __mapper_args__ = {"version_id_col": lock_version}


register_labels(
    {
        RoundStatus.OPEN: N_("Open for rating"),
        RoundStatus.CLOSED: N_("Rating closed"),
    }
)
register_labels(
    {
        RatingStatus.DRAFT: N_("Draft"),
        RatingStatus.SUBMITTED: N_("Submitted by the park"),
        RatingStatus.UNDER_REVIEW: N_("Under review"),
        RatingStatus.RETURNED: N_("Returned"),
        RatingStatus.APPROVED: N_("Approved"),
        RatingStatus.PUBLISHED: N_("Published"),
        RatingStatus.SUPERSEDED: N_("Superseded"),
        RatingStatus.WITHDRAWN: N_("Correction withdrawn"),
        ("entity", "rating_rounds"): N_("Rating period"),
        ("entity", "ratings"): N_("Star rating"),
        ("field", "version"): N_("Version"),
        ("field", "metric"): N_("Indicator"),
        ("field", "value"): N_("Value"),
        ("field", "park_comment"): N_("The park's comment"),
        ("field", "comment"): N_("Comment"),
        ("field", "body"): N_("Comment"),
        ("field", "file"): N_("File"),
        ("field", "revision_reason"): N_("Reason for the correction"),
        ("field", "withdrawal_reason"): N_("Reason for withdrawing"),
    }
)


class AdjustmentKind(enum.StrEnum):
    VALUE = "value"
    """A metric's value (``metric`` is the metric key)."""
    POINTS = "points"
    """An indicator's points, set in place of those its value scores."""
    VETO = "veto"
    """A veto applied (1) or lifted (0); ``metric`` is the veto's key."""


class RatingAdjustment(ParkScoped, UUIDv7AuditBase):
    """A reviewer's change to a rating — a metric value, an indicator's points or a veto — with the reason;
    what was there before stays on record, so both are shown. The latest change of a key counts."""

    __tablename__ = "rating_adjustments"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "rating_id"],
            ["ratings.park_id", "ratings.id"],
            name="fk_rating_adjustments_rating",
            ondelete="CASCADE",
        ),
    )

    rating_id: Mapped[UUID] = mapped_column(index=True)
    kind: Mapped[AdjustmentKind] = enum_column(
        AdjustmentKind, "adjustment_kind", default=AdjustmentKind.VALUE, server_default=AdjustmentKind.VALUE.value
    )
    metric: Mapped[str] = mapped_column(sa.String(50))
    original_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 4))
    adjusted_value: Mapped[Decimal] = mapped_column(sa.Numeric(16, 4))
    reason: Mapped[str] = mapped_column(sa.String(1000))
    adjusted_by: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class RatingComment(ParkScoped, UUIDv7AuditBase):
    """A message in the conversation on one rating between the park and the bureau."""

    __tablename__ = "rating_comments"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "rating_id"],
            ["ratings.park_id", "ratings.id"],
            name="fk_rating_comments_rating",
            ondelete="CASCADE",
        ),
    )

    rating_id: Mapped[UUID] = mapped_column(index=True)
    author_id: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.String(2000))


class RatingEvidence(ParkScoped, UUIDv7AuditBase):
    """A file the park attaches to its rating, optionally for one metric. The bytes are deferred: lists
    never load them, and the audit trail notes only that they were written."""

    __tablename__ = "rating_evidence"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "rating_id"],
            ["ratings.park_id", "ratings.id"],
            name="fk_rating_evidence_rating",
            ondelete="CASCADE",
        ),
    )
    __audit_exclude__ = frozenset({"content"})

    rating_id: Mapped[UUID] = mapped_column(index=True)
    metric: Mapped[str | None] = mapped_column(sa.String(50))
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True, deferred_raiseload=True)
    uploaded_by: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


register_labels(
    {
        ("entity", "rating_comments"): N_("Comment on a rating"),
        ("entity", "rating_evidence"): N_("Evidence of a rating"),
        ("entity", "rating_adjustments"): N_("Adjustment of a rating"),
        AdjustmentKind.VALUE: N_("Value"),
        AdjustmentKind.POINTS: N_("Points"),
        AdjustmentKind.VETO: N_("Veto"),
        ("exit", "provisional"): N_("Provisional (first year, not rated)"),
        ("exit", "continue"): N_("Continue"),
        ("exit", "downgrade"): N_("Downgrade"),
        ("exit", "rectify"): N_("Rectify within 6 months"),
        ("exit", "revoke"): N_("Revoke"),
    }
)
