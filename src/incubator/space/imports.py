"""A park's units from a spreadsheet in the export's layout: the unit by its code, its building by name
(a building the park does not have yet is added). Units on file are updated; an import never moves a unit to
another building, nor deletes anything."""

from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.mixins.uuid import uuid7

from incubator.exchange.importing import ImportKind, Outcome, Sheet, Target, assign, fields_of, given, write
from incubator.exchange.layouts import UNITS
from incubator.i18n import N_, _
from incubator.space.models import Building, Unit
from incubator.space.schemas import BuildingCreate, UnitCreate, UnitUpdate

UNIT = {name: name for name in UnitCreate.__struct_fields__ if name != "building_id"}
EDITABLE = [name for name in UnitUpdate.__struct_fields__ if name != "code"]
_SOME_BUILDING = str(UUID(int=0))
"""The building is named in its own column: the unit's Struct is checked with a stand-in id."""


async def import_units(target: Target, sheet: Sheet) -> Outcome:
    assert target.park_id is not None
    session, park_id, outcome = target.session, target.park_id, Outcome()
    buildings = {b.name: b for b in await session.scalars(sa.select(Building).where(Building.park_id == park_id))}
    units = {u.code: u for u in await session.scalars(sa.select(Unit).where(Unit.park_id == park_id))}
    names = {b.id: name for name, b in buildings.items()}
    new_buildings: list[Building] = []
    new_units: list[Unit] = []
    repeated = sheet.duplicates(sheet.rows, "code", lambda row: row.cells["code"])
    for row in sheet.rows:
        building = sheet.build(row, BuildingCreate, {"name": "building"})
        data = sheet.build(row, UnitCreate, UNIT, {"building_id": _SOME_BUILDING})
        if building is None or data is None or row.number in repeated:
            continue
        if building.name not in buildings:
            buildings[building.name] = Building(id=uuid7(), park_id=park_id, name=building.name)
            new_buildings.append(buildings[building.name])
        building_id = buildings[building.name].id
        unit = units.get(data.code)
        if unit is None:
            new_units.append(Unit(park_id=park_id, **(msgspec.structs.asdict(data) | {"building_id": building_id})))
            outcome.count(created=True, changed=True)
        elif unit.building_id != building_id:
            sheet.add(
                row.number,
                "building",
                _("The unit is in %(building)s: an import does not move units.", building=names[unit.building_id]),
            )
        else:
            outcome.count(created=False, changed=assign(unit, given(row, data, UNIT, EDITABLE)))
    sheet.check()
    await write(session, new_buildings, new_units)
    return outcome


KIND = ImportKind(
    key="units",
    layout=UNITS,
    required=frozenset({"building", "code", "kind", "area_m2"}),
    fields={**fields_of(BuildingCreate, {"name": "building"}), **fields_of(UnitCreate, UNIT)},
    notes={
        "building": N_("A building the park does not have yet is added."),
        "code": N_("Unique in the park. A unit already in the park with this code is updated."),
    },
    sample={
        "building": "1号楼",
        "code": "A-101",
        "kind": "office",
        "area_m2": "48.5",
        "seats": "6",
        "monthly_rent": "1200",
        "free_or_common": False,
    },
    run=import_units,
    help=N_("Units already in the park (by code) are updated; nothing is deleted."),
)
