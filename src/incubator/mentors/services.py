import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.models import CityRole, User
from incubator.clock import today
from incubator.db.pool import PoolService
from incubator.db.portable import pinyin_order
from incubator.db.scoped import ParkScopedService
from incubator.db.tenancy import ALL_PARKS
from incubator.errors import Conflict, Forbidden, InvalidInput, NotFound
from incubator.i18n import N_, _
from incubator.incubatees.models import Incubatee, IncubateeStatus
from incubator.mentors.models import Assignment, Mentor, MentorSession, SessionStatus
from incubator.mentors.schemas import (
    AssignmentCreate,
    AssignmentEnd,
    HoursInPark,
    Mentee,
    MentorCreate,
    MentorHours,
    SessionCreate,
    SessionReturn,
    SessionUpdate,
)
from incubator.parks.models import Park


def _active_on(day: datetime.date) -> Any:
    return sa.and_(Assignment.starts_on <= day, sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= day))


def with_names(sessions: sa.Select[Any]) -> sa.Select[Any]:
    """Sessions with the names of their park (``park``), firm (``incubatee``) and mentor (``mentor``)."""
    return (
        sessions.join(Park, Park.id == MentorSession.park_id)
        .join(
            Incubatee,
            sa.and_(Incubatee.park_id == MentorSession.park_id, Incubatee.id == MentorSession.incubatee_id),
        )
        .join(Mentor, Mentor.id == MentorSession.mentor_id)
        .add_columns(Park.name.label("park"), Incubatee.name.label("incubatee"), Mentor.name.label("mentor"))
    )


class MentorService(PoolService[Mentor]):
    """The city-wide mentor pool."""

    class Repo(SQLAlchemyAsyncRepository[Mentor]):
        model_type = Mentor

    repository_type = Repo
    tags_column = "expertise"
    id_field = "mentor_id"
    not_found_message = N_("No such mentor.")

    async def create_mentor(self, data: MentorCreate) -> Mentor:
        if data.user_id is not None:
            user = await self.repository.session.get(User, data.user_id)
            if user is None or user.city_role != CityRole.MENTOR:
                raise InvalidInput(_("The account must exist and have the mentor role."), field="user_id")
            if await self.get_one_or_none(Mentor.user_id == data.user_id):
                raise Conflict(_("This account already has a mentor profile."), field="user_id")
        return await self.add_member(data)

    async def add_member(self, data: msgspec.Struct) -> Mentor:
        await self._phone_free(getattr(data, "phone", ""))
        return await super().add_member(data)

    async def update_member(self, member_id: UUID, data: msgspec.Struct) -> Mentor:
        phone = getattr(data, "phone", msgspec.UNSET)
        if isinstance(phone, str):
            await self._phone_free(phone, member_id)
        return await super().update_member(member_id, data)

    async def _phone_free(self, phone: str, member_id: UUID | None = None) -> None:
        """The phone tells a mentor of the pool from another: no two share one."""
        found = await self.get_one_or_none(Mentor.phone == phone) if phone else None
        if found is not None and found.id != member_id:
            raise Conflict(_("Another mentor of the pool has this phone."), field="phone")


class AssignmentService(ParkScopedService[Assignment]):
    class Repo(SQLAlchemyAsyncRepository[Assignment]):
        model_type = Assignment

    repository_type = Repo
    not_found_message = N_("No such mentor assignment.")

    async def list_assignments(
        self, incubatee_id: UUID | None, *, limit: int, offset: int
    ) -> tuple[Sequence[Assignment], int]:
        conditions = [Assignment.incubatee_id == incubatee_id] if incubatee_id else []
        return await self.get_many_and_count(
            *conditions,
            LimitOffset(limit=limit, offset=offset),
            statement=self.repository.statement.order_by(Assignment.starts_on.desc(), Assignment.id),
        )

    async def assign(self, data: AssignmentCreate) -> Assignment:
        session = self.repository.session
        mentor = await session.get(Mentor, data.mentor_id)
        if mentor is None or not mentor.active:
            raise InvalidInput(_("No such mentor in the pool."), field="mentor_id")
        status = await session.scalar(
            sa.select(Incubatee.status).where(Incubatee.park_id == self.park_id, Incubatee.id == data.incubatee_id)
        )
        if status is None:
            raise InvalidInput(_("No such incubatee in this park."), field="incubatee_id")
        if status != IncubateeStatus.INCUBATING:
            raise InvalidInput(_("Mentors are assigned to incubating firms only."), field="incubatee_id")
        if data.ends_on is not None and data.ends_on < data.starts_on:
            raise InvalidInput(_("The assignment ends before it starts."), field="ends_on")
        load = await session.scalar(
            sa.select(sa.func.count())
            .select_from(Assignment)
            .where(Assignment.mentor_id == mentor.id, _active_on(data.starts_on))
            .execution_options(**ALL_PARKS)
        )
        if (load or 0) >= mentor.max_mentees:
            raise Conflict(
                _("This mentor already has %(n)s mentees, the most they take.", n=mentor.max_mentees), field="mentor_id"
            )
        assignment = Assignment(park_id=self.park_id, **msgspec.structs.asdict(data))
        return await self.create(assignment, auto_refresh=False)

    async def end(self, assignment_id: UUID, data: AssignmentEnd) -> Assignment:
        assignment = await self.get_in_park(assignment_id, field="assignment_id")
        if data.ends_on < assignment.starts_on:
            raise InvalidInput(_("The assignment ends before it starts."), field="ends_on")
        assignment.ends_on = data.ends_on
        await self.repository.session.flush()
        return assignment


