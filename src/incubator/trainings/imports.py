"""A training's roll from a spreadsheet in the export's layout: each person by their phone (the trainee's key
in the park; a new phone registers the person), enrolled as the enrolment form would enrol them, within the
training's places. A person already enrolled has their attendance updated; nothing is deleted."""

import sqlalchemy as sa
from advanced_alchemy.mixins.uuid import uuid7

from incubator.errors import DomainError, InvalidInput
from incubator.exchange.importing import ImportKind, Outcome, Sheet, Target, fields_of, write
from incubator.exchange.layouts import ATTENDANCE
from incubator.i18n import N_, _
from incubator.mentors.schemas import normalise_phone
from incubator.trainings.models import Enrolment, Trainee
from incubator.trainings.schemas import EnrolmentCreate
from incubator.trainings.services import TrainingService, check_person

PERSON = {name: name for name in ("name", "phone", "target_group", "gender", "enrolled_on", "attendance")}


async def import_attendance(target: Target, sheet: Sheet) -> Outcome:
    assert target.park_id is not None
    if target.training_id is None:
        raise InvalidInput(_("This field is required."), field="training_id")
    session, park_id, outcome = target.session, target.park_id, Outcome()
    training = await TrainingService(session, park_id)._locked(target.training_id)
    trainees = {t.phone: t for t in await session.scalars(sa.select(Trainee).where(Trainee.park_id == park_id))}
    enrolments = {
        e.trainee_id: e
        for e in await session.scalars(
            sa.select(Enrolment).where(Enrolment.park_id == park_id, Enrolment.training_id == training.id)
        )
    }
    taken = len(enrolments)
    new_trainees: list[Trainee] = []
    new_enrolments: list[Enrolment] = []
    repeated = sheet.duplicates(sheet.rows, "phone", lambda row: normalise_phone(row.cells["phone"]))
    for row in sheet.rows:
        data = sheet.build(row, EnrolmentCreate, PERSON)
        if data is None or row.number in repeated:
            continue
        try:
            trainee = trainees.get(data.phone or "")
            if trainee is None:
                check_person(data)
                trainee = Trainee(
                    id=uuid7(),
                    park_id=park_id,
                    name=data.name,
                    phone=data.phone,
                    target_group=data.target_group,
                    gender=data.gender,
                )
                new_trainees.append(trainee)
            enrolment = enrolments.get(trainee.id)
            if enrolment is not None:
                TrainingService.enrolment_day(training, data)  # the attendance, checked as for a new one
                changed = bool(row.cells.get("attendance")) and enrolment.attendance != data.attendance
                enrolment.attendance = data.attendance if changed else enrolment.attendance
                outcome.count(created=False, changed=changed)
                continue
            enrolled_on = TrainingService.enrolment_day(training, data)
        except DomainError as exc:
            sheet.refuse(row.number, exc, PERSON)
            continue
        taken += 1
        if taken > training.capacity:
            sheet.add(row.number, None, _("The training is full: all %(n)s places are taken.", n=training.capacity))
            continue
        new_enrolments.append(
            Enrolment(
                park_id=park_id,
                training_id=training.id,
                trainee_id=trainee.id,
                enrolled_on=enrolled_on,
                attendance=data.attendance,
            )
        )
        outcome.count(created=True, changed=True)
    sheet.check()
    await write(session, new_trainees, new_enrolments)
    return outcome


KIND = ImportKind(
    key="attendance",
    layout=ATTENDANCE,
    required=frozenset({"name", "phone", "target_group"}),
    fields=fields_of(EnrolmentCreate, PERSON),
    notes={
        "phone": N_("The person's key in the park: a phone the park knows enrols that trainee."),
        "enrolled_on": N_("The training's first day when empty (or today, if earlier)."),
        "attendance": N_("Enrolled when empty. Attended or absent once the training has started."),
    },
    sample={
        "name": "李娟",
        "phone": "13903930002",
        "target_group": "returning_migrant_worker",
        "gender": "female",
        "attendance": "enrolled",
    },
    run=import_attendance,
    help=N_(
        "The roll of one training: people already enrolled (by phone) have their attendance updated; "
        "nothing is deleted."
    ),
    options=("training_id",),
)
