import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.exc import IntegrityError

from incubator.db.portable import day_number, pinyin_key, pinyin_order
from incubator.db.scoped import ParkScopedService
from incubator.errors import Conflict, InvalidInput
from incubator.i18n import N_, _
from incubator.incubatees.models import Incubatee
from incubator.space.models import Building, Lease, Unit
from incubator.space.schemas import (
    BuildingCreate,
    LeaseCreate,
    LeaseFilter,
    LeaseUpdate,
    Occupancy,
    UnitCreate,
    UnitUpdate,
)

LONGEST_LEASE_YEARS = 50
"""Longer is a typing error (the rating's lease_years counts a lease's first 100 years)."""


class BuildingService(ParkScopedService[Building]):
    class Repo(SQLAlchemyAsyncRepository[Building]):
        model_type = Building

    repository_type = Repo
    not_found_message = N_("No such building.")

    async def list_buildings(self) -> Sequence[Building]:
        return await self.get_many(statement=self.repository.statement.order_by(pinyin_order(Building.name)))

    async def create_building(self, data: BuildingCreate) -> Building:
        if await self.get_one_or_none(Building.name == data.name):
            raise Conflict(_("This park already has a building with this name."), field="name")
        return await self.create(Building(park_id=self.park_id, **msgspec.structs.asdict(data)), auto_refresh=False)


class UnitService(ParkScopedService[Unit]):
    class Repo(SQLAlchemyAsyncRepository[Unit]):
        model_type = Unit

    repository_type = Repo
    not_found_message = N_("No such unit.")

    async def list_units(self, building_id: UUID | None, *, limit: int, offset: int) -> tuple[Sequence[Unit], int]:
        return await self.get_many_and_count(
            LimitOffset(limit=limit, offset=offset), statement=self.filtered(building_id)
        )

    def filtered(self, building_id: UUID | None) -> sa.Select[Any]:
        """The park's units (of one building, or all), by code."""
        conditions = [Unit.building_id == building_id] if building_id else []
        return self.repository.statement.where(*conditions).order_by(Unit.code, Unit.id)

    def with_buildings(self, building_id: UUID | None) -> sa.Select[Any]:
        """The list's units, each with its building's name (``building``)."""
        return (
            self.filtered(building_id)
            .join(Building, sa.and_(Building.park_id == Unit.park_id, Building.id == Unit.building_id))
            .add_columns(Building.name.label("building"))
        )

    async def create_unit(self, data: UnitCreate) -> Unit:
        await BuildingService(self.repository.session, self.park_id).get_in_park(data.building_id, field="building_id")
        await self._check_code(data.code)
        return await self.create(Unit(park_id=self.park_id, **msgspec.structs.asdict(data)), auto_refresh=False)

    async def update_unit(self, unit_id: UUID, data: UnitUpdate) -> Unit:
        unit = await self.get_in_park(unit_id, field="unit_id")
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "code" in values:
            await self._check_code(values["code"], exclude=unit_id)
        for key, value in values.items():
            setattr(unit, key, value)
        await self.repository.session.flush()
        return unit

    async def _check_code(self, code: str, exclude: UUID | None = None) -> None:
        clash = await self.get_one_or_none(Unit.code == code)
        if clash is not None and clash.id != exclude:
            raise Conflict(_("This park already has a unit with this code."), field="code")


