import datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile
from msgspec import Meta

from incubator.ratings.models import AdjustmentKind, RatingStatus, RoundStatus
from incubator.schemas import Input

Reason = Annotated[str, Meta(min_length=1, max_length=1000)]
Version = Annotated[int, Meta(ge=1, description="The rating's version as read: a stale one is refused with 409")]


class Transition(Input):
    version: Version


class Submission(Input):
    version: Version
    comment: Annotated[str, Meta(max_length=2000)] = ""


class Returning(Input):
    version: Version
    reason: Reason


class Revision(Input):
    version: Version
    reason: Reason


class Withdrawal(Input):
    version: Version
    reason: Reason


class CommentCreate(Input):
    body: Annotated[str, Meta(min_length=1, max_length=2000)]


class CommentRead(msgspec.Struct):
    id: UUID
    rating_id: UUID
    author_id: UUID | None
    author_name: str
    body: str
    created_at: datetime.datetime


class EvidenceUpload(Input):
    """A multipart upload: the file, and optionally the metric it supports."""

    file: UploadFile
    metric: Annotated[str, Meta(max_length=50)] | None = None


class EvidenceRead(msgspec.Struct):
    id: UUID
    rating_id: UUID
    metric: str | None
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: UUID | None
    created_at: datetime.datetime


class AdjustmentCreate(Input):
    version: Version
    metric: Annotated[str, Meta(min_length=1, max_length=50, description="The metric, indicator or veto key")]
    value: Decimal
    reason: Reason
    kind: AdjustmentKind = AdjustmentKind.VALUE
    """A metric's value, an indicator's points (in place of those its value scores), or a veto: 1 applies it,
    0 lifts it."""


class AdjustmentRead(msgspec.Struct):
    id: UUID
    kind: AdjustmentKind
    metric: str
    original_value: Decimal | None
    adjusted_value: Decimal
    reason: str
    created_at: datetime.datetime


class RatingRead(msgspec.Struct):
    id: UUID
    park_id: UUID
    round_id: UUID
    revision: int
    rubric_version: str
    status: RatingStatus
    total: Decimal
    stars: int
    failed: bool
    funding: Decimal
    exit_decision: str
    park_comment: str
    return_reason: str
    revision_reason: str
    withdrawal_reason: str
    metrics: dict[str, Any]
    breakdown: dict[str, Any]
    version: int = 0
    """Send it back with the next action (optimistic locking)."""
    adjustments: list[AdjustmentRead] = []


class PeriodOpening(Input):
    """The bureau opens a calendar year for rating; every park's draft is computed at once."""

    year: Annotated[int, Meta(ge=2000, le=2100)]
    rubric_version: Annotated[str, Meta(max_length=50)] = ""
    """Empty: the active rubric."""


class PeriodRead(msgspec.Struct):
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    rubric_version: str
    status: RoundStatus
    drafts: int | None = None
    """After opening or recomputing: the drafts computed."""
