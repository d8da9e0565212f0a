"""Rubric files the bureau uploads, and which version is active.

The packaged rubrics (``incubator/ratings/rubrics/*.toml``) are not stored: only uploads are. The active
version is the latest row of an append-only log of activations, so packaged and uploaded versions are
activated alike, every activation is on record (and in the audit trail), and two activations at once cannot
collide on a unique index; with no activation on record the active version is ``DEFAULT_VERSION``.
"""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import UUIDv7AuditBase
from incubator.i18n import N_, register_labels


class UploadedRubric(UUIDv7AuditBase):
    """A rubric file as uploaded: the TOML text, validated on upload and never changed afterwards."""

    __tablename__ = "rubrics"
    __audit_exclude__ = frozenset({"source"})
    """The trail keeps the file's sha256, not a copy of the file."""

    version: Mapped[str] = mapped_column(sa.String(50), unique=True)
    source: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class RubricActivation(UUIDv7AuditBase):
    """The bureau made ``version`` (packaged or uploaded) the one new rating periods open under."""

    __tablename__ = "rubric_activations"

    version: Mapped[str] = mapped_column(sa.String(50))
    activated_by: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


register_labels(
    {
        ("entity", "rubrics"): N_("Rating rubric"),
        ("entity", "rubric_activations"): N_("Activation of a rating rubric"),
        ("rubric_source", "packaged"): N_("Packaged"),
        ("rubric_source", "uploaded"): N_("Uploaded"),
        ("unit", "%"): N_("percent"),
        ("unit", "count"): N_("count"),
        ("unit", "per_firm"): N_("per incubatee"),
        ("unit", "per_10_firms"): N_("per 10 incubatees"),
        ("direction", "higher"): N_("higher"),
        ("direction", "lower"): N_("lower"),
    }
)
