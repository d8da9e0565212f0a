"""Incubatees with their founders from a spreadsheet in the export's layout: one row per founder, the firm's
columns repeated on each; a firm without founders has one row, its founder columns empty.

A firm is known by its credit code, or by its name when the file gives no code (names are unique in a
park too); a founder by the full ID number, or else by name within the firm. What the park already has is
loaded once. Existing firms are updated as their edit form would update them, and move on (admission,
departure) by the same rules as on their page; a step already taken is not changed by an import. Nothing is
ever deleted: a founder missing from the file stays."""

import enum
from collections import defaultdict
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from incubator.errors import DomainError
from incubator.exchange.importing import ImportKind, Outcome, Row, Sheet, Target, fields_of, given, write
from incubator.exchange.layouts import INCUBATEES
from incubator.i18n import N_, _, enum_label, gettext
from incubator.incubatees.models import Founder, Incubatee, IncubateeStatus
from incubator.incubatees.schemas import Departure, FounderCreate, FounderUpdate, IncubateeCreate, IncubateeUpdate
from incubator.incubatees.services import ID_NUMBER_TAKEN, NAME_TAKEN, IncubateeService

FIRM = {name: name for name in IncubateeCreate.__struct_fields__}
DEPARTURE = {"left_on": "left_on", "reason": "exit_reason", "note": "exit_note"}
FOUNDER = {name: f"founder_{name}" for name in FounderCreate.__struct_fields__}
EDITABLE = IncubateeUpdate.__struct_fields__
FIRM_KEYS = [c.key for c in INCUBATEES.columns if not c.key.startswith("founder_")]


def _filled(row: Row, keys: Any) -> bool:
    return any(row.cells.get(key) for key in keys)


class FirmImport:
    def __init__(self, target: Target, sheet: Sheet) -> None:
        assert target.park_id is not None
        self.service = IncubateeService(target.session, target.park_id, target.personal_data)
        self.session = target.session
        self.sheet = sheet
        self.outcome = Outcome()
        self.new_firms: list[Incubatee] = []
        self.new_founders: list[Founder] = []

    async def run(self) -> Outcome:
        sheet = self.sheet
        firms: dict[Any, list[Row]] = defaultdict(list)
        for row in sheet.rows:
            code = row.cells.get("credit_code", "")
            firms[("code", code) if code else ("name", row.cells["name"])].append(row)
        repeated = sheet.duplicates([rows[0] for rows in firms.values()], "name", lambda r: r.cells["name"])
        await self._load()
        for rows in firms.values():
            if rows[0].number not in repeated:
                self._firm(rows)
        sheet.check()
        await write(self.session, self.new_firms, self.new_founders)
        return self.outcome

    async def _load(self) -> None:
        park = self.service.park_id
        firms = (await self.session.scalars(sa.select(Incubatee).where(Incubatee.park_id == park))).all()
        self.by_code = {f.credit_code: f for f in firms if f.credit_code}
        self.by_name = {f.name: f for f in firms}
        founders = (await self.session.scalars(sa.select(Founder).where(Founder.park_id == park))).all()
        self.by_digest = {f.id_number_digest: f for f in founders if f.id_number_digest}
        self.founders_of: dict[UUID, list[Founder]] = defaultdict(list)
        for founder in founders:
            self.founders_of[founder.incubatee_id].append(founder)
        self.rows_of: dict[object, int] = {}
        """Founders (and ID digests) the file has named so far, with the row that named them."""

    def _firm(self, rows: list[Row]) -> None:
        sheet, first = self.sheet, rows[0]
        for row in rows[1:]:
            for key in FIRM_KEYS:
                if sheet.has(key) and row.cells[key] != first.cells[key]:
                    sheet.add(row.number, key, _("The firm's details differ from row %(row)s.", row=first.number))
        data = sheet.build(first, IncubateeCreate, FIRM)
        leaving = _filled(first, DEPARTURE.values())
        departure = sheet.build(first, Departure, DEPARTURE) if leaving else None
        founders = [(row, self._founder_data(row)) for row in rows if _filled(row, FOUNDER.values())]
        if data is None or (leaving and departure is None):
            return
        firm = self.by_code.get(data.credit_code or "") or self.by_name.get(data.name)
        try:
            if firm is None:
                firm, created, changed = self.service.new_incubatee(data), True, True
                if departure is not None:
                    self.service.leave(firm, departure)
                self.new_firms.append(firm)
            else:
                created, changed = False, self._update(first, firm, data, departure)
        except DomainError as exc:
            sheet.refuse(first.number, exc, {"status": "left_on" if departure else "admitted_on", **DEPARTURE})
            return
        for row, founder in founders:
            if founder is not None:
                changed = self._founder(row, firm, founder) or changed
        self.outcome.count(created, changed)

    def _update(self, row: Row, firm: Incubatee, data: IncubateeCreate, departure: Departure | None) -> bool:
        """The firm's editable fields as the file gives them, and the steps it has not taken yet."""
        other = self.by_name.get(data.name)
        if other is not None and other is not firm:
            self.sheet.add(row.number, "name", gettext(NAME_TAKEN))
        if firm.credit_code and data.credit_code and firm.credit_code != data.credit_code:  # found by name
            message = _("The park's firm of this name has the credit code %(code)s.", code=firm.credit_code)
            self.sheet.add(row.number, "credit_code", message)
        changed = self.service.change(firm, given(row, data, FIRM, EDITABLE))
        taken: dict[str, tuple[Any, Any]] = {"applied_on": (data.applied_on, firm.applied_on)}
        if data.admitted_on and firm.status == IncubateeStatus.APPLICANT:
            self.service.admit_on(firm, data.admitted_on)
            changed = True
        else:
            taken["admitted_on"] = (data.admitted_on, firm.admitted_on)
        if departure is not None and firm.status == IncubateeStatus.INCUBATING:
            self.service.leave(firm, departure)
            changed = True
        elif departure is not None:
            taken |= {"left_on": (departure.left_on, firm.left_on), "exit_reason": (departure.reason, firm.exit_reason)}
        for key, (in_file, recorded) in taken.items():
            if in_file and in_file != recorded:
                self.sheet.add(row.number, key, _taken_step(recorded))
        return changed

    def _founder_data(self, row: Row) -> FounderCreate | None:
        """A masked ID number (as an export shows it) is no number to write: the founder's stays as it is."""
        columns = dict(FOUNDER)
        if "*" in row.cells.get("founder_id_number", ""):
            del columns["id_number"]
        return self.sheet.build(row, FounderCreate, columns)

    def _founder(self, row: Row, firm: Incubatee, data: FounderCreate) -> bool:
        sheet = self.sheet
        digest = self.service.personal_data.digest(data.id_number) if data.id_number else None
        founder = self.by_digest.get(digest) if digest else None
        if founder is not None and founder.incubatee_id != firm.id:
            sheet.add(row.number, "founder_id_number", gettext(ID_NUMBER_TAKEN))
            return False
        if founder is None:  # by name within the firm, unless both have ID numbers (two people of one name)
            founder = next(
                (f for f in self.founders_of[firm.id] if f.name == data.name and not (digest and f.id_number_digest)),
                None,
            )
        for seen, key in ((digest, "founder_id_number"), (founder, "founder_name")):
            if seen is not None and seen in self.rows_of:
                sheet.add(
                    row.number, key, _("Also in row %(row)s: each record once in a file.", row=self.rows_of[seen])
                )
                return False
        masked = row.cells.get("founder_id_number", "")
        if "*" in masked and (founder is None or founder.id_number_masked != masked):
            sheet.add(
                row.number, "founder_id_number", _("A masked ID number is read only for a founder on file with it.")
            )
            return False
        values = given(row, data, FOUNDER, FounderUpdate.__struct_fields__)
        if data.id_number is None:
            values.pop("id_number", None)  # masked: the number on file stays
        created = founder is None
        if founder is None:
            founder = Founder(
                park_id=firm.park_id, incubatee_id=firm.id, name=data.name, target_group=data.target_group
            )
            self.founders_of[firm.id].append(founder)
            self.new_founders.append(founder)
        self.rows_of[founder] = row.number
        if digest:
            self.rows_of[digest] = row.number
        return self.service.set_founder(founder, values) or created


