import datetime
import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels


class ParkKind(enum.StrEnum):
    PARK = "park"
    DEMONSTRATION_POINT = "demonstration_point"


class ParkLevel(enum.StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    COUNTY = "county"


class ReportFrequency(enum.StrEnum):
    """How often a park's incubatees file their periodic reports (park policy)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Park(UUIDv7AuditBase):
    """An incubation park or demonstration point: the tenant of the service."""

    __tablename__ = "parks"

    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    kind: Mapped[ParkKind] = enum_column(ParkKind, "park_kind")
    level: Mapped[ParkLevel] = enum_column(ParkLevel, "park_level")
    district: Mapped[str] = mapped_column(sa.String(50), index=True)
    township: Mapped[str] = mapped_column(sa.String(100), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    incubation_area_m2: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), default=Decimal(0))
    operating_organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    recognised_on: Mapped[datetime.date | None]
    report_frequency: Mapped[ReportFrequency] = enum_column(
        ReportFrequency, "report_frequency", default=ReportFrequency.QUARTERLY, server_default="quarterly"
    )
    report_due_days: Mapped[int] = mapped_column(default=15, server_default="15")
    """Days after a period ends by which its report is due."""


register_labels(
    {
        ParkKind.PARK: N_("Incubation park"),
        ParkKind.DEMONSTRATION_POINT: N_("Demonstration point"),
        ParkLevel.NATIONAL: N_("National"),
        ParkLevel.PROVINCIAL: N_("Provincial"),
        ParkLevel.MUNICIPAL: N_("Municipal"),
        ParkLevel.COUNTY: N_("County"),
        ReportFrequency.MONTHLY: N_("Monthly"),
        ReportFrequency.QUARTERLY: N_("Quarterly"),
        ("entity", "parks"): N_("Park"),
        ("field", "name"): N_("Name"),
        ("field", "code"): N_("Code"),
        ("field", "kind"): N_("Kind"),
        ("field", "level"): N_("Level"),
        ("field", "district"): N_("District"),
        ("field", "township"): N_("Township"),
        ("field", "address"): N_("Address"),
        ("field", "incubation_area_m2"): N_("Incubation area (m²)"),
        ("field", "operating_organisation"): N_("Operating organisation"),
        ("field", "recognised_on"): N_("Recognised on"),
        ("field", "report_frequency"): N_("Periodic reports"),
        ("field", "report_due_days"): N_("Reports due (days after the period)"),
    }
)
