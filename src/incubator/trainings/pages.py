import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.clock import today
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import TRAINERS, TRAININGS
from incubator.incubatees.models import Gender, TargetGroup
from incubator.incubatees.schemas import IncubateeFilter
from incubator.incubatees.services import IncubateeService
from incubator.trainings.controllers import (
    READERS,
    WRITERS,
    provide_trainees,
    provide_trainers,
    provide_trainings,
    roll_export,
)
from incubator.trainings.models import Attendance, Training, TrainingKind
from incubator.trainings.schemas import (
    EnrolmentCreate,
    Roll,
    TraineeFilter,
    TraineeUpdate,
    TrainerCreate,
    TrainerUpdate,
    TrainingCreate,
    TrainingFilter,
    TrainingUpdate,
)
from incubator.trainings.services import TraineeService, TrainerService, TrainingService
from incubator.web.forms import submit_form
from incubator.web.params import PageParams
from incubator.web.pool import PoolPages
from incubator.web.render import render

MAX_LISTED = 500
ENROL_FIELDS = frozenset({"name", "phone", "target_group", "gender"})
"""The new person's fields, whose messages show beside them; the others show above the forms."""
CHOICES = {"kinds": TrainingKind, "target_groups": TargetGroup, "genders": Gender, "attendances": Attendance}


class TrainerPoolPages(PoolPages):
    """The city's trainer pool: operators pick trainers from it for their trainings."""

    path = "/trainers"
    dependencies = {"pool": Provide(provide_trainers)}
    create_schema = TrainerCreate
    update_schema = TrainerUpdate
    tags_field = "specialties"
    list_template = "trainings/trainer_pool.html"
    rows_template = "trainings/_trainer_rows.html"
    form_template = "trainings/trainer_form.html"
    layout = TRAINERS


def provide_training_page_filter(
    q: Annotated[str, QueryParameter(max_length=100)] = "",
    kind: Annotated[TrainingKind | None, QueryParameter()] = None,
    year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
) -> TrainingFilter:
    first, last = (datetime.date(year, 1, 1), datetime.date(year, 12, 31)) if year else (None, None)
    return TrainingFilter(q=q, kind=kind, first_day=first, last_day=last)


