"""The city's mentor pool from a spreadsheet in the export's layout. A mentor is known by the phone, or, for a
row without one, by name and organisation. Mentors on file are updated; nothing is deleted."""

import sqlalchemy as sa

from incubator.exchange.importing import ImportKind, Outcome, Row, Sheet, Target, assign, fields_of, given, write
from incubator.exchange.layouts import MENTORS
from incubator.i18n import N_
from incubator.mentors.models import Mentor
from incubator.mentors.schemas import MentorCreate, MentorUpdate, normalise_phone

MENTOR = {name: name for name in MentorCreate.__struct_fields__ if name != "user_id"}
EDITABLE = [name for name in MentorUpdate.__struct_fields__ if name in MENTOR and name not in ("name", "organisation")]


def _identity(row: Row) -> tuple[str, ...]:
    phone = normalise_phone(row.cells.get("phone", ""))
    return (phone,) if phone else (row.cells["name"], row.cells.get("organisation", ""))


async def import_mentors(target: Target, sheet: Sheet) -> Outcome:
    session, outcome = target.session, Outcome()
    pool: dict[tuple[str, ...], Mentor] = {}
    for mentor in await session.scalars(sa.select(Mentor).order_by(Mentor.active.desc(), Mentor.created_at)):
        if mentor.phone:
            pool.setdefault((mentor.phone,), mentor)
        pool.setdefault((mentor.name, mentor.organisation), mentor)
    new: list[Mentor] = []
    repeated = sheet.duplicates(sheet.rows, "name", _identity)
    for row in sheet.rows:
        data = sheet.build(row, MentorCreate, MENTOR)
        if data is None or row.number in repeated:
            continue
        known = pool.get((data.phone,) if data.phone else (data.name, data.organisation))
        if known is None:
            new.append(Mentor(**{name: getattr(data, name) for name in MENTOR}))
            outcome.count(created=True, changed=True)
        else:
            outcome.count(created=False, changed=assign(known, given(row, data, MENTOR, EDITABLE)))
    sheet.check()
    await write(session, new)
    return outcome


KIND = ImportKind(
    key="mentors",
    layout=MENTORS,
    required=frozenset({"name"}),
    fields=fields_of(MentorCreate, MENTOR),
    notes={
        "phone": N_("Tells a mentor of the pool: a mentor already in the pool with this phone is updated."),
        "name": N_("Without a phone, the name and the organisation tell a mentor of the pool."),
        "expertise": N_("Several, separated by 、 or a comma."),
    },
    sample={
        "name": "李建国",
        "organisation": "濮阳职业技术学院",
        "phone": "13903930000",
        "expertise": ["电子商务", "融资"],
        "bio": "从事电子商务教学十年。",
        "max_mentees": "5",
        "availability": "周三下午",
    },
    run=import_mentors,
    help=N_(
        "Mentors already in the pool (by phone, or else by name and organisation) are updated; nothing is deleted."
    ),
)