class LeaseService(ParkScopedService[Lease]):
    class Repo(SQLAlchemyAsyncRepository[Lease]):
        model_type = Lease

    repository_type = Repo
    not_found_message = N_("No such lease.")

    async def list_leases(self, filters: LeaseFilter, *, limit: int, offset: int) -> tuple[Sequence[Lease], int]:
        return await self.get_many_and_count(LimitOffset(limit=limit, offset=offset), statement=self.filtered(filters))

    def filtered(self, filters: LeaseFilter) -> sa.Select[Any]:
        """The park's leases that the filters keep, the latest start first."""
        conditions: list[Any] = []
        if filters.unit_id:
            conditions.append(Lease.unit_id == filters.unit_id)
        if filters.incubatee_id:
            conditions.append(Lease.incubatee_id == filters.incubatee_id)
        if filters.active_on:
            conditions.extend([Lease.starts_on <= filters.active_on, Lease.ends_on >= filters.active_on])
        return self.repository.statement.where(*conditions).order_by(Lease.starts_on.desc(), Lease.id)

    def with_names(self, filters: LeaseFilter) -> sa.Select[Any]:
        """The list's leases with the unit's code (``unit``) and the firm's name and credit code."""
        return (
            self.filtered(filters)
            .join(Unit, sa.and_(Unit.park_id == Lease.park_id, Unit.id == Lease.unit_id))
            .join(Incubatee, sa.and_(Incubatee.park_id == Lease.park_id, Incubatee.id == Lease.incubatee_id))
            .add_columns(
                Unit.code.label("unit"), Incubatee.name.label("incubatee"), Incubatee.credit_code.label("credit_code")
            )
        )

    async def create_lease(self, data: LeaseCreate) -> Lease:
        session = self.repository.session
        await UnitService(session, self.park_id).get_in_park(data.unit_id, field="unit_id")
        incubatee = await session.scalar(
            sa.select(Incubatee.id).where(Incubatee.park_id == self.park_id, Incubatee.id == data.incubatee_id)
        )
        if incubatee is None:
            raise InvalidInput(_("No such incubatee in this park."), field="incubatee_id")
        lease = Lease(park_id=self.park_id, **msgspec.structs.asdict(data))
        self._check_dates(lease)
        await self._check_overlap(lease)
        session.add(lease)
        await self._flush_refusing_overlap()
        return lease

    async def update_lease(self, lease_id: UUID, data: LeaseUpdate) -> Lease:
        lease = await self.get_in_park(lease_id, field="lease_id")
        for key, value in msgspec.structs.asdict(data).items():
            if value is not msgspec.UNSET:
                setattr(lease, key, value)
        self._check_dates(lease)
        await self._check_overlap(lease)
        await self._flush_refusing_overlap()
        return lease

    async def ending_between(self, first_day: datetime.date, last_day: datetime.date) -> list[tuple[Lease, str, str]]:
        """Leases that end in a period, with the unit code and the firm's name, soonest first."""
        rows = await self.repository.session.execute(
            sa.select(Lease, Unit.code, Incubatee.name)
            .join(Unit, sa.and_(Unit.park_id == Lease.park_id, Unit.id == Lease.unit_id))
            .join(Incubatee, sa.and_(Incubatee.park_id == Lease.park_id, Incubatee.id == Lease.incubatee_id))
            .where(Lease.park_id == self.park_id, Lease.ends_on >= first_day, Lease.ends_on <= last_day)
            .order_by(Lease.ends_on)
        )
        return [(lease, code, firm) for lease, code, firm in rows]

    async def tenants_on(self, day: datetime.date) -> dict[UUID, str]:
        """Which incubatee holds each let unit on a day: unit id → firm name, in one query."""
        rows = await self.repository.session.execute(
            sa.select(Lease.unit_id, Incubatee.name)
            .join(Incubatee, sa.and_(Incubatee.park_id == Lease.park_id, Incubatee.id == Lease.incubatee_id))
            .where(Lease.park_id == self.park_id, Lease.starts_on <= day, Lease.ends_on >= day)
        )
        return {unit_id: name for unit_id, name in rows}

    async def occupancy(self, first_day: datetime.date, last_day: datetime.date) -> list[Occupancy]:
        """Day-weighted occupancy of the rentable space over a period, per building and for the park
        (the last row, ``building_id`` None). Two grouped queries, whatever the number of units."""
        if last_day < first_day:
            raise InvalidInput(_("The end of the period is before its start."), field="to")
        days = (last_day - first_day).days + 1
        session = self.repository.session
        rentable = (
            sa.select(
                Building.id,
                Building.name,
                sa.func.coalesce(sa.func.sum(Unit.area_m2), 0),
                sa.func.coalesce(sa.func.sum(Unit.seats), 0),
            )
            .select_from(Building)
            .outerjoin(
                Unit,
                sa.and_(
                    Unit.park_id == Building.park_id, Unit.building_id == Building.id, Unit.free_or_common.is_(False)
                ),
            )
            .where(Building.park_id == self.park_id)
            .group_by(Building.id, Building.name)
        )
        start = sa.case((Lease.starts_on < first_day, sa.literal(first_day)), else_=Lease.starts_on)
        end = sa.case((Lease.ends_on > last_day, sa.literal(last_day)), else_=Lease.ends_on)
        overlap_days = day_number(end) - day_number(start) + 1
        occupied = (
            sa.select(
                Unit.building_id, sa.func.sum(Unit.area_m2 * overlap_days), sa.func.sum(Unit.seats * overlap_days)
            )
            .select_from(Lease)
            .join(Unit, sa.and_(Unit.park_id == Lease.park_id, Unit.id == Lease.unit_id))
            .where(
                Lease.park_id == self.park_id,
                Unit.free_or_common.is_(False),
                Lease.starts_on <= last_day,
                Lease.ends_on >= first_day,
            )
            .group_by(Unit.building_id)
        )
        used = {row[0]: (Decimal(row[1] or 0), float(row[2] or 0)) for row in await session.execute(occupied)}
        rows = []
        for building_id, name, area, seats in await session.execute(rentable):
            area_days, seat_days = used.get(building_id, (Decimal(0), 0.0))
            rows.append(_occupancy(building_id, name, Decimal(area), int(seats), area_days, seat_days, days))
        rows.sort(key=lambda row: pinyin_key(row.building))
        total_area = sum((Decimal(r.rentable_area_m2) for r in rows), Decimal(0))
        total_seats = sum(r.seats for r in rows)
        area_days = sum((used[b][0] for b in used), Decimal(0))
        seat_days = sum(used[b][1] for b in used)
        rows.append(_occupancy(None, _("Whole park"), total_area, total_seats, area_days, seat_days, days))
        return rows

    @staticmethod
    def _check_dates(lease: Lease) -> None:
        if lease.ends_on < lease.starts_on:
            raise InvalidInput(_("The lease ends before it starts."), field="ends_on")
        if lease.ends_on.year - lease.starts_on.year >= LONGEST_LEASE_YEARS:
            message = _("A lease runs for at most {years} years.").format(years=LONGEST_LEASE_YEARS)
            raise InvalidInput(message, field="ends_on")
        if lease.rent_free_until and not lease.starts_on <= lease.rent_free_until <= lease.ends_on:
            raise InvalidInput(_("The rent-free period must fall within the lease."), field="rent_free_until")

    async def _check_overlap(self, lease: Lease) -> None:
        clash = await self.repository.session.scalar(
            sa.select(Lease).where(
                Lease.park_id == self.park_id,
                Lease.unit_id == lease.unit_id,
                Lease.id != lease.id if lease.id else sa.true(),
                Lease.starts_on <= lease.ends_on,
                Lease.ends_on >= lease.starts_on,
            )
        )
        if clash is not None:
            raise Conflict(
                _(
                    "The unit is already let from %(start)s to %(end)s (lease %(lease)s).",
                    start=clash.starts_on,
                    end=clash.ends_on,
                    lease=clash.id,
                ),
                field="starts_on",
            )

    async def _flush_refusing_overlap(self) -> None:
        """The database has the last word: a lease written by another request at the same moment."""
        try:
            await self.repository.session.flush()
        except IntegrityError as exc:
            if "overlap" in str(exc.orig) or "leases_no_overlap" in str(exc.orig):
                raise Conflict(
                    _("Another lease of this unit was just recorded for these dates."), field="starts_on"
                ) from exc
            raise


def _occupancy(
    building_id: UUID | None, name: str, area: Decimal, seats: int, area_days: Decimal, seat_days: float, days: int
) -> Occupancy:
    return Occupancy(
        building_id=building_id,
        building=name,
        rentable_area_m2=area,
        occupied_area_m2=(area_days / days).quantize(Decimal("0.01")),
        area_rate=round(float(area_days / (area * days)), 4) if area else 0.0,
        seats=seats,
        occupied_seats=round(seat_days / days, 2),
        seat_rate=round(seat_days / (seats * days), 4) if seats else 0.0,
    )