def _taken_step(recorded: Any) -> str:
    return _(
        "The firm's record says %(value)s here: an import does not change a step already taken.",
        value=enum_label(recorded) if isinstance(recorded, enum.Enum) else recorded or "—",
    )


async def import_incubatees(target: Target, sheet: Sheet) -> Outcome:
    return await FirmImport(target, sheet).run()


KIND = ImportKind(
    key="incubatees",
    layout=INCUBATEES,
    required=frozenset({"name", "kind"}),
    fields={
        **fields_of(IncubateeCreate, FIRM),
        **fields_of(Departure, DEPARTURE),
        **fields_of(FounderCreate, FOUNDER),
    },
    notes={
        "name": N_("Unique in the park. A firm without a credit code is known by its name."),
        "credit_code": N_("18 characters (GB 32100). A firm already in the park with this code is updated."),
        "status": N_("Follows from the dates: not read by the import."),
        "term_ends_on": N_("Follows from the admission date and the type of firm: not read by the import."),
        "applied_on": N_("Today when empty."),
        "admitted_on": N_("Empty for an applicant. A firm on file as an applicant is admitted on this day."),
        "left_on": N_("With the reason, for a firm that graduated or exited."),
        "founder_name": N_("One row per founder, the firm's columns repeated; empty for a firm without founders."),
        "exit_reason": N_("Required with the leaving date."),
        "founder_id_number": N_("18 characters (GB 11643). A masked number keeps the one on file."),
        "founder_target_group": N_("Required on a founder's row."),
    },
    sample={
        "name": "华龙区巧手草编工坊",
        "credit_code": "91410900MA3X4J1E2W",
        "kind": "handicraft",
        "industry": "手工编织",
        "registered_on": "2016-05-10",
        "applied_on": "2016-06-01",
        "admitted_on": "2016-06-15",
        "founder_name": "王秀英",
        "founder_phone": "13803930001",
        "founder_id_number": "410928198503150042",
        "founder_target_group": "returning_migrant_worker",
        "founder_gender": "female",
        "founder_birth_year": "1985",
        "founder_education": "senior_secondary",
    },
    run=import_incubatees,
    help=N_(
        "Firms already in the park (by credit code, or by name) are updated; founders already on file (by ID "
        "number, or by name within the firm) are updated; nothing is deleted."
    ),
)
