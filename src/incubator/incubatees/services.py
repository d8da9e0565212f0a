import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.mixins.uuid import uuid7
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from incubator.audit.trail import record
from incubator.clock import today
from incubator.db.portable import pinyin_order
from incubator.db.scoped import ParkScopedService
from incubator.errors import Conflict, InvalidInput, NotFound
from incubator.i18n import N_, _, gettext
from incubator.incubatees.models import ExitReason, FollowUp, Founder, Incubatee, IncubateeStatus
from incubator.incubatees.rules import entered_too_late, term_end
from incubator.incubatees.schemas import (
    Admission,
    Departure,
    FollowUpCreate,
    FounderCreate,
    FounderUpdate,
    IncubateeCreate,
    IncubateeFilter,
    IncubateeUpdate,
)
from incubator.protection import PersonalData, mask_id_number
from incubator.ratings.rubric import incubatee_rules

NAME_TAKEN = N_("This park already has an incubatee with this name.")
TAKEN = {"name": NAME_TAKEN, "credit_code": N_("This park already has an incubatee with this credit code.")}
ID_NUMBER_TAKEN = N_("A founder with this ID number is already registered in this park.")

SORTS = {
    "name": lambda: pinyin_order(Incubatee.name),
    "admitted_on": lambda: Incubatee.admitted_on.desc(),
    "term_ends_on": lambda: Incubatee.term_ends_on,
    "applied_on": lambda: Incubatee.applied_on.desc(),
}


