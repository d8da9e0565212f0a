import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository

from incubator.clock import today
from incubator.db.pool import PoolService
from incubator.db.portable import lock_for_update, pinyin_order
from incubator.db.scoped import ParkScopedService
from incubator.errors import Conflict, InvalidInput, NotFound
from incubator.i18n import N_, _
from incubator.incubatees.models import Incubatee
from incubator.mentors.schemas import normalise_phone
from incubator.trainings.models import Attendance, Enrolment, Trainee, Trainer, Training
from incubator.trainings.schemas import (
    EnrolmentCreate,
    EnrolmentUpdate,
    Roll,
    TraineeFilter,
    TraineeTraining,
    TraineeUpdate,
    TrainingCreate,
    TrainingFilter,
    TrainingUpdate,
)


class TrainerService(PoolService[Trainer]):
    """The city-wide trainer pool."""

    class Repo(SQLAlchemyAsyncRepository[Trainer]):
        model_type = Trainer

    repository_type = Repo
    tags_column = "specialties"
    id_field = "trainer_id"
    not_found_message = N_("No such trainer.")


class TrainingService(ParkScopedService[Training]):
    """A park's trainings and their enrolments; a training's places are counted under a lock on its row."""

    class Repo(SQLAlchemyAsyncRepository[Training]):
        model_type = Training

    repository_type = Repo
    not_found_message = N_("No such training.")

    async def list_trainings(
        self, filters: TrainingFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Training], int]:
        return await self.get_many_and_count(LimitOffset(limit=limit, offset=offset), statement=self.filtered(filters))

    def filtered(self, filters: TrainingFilter) -> sa.Select[Any]:
        """Newest first; the period keeps the trainings that overlap it."""
        conditions: list[Any] = []
        if filters.q.strip():
            pattern = f"%{filters.q.strip()}%"
            conditions.append(
                sa.or_(
                    Training.title.ilike(pattern), Training.provider.ilike(pattern), Training.location.ilike(pattern)
                )
            )
        if filters.kind:
            conditions.append(Training.kind == filters.kind)
        if filters.first_day and filters.last_day and filters.last_day < filters.first_day:
            raise InvalidInput(_("The end of the period is before its start."), field="to")
        if filters.first_day:
            conditions.append(Training.ends_on >= filters.first_day)
        if filters.last_day:
            conditions.append(Training.starts_on <= filters.last_day)
        return self.repository.statement.where(*conditions).order_by(Training.starts_on.desc(), Training.id)

    def with_places(self, filters: TrainingFilter) -> sa.Select[Any]:
        """The list's trainings with the trainer's name (``trainer``) and the places taken (``enrolled``)."""
        enrolled = (
            sa.select(sa.func.count())
            .where(Enrolment.park_id == Training.park_id, Enrolment.training_id == Training.id)
            .scalar_subquery()
        )
        return (
            self.filtered(filters)
            .outerjoin(Trainer, Trainer.id == Training.trainer_id)
            .add_columns(Trainer.name.label("trainer"), enrolled.label("enrolled"))
        )

    async def places_taken(self, training_ids: Sequence[UUID]) -> dict[UUID, int]:
        """Enrolments per training, in one grouped query."""
        rows = await self.repository.session.execute(
            sa.select(Enrolment.training_id, sa.func.count())
            .where(Enrolment.park_id == self.park_id, Enrolment.training_id.in_(list(training_ids)))
            .group_by(Enrolment.training_id)
        )
        return {training_id: count for training_id, count in rows}

    async def create_training(self, data: TrainingCreate) -> Training:
        await self._check_trainer(data.trainer_id)
        training = Training(park_id=self.park_id, **msgspec.structs.asdict(data))
        self._check_dates(training)
        return await self.create(training, auto_refresh=False)

    async def update_training(self, training_id: UUID, data: TrainingUpdate) -> Training:
        training = await self._locked(training_id)
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if values.get("trainer_id", training.trainer_id) != training.trainer_id:
            await self._check_trainer(values["trainer_id"])
        taken = (await self.places_taken([training.id])).get(training.id, 0)
        if values.get("capacity", training.capacity) < taken:
            raise Conflict(
                _("%(n)s people are already enrolled: the capacity cannot be lower.", n=taken), field="capacity"
            )
        if values.get("starts_on", training.starts_on) > today() and await self._attendance_recorded(training.id):
            raise InvalidInput(
                _("Attendance is already recorded: the training cannot start after today."), field="starts_on"
            )
        for key, value in values.items():
            setattr(training, key, value)
        self._check_dates(training)
        await self.repository.session.flush()
        return training

    # Enrolments

    async def enrolments(
        self, training_id: UUID, *, limit: int, offset: int
    ) -> tuple[list[tuple[Enrolment, Trainee]], int]:
        """A training's roll, by the trainees' names."""
        roll = await self.roll(training_id)
        session = self.repository.session
        total = await session.scalar(sa.select(sa.func.count()).select_from(roll.order_by(None).subquery()))
        rows = await session.execute(roll.limit(limit).offset(offset))
        return [(enrolment, trainee) for enrolment, trainee in rows], total or 0

    async def roll(self, training_id: UUID) -> sa.Select[*tuple[Any, ...]]:
        """The enrolments of one of the park's trainings (404 for another's) with their trainees, by name."""
        await self.get_in_park(training_id, field="training_id")
        return (
            sa.select(Enrolment, Trainee)
            .join(Trainee, sa.and_(Trainee.park_id == Enrolment.park_id, Trainee.id == Enrolment.trainee_id))
            .where(Enrolment.park_id == self.park_id, Enrolment.training_id == training_id)
            .order_by(pinyin_order(Trainee.name), Enrolment.id)
        )

    async def enrol(self, training_id: UUID, data: EnrolmentCreate) -> tuple[Enrolment, Trainee]:
        """A place for a trainee, refused once every place is taken. The training's row stays locked until
        the transaction ends, so two requests for the last place cannot both have it."""
        training = await self._locked(training_id)
        enrolled_on = self.enrolment_day(training, data)
        trainee = await TraineeService(self.repository.session, self.park_id).for_enrolment(data)
        if await self._enrolment_of(training.id, trainee.id) is not None:
            raise Conflict(_("%(name)s is already enrolled in this training.", name=trainee.name), field="trainee_id")
        taken = (await self.places_taken([training.id])).get(training.id, 0)
        if taken >= training.capacity:
            raise Conflict(
                _("The training is full: all %(n)s places are taken.", n=training.capacity), field="capacity"
            )
        enrolment = Enrolment(
            park_id=self.park_id,
            training_id=training.id,
            trainee_id=trainee.id,
            enrolled_on=enrolled_on,
            attendance=data.attendance,
        )
        self.repository.session.add(enrolment)
        await self.repository.session.flush()
        return enrolment, trainee

    async def set_attendance(
        self, training_id: UUID, enrolment_id: UUID, data: EnrolmentUpdate
    ) -> tuple[Enrolment, Trainee]:
        training = await self.get_in_park(training_id, field="training_id")
        enrolment, trainee = await self._enrolment(training_id, enrolment_id)
        self._check_attendance(training, data.attendance)
        enrolment.attendance = data.attendance
        await self.repository.session.flush()
        return enrolment, trainee

    async def call_roll(self, training_id: UUID, roll: Roll) -> list[tuple[Enrolment, Trainee]]:
        """The whole roll at once: the enrolments named attended, every other one absent."""
        training = await self.get_in_park(training_id, field="training_id")
        self._check_attendance(training, Attendance.ATTENDED)
        rows, _total = await self.enrolments(training_id, limit=training.capacity, offset=0)
        present = set(roll.attended)
        if present - {enrolment.id for enrolment, _trainee in rows}:
            raise InvalidInput(_("Only enrolments of this training can be marked."), field="attended")
        for enrolment, _trainee in rows:
            enrolment.attendance = Attendance.ATTENDED if enrolment.id in present else Attendance.ABSENT
        await self.repository.session.flush()
        return rows

    async def withdraw(self, training_id: UUID, enrolment_id: UUID) -> None:
        enrolment, _trainee = await self._enrolment(training_id, enrolment_id)
        if enrolment.attendance == Attendance.ATTENDED:
            raise Conflict(_("This person attended the training: the enrolment stays on record."), field="attendance")
        await self.repository.session.delete(enrolment)
        await self.repository.session.flush()

    @classmethod
    def enrolment_day(cls, training: Training, data: EnrolmentCreate) -> datetime.date:
        """The day of a new enrolment (today, or the training's start if that is earlier), checked with its
        attendance against the training's dates."""
        enrolled_on = data.enrolled_on or min(today(), training.starts_on)
        if enrolled_on > training.ends_on:
            raise InvalidInput(_("The enrolment is dated after the training ended."), field="enrolled_on")
        cls._check_attendance(training, data.attendance)
        return enrolled_on

    async def _locked(self, training_id: UUID) -> Training:
        statement = sa.select(Training).where(Training.park_id == self.park_id, Training.id == training_id)
        training = await lock_for_update(self.repository.session, statement)
        if training is None:
            raise NotFound(_("No such training."), field="training_id")
        return training

    async def _enrolment_of(self, training_id: UUID, trainee_id: UUID) -> Enrolment | None:
        return await self.repository.session.scalar(
            sa.select(Enrolment).where(
                Enrolment.park_id == self.park_id,
                Enrolment.training_id == training_id,
                Enrolment.trainee_id == trainee_id,
            )
        )

    async def _enrolment(self, training_id: UUID, enrolment_id: UUID) -> tuple[Enrolment, Trainee]:
        row = (
            await self.repository.session.execute(
                sa.select(Enrolment, Trainee)
                .join(Trainee, sa.and_(Trainee.park_id == Enrolment.park_id, Trainee.id == Enrolment.trainee_id))
                .where(
                    Enrolment.park_id == self.park_id,
                    Enrolment.training_id == training_id,
                    Enrolment.id == enrolment_id,
                )
            )
        ).first()
        if row is None:
            raise NotFound(_("No such enrolment."), field="enrolment_id")
        return row[0], row[1]

    async def _attendance_recorded(self, training_id: UUID) -> bool:
        found = await self.repository.session.scalar(
            sa.select(Enrolment.id)
            .where(
                Enrolment.park_id == self.park_id,
                Enrolment.training_id == training_id,
                Enrolment.attendance != Attendance.ENROLLED,
            )
            .limit(1)
        )
        return found is not None

    async def _check_trainer(self, trainer_id: UUID | None) -> None:
        if trainer_id is None:
            return
        trainer = await self.repository.session.get(Trainer, trainer_id)
        if trainer is None:
            raise InvalidInput(_("No such trainer in the pool."), field="trainer_id")
        if not trainer.active:
            raise InvalidInput(_("This trainer has retired from the pool."), field="trainer_id")

    @staticmethod
    def _check_dates(training: Training) -> None:
        if training.ends_on < training.starts_on:
            raise InvalidInput(_("The training ends before it starts."), field="ends_on")

    @staticmethod
    def _check_attendance(training: Training, attendance: Attendance) -> None:
        if attendance != Attendance.ENROLLED and training.starts_on > today():
            raise InvalidInput(
                _("Attendance is recorded once the training has started (on %(day)s).", day=training.starts_on),
                field="attendance",
            )


