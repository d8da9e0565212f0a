import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import JSON_DOCUMENT, UUIDv7Base
from incubator.i18n import N_, register_labels


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class AuditEntry(UUIDv7Base):
    """One append-only record of who did what to which record, and when."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_park_occurred", "park_id", "occurred_at"),)

    occurred_at: Mapped[datetime.datetime] = mapped_column(default=_now, index=True)
    actor_id: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_email: Mapped[str] = mapped_column(sa.String(254), default="")
    park_id: Mapped[UUID | None] = mapped_column(sa.ForeignKey("parks.id", ondelete="RESTRICT"))
    action: Mapped[str] = mapped_column(sa.String(40))
    entity_type: Mapped[str] = mapped_column(sa.String(60), index=True)
    entity_id: Mapped[str] = mapped_column(sa.String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON_DOCUMENT, default=dict)


register_labels(
    {
        ("action", "create"): N_("Created"),
        ("action", "update"): N_("Changed"),
        ("action", "delete"): N_("Deleted"),
        ("action", "reveal"): N_("Revealed the ID number"),
        # What the trail records for a secret column instead of its value.
        "changed": N_("changed (not shown)"),
    }
)