class SessionReviewService(ParkScopedService[MentorSession]):
    """A park's operators confirm the sessions mentors submit, or return them with a reason."""

    class Repo(SQLAlchemyAsyncRepository[MentorSession]):
        model_type = MentorSession

    repository_type = Repo
    not_found_message = N_("No such mentor session.")

    async def list_sessions(
        self, status: SessionStatus | None, *, limit: int, offset: int
    ) -> tuple[Sequence[MentorSession], int]:
        return await self.get_many_and_count(LimitOffset(limit=limit, offset=offset), statement=self.filtered(status))

    def filtered(self, status: SessionStatus | None) -> sa.Select[Any]:
        """The park's sessions in one status, or all but the mentors' drafts; the latest first."""
        condition = MentorSession.status == status if status else MentorSession.status != SessionStatus.DRAFT
        return self.repository.statement.where(condition).order_by(MentorSession.held_on.desc(), MentorSession.id)

    def with_names(self, status: SessionStatus | None) -> sa.Select[Any]:
        return with_names(self.filtered(status))

    async def count_waiting(self) -> int:
        """Sessions submitted by mentors and not yet confirmed or returned."""
        count = await self.repository.session.scalar(
            sa.select(sa.func.count())
            .select_from(MentorSession)
            .where(MentorSession.park_id == self.park_id, MentorSession.status == SessionStatus.SUBMITTED)
        )
        return count or 0

    async def names_for(self, sessions: Sequence[MentorSession]) -> dict[UUID, tuple[str, str]]:
        """Incubatee and mentor names of the listed sessions, in one query: session id → (firm, mentor)."""
        rows = await self.repository.session.execute(
            sa.select(MentorSession.id, Incubatee.name, Mentor.name)
            .join(
                Incubatee,
                sa.and_(Incubatee.park_id == MentorSession.park_id, Incubatee.id == MentorSession.incubatee_id),
            )
            .join(Mentor, Mentor.id == MentorSession.mentor_id)
            .where(MentorSession.id.in_([s.id for s in sessions]))
        )
        return {session_id: (firm, mentor) for session_id, firm, mentor in rows}

    async def confirm(self, session_id: UUID) -> MentorSession:
        return await self._decide(session_id, SessionStatus.CONFIRMED, "")

    async def return_to_mentor(self, session_id: UUID, data: SessionReturn) -> MentorSession:
        return await self._decide(session_id, SessionStatus.RETURNED, data.reason)

    async def _decide(self, session_id: UUID, status: SessionStatus, reason: str) -> MentorSession:
        logged = await self.get_in_park(session_id, field="session_id")
        if logged.status != SessionStatus.SUBMITTED:
            raise Conflict(_("Only a submitted session can be confirmed or returned."), field="status")
        logged.status = status
        logged.return_reason = reason
        await self.repository.session.flush()
        return logged