class TraineeService(ParkScopedService[Trainee]):
    """The people a park trains, known by their phone; linked to a firm of the park once they register one."""

    class Repo(SQLAlchemyAsyncRepository[Trainee]):
        model_type = Trainee

    repository_type = Repo
    not_found_message = N_("No such trainee.")

    async def list_trainees(self, filters: TraineeFilter, *, limit: int, offset: int) -> tuple[Sequence[Trainee], int]:
        conditions: list[Any] = []
        if filters.q.strip():
            q = filters.q.strip()
            conditions.append(sa.or_(Trainee.name.ilike(f"%{q}%"), Trainee.phone.like(f"%{normalise_phone(q)}%")))
        if filters.linked is not None:
            conditions.append(Trainee.incubatee_id.is_not(None) if filters.linked else Trainee.incubatee_id.is_(None))
        if filters.incubatee_id is not None:
            await self._check_incubatee(filters.incubatee_id)
            conditions.append(Trainee.incubatee_id == filters.incubatee_id)
        return await self.get_many_and_count(
            *conditions,
            LimitOffset(limit=limit, offset=offset),
            statement=self.repository.statement.order_by(pinyin_order(Trainee.name), Trainee.id),
        )

    async def trainings_of(self, trainee_id: UUID) -> list[TraineeTraining]:
        """The trainings a trainee enrolled in, newest first."""
        rows = await self.repository.session.execute(
            sa.select(Enrolment, Training)
            .join(Training, sa.and_(Training.park_id == Enrolment.park_id, Training.id == Enrolment.training_id))
            .where(Enrolment.park_id == self.park_id, Enrolment.trainee_id == trainee_id)
            .order_by(Training.starts_on.desc(), Training.id)
        )
        return [
            TraineeTraining(e.id, t.id, t.title, t.kind, t.starts_on, t.ends_on, e.attendance) for e, t in rows.all()
        ]

    async def update_trainee(self, trainee_id: UUID, data: TraineeUpdate) -> Trainee:
        trainee = await self.get_in_park(trainee_id, field="trainee_id")
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "phone" in values:
            clash = await self.get_one_or_none(Trainee.phone == values["phone"])
            if clash is not None and clash.id != trainee.id:
                raise Conflict(_("This park already has a trainee with this phone number."), field="phone")
        if values.get("incubatee_id") is not None:
            await self._check_incubatee(values["incubatee_id"])
        for key, value in values.items():
            setattr(trainee, key, value)
        await self.repository.session.flush()
        return trainee

    async def for_enrolment(self, data: EnrolmentCreate) -> Trainee:
        """The trainee an enrolment names: by id, by a phone the park knows, or registered anew."""
        person = {"name": data.name, "phone": data.phone, "target_group": data.target_group}
        if data.trainee_id is not None:
            if any(value is not None for value in person.values()):
                raise InvalidInput(
                    _("Give an existing trainee or a new person's details, not both."), field="trainee_id"
                )
            trainee = await self.get_one_or_none(id=data.trainee_id)
            if trainee is None:
                raise InvalidInput(_("No such trainee in this park."), field="trainee_id")
            return trainee
        check_person(data)
        known = await self.get_one_or_none(Trainee.phone == data.phone)
        if known is not None:
            return known
        trainee = Trainee(
            park_id=self.park_id, name=data.name, phone=data.phone, target_group=data.target_group, gender=data.gender
        )
        self.repository.session.add(trainee)
        await self.repository.session.flush()
        return trainee

    async def _check_incubatee(self, incubatee_id: UUID) -> None:
        found = await self.repository.session.scalar(
            sa.select(Incubatee.id).where(Incubatee.park_id == self.park_id, Incubatee.id == incubatee_id)
        )
        if found is None:
            raise InvalidInput(_("No such incubatee in this park."), field="incubatee_id")


def check_person(data: EnrolmentCreate) -> None:
    """A new person's enrolment names them in full: name, phone and target group."""
    for field in ("name", "phone", "target_group"):
        if getattr(data, field) is None:
            raise InvalidInput(_("This field is required."), field=field)
