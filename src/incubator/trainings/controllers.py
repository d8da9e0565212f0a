import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import ANY_USER, allow
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import ATTENDANCE, TRAINERS, TRAININGS
from incubator.paging import Page
from incubator.trainings.models import Enrolment, Trainee, Training, TrainingKind
from incubator.trainings.schemas import (
    EnrolmentCreate,
    EnrolmentRead,
    EnrolmentUpdate,
    Roll,
    TraineeDetail,
    TraineeFilter,
    TraineeRead,
    TraineeUpdate,
    TrainerCreate,
    TrainerRead,
    TrainerUpdate,
    TrainingCreate,
    TrainingFilter,
    TrainingRead,
    TrainingUpdate,
)
from incubator.trainings.services import TraineeService, TrainerService, TrainingService
from incubator.web.params import PageParams
from incubator.web.pool import POOL_KEEPERS

READERS = ("admin", "bureau", "operator")
WRITERS = ("admin", "operator")


async def provide_trainers(db_session: NamedDependency[AsyncSession]) -> TrainerService:
    return TrainerService(session=db_session)


async def provide_trainings(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> TrainingService:
    return TrainingService(db_session, park_id)


async def provide_trainees(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> TraineeService:
    return TraineeService(db_session, park_id)


def provide_training_filter(
    q: Annotated[str, QueryParameter(max_length=100, description="Search in title, provider, location")] = "",
    kind: Annotated[TrainingKind | None, QueryParameter()] = None,
    first_day: Annotated[
        datetime.date | None, QueryParameter(name="from", description="Trainings running on or after this day")
    ] = None,
    last_day: Annotated[
        datetime.date | None, QueryParameter(name="to", description="Trainings running on or before this day")
    ] = None,
) -> TrainingFilter:
    return TrainingFilter(q=q, kind=kind, first_day=first_day, last_day=last_day)


def provide_trainee_filter(
    q: Annotated[str, QueryParameter(max_length=100, description="Search in name and phone")] = "",
    linked: Annotated[bool | None, QueryParameter(description="Linked to a firm of the park, or not")] = None,
    incubatee_id: Annotated[UUID | None, QueryParameter(description="Trainees who registered this firm")] = None,
) -> TraineeFilter:
    return TraineeFilter(q=q, linked=linked, incubatee_id=incubatee_id)


def training_read(training: Training, taken: dict[UUID, int]) -> TrainingRead:
    values = {f: getattr(training, f) for f in TrainingRead.__struct_fields__ if f != "enrolled"}
    return TrainingRead(**values, enrolled=taken.get(training.id, 0))


def enrolment_read(enrolment: Enrolment, trainee: Trainee) -> EnrolmentRead:
    return EnrolmentRead(
        id=enrolment.id,
        training_id=enrolment.training_id,
        trainee_id=trainee.id,
        name=trainee.name,
        phone=trainee.phone,
        target_group=trainee.target_group,
        incubatee_id=trainee.incubatee_id,
        enrolled_on=enrolment.enrolled_on,
        attendance=enrolment.attendance,
    )


async def roll_export(trainings: TrainingService, training_id: UUID, park_id: UUID) -> Export:
    """One training's roll, the file named after the training."""
    training = await trainings.get_in_park(training_id, field="training_id")
    return Export(ATTENDANCE, await trainings.roll(training.id), park_id=park_id, subject=training.title)


def _read(item: Any, schema: type[Any]) -> Any:
    return msgspec.convert(item, schema, from_attributes=True)


class TrainerController(Controller):
    path = "/api/trainers"
    tags = ["trainings"]
    dependencies = {"trainers": Provide(provide_trainers)}

    @get("", opt=allow(ANY_USER), summary="The city's trainer pool; q searches name, organisation and specialties")
    async def list_trainers(
        self,
        trainers: NamedDependency[TrainerService],
        page: NamedDependency[PageParams],
        q: Annotated[str, QueryParameter(max_length=100)] = "",
    ) -> Page[TrainerRead]:
        items, total = await trainers.search(q, limit=page.limit, offset=page.offset)
        return Page([_read(t, TrainerRead) for t in items], total, page.limit, page.offset)

    @get("/export", opt=allow(ANY_USER), summary="The trainer pool as CSV or XLSX; q as in the list")
    async def export_trainers(
        self,
        request: Request,
        trainers: NamedDependency[TrainerService],
        export_format: NamedDependency[ExportFormat],
        q: Annotated[str, QueryParameter(max_length=100)] = "",
    ) -> Stream:
        return await download(request, Export(TRAINERS, trainers.matching(q)), export_format)

    @post("", opt=allow(*POOL_KEEPERS), summary="Add a trainer to the pool")
    async def create_trainer(
        self, trainers: NamedDependency[TrainerService], data: JSONBody[TrainerCreate]
    ) -> TrainerRead:
        return _read(await trainers.add_member(data), TrainerRead)

    @get("/{trainer_id:uuid}", opt=allow(ANY_USER), summary="One trainer")
    async def get_trainer(self, trainers: NamedDependency[TrainerService], trainer_id: FromPath[UUID]) -> TrainerRead:
        return _read(await trainers.get_member(trainer_id), TrainerRead)

    @patch("/{trainer_id:uuid}", opt=allow(*POOL_KEEPERS), summary="Edit a trainer, or retire them from the pool")
    async def update_trainer(
        self, trainers: NamedDependency[TrainerService], trainer_id: FromPath[UUID], data: JSONBody[TrainerUpdate]
    ) -> TrainerRead:
        return _read(await trainers.update_member(trainer_id, data), TrainerRead)


class TrainingController(Controller):
    path = "/api/parks/{park_id:uuid}"
    tags = ["trainings"]
    dependencies = {
        "trainings": Provide(provide_trainings),
        "trainees": Provide(provide_trainees),
        "training_filter": Provide(provide_training_filter, sync_to_thread=False),
        "trainee_filter": Provide(provide_trainee_filter, sync_to_thread=False),
    }

    @get("/trainings", opt=allow(*READERS), summary="A park's trainings and events, newest first")
    async def list_trainings(
        self,
        trainings: NamedDependency[TrainingService],
        training_filter: NamedDependency[TrainingFilter],
        page: NamedDependency[PageParams],
    ) -> Page[TrainingRead]:
        items, total = await trainings.list_trainings(training_filter, limit=page.limit, offset=page.offset)
        taken = await trainings.places_taken([t.id for t in items])
        return Page([training_read(t, taken) for t in items], total, page.limit, page.offset)

    @get("/trainings/export", opt=allow(*READERS), summary="The trainings as CSV or XLSX, with the list's filters")
    async def export_trainings(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        training_filter: NamedDependency[TrainingFilter],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
    ) -> Stream:
        export = Export(TRAININGS, trainings.with_places(training_filter), park_id=park_id)
        return await download(request, export, export_format)

    @post("/trainings", opt=allow(*WRITERS), summary="Record a training or an event")
    async def create_training(
        self, trainings: NamedDependency[TrainingService], data: JSONBody[TrainingCreate]
    ) -> TrainingRead:
        return training_read(await trainings.create_training(data), {})

    @get("/trainings/{training_id:uuid}", opt=allow(*READERS), summary="One training, with its places taken")
    async def get_training(
        self, trainings: NamedDependency[TrainingService], training_id: FromPath[UUID]
    ) -> TrainingRead:
        training = await trainings.get_in_park(training_id, field="training_id")
        return training_read(training, await trainings.places_taken([training.id]))

    @patch("/trainings/{training_id:uuid}", opt=allow(*WRITERS), summary="Edit a training")
    async def update_training(
        self, trainings: NamedDependency[TrainingService], training_id: FromPath[UUID], data: JSONBody[TrainingUpdate]
    ) -> TrainingRead:
        training = await trainings.update_training(training_id, data)
        return training_read(training, await trainings.places_taken([training.id]))

    @get("/trainings/{training_id:uuid}/enrolments", opt=allow(*READERS), summary="A training's roll")
    async def list_enrolments(
        self,
        trainings: NamedDependency[TrainingService],
        page: NamedDependency[PageParams],
        training_id: FromPath[UUID],
    ) -> Page[EnrolmentRead]:
        rows, total = await trainings.enrolments(training_id, limit=page.limit, offset=page.offset)
        return Page([enrolment_read(*row) for row in rows], total, page.limit, page.offset)

    @get(
        "/trainings/{training_id:uuid}/enrolments/export",
        opt=allow(*READERS),
        summary="A training's roll (attendance) as CSV or XLSX",
    )
    async def export_roll(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
        training_id: FromPath[UUID],
    ) -> Stream:
        return await download(request, await roll_export(trainings, training_id, park_id), export_format)

    @post(
        "/trainings/{training_id:uuid}/enrolments",
        opt=allow(*WRITERS),
        summary="Enrol a trainee of the park, or a person by name, phone and target group (409 when full)",
    )
    async def enrol(
        self, trainings: NamedDependency[TrainingService], training_id: FromPath[UUID], data: JSONBody[EnrolmentCreate]
    ) -> EnrolmentRead:
        return enrolment_read(*await trainings.enrol(training_id, data))

    @patch(
        "/trainings/{training_id:uuid}/enrolments/{enrolment_id:uuid}",
        opt=allow(*WRITERS),
        summary="Mark attendance (once the training has started)",
    )
    async def set_attendance(
        self,
        trainings: NamedDependency[TrainingService],
        training_id: FromPath[UUID],
        enrolment_id: FromPath[UUID],
        data: JSONBody[EnrolmentUpdate],
    ) -> EnrolmentRead:
        return enrolment_read(*await trainings.set_attendance(training_id, enrolment_id, data))

    @delete(
        "/trainings/{training_id:uuid}/enrolments/{enrolment_id:uuid}",
        opt=allow(*WRITERS),
        summary="Withdraw an enrolment (not one who attended)",
    )
    async def withdraw(
        self, trainings: NamedDependency[TrainingService], training_id: FromPath[UUID], enrolment_id: FromPath[UUID]
    ) -> None:
        await trainings.withdraw(training_id, enrolment_id)

    @post(
        "/trainings/{training_id:uuid}/roll",
        opt=allow(*WRITERS),
        summary="Call the roll: the enrolments named attended, all others absent",
        status_code=200,
    )
    async def call_roll(
        self, trainings: NamedDependency[TrainingService], training_id: FromPath[UUID], data: JSONBody[Roll]
    ) -> list[EnrolmentRead]:
        return [enrolment_read(*row) for row in await trainings.call_roll(training_id, data)]

    @get("/trainees", opt=allow(*READERS), summary="The people a park trained or enrols")
    async def list_trainees(
        self,
        trainees: NamedDependency[TraineeService],
        trainee_filter: NamedDependency[TraineeFilter],
        page: NamedDependency[PageParams],
    ) -> Page[TraineeRead]:
        items, total = await trainees.list_trainees(trainee_filter, limit=page.limit, offset=page.offset)
        return Page([_read(t, TraineeRead) for t in items], total, page.limit, page.offset)

    @get("/trainees/{trainee_id:uuid}", opt=allow(*READERS), summary="One trainee, with their trainings")
    async def get_trainee(self, trainees: NamedDependency[TraineeService], trainee_id: FromPath[UUID]) -> TraineeDetail:
        trainee = await trainees.get_in_park(trainee_id, field="trainee_id")
        return TraineeDetail(_read(trainee, TraineeRead), await trainees.trainings_of(trainee.id))

    @patch(
        "/trainees/{trainee_id:uuid}",
        opt=allow(*WRITERS),
        summary="Edit a trainee, or link them to the firm they registered in the park",
    )
    async def update_trainee(
        self, trainees: NamedDependency[TraineeService], trainee_id: FromPath[UUID], data: JSONBody[TraineeUpdate]
    ) -> TraineeRead:
        return _read(await trainees.update_trainee(trainee_id, data), TraineeRead)
