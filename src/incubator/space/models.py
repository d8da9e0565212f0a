import datetime
import enum
from decimal import Decimal
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import ParkScoped, UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels


class UnitKind(enum.StrEnum):
    OFFICE = "office"
    WORKSTATION = "workstation"
    WORKSHOP = "workshop"
    WAREHOUSE = "warehouse"
    LAND_PLOT = "land_plot"
    COMMON_AREA = "common_area"


class Building(ParkScoped, UUIDv7AuditBase):
    __tablename__ = "buildings"
    __table_args__ = (sa.UniqueConstraint("park_id", "name", name="uq_buildings_park_name"),)

    name: Mapped[str] = mapped_column(sa.String(100))
    address: Mapped[str] = mapped_column(sa.String(300), default="")


class Unit(ParkScoped, UUIDv7AuditBase):
    """A rentable piece of space, or a free or common-use one."""

    __tablename__ = "units"
    __table_args__ = (
        sa.UniqueConstraint("park_id", "code", name="uq_units_park_code"),
        sa.ForeignKeyConstraint(
            ["park_id", "building_id"], ["buildings.park_id", "buildings.id"], name="fk_units_building"
        ),
    )

    building_id: Mapped[UUID] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[UnitKind] = enum_column(UnitKind, "unit_kind")
    area_m2: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    seats: Mapped[int] = mapped_column(default=0)
    monthly_rent: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), default=Decimal(0))
    free_or_common: Mapped[bool] = mapped_column(default=False)


class Lease(ParkScoped, UUIDv7AuditBase):
    """An incubatee's occupancy of a unit from ``starts_on`` to ``ends_on``, both days included.

    No two leases of a unit overlap: the service says which lease is in the way, and the database
    refuses it too (an exclusion constraint on PostgreSQL, a trigger on SQLite), so two requests at
    the same moment cannot both win."""

    __tablename__ = "leases"
    __table_args__ = (
        sa.ForeignKeyConstraint(["park_id", "unit_id"], ["units.park_id", "units.id"], name="fk_leases_unit"),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_leases_incubatee"
        ),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.Index("ix_leases_park_unit_dates", "park_id", "unit_id", "starts_on"),
    )

    unit_id: Mapped[UUID] = mapped_column(index=True)
    incubatee_id: Mapped[UUID] = mapped_column(index=True)
    starts_on: Mapped[datetime.date]
    ends_on: Mapped[datetime.date]
    monthly_rent: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    rent_free_until: Mapped[datetime.date | None]
    deposit: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), default=Decimal(0))


register_labels(
    {
        UnitKind.OFFICE: N_("Office"),
        UnitKind.WORKSTATION: N_("Workstation"),
        UnitKind.WORKSHOP: N_("Workshop"),
        UnitKind.WAREHOUSE: N_("Warehouse"),
        UnitKind.LAND_PLOT: N_("Land plot"),
        UnitKind.COMMON_AREA: N_("Common area"),
        ("entity", "buildings"): N_("Building"),
        ("entity", "units"): N_("Unit"),
        ("entity", "leases"): N_("Lease"),
        ("field", "building_id"): N_("Building"),
        ("field", "unit_id"): N_("Unit"),
        ("field", "area_m2"): N_("Area (m²)"),
        ("field", "seats"): N_("Seats"),
        ("field", "monthly_rent"): N_("Monthly rent (yuan)"),
        ("field", "free_or_common"): N_("Free or common use"),
        ("field", "starts_on"): N_("Starts on"),
        ("field", "ends_on"): N_("Ends on (inclusive)"),
        ("field", "rent_free_until"): N_("Rent free until"),
        ("field", "deposit"): N_("Deposit (yuan)"),
    }
)