class IncubateeService(ParkScopedService[Incubatee]):
    """A park's incubatees and their founders: the firm is the aggregate, founders belong to it."""

    class Repo(SQLAlchemyAsyncRepository[Incubatee]):
        model_type = Incubatee

    repository_type = Repo
    not_found_message = N_("No such incubatee.")

    def __init__(self, session: AsyncSession, park_id: UUID, personal_data: PersonalData | None = None) -> None:
        """``personal_data`` (the keys for ID numbers) is needed only to write or reveal them."""
        super().__init__(session, park_id, load=[selectinload(Incubatee.founders)])
        self._personal_data = personal_data

    @property
    def personal_data(self) -> PersonalData:
        if self._personal_data is None:
            raise RuntimeError("IncubateeService was built without the personal-data keys")
        return self._personal_data

    async def names_of(self, incubatee_ids: Sequence[UUID]) -> dict[UUID, str]:
        rows = await self.repository.session.execute(
            sa.select(Incubatee.id, Incubatee.name).where(
                Incubatee.park_id == self.park_id, Incubatee.id.in_(list(incubatee_ids))
            )
        )
        return {incubatee_id: name for incubatee_id, name in rows}

    async def list_incubatees(
        self, filters: IncubateeFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Incubatee], int]:
        return await self.get_many_and_count(LimitOffset(limit=limit, offset=offset), statement=self.filtered(filters))

    def filtered(self, filters: IncubateeFilter) -> sa.Select[Any]:
        """The park's firms that the list's filters keep, in the list's order."""
        conditions: list[Any] = []
        if filters.q.strip():
            pattern = f"%{filters.q.strip()}%"
            conditions.append(
                sa.or_(
                    Incubatee.name.ilike(pattern),
                    Incubatee.credit_code.ilike(pattern),
                    Incubatee.industry.ilike(pattern),
                )
            )
        if filters.status:
            conditions.append(Incubatee.status == filters.status)
        if filters.kind:
            conditions.append(Incubatee.kind == filters.kind)
        order = SORTS.get(filters.sort, SORTS["name"])()
        return self.repository.statement.where(*conditions).order_by(order, Incubatee.id)

    def with_founders(self, filters: IncubateeFilter) -> sa.Select[Any]:
        """The list's firms, each with each of its founders (a firm without founders once, with None)."""
        return (
            self.filtered(filters)
            .outerjoin(Founder, sa.and_(Founder.park_id == Incubatee.park_id, Founder.incubatee_id == Incubatee.id))
            .add_columns(Founder)
            .order_by(Founder.created_at, Founder.id)
        )

    async def reveal_id_numbers(self, filters: IncubateeFilter) -> None:
        """Full ID numbers are about to leave in an export: each founder's goes to the audit trail, as a
        reveal on screen does."""
        firms = self.filtered(filters).order_by(None).with_only_columns(Incubatee.id).subquery()
        founders = await self.repository.session.scalars(
            sa.select(Founder.id).where(
                Founder.park_id == self.park_id,
                Founder.incubatee_id.in_(sa.select(firms.c.id)),
                Founder.id_number_ciphertext.is_not(None),
            )
        )
        for founder_id in founders:
            record(self.repository.session, "reveal", "founders", founder_id)

    def id_number_of(self, founder: Founder | None) -> str | None:
        """A founder's full ID number (None when there is none on file)."""
        if founder is None or not founder.id_number_ciphertext:
            return None
        return self.personal_data.open(founder.id_number_ciphertext)

    async def past_their_term(self, day: datetime.date) -> Sequence[Incubatee]:
        """Firms still incubating after their term ended: the operator must decide on them."""
        return await self.get_many(
            Incubatee.status == IncubateeStatus.INCUBATING,
            Incubatee.term_ends_on < day,
            statement=self.repository.statement.order_by(Incubatee.term_ends_on),
        )

    async def create_incubatee(self, data: IncubateeCreate) -> Incubatee:
        await self._check_unique(msgspec.structs.asdict(data))
        return await self.create(self.new_incubatee(data), auto_refresh=False)

    def new_incubatee(self, data: IncubateeCreate) -> Incubatee:
        """An applicant (admitted at once with ``admitted_on``), not yet added to the session; its name and
        credit code are the caller's to check."""
        values = msgspec.structs.asdict(data)
        admitted_on = values.pop("admitted_on")
        values["applied_on"] = values["applied_on"] or today()
        incubatee = Incubatee(id=uuid7(), park_id=self.park_id, status=IncubateeStatus.APPLICANT, founders=[], **values)
        if admitted_on is not None:
            self.admit_on(incubatee, admitted_on)
        return incubatee

    async def update_incubatee(self, incubatee_id: UUID, data: IncubateeUpdate) -> Incubatee:
        incubatee = await self.get_in_park(incubatee_id, field="incubatee_id")
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        await self._check_unique(values, exclude=incubatee_id)
        self.change(incubatee, values)
        await self.repository.session.flush()
        return incubatee

    @staticmethod
    def change(incubatee: Incubatee, values: dict[str, Any]) -> bool:
        """Set the fields of an :class:`IncubateeUpdate` (a kind changed moves the term's end); whether any
        value changed."""
        changed = {key: value for key, value in values.items() if getattr(incubatee, key) != value}
        for key, value in changed.items():
            setattr(incubatee, key, value)
        if "kind" in changed and incubatee.admitted_on is not None:
            incubatee.term_ends_on = term_end(incubatee.admitted_on, incubatee.kind, incubatee_rules())
        return bool(changed)

    async def admit(self, incubatee_id: UUID, data: Admission) -> Incubatee:
        incubatee = await self.get_in_park(incubatee_id, field="incubatee_id")
        if incubatee.status != IncubateeStatus.APPLICANT:
            raise Conflict(_("Only an applicant can be admitted."), field="status")
        self.admit_on(incubatee, data.admitted_on)
        await self.repository.session.flush()
        return incubatee

    async def depart(self, incubatee_id: UUID, data: Departure) -> Incubatee:
        incubatee = await self.get_in_park(incubatee_id, field="incubatee_id")
        self.leave(incubatee, data)
        await self.repository.session.flush()
        return incubatee

    @staticmethod
    def leave(incubatee: Incubatee, data: Departure) -> None:
        if incubatee.status != IncubateeStatus.INCUBATING:
            raise Conflict(_("Only an incubating firm can graduate or exit."), field="status")
        if incubatee.admitted_on and data.left_on < incubatee.admitted_on:
            raise InvalidInput(_("The leaving date is before the admission date."), field="left_on")
        graduated = data.reason == ExitReason.GRADUATION_CRITERIA
        incubatee.status = IncubateeStatus.GRADUATED if graduated else IncubateeStatus.EXITED
        incubatee.left_on = data.left_on
        incubatee.exit_reason = data.reason
        incubatee.exit_note = data.note

    def admit_on(self, incubatee: Incubatee, admitted_on: datetime.date) -> None:
        if admitted_on < incubatee.applied_on:
            raise InvalidInput(_("The admission date is before the application date."), field="admitted_on")
        rules = incubatee_rules()
        if entered_too_late(incubatee.registered_on, admitted_on, rules):
            raise InvalidInput(
                _("A firm registered more than {months} months before admission cannot enter incubation.").format(
                    months=rules.entry_months
                ),
                field="admitted_on",
            )
        incubatee.status = IncubateeStatus.INCUBATING
        incubatee.admitted_on = admitted_on
        incubatee.term_ends_on = term_end(admitted_on, incubatee.kind, rules)

    async def _check_unique(self, values: dict[str, Any], exclude: UUID | None = None) -> None:
        for field, message in TAKEN.items():
            if values.get(field) is None:
                continue
            clash = await self.get_one_or_none(getattr(Incubatee, field) == values[field])
            if clash is not None and clash.id != exclude:
                raise Conflict(gettext(message), field=field)

    # Follow-ups after leaving

    async def follow_ups(self, incubatee_id: UUID) -> Sequence[FollowUp]:
        await self.get_in_park(incubatee_id, field="incubatee_id")
        rows = await self.repository.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.park_id == self.park_id, FollowUp.incubatee_id == incubatee_id)
            .order_by(FollowUp.year_after)
        )
        return rows.all()

    async def record_follow_up(self, incubatee_id: UUID, data: FollowUpCreate) -> FollowUp:
        """One check a year, for five years after the firm left (survival of new firms)."""
        incubatee = await self.get_in_park(incubatee_id, field="incubatee_id")
        if incubatee.left_on is None:
            raise Conflict(_("Follow-ups are recorded for firms that have left."), field="status")
        if data.followed_on < incubatee.left_on:
            raise InvalidInput(_("The follow-up is dated before the firm left."), field="followed_on")
        if any(f.year_after == data.year_after for f in await self.follow_ups(incubatee_id)):
            raise Conflict(_("This year's follow-up is already recorded."), field="year_after")
        if not data.operating and data.employees:
            raise InvalidInput(_("A firm that no longer operates has no employees."), field="employees")
        follow_up = FollowUp(park_id=self.park_id, incubatee_id=incubatee.id, **msgspec.structs.asdict(data))
        self.repository.session.add(follow_up)
        await self.repository.session.flush()
        return follow_up

    # Founders

    async def add_founder(self, incubatee_id: UUID, data: FounderCreate) -> Founder:
        incubatee = await self.get_in_park(incubatee_id, field="incubatee_id")
        founder = Founder(
            park_id=self.park_id, incubatee_id=incubatee.id, name=data.name, target_group=data.target_group
        )
        await self._apply_founder(founder, msgspec.structs.asdict(data))
        self.repository.session.add(founder)
        await self.repository.session.flush()
        return founder

    async def update_founder(self, incubatee_id: UUID, founder_id: UUID, data: FounderUpdate) -> Founder:
        founder = await self._founder(incubatee_id, founder_id)
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        await self._apply_founder(founder, values)
        await self.repository.session.flush()
        return founder

    async def remove_founder(self, incubatee_id: UUID, founder_id: UUID) -> None:
        founder = await self._founder(incubatee_id, founder_id)
        await self.repository.session.delete(founder)
        await self.repository.session.flush()

    async def reveal_id_number(self, incubatee_id: UUID, founder_id: UUID) -> str:
        """The full ID number, for the roles that need it; every reveal goes to the audit trail."""
        founder = await self._founder(incubatee_id, founder_id)
        if not founder.id_number_ciphertext:
            raise NotFound(_("No ID number is on file for this founder."), field="id_number")
        record(self.repository.session, "reveal", "founders", founder.id)
        return self.personal_data.open(founder.id_number_ciphertext)

    async def _founder(self, incubatee_id: UUID, founder_id: UUID) -> Founder:
        founder = await self.repository.session.scalar(
            sa.select(Founder).where(
                Founder.park_id == self.park_id, Founder.incubatee_id == incubatee_id, Founder.id == founder_id
            )
        )
        if founder is None:
            raise NotFound(_("No such founder."), field="founder_id")
        return founder

    async def _apply_founder(self, founder: Founder, values: dict[str, Any]) -> None:
        if values.get("id_number"):
            digest = self.personal_data.digest(values["id_number"])
            clash = await self.repository.session.scalar(
                sa.select(Founder.id).where(Founder.park_id == self.park_id, Founder.id_number_digest == digest)
            )
            if clash is not None and clash != founder.id:
                raise Conflict(gettext(ID_NUMBER_TAKEN), field="id_number")
        self.set_founder(founder, values)

    def set_founder(self, founder: Founder, values: dict[str, Any]) -> bool:
        """Set the fields of a :class:`FounderUpdate` (the ID number sealed, with its digest and masked form);
        whether any value changed. The ID number's uniqueness in the park is the caller's to check."""
        values = dict(values)
        changed = False
        if "id_number" in values:
            id_number = values.pop("id_number")
            digest = self.personal_data.digest(id_number) if id_number else None
            if digest != founder.id_number_digest:
                founder.id_number_ciphertext = self.personal_data.seal(id_number) if id_number else None
                founder.id_number_digest = digest
                founder.id_number_masked = mask_id_number(id_number or "")
                changed = True
        if "phone" in values:
            values["phone"] = values["phone"] or ""
        for key, value in values.items():
            if getattr(founder, key) != value:
                setattr(founder, key, value)
                changed = True
        return changed
