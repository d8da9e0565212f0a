import datetime
import enum
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import ParkScoped, UUIDv7AuditBase
from incubator.i18n import N_, register_labels


class Certificate(ParkScoped, UUIDv7AuditBase):
    """The star certificate of a published rating: the code printed on it (and in its QR code) that anyone may
    check at ``/verify/{code}``. Issued when the rating is published; one per rating, never changed: whether it
    still holds is read from the ratings (superseded by a correction, revoked by a later period)."""

    __tablename__ = "certificates"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "rating_id"],
            ["ratings.park_id", "ratings.id"],
            name="fk_certificates_rating",
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint("park_id", "rating_id", name="uq_certificates_park_rating"),
        # Unique with the park, as every key of a park-scoped table (see DESIGN §5); the code alone is looked up
        # through its index, and 16 random characters of 31 make two alike as good as impossible.
        sa.UniqueConstraint("park_id", "code", name="uq_certificates_park_code"),
    )

    rating_id: Mapped[UUID]
    code: Mapped[str] = mapped_column(sa.String(16), index=True)
    issued_on: Mapped[datetime.date]
    """The day printed on it: the calendar's today (the demo city's own day in demo mode)."""


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    SUPERSEDED = "superseded"
    """A correction of the same period replaced the rating."""
    REVOKED = "revoked"
    """A later published rating of the park decided to revoke it."""


register_labels(
    {
        CertificateStatus.VALID: N_("Valid"),
        CertificateStatus.SUPERSEDED: N_("Superseded by a corrected rating"),
        CertificateStatus.REVOKED: N_("Revoked"),
        ("entity", "certificates"): N_("Star certificate"),
    }
)