class MentorDeskAcrossParks:
    """A mentor's own work, in every park that assigned them: mentees, sessions, hours. It crosses
    parks by design, always filtered to this one mentor."""

    def __init__(self, session: AsyncSession, mentor: Mentor) -> None:
        self.session = session
        self.mentor = mentor

    @classmethod
    async def for_user(cls, session: AsyncSession, user_id: UUID) -> "MentorDeskAcrossParks":
        mentor = await session.scalar(sa.select(Mentor).where(Mentor.user_id == user_id, Mentor.active.is_(True)))
        if mentor is None:
            raise Forbidden(_("This account has no mentor profile in the pool."))
        return cls(session, mentor)

    async def mentees(self, day: datetime.date | None = None) -> list[Mentee]:
        rows = await self.session.execute(
            sa.select(Assignment, Park.name, Incubatee.name)
            .join(Park, Park.id == Assignment.park_id)
            .join(Incubatee, sa.and_(Incubatee.park_id == Assignment.park_id, Incubatee.id == Assignment.incubatee_id))
            .where(Assignment.mentor_id == self.mentor.id, _active_on(day or today()))
            .order_by(pinyin_order(Incubatee.name))
            .execution_options(**ALL_PARKS)
        )
        return [Mentee(a.id, a.park_id, park, a.incubatee_id, firm, a.starts_on, a.ends_on) for a, park, firm in rows]

    async def sessions(self, *, limit: int, offset: int) -> tuple[Sequence[MentorSession], int]:
        mine = MentorSession.mentor_id == self.mentor.id
        total = await self.session.scalar(
            sa.select(sa.func.count()).select_from(MentorSession).where(mine).execution_options(**ALL_PARKS)
        )
        items = await self.session.scalars(self.own_sessions().limit(limit).offset(offset))
        return items.all(), total or 0

    def own_sessions(self) -> sa.Select[Any]:
        """This mentor's sessions in every park, the latest first."""
        return (
            sa.select(MentorSession)
            .where(MentorSession.mentor_id == self.mentor.id)
            .order_by(MentorSession.held_on.desc(), MentorSession.id)
            .execution_options(**ALL_PARKS)
        )

    async def log(self, data: SessionCreate) -> MentorSession:
        assignment = await self.session.scalar(
            sa.select(Assignment)
            .where(Assignment.id == data.assignment_id, Assignment.mentor_id == self.mentor.id)
            .execution_options(**ALL_PARKS)
        )
        if assignment is None:
            raise InvalidInput(_("This incubatee is not assigned to you."), field="assignment_id")
        self._check_day(assignment, data.held_on)
        logged = MentorSession(
            park_id=assignment.park_id,
            mentor_id=self.mentor.id,
            incubatee_id=assignment.incubatee_id,
            status=SessionStatus.DRAFT,
            **msgspec.structs.asdict(data),
        )
        self.session.add(logged)
        await self.session.flush()
        return logged

    async def edit(self, session_id: UUID, data: SessionUpdate) -> MentorSession:
        logged = await self.mine(session_id)
        if logged.status not in (SessionStatus.DRAFT, SessionStatus.RETURNED):
            raise Conflict(_("A submitted or confirmed session can no longer be edited."), field="status")
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "held_on" in values:
            assignment = await self.session.scalar(
                sa.select(Assignment).where(Assignment.id == logged.assignment_id).execution_options(**ALL_PARKS)
            )
            assert assignment is not None
            self._check_day(assignment, values["held_on"])
        for key, value in values.items():
            setattr(logged, key, value)
        await self.session.flush()
        return logged

    async def submit(self, session_id: UUID) -> MentorSession:
        logged = await self.mine(session_id)
        if logged.status not in (SessionStatus.DRAFT, SessionStatus.RETURNED):
            raise Conflict(_("Only a draft or returned session can be submitted."), field="status")
        logged.status = SessionStatus.SUBMITTED
        await self.session.flush()
        return logged

    async def hours(self, year: int) -> MentorHours:
        """This year's sessions (all but drafts) and minutes, per park: one grouped query."""
        rows = (
            await self.session.execute(
                sa.select(Park.id, Park.name, sa.func.count(MentorSession.id), sa.func.sum(MentorSession.minutes))
                .join(Park, Park.id == MentorSession.park_id)
                .where(
                    MentorSession.mentor_id == self.mentor.id,
                    MentorSession.status != SessionStatus.DRAFT,
                    MentorSession.held_on >= datetime.date(year, 1, 1),
                    MentorSession.held_on <= datetime.date(year, 12, 31),
                )
                .group_by(Park.id, Park.name)
                .order_by(pinyin_order(Park.name))
                .execution_options(**ALL_PARKS)
            )
        ).all()
        by_park = [HoursInPark(park_id, name, count, int(minutes or 0)) for park_id, name, count, minutes in rows]
        minutes = sum(p.minutes for p in by_park)
        return MentorHours(year, sum(p.sessions for p in by_park), minutes, round(minutes / 60, 1), by_park)

    async def mine(self, session_id: UUID) -> MentorSession:
        """One of this mentor's sessions (404 for anyone else's)."""
        logged = await self.session.scalar(
            sa.select(MentorSession)
            .where(MentorSession.id == session_id, MentorSession.mentor_id == self.mentor.id)
            .execution_options(**ALL_PARKS)
        )
        if logged is None:
            raise NotFound(_("No such mentor session."), field="session_id")
        return logged

    @staticmethod
    def _check_day(assignment: Assignment, day: datetime.date) -> None:
        if day < assignment.starts_on or (assignment.ends_on is not None and day > assignment.ends_on):
            raise InvalidInput(_("The incubatee was not assigned to you on that day."), field="held_on")
        if day > today():
            raise InvalidInput(_("A session cannot be logged before it is held."), field="held_on")