class TrainingPages(Controller):
    path = "/parks/{park_id:uuid}/trainings"
    include_in_schema = False
    dependencies = {
        "trainings": Provide(provide_trainings),
        "training_filter": Provide(provide_training_page_filter, sync_to_thread=False),
    }

    @get("", opt=allow(*READERS))
    async def list_trainings(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        training_filter: NamedDependency[TrainingFilter],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
    ) -> Template:
        items, total = await trainings.list_trainings(training_filter, limit=page.limit, offset=page.offset)
        year = training_filter.first_day.year if training_filter.first_day else None
        context = {
            "trainings": items,
            "taken": await trainings.places_taken([t.id for t in items]),
            "total": total,
            "page": page,
            "filters": training_filter,
            "year": year,
            "years": range(today().year + 1, 2016, -1),
            "park_id": park_id,
            **CHOICES,
            **_can_write(request, park_id),
        }
        return await render(request, "trainings/list.html", context, partial="trainings/_rows.html")

    @get("/export", opt=allow(*READERS))
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

    @get("/{training_id:uuid}/enrolments/export", opt=allow(*READERS))
    async def export_roll(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
        training_id: FromPath[UUID],
    ) -> Stream:
        return await download(request, await roll_export(trainings, training_id, park_id), export_format)

    @get("/new", opt=allow(*WRITERS))
    async def new_training(self, request: Request, db_session: NamedDependency[AsyncSession]) -> Template:
        return await _training_form(request, db_session, None, {}, {})

    @post("/new", opt=allow(*WRITERS))
    async def create_training(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: TrainingCreate) -> str:
            return f"/parks/{park_id}/trainings/{(await trainings.create_training(data)).id}"

        redirect, errors = await submit_form(submitted, TrainingCreate, save)
        return redirect or await _training_form(request, db_session, None, submitted, errors, 400)

    @get("/{training_id:uuid}", opt=allow(*READERS))
    async def show_training(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        training_id: FromPath[UUID],
    ) -> Template:
        return await _detail(request, trainings, db_session, park_id, training_id, {}, {})

    @get("/{training_id:uuid}/edit", opt=allow(*WRITERS))
    async def edit_training(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        db_session: NamedDependency[AsyncSession],
        training_id: FromPath[UUID],
    ) -> Template:
        training = await trainings.get_in_park(training_id, field="training_id")
        return await _training_form(request, db_session, training, {}, {})

    @post("/{training_id:uuid}/edit", opt=allow(*WRITERS))
    async def update_training(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        training_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: TrainingUpdate) -> str:
            await trainings.update_training(training_id, data)
            return f"/parks/{park_id}/trainings/{training_id}"

        redirect, errors = await submit_form(submitted, TrainingUpdate, save)
        if redirect:
            return redirect
        training = await trainings.get_in_park(training_id, field="training_id")
        return await _training_form(request, db_session, training, submitted, errors, 400)

    @post("/{training_id:uuid}/enrolments", opt=allow(*WRITERS))
    async def enrol(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        training_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())
        return await _act(request, trainings, db_session, park_id, training_id, "enrol", submitted)

    @post("/{training_id:uuid}/roll", opt=allow(*WRITERS))
    async def call_roll(
        self,
        request: Request,
        trainings: NamedDependency[TrainingService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        training_id: FromPath[UUID],
    ) -> Template | Redirect:
        """The attendance checklist, saved in one post: ticked present, the rest absent."""
        submitted = {"attended": (await request.form()).getall("attended", [])}
        return await _act(request, trainings, db_session, park_id, training_id, "roll", submitted)

    @post("/{training_id:uuid}/enrolments/{enrolment_id:uuid}/withdraw", opt=allow(*WRITERS))
    async def withdraw(
        self,
        trainings: NamedDependency[TrainingService],
        park_id: FromPath[UUID],
        training_id: FromPath[UUID],
        enrolment_id: FromPath[UUID],
    ) -> Redirect:
        await trainings.withdraw(training_id, enrolment_id)
        return Redirect(f"/parks/{park_id}/trainings/{training_id}", status_code=303)


class TraineePages(Controller):
    path = "/parks/{park_id:uuid}/trainees"
    include_in_schema = False
    dependencies = {"trainees": Provide(provide_trainees)}

    @get("", opt=allow(*READERS))
    async def list_trainees(
        self,
        request: Request,
        trainees: NamedDependency[TraineeService],
        db_session: NamedDependency[AsyncSession],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
        q: Annotated[str, QueryParameter(max_length=100)] = "",
        linked: Annotated[bool | None, QueryParameter()] = None,
    ) -> Template:
        filters = TraineeFilter(q=q, linked=linked)
        items, total = await trainees.list_trainees(filters, limit=page.limit, offset=page.offset)
        firms = await IncubateeService(db_session, park_id).names_of([t.incubatee_id for t in items if t.incubatee_id])
        context = {
            "trainees": items,
            "firms": firms,
            "total": total,
            "page": page,
            "filters": filters,
            "park_id": park_id,
            **CHOICES,
        }
        return await render(request, "trainings/trainees.html", context, partial="trainings/_trainee_rows.html")

    @get("/{trainee_id:uuid}", opt=allow(*READERS))
    async def show_trainee(
        self,
        request: Request,
        trainees: NamedDependency[TraineeService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        trainee_id: FromPath[UUID],
    ) -> Template:
        return await _trainee_page(request, trainees, db_session, park_id, trainee_id, {}, {})

    @post("/{trainee_id:uuid}", opt=allow(*WRITERS))
    async def update_trainee(
        self,
        request: Request,
        trainees: NamedDependency[TraineeService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        trainee_id: FromPath[UUID],
    ) -> Template | Redirect:
        """Edit the person, or link them to the firm they registered (an empty choice unlinks)."""
        submitted = dict(await request.form())

        async def save(data: TraineeUpdate) -> str:
            await trainees.update_trainee(trainee_id, data)
            return f"/parks/{park_id}/trainees/{trainee_id}"

        redirect, errors = await submit_form(submitted, TraineeUpdate, save)
        return redirect or await _trainee_page(
            request, trainees, db_session, park_id, trainee_id, submitted, errors, 400
        )


async def _act(
    request: Request,
    trainings: TrainingService,
    db_session: AsyncSession,
    park_id: UUID,
    training_id: UUID,
    form_name: str,
    submitted: dict[str, Any],
) -> Template | Redirect:
    """One of the detail page's forms, enrolment or roll call: do it and come back, or show the page with
    the form's messages (those about no field of the form, capacity say, above it)."""
    enrolling = form_name == "enrol"
    schema: Any = EnrolmentCreate if enrolling else Roll
    action: Any = trainings.enrol if enrolling else trainings.call_roll

    async def save(data: Any) -> str:
        await action(training_id, data)
        return f"/parks/{park_id}/trainings/{training_id}"

    redirect, errors = await submit_form(submitted, schema, save)
    if redirect:
        return redirect
    shown = {(field if field in ENROL_FIELDS else ""): message for field, message in errors.items()}
    return await _detail(
        request, trainings, db_session, park_id, training_id, {form_name: submitted}, {form_name: shown}, 400
    )


def _can_write(request: Request, park_id: UUID) -> dict[str, bool]:
    return {"can_write": bool(request.user.roles_in_park(park_id) & set(WRITERS))}


async def _training_form(
    request: Request,
    db_session: AsyncSession,
    training: Training | None,
    submitted: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    values = submitted
    if training is not None and not submitted:
        values = {f: getattr(training, f) for f in TrainingUpdate.__struct_fields__}
    pool = TrainerService(session=db_session)
    trainers, _total = await pool.search("", limit=MAX_LISTED, offset=0)
    options = [(t.id, f"{t.name} · {'、'.join(t.specialties)}" if t.specialties else t.name) for t in trainers]
    if training is not None and training.trainer_id and training.trainer_id not in {t.id for t in trainers}:
        options.append((training.trainer_id, (await pool.get_member(training.trainer_id)).name))
    context = {
        "training": training,
        "park_id": request.path_params["park_id"],
        "form": values,
        "errors": errors,
        "trainer_options": options,
        **CHOICES,
    }
    return await render(request, "trainings/form.html", context, status_code=status_code)


async def _detail(
    request: Request,
    trainings: TrainingService,
    db_session: AsyncSession,
    park_id: UUID,
    training_id: UUID,
    forms: dict[str, dict[str, Any]],
    errors: dict[str, dict[str, str]],
    status_code: int = 200,
) -> Template:
    training = await trainings.get_in_park(training_id, field="training_id")
    roll, taken = await trainings.enrolments(training_id, limit=MAX_LISTED, offset=0)
    trainee_q = request.query_params.get("trainee_q", "")[:100]
    can_write = _can_write(request, park_id)
    found: list[Any] = []
    if can_write["can_write"] and trainee_q.strip():
        matches, _count = await TraineeService(db_session, park_id).list_trainees(
            TraineeFilter(q=trainee_q), limit=50, offset=0
        )
        enrolled = {trainee.id for _enrolment, trainee in roll}
        found = [(t.id, f"{t.name} · {t.phone}") for t in matches if t.id not in enrolled]
    trainer = await TrainerService(session=db_session).get_member(training.trainer_id) if training.trainer_id else None
    context = {
        "training": training,
        "trainer": trainer,
        "roll": roll,
        "taken": taken,
        "started": training.starts_on <= today(),
        "trainee_q": trainee_q,
        "found": found,
        "park_id": park_id,
        "forms": forms,
        "errors": errors,
        **CHOICES,
        **can_write,
    }
    return await render(request, "trainings/detail.html", context, status_code=status_code)


async def _trainee_page(
    request: Request,
    trainees: TraineeService,
    db_session: AsyncSession,
    park_id: UUID,
    trainee_id: UUID,
    submitted: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    trainee = await trainees.get_in_park(trainee_id, field="trainee_id")
    values = submitted or {f: getattr(trainee, f) for f in TraineeUpdate.__struct_fields__}
    firms = IncubateeService(db_session, park_id)
    linked = await firms.names_of([trainee.incubatee_id]) if trainee.incubatee_id else {}
    context: dict[str, Any] = {
        "trainee": trainee,
        "trainings": await trainees.trainings_of(trainee.id),
        "firm": linked.get(trainee.incubatee_id) if trainee.incubatee_id else None,
        "park_id": park_id,
        "form": values,
        "errors": errors,
        **CHOICES,
        **_can_write(request, park_id),
    }
    if context["can_write"]:
        incubatees, _total = await firms.list_incubatees(IncubateeFilter(), limit=MAX_LISTED, offset=0)
        context["firm_options"] = [(firm.id, firm.name) for firm in incubatees]
    return await render(request, "trainings/trainee.html", context, status_code=status_code)
