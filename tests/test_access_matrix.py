"""The roles × parks matrix, generated from the application's route table.

Every route that needs a login is called as nobody, as every role, as a user of the park in the
path and as a user of another park; the answer must follow the route's declared roles: 401 (API)
or a redirect to the login page, 403 for a role the route does not allow, 404 for a park where
the caller has no standing, success for the rest. A new route joins the matrix by itself; one
that needs path values or a body fails here until it has a sample below.
"""

import datetime
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import ANY_USER, allowed_roles
from incubator.auth.models import Membership, ParkRole, TokenKind
from incubator.config import Settings
from incubator.incubatees.models import Incubatee, IncubateeStatus
from incubator.mentors.models import Assignment, SessionStatus
from incubator.periodic_reports.models import PeriodicReport
from incubator.ratings.models import Rating, RatingEvidence, RatingRound, RatingStatus
from incubator.ratings.rubric import packaged_source
from incubator.space.models import Building, Lease, Unit
from incubator.trainings.models import Trainer
from tests.conftest import (
    World,
    csrf_token,
    issue_token,
    make_assignment,
    make_enrolment,
    make_founder,
    make_incubatee,
    make_session,
    make_trainee,
    make_training,
)
from tests.policy import (
    ENROLMENT,
    FOUNDER_PAGE,
    IMPORT_PAGE,
    INCUBATEE,
    INCUBATEE_PAGE,
    PARK_API,
    POLICY,
    PORTAL,
    PUBLIC,
    RATING_PAGE,
    RATINGS,
    RUBRIC,
    RUBRIC_PAGE,
    SUPPORT_PAGE,
    TRAINEE,
    TRAINEE_PAGE,
    TRAINING,
    TRAINING_PAGE,
)
from tests.rating_data import PDF
from tests.support_data import make_delivery, make_request, make_service

ACTORS = ["admin", "bureau", "mentor", "operator_a", "founder_a", "operator_b", "founder_b"]


@dataclass
class Call:
    params: dict[str, Any]
    body: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    """Sent as multipart, with the body as its other fields."""


Sample = Callable[[World, AsyncSession], Awaitable[Call]]


def _park_form(code: str) -> dict[str, Any]:
    return {"name": f"园区{code}", "code": code, "kind": "park", "level": "county", "district": "范县"}


async def _membership(world: World, db: AsyncSession) -> Membership:
    """The mentor as a founder in park B, made afresh (a previous call may have made or removed it)."""
    await db.execute(
        sa.delete(Membership).where(
            Membership.user_id == world.user("mentor").id, Membership.park_id == world.park_b.id
        )
    )
    membership = Membership(
        park_id=world.park_b.id,
        user_id=world.user("mentor").id,
        role=ParkRole.FOUNDER,
        incubatee_id=world.incubatee_b.id,
    )
    db.add(membership)
    await db.commit()
    return membership


def _code() -> str:
    return f"M-{uuid.uuid4().hex[:8].upper()}"


async def _new_park(world: World, db: AsyncSession) -> Call:
    return Call({}, _park_form(_code()))


async def _edit_park_a(world: World, db: AsyncSession) -> Call:
    return Call({"park_id": world.park_a.id}, {"district": "华龙区"})


async def _edit_park_a_form(world: World, db: AsyncSession) -> Call:
    return Call({"park_id": world.park_a.id}, {**_park_form("PARK-A"), "name": "甲园区"})


async def _new_user(world: World, db: AsyncSession) -> Call:
    return Call({}, {"email": f"{uuid.uuid4().hex[:8]}@test.cn", "display_name": "新人", "password": "long-enough-pw"})


async def _target_user(world: World, db: AsyncSession) -> Call:
    return Call({"user_id": world.user("mentor").id}, {"display_name": "王导师"})


async def _target_user_form(world: World, db: AsyncSession) -> Call:
    return Call({"user_id": world.user("mentor").id}, {"display_name": "王导师", "is_active": "on"})


async def _new_membership(world: World, db: AsyncSession) -> Call:
    membership = await _membership(world, db)
    await db.delete(membership)
    await db.commit()
    body = {"park_id": str(world.park_b.id), "role": "founder", "incubatee_id": str(world.incubatee_b.id)}
    return Call({"user_id": world.user("mentor").id}, body)


async def _existing_membership(world: World, db: AsyncSession) -> Call:
    membership = await _membership(world, db)
    return Call({"user_id": world.user("mentor").id, "membership_id": membership.id})


async def _no_body(world: World, db: AsyncSession) -> Call:
    return Call({})


def _in_a(world: World, **params: Any) -> dict[str, Any]:
    return {"incubatee_id": world.incubatee_a.id, **params}


async def _new_incubatee(world: World, db: AsyncSession) -> Call:
    return Call({}, {"name": f"新企业{uuid.uuid4().hex[:6]}", "kind": "services"})


async def _incubatee_a(world: World, db: AsyncSession) -> Call:
    return Call(_in_a(world), {"industry": "手工编织"})


async def _fresh(world: World, db: AsyncSession, status: IncubateeStatus) -> Incubatee:
    incubatee = await make_incubatee(db, world.park_a, f"企业{uuid.uuid4().hex[:6]}", status=status)
    await db.commit()
    return incubatee


async def _incubatee_a_form(world: World, db: AsyncSession) -> Call:
    return Call(_in_a(world), {"name": "濮阳巧手编织坊", "kind": "handicraft", "industry": "手工编织"})


async def _applicant(world: World, db: AsyncSession) -> Call:
    incubatee = await _fresh(world, db, IncubateeStatus.APPLICANT)
    return Call({"incubatee_id": incubatee.id}, {"admitted_on": "2016-06-01"})


async def _incubating(world: World, db: AsyncSession) -> Call:
    incubatee = await _fresh(world, db, IncubateeStatus.INCUBATING)
    return Call({"incubatee_id": incubatee.id}, {"left_on": "2017-06-01", "reason": "voluntary"})


async def _new_founder(world: World, db: AsyncSession) -> Call:
    return Call(_in_a(world), {"name": "李明", "target_group": "veteran"})


async def _founder_a(world: World, db: AsyncSession) -> Call:
    return Call(_in_a(world, founder_id=world.founder_a.id), {"phone": "13800000000"})


async def _disposable_founder(world: World, db: AsyncSession) -> Call:
    founder = await make_founder(db, Settings(), world.incubatee_a, "临时")
    await db.commit()
    return Call(_in_a(world, founder_id=founder.id))


async def _fresh_unit(world: World, db: AsyncSession) -> Unit:
    building = Building(park_id=world.park_a.id, name=f"楼{uuid.uuid4().hex[:6]}")
    db.add(building)
    await db.flush()
    unit = Unit(park_id=world.park_a.id, building_id=building.id, code=_code(), kind="office", area_m2=50, seats=5)
    db.add(unit)
    await db.commit()
    return unit


async def _new_building(world: World, db: AsyncSession) -> Call:
    return Call({}, {"name": f"楼{uuid.uuid4().hex[:6]}"})


async def _new_unit(world: World, db: AsyncSession) -> Call:
    unit = await _fresh_unit(world, db)
    return Call({}, {"building_id": str(unit.building_id), "code": _code(), "kind": "workshop", "area_m2": "30"})


async def _a_unit(world: World, db: AsyncSession) -> Call:
    return Call({"unit_id": (await _fresh_unit(world, db)).id}, {"seats": 6})


async def _new_lease(world: World, db: AsyncSession) -> Call:
    unit = await _fresh_unit(world, db)
    body = {
        "unit_id": str(unit.id),
        "incubatee_id": str(world.incubatee_a.id),
        "starts_on": "2017-01-01",
        "ends_on": "2017-12-31",
        "monthly_rent": "1000",
    }
    return Call({}, body)


async def _a_lease(world: World, db: AsyncSession) -> Call:
    unit = await _fresh_unit(world, db)
    lease = Lease(
        park_id=world.park_a.id,
        unit_id=unit.id,
        incubatee_id=world.incubatee_a.id,
        monthly_rent=1000,
        starts_on=datetime.date(2017, 1, 1),
        ends_on=datetime.date(2017, 12, 31),
    )
    db.add(lease)
    await db.commit()
    return Call({"lease_id": lease.id}, {"ends_on": "2017-10-31"})


async def _lease_form(world: World, db: AsyncSession) -> Call:
    unit = await _fresh_unit(world, db)
    body = {
        "incubatee_id": str(world.incubatee_a.id),
        "starts_on": "2017-01-01",
        "ends_on": "2017-12-31",
        "monthly_rent": "1000",
    }
    return Call({"unit_id": unit.id}, body)


async def _new_mentor(world: World, db: AsyncSession) -> Call:
    return Call({}, {"name": "新导师", "expertise": ["设计"]})


async def _the_mentor(world: World, db: AsyncSession) -> Call:
    return Call({"mentor_id": world.mentor.id, "member_id": world.mentor.id}, {"availability": "周末"})


async def _new_assignment(world: World, db: AsyncSession) -> Call:
    incubatee = await _fresh(world, db, IncubateeStatus.INCUBATING)
    return Call({}, {"mentor_id": str(world.mentor.id), "incubatee_id": str(incubatee.id), "starts_on": "2017-01-01"})


async def _fresh_assignment(world: World, db: AsyncSession) -> Assignment:
    return await make_assignment(db, world, await _fresh(world, db, IncubateeStatus.INCUBATING))


async def _an_assignment(world: World, db: AsyncSession) -> Call:
    return Call({"assignment_id": (await _fresh_assignment(world, db)).id}, {"ends_on": "2017-12-31"})


async def _submitted_session(world: World, db: AsyncSession) -> Call:
    logged = await make_session(db, await _fresh_assignment(world, db), SessionStatus.SUBMITTED)
    return Call({"session_id": logged.id}, {"reason": "请补充辅导记录"})


async def _draft_session(world: World, db: AsyncSession) -> Call:
    logged = await make_session(db, await _fresh_assignment(world, db), SessionStatus.DRAFT)
    return Call({"session_id": logged.id}, {"minutes": 90})


async def _session_to_log(world: World, db: AsyncSession) -> Call:
    assignment = await _fresh_assignment(world, db)
    body = {
        "assignment_id": str(assignment.id),
        "held_on": "2017-03-01",
        "minutes": 60,
        "mode": "phone",
        "topics": "融资方案",
    }
    return Call({}, body)


async def _assign_form(world: World, db: AsyncSession) -> Call:
    incubatee = await _fresh(world, db, IncubateeStatus.INCUBATING)
    return Call({"incubatee_id": incubatee.id}, {"mentor_id": str(world.mentor.id), "starts_on": "2017-01-01"})


async def _assignment_to_end(world: World, db: AsyncSession) -> Call:
    assignment = await _fresh_assignment(world, db)
    return Call({"incubatee_id": assignment.incubatee_id, "assignment_id": assignment.id})


async def _the_mentor_form(world: World, db: AsyncSession) -> Call:
    return Call(
        {"member_id": world.mentor.id},
        {"name": "王导师", "expertise": "电子商务、融资", "max_mentees": "50", "active": "on", "active__present": "1"},
    )


async def _left_firm(world: World, db: AsyncSession) -> Call:
    firm = await _fresh(world, db, IncubateeStatus.GRADUATED)
    firm.left_on = datetime.date(2017, 6, 30)
    db.add(firm)
    await db.commit()
    body = {"year_after": 1, "followed_on": "2018-06-30", "operating": True, "employees": 8}
    return Call({"incubatee_id": firm.id}, body)


async def _left_firm_form(world: World, db: AsyncSession) -> Call:
    call = await _left_firm(world, db)
    return Call(call.params, {**(call.body or {}), "operating": "on", "operating__present": "1"})


async def _report_to_file(world: World, db: AsyncSession) -> Call:
    """The founder's firm's oldest quarter with no report yet (each call files one)."""
    filed = set(
        await db.scalars(
            sa.select(PeriodicReport.period_start).where(PeriodicReport.incubatee_id == world.incubatee_a.id)
        )
    )
    start = next(s for s in (datetime.date(2016 + q // 4, q % 4 * 3 + 1, 1) for q in range(1, 40)) if s not in filed)
    return Call(_in_a(world), {"period_start": start.isoformat(), "employees": "3", "new_jobs": "1"})


async def _a_report(world: World, db: AsyncSession) -> Call:
    """A report of the founder's firm still open to the founder's corrections (due in the future)."""
    filed = await db.scalar(sa.select(sa.func.count()).select_from(PeriodicReport))
    start = datetime.date(2100, 1, 1) + datetime.timedelta(days=filed or 0)
    report = PeriodicReport(
        park_id=world.park_a.id,
        incubatee_id=world.incubatee_a.id,
        frequency="quarterly",
        period_start=start,
        period_end=start,
        due_on=start,
        submitted_on=datetime.date(2017, 1, 2),
    )
    db.add(report)
    await db.commit()
    return Call(_in_a(world, report_id=report.id), {"employees": "4"})


async def _new_portal_account(world: World, db: AsyncSession) -> Call:
    body = {"email": f"{uuid.uuid4().hex[:8]}@test.cn", "display_name": "王秀英", "password": "long-enough-pw"}
    return Call(_in_a(world), body)


async def _past_its_term(world: World, db: AsyncSession) -> Call:
    """A firm whose term is overdue: a recommendation stands until someone answers it."""
    firm = await _fresh(world, db, IncubateeStatus.INCUBATING)
    firm.term_ends_on = datetime.date(2017, 12, 31)
    await db.commit()
    return Call(
        {"incubatee_id": firm.id}, {"kind": "term_overdue", "outcome": "dismissed", "reason": "园区委员会同意延期"}
    )


async def _new_service(world: World, db: AsyncSession) -> Call:
    return Call({}, {"name": f"服务{uuid.uuid4().hex[:6]}", "category": "tech_ip", "provider": "市知识产权服务中心"})


async def _a_service(world: World, db: AsyncSession) -> Call:
    return Call({"service_id": (await make_service(db, world.park_a.id)).id}, {"description": "商标与专利申请代理"})


async def _new_delivery(world: World, db: AsyncSession) -> Call:
    service = await make_service(db, world.park_a.id)
    body = {
        "incubatee_id": str(world.incubatee_a.id),
        "service_id": str(service.id),
        "delivered_on": "2017-03-10",
        "hours": "2",
    }
    return Call({}, body)


async def _a_delivery(world: World, db: AsyncSession) -> Call:
    delivery = await make_delivery(db, world.incubatee_a, await make_service(db, world.park_a.id))
    return Call(_in_a(world, delivery_id=delivery.id), {"outcome": "已提交商标注册申请"})


async def _a_delivery_to_rate(world: World, db: AsyncSession) -> Call:
    delivery = await make_delivery(db, world.incubatee_a, await make_service(db, world.park_a.id))
    return Call(_in_a(world, delivery_id=delivery.id), {"satisfaction": 4, "comment": "及时"})


async def _open_request(world: World, db: AsyncSession) -> Call:
    request = await make_request(db, world.incubatee_a, await make_service(db, world.park_a.id))
    return Call({"request_id": request.id}, {"reason": "本园区暂不提供"})


async def _request_to_post(world: World, db: AsyncSession) -> Call:
    service = await make_service(db, world.park_a.id)
    return Call(_in_a(world), {"service_id": str(service.id), "need": "商标注册申请"})


async def _a_service_form(world: World, db: AsyncSession) -> Call:
    service = await make_service(db, world.park_a.id)
    body = {"name": service.name, "category": "tech_ip", "is_active": "on", "is_active__present": "1"}
    return Call({"service_id": service.id}, body)


async def _a_delivery_form(world: World, db: AsyncSession) -> Call:
    call = await _a_delivery(world, db)
    service = await make_service(db, world.park_a.id)
    body = {"service_id": str(service.id), "delivered_on": "2017-03-10", "hours": "1", "fee": "0"}
    return Call({"delivery_id": call.params["delivery_id"]}, body)


def _phone() -> str:
    return f"13{uuid.uuid4().int % 10**9:09d}"


async def _a_trainer(world: World, db: AsyncSession) -> Call:
    trainer = Trainer(name="陈讲师", specialties=["SYB"])
    db.add(trainer)
    await db.commit()
    return Call({"trainer_id": trainer.id, "member_id": trainer.id}, {"phone": "0393-8888888"})


async def _a_trainer_form(world: World, db: AsyncSession) -> Call:
    call = await _a_trainer(world, db)
    return Call(call.params, {"name": "陈讲师", "specialties": "SYB、网店", "active": "on", "active__present": "1"})


async def _new_trainer(world: World, db: AsyncSession) -> Call:
    return Call({}, {"name": "新讲师", "specialties": ["互联网+"]})


async def _new_trainer_form(world: World, db: AsyncSession) -> Call:
    return Call({}, {"name": "新讲师", "specialties": "互联网+、SYB"})


def _training_form(**values: Any) -> dict[str, Any]:
    return {
        "title": "创业培训",
        "kind": "startup_training",
        "starts_on": "2017-03-06",
        "ends_on": "2017-03-15",
        "hours": "56",
        "capacity": "30",
        **values,
    }


async def _new_training(world: World, db: AsyncSession) -> Call:
    return Call({}, _training_form())


async def _a_training(world: World, db: AsyncSession) -> Call:
    training = await make_training(db, world.park_a)
    return Call({"training_id": training.id}, {"title": "创业培训（修订）"})


async def _a_training_form(world: World, db: AsyncSession) -> Call:
    return Call((await _a_training(world, db)).params, _training_form(title="创业培训（修订）"))


async def _an_enrolment_to_make(world: World, db: AsyncSession) -> Call:
    training = await make_training(db, world.park_a)
    return Call({"training_id": training.id}, {"name": "张伟", "phone": _phone(), "target_group": "veteran"})


async def _an_enrolment(world: World, db: AsyncSession) -> Call:
    training = await make_training(db, world.park_a)
    enrolment = await make_enrolment(db, training, await make_trainee(db, world.park_a, _phone()))
    return Call({"training_id": training.id, "enrolment_id": enrolment.id}, {"attendance": "attended"})


async def _a_roll(world: World, db: AsyncSession) -> Call:
    call = await _an_enrolment(world, db)
    return Call(call.params, {"attended": [str(call.params["enrolment_id"])]})


async def _a_trainee(world: World, db: AsyncSession) -> Call:
    trainee = await make_trainee(db, world.park_a, _phone())
    return Call({"trainee_id": trainee.id}, {"gender": "female"})


async def _a_trainee_form(world: World, db: AsyncSession) -> Call:
    trainee = await make_trainee(db, world.park_a, _phone())
    return Call({"trainee_id": trainee.id}, {"name": "李娟", "phone": trainee.phone, "target_group": "veteran"})


async def _units_to_import(world: World, db: AsyncSession) -> Call:
    content = f"Building,Unit code,Type of unit,Area (m²)\n1号楼,{_code()},office,20\n".encode()
    return Call({"kind": "units"}, {}, {"file": ("units.csv", content, "text/csv")})


async def _mentors_to_import(world: World, db: AsyncSession) -> Call:
    content = f"Full name,Organisation\n导师{_code()},濮阳职业技术学院\n".encode()
    return Call({}, {}, {"file": ("mentors.csv", content, "text/csv")})


async def _import_page(world: World, db: AsyncSession) -> Call:
    return Call({"kind": "units"})


def _problems() -> dict[str, Any]:
    return {"problems": '[{"row": 57, "column": "统一社会信用代码", "message": "校验位不符"}]'}


async def _import_problems(world: World, db: AsyncSession) -> Call:
    return Call({"kind": "incubatees"}, _problems())


async def _mentor_import_problems(world: World, db: AsyncSession) -> Call:
    return Call({}, _problems())


async def _rating(
    world: World, db: AsyncSession, status: RatingStatus = RatingStatus.DRAFT, revision: int = 1
) -> Rating:
    """A rating of park A in the given state (and revision), in a period of its own."""
    label = uuid.uuid4().hex[:8]
    rating_round = RatingRound(
        label=label,
        starts_on=datetime.date(2017, 1, 1),
        ends_on=datetime.date(2017, 12, 31),
        rubric_version="puyang-2017",
    )
    db.add(rating_round)
    await db.flush()
    rating = Rating(
        park_id=world.park_a.id,
        round_id=rating_round.id,
        rubric_version="puyang-2017",
        status=status,
        revision=revision,
        metrics={"active_incubatees": {"value": "1"}},
        breakdown={"stars": 0},
        total=0,
        stars=0,
        failed=True,
        funding=0,
    )
    db.add(rating)
    await db.commit()
    return rating


def _rating_in(status: RatingStatus, body: dict[str, Any] | None = None, revision: int = 1) -> Sample:
    async def sample(world: World, db: AsyncSession) -> Call:
        rating = await _rating(world, db, status, revision)
        return Call({"rating_id": rating.id}, {"version": rating.lock_version, **(body or {})})

    return sample


_YEARS_TO_OPEN = iter(range(2000, 2026))
"""Each call opens a year not yet open (every allowed role opens one)."""


async def _year_to_open(world: World, db: AsyncSession) -> Call:
    return Call({}, {"year": next(_YEARS_TO_OPEN)})


async def _open_period(world: World, db: AsyncSession) -> Call:
    rating_round = RatingRound(
        label=uuid.uuid4().hex[:8],
        starts_on=datetime.date(2017, 1, 1),
        ends_on=datetime.date(2017, 12, 31),
        rubric_version="puyang-2017",
    )
    db.add(rating_round)
    await db.commit()
    return Call({"period": rating_round.label})


async def _targets_of_2017(world: World, db: AsyncSession) -> Call:
    return Call({"year": 2017}, {"targets": [{"key": "people_trained", "value": "12000"}]})


async def _target_row_of_2017(world: World, db: AsyncSession) -> Call:
    return Call({"year": 2017}, {"district": "华龙区", "people_trained": "3000"})


async def _new_rubric(world: World, db: AsyncSession) -> Call:
    version = f"matrix-{uuid.uuid4().hex[:8]}"
    text = packaged_source("puyang-2017").replace('version = "puyang-2017"', f'version = "{version}"')
    return Call({}, {"version": version}, {"file": ("rubric.toml", text.encode(), "application/toml")})


async def _packaged_rubric(world: World, db: AsyncSession) -> Call:
    return Call({"version": "puyang-2017"})


def _rating_with(status: RatingStatus, body: dict[str, Any]) -> Sample:
    async def sample(world: World, db: AsyncSession) -> Call:
        return Call({"rating_id": (await _rating(world, db, status)).id}, body)

    return sample


async def _evidence_to_attach(world: World, db: AsyncSession) -> Call:
    rating = await _rating(world, db)
    return Call({"rating_id": rating.id}, {}, {"file": ("佐证.pdf", PDF, "application/pdf")})


async def _evidence(world: World, db: AsyncSession) -> Call:
    rating = await _rating(world, db)
    evidence = RatingEvidence(
        park_id=rating.park_id,
        rating_id=rating.id,
        file_name="佐证.pdf",
        content_type="application/pdf",
        size_bytes=len(PDF),
        sha256="0" * 64,
        content=PDF,
    )
    db.add(evidence)
    await db.commit()
    return Call({"rating_id": rating.id, "evidence_id": evidence.id})


async def _rating_metric(world: World, db: AsyncSession) -> Call:
    rating = await _rating(world, db)
    return Call({"rating_id": rating.id, "metric": "active_incubatees"})


async def _certified_rating(world: World, db: AsyncSession) -> Call:
    rating = await _rating(world, db, RatingStatus.PUBLISHED)
    rating.stars, rating.failed = 3, False
    await db.commit()
    return Call({"rating_id": rating.id})


SAMPLES: dict[tuple[str, str], Sample] = {
    ("GET", RATING_PAGE + "/report.pdf"): _rating_in(RatingStatus.DRAFT),
    ("GET", RATING_PAGE + "/certificate.pdf"): _certified_rating,
    ("GET", TRAINING + "/enrolments/export"): _a_training,
    ("GET", TRAINING_PAGE + "/enrolments/export"): _a_training,
    ("POST", "/api/rating-periods"): _year_to_open,
    ("POST", "/ratings/periods"): _year_to_open,
    ("POST", "/api/rating-periods/{period:str}/compute"): _open_period,
    ("POST", "/api/rating-periods/{period:str}/close"): _open_period,
    ("POST", "/ratings/periods/{period:str}/compute"): _open_period,
    ("POST", "/ratings/periods/{period:str}/close"): _open_period,
    ("PUT", "/api/city/targets/{year:int}"): _targets_of_2017,
    ("POST", "/city/targets/{year:int}"): _target_row_of_2017,
    ("POST", RATINGS + "/{rating_id:uuid}/revise"): _rating_in(RatingStatus.PUBLISHED, {"reason": "更正"}),
    ("POST", RATING_PAGE + "/revise"): _rating_in(RatingStatus.PUBLISHED, {"reason": "更正"}),
    ("POST", RATINGS + "/{rating_id:uuid}/withdraw"): _rating_in(RatingStatus.UNDER_REVIEW, {"reason": "撤回"}, 2),
    ("POST", RATING_PAGE + "/withdraw"): _rating_in(RatingStatus.UNDER_REVIEW, {"reason": "撤回"}, 2),
    ("GET", RATINGS + "/{rating_id:uuid}/comments"): _rating_in(RatingStatus.DRAFT),
    ("POST", RATINGS + "/{rating_id:uuid}/comments"): _rating_with(RatingStatus.DRAFT, {"body": "请补充材料"}),
    ("POST", RATING_PAGE + "/comments"): _rating_with(RatingStatus.DRAFT, {"body": "请补充材料"}),
    ("GET", RATINGS + "/{rating_id:uuid}/evidence"): _rating_in(RatingStatus.DRAFT),
    ("POST", RATINGS + "/{rating_id:uuid}/evidence"): _evidence_to_attach,
    ("POST", RATING_PAGE + "/evidence"): _evidence_to_attach,
    ("GET", RATINGS + "/{rating_id:uuid}/evidence/{evidence_id:uuid}"): _evidence,
    ("DELETE", RATINGS + "/{rating_id:uuid}/evidence/{evidence_id:uuid}"): _evidence,
    ("GET", RATING_PAGE + "/evidence/{evidence_id:uuid}"): _evidence,
    ("POST", RATING_PAGE + "/evidence/{evidence_id:uuid}/delete"): _evidence,
    ("GET", RATINGS + "/{rating_id:uuid}/metrics/{metric:str}"): _rating_metric,
    ("GET", RATING_PAGE + "/metrics/{metric:str}"): _rating_metric,
    ("GET", RATINGS + "/{rating_id:uuid}"): _rating_in(RatingStatus.DRAFT),
    ("GET", RATINGS + "/{rating_id:uuid}/what-if"): _rating_in(RatingStatus.DRAFT),
    ("GET", RATING_PAGE): _rating_in(RatingStatus.DRAFT),
    ("POST", RATING_PAGE + "/submit"): _rating_in(RatingStatus.DRAFT, {"comment": "数据已核对"}),
    ("POST", RATING_PAGE + "/review"): _rating_in(RatingStatus.SUBMITTED),
    ("POST", RATING_PAGE + "/adjustments"): _rating_in(
        RatingStatus.UNDER_REVIEW, {"metric": "survival_rate", "value": "80", "reason": "与佐证材料不符"}
    ),
    ("POST", RATING_PAGE + "/return"): _rating_in(RatingStatus.UNDER_REVIEW, {"reason": "请补充佐证材料"}),
    ("POST", RATING_PAGE + "/approve"): _rating_in(RatingStatus.UNDER_REVIEW),
    ("POST", RATING_PAGE + "/publish"): _rating_in(RatingStatus.APPROVED),
    ("POST", RATINGS + "/{rating_id:uuid}/submit"): _rating_in(RatingStatus.DRAFT, {"comment": "数据已核对"}),
    ("POST", RATINGS + "/{rating_id:uuid}/review"): _rating_in(RatingStatus.SUBMITTED),
    ("POST", RATINGS + "/{rating_id:uuid}/adjustments"): _rating_in(
        RatingStatus.UNDER_REVIEW, {"metric": "survival_rate", "value": "80", "reason": "与佐证材料不符"}
    ),
    ("POST", RATINGS + "/{rating_id:uuid}/return"): _rating_in(RatingStatus.UNDER_REVIEW, {"reason": "请补充佐证材料"}),
    ("POST", RATINGS + "/{rating_id:uuid}/approve"): _rating_in(RatingStatus.UNDER_REVIEW),
    ("POST", RATINGS + "/{rating_id:uuid}/publish"): _rating_in(RatingStatus.APPROVED),
    ("POST", "/api/rubrics"): _new_rubric,
    ("POST", "/rubrics"): _new_rubric,
    ("GET", RUBRIC): _packaged_rubric,
    ("GET", RUBRIC + "/source"): _packaged_rubric,
    ("POST", RUBRIC + "/activate"): _packaged_rubric,
    ("GET", RUBRIC_PAGE): _packaged_rubric,
    ("GET", RUBRIC_PAGE + "/source"): _packaged_rubric,
    ("POST", RUBRIC_PAGE + "/activate"): _packaged_rubric,
    ("GET", INCUBATEE + "/recommendations"): _incubatee_a,
    ("GET", INCUBATEE + "/decisions"): _incubatee_a,
    ("POST", INCUBATEE + "/decisions"): _past_its_term,
    ("POST", INCUBATEE_PAGE + "/decisions"): _past_its_term,
    ("GET", INCUBATEE + "/portal-accounts"): _incubatee_a,
    ("POST", INCUBATEE + "/portal-accounts"): _new_portal_account,
    ("POST", INCUBATEE_PAGE + "/portal-accounts"): _new_portal_account,
    ("GET", INCUBATEE + "/reports"): _incubatee_a,
    ("POST", INCUBATEE + "/reports"): _report_to_file,
    ("GET", INCUBATEE + "/reports/{report_id:uuid}"): _a_report,
    ("PATCH", INCUBATEE + "/reports/{report_id:uuid}"): _a_report,
    ("GET", INCUBATEE_PAGE + "/reports/new"): _incubatee_a,
    ("POST", INCUBATEE_PAGE + "/reports/new"): _report_to_file,
    ("GET", INCUBATEE_PAGE + "/reports/{report_id:uuid}/edit"): _a_report,
    ("POST", INCUBATEE_PAGE + "/reports/{report_id:uuid}/edit"): _a_report,
    ("POST", PORTAL + "/reports/new"): _report_to_file,
    ("GET", PORTAL + "/reports/{report_id:uuid}/edit"): _a_report,
    ("POST", PORTAL + "/reports/{report_id:uuid}/edit"): _a_report,
    ("POST", SUPPORT_PAGE + "/services"): _new_service,
    ("GET", SUPPORT_PAGE + "/services/{service_id:uuid}/edit"): _a_service,
    ("POST", SUPPORT_PAGE + "/services/{service_id:uuid}/edit"): _a_service_form,
    ("POST", SUPPORT_PAGE + "/deliveries/new"): _new_delivery,
    ("GET", SUPPORT_PAGE + "/deliveries/{delivery_id:uuid}/edit"): _a_delivery,
    ("POST", SUPPORT_PAGE + "/deliveries/{delivery_id:uuid}/edit"): _a_delivery_form,
    ("POST", SUPPORT_PAGE + "/requests/{request_id:uuid}/accept"): _open_request,
    ("POST", SUPPORT_PAGE + "/requests/{request_id:uuid}/decline"): _open_request,
    ("POST", PORTAL + "/requests"): _request_to_post,
    ("POST", PORTAL + "/deliveries/{delivery_id:uuid}/rating"): _a_delivery_to_rate,
    ("POST", PARK_API + "/support-services"): _new_service,
    ("GET", PARK_API + "/support-services/{service_id:uuid}"): _a_service,
    ("PATCH", PARK_API + "/support-services/{service_id:uuid}"): _a_service,
    ("POST", PARK_API + "/service-deliveries"): _new_delivery,
    ("GET", PARK_API + "/service-deliveries/{delivery_id:uuid}"): _a_delivery,
    ("PATCH", PARK_API + "/service-deliveries/{delivery_id:uuid}"): _a_delivery,
    ("POST", PARK_API + "/service-requests/{request_id:uuid}/accept"): _open_request,
    ("POST", PARK_API + "/service-requests/{request_id:uuid}/decline"): _open_request,
    ("GET", INCUBATEE + "/service-requests"): _incubatee_a,
    ("POST", INCUBATEE + "/service-requests"): _request_to_post,
    ("GET", INCUBATEE + "/service-deliveries"): _incubatee_a,
    ("POST", INCUBATEE + "/service-deliveries/{delivery_id:uuid}/rating"): _a_delivery_to_rate,
    ("POST", "/api/trainers"): _new_trainer,
    ("GET", "/api/trainers/{trainer_id:uuid}"): _a_trainer,
    ("PATCH", "/api/trainers/{trainer_id:uuid}"): _a_trainer,
    ("POST", "/api/parks/{park_id:uuid}/trainings"): _new_training,
    ("GET", TRAINING): _a_training,
    ("PATCH", TRAINING): _a_training,
    ("GET", TRAINING + "/enrolments"): _a_training,
    ("POST", TRAINING + "/enrolments"): _an_enrolment_to_make,
    ("PATCH", ENROLMENT): _an_enrolment,
    ("DELETE", ENROLMENT): _an_enrolment,
    ("POST", TRAINING + "/roll"): _a_roll,
    ("GET", TRAINEE): _a_trainee,
    ("PATCH", TRAINEE): _a_trainee,
    ("POST", "/trainers/new"): _new_trainer_form,
    ("GET", "/trainers/{member_id:uuid}/edit"): _a_trainer,
    ("POST", "/trainers/{member_id:uuid}/edit"): _a_trainer_form,
    ("POST", "/parks/{park_id:uuid}/trainings/new"): _new_training,
    ("GET", TRAINING_PAGE): _a_training,
    ("GET", TRAINING_PAGE + "/edit"): _a_training,
    ("POST", TRAINING_PAGE + "/edit"): _a_training_form,
    ("POST", TRAINING_PAGE + "/enrolments"): _an_enrolment_to_make,
    ("POST", TRAINING_PAGE + "/roll"): _a_roll,
    ("POST", TRAINING_PAGE + "/enrolments/{enrolment_id:uuid}/withdraw"): _an_enrolment,
    ("GET", TRAINEE_PAGE): _a_trainee,
    ("POST", TRAINEE_PAGE): _a_trainee_form,
    ("POST", "/api/parks/{park_id:uuid}/imports/{kind:str}"): _units_to_import,
    ("GET", IMPORT_PAGE): _import_page,
    ("POST", IMPORT_PAGE): _units_to_import,
    ("GET", IMPORT_PAGE + "/template"): _import_page,
    ("POST", IMPORT_PAGE + "/report"): _import_problems,
    ("POST", "/api/mentors/import"): _mentors_to_import,
    ("POST", "/mentors/import"): _mentors_to_import,
    ("POST", "/mentors/import/report"): _mentor_import_problems,
    ("GET", INCUBATEE + "/follow-ups"): _incubatee_a,
    ("POST", INCUBATEE + "/follow-ups"): _left_firm,
    ("POST", INCUBATEE_PAGE + "/follow-ups"): _left_firm_form,
    ("POST", "/mentors/new"): _new_mentor,
    ("GET", "/mentors/{member_id:uuid}/edit"): _the_mentor,
    ("POST", "/mentors/{member_id:uuid}/edit"): _the_mentor_form,
    ("POST", INCUBATEE_PAGE + "/mentors"): _assign_form,
    ("POST", INCUBATEE_PAGE + "/mentors/{assignment_id:uuid}/end"): _assignment_to_end,
    ("POST", "/my/sessions/new"): _session_to_log,
    ("GET", "/my/sessions/{session_id:uuid}/edit"): _draft_session,
    ("POST", "/my/sessions/{session_id:uuid}/edit"): _draft_session,
    ("POST", "/parks/{park_id:uuid}/mentor-sessions/{session_id:uuid}/confirm"): _submitted_session,
    ("POST", "/parks/{park_id:uuid}/mentor-sessions/{session_id:uuid}/return"): _submitted_session,
    ("POST", "/api/mentors"): _new_mentor,
    ("GET", "/api/mentors/{mentor_id:uuid}"): _the_mentor,
    ("PATCH", "/api/mentors/{mentor_id:uuid}"): _the_mentor,
    ("POST", "/api/parks/{park_id:uuid}/mentor-assignments"): _new_assignment,
    ("POST", "/api/parks/{park_id:uuid}/mentor-assignments/{assignment_id:uuid}/end"): _an_assignment,
    ("POST", "/api/parks/{park_id:uuid}/mentor-sessions/{session_id:uuid}/confirm"): _submitted_session,
    ("POST", "/api/parks/{park_id:uuid}/mentor-sessions/{session_id:uuid}/return"): _submitted_session,
    ("POST", "/api/my/sessions"): _session_to_log,
    ("PATCH", "/api/my/sessions/{session_id:uuid}"): _draft_session,
    ("POST", "/api/my/sessions/{session_id:uuid}/submit"): _draft_session,
    ("POST", "/parks/{park_id:uuid}/space/buildings"): _new_building,
    ("POST", "/parks/{park_id:uuid}/space/units"): _new_unit,
    ("GET", "/parks/{park_id:uuid}/space/units/{unit_id:uuid}"): _a_unit,
    ("POST", "/parks/{park_id:uuid}/space/units/{unit_id:uuid}/leases"): _lease_form,
    ("POST", "/api/parks/{park_id:uuid}/buildings"): _new_building,
    ("POST", "/api/parks/{park_id:uuid}/units"): _new_unit,
    ("GET", "/api/parks/{park_id:uuid}/units/{unit_id:uuid}"): _a_unit,
    ("PATCH", "/api/parks/{park_id:uuid}/units/{unit_id:uuid}"): _a_unit,
    ("POST", "/api/parks/{park_id:uuid}/leases"): _new_lease,
    ("GET", "/api/parks/{park_id:uuid}/leases/{lease_id:uuid}"): _a_lease,
    ("PATCH", "/api/parks/{park_id:uuid}/leases/{lease_id:uuid}"): _a_lease,
    ("POST", "/parks/new"): _new_park,
    ("POST", "/api/parks"): _new_park,
    ("PATCH", "/api/parks/{park_id:uuid}"): _edit_park_a,
    ("POST", "/parks/{park_id:uuid}/edit"): _edit_park_a_form,
    ("POST", "/api/users"): _new_user,
    ("POST", "/users/new"): _new_user,
    ("GET", "/api/users/{user_id:uuid}"): _target_user,
    ("PATCH", "/api/users/{user_id:uuid}"): _target_user,
    ("GET", "/users/{user_id:uuid}/edit"): _target_user,
    ("POST", "/users/{user_id:uuid}/edit"): _target_user_form,
    ("POST", "/api/users/{user_id:uuid}/memberships"): _new_membership,
    ("POST", "/users/{user_id:uuid}/memberships"): _new_membership,
    ("DELETE", "/api/users/{user_id:uuid}/memberships/{membership_id:uuid}"): _existing_membership,
    ("POST", "/users/{user_id:uuid}/memberships/{membership_id:uuid}/delete"): _existing_membership,
    ("DELETE", "/api/auth/token"): _no_body,
    ("POST", "/api/parks/{park_id:uuid}/incubatees"): _new_incubatee,
    ("POST", "/parks/{park_id:uuid}/incubatees/new"): _new_incubatee,
    ("GET", INCUBATEE_PAGE): _incubatee_a,
    ("GET", INCUBATEE_PAGE + "/edit"): _incubatee_a,
    ("POST", INCUBATEE_PAGE + "/edit"): _incubatee_a_form,
    ("POST", INCUBATEE_PAGE + "/admission"): _applicant,
    ("POST", INCUBATEE_PAGE + "/departure"): _incubating,
    ("POST", INCUBATEE_PAGE + "/founders"): _new_founder,
    ("POST", FOUNDER_PAGE + "/delete"): _disposable_founder,
    ("POST", FOUNDER_PAGE + "/id-number"): _founder_a,
    ("GET", "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}"): _incubatee_a,
    ("PATCH", "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}"): _incubatee_a,
    ("POST", "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}/admission"): _applicant,
    ("POST", "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}/departure"): _incubating,
    ("POST", "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}/founders"): _new_founder,
    ("PATCH", "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}/founders/{founder_id:uuid}"): _founder_a,
    ("DELETE", "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}/founders/{founder_id:uuid}"): (
        _disposable_founder
    ),
    ("POST", "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}/founders/{founder_id:uuid}/id-number"): (
        _founder_a
    ),
    ("POST", "/logout"): _no_body,
}


def protected_routes(app: Litestar) -> list[tuple[str, str, HTTPRouteHandler]]:
    table = []
    for route in app.routes:
        for handler in route.route_handlers:
            if not isinstance(handler, HTTPRouteHandler) or handler.opt.get("exclude_from_auth"):
                continue
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                table.append((method, route.path, handler))
    return table


def _needs_sample(method: str, path: str) -> bool:
    return method != "GET" or bool(set(re.findall(r"{(\w+):", path)) - {"park_id"})


def _url(path: str, params: dict[str, Any]) -> str:
    return re.sub(r"{(\w+):\w+}", lambda m: str(params[m.group(1)]), path)


def _expected(world: World, actor: str, path: str, allowed: frozenset[str]) -> str:
    user = world.user(actor)
    held: set[str] = {user.city_role.value} if user.city_role else set()
    if "{park_id" in path:
        held = {r for r in held if r in ("admin", "bureau")}
        park_roles = {"operator_a": "operator", "founder_a": "founder"}
        if actor in park_roles:
            held.add(park_roles[actor])
        if not held:
            return "not found"
    return "allowed" if ANY_USER in allowed or held & allowed else "forbidden"


def test_every_route_declares_the_roles_of_the_written_policy(app):
    declared = {(m, p): tuple(sorted(allowed_roles(h) or ())) for m, p, h in protected_routes(app)}
    assert declared == {key: tuple(sorted(roles)) for key, roles in POLICY.items()}


def test_only_the_expected_routes_are_public(app):
    public = {
        (method, route.path)
        for route in app.routes
        for handler in route.route_handlers
        if isinstance(handler, HTTPRouteHandler) and handler.opt.get("exclude_from_auth")
        for method in handler.http_methods - {"OPTIONS", "HEAD"}
    }
    assert public == PUBLIC


def test_every_route_that_needs_values_has_a_sample(app):
    missing = [(m, p) for m, p, _h in protected_routes(app) if _needs_sample(m, p) and (m, p) not in SAMPLES]
    assert missing == [], "add a sample to SAMPLES for these routes"


async def test_roles_by_parks_matrix(app, client, db, world):
    csrf = await csrf_token(client)
    failures = []
    for method, path, handler in protected_routes(app):
        sample = SAMPLES.get((method, path), _no_body)
        api = path.startswith("/api/")
        for actor in [None, *ACTORS]:
            call = await sample(world, db)
            params = {"park_id": world.park_a.id, **call.params}
            url = _url(path, params)
            headers: dict[str, str] = {}
            client.cookies.clear()
            client.cookies.set("csrftoken", csrf)
            kwargs: dict[str, Any] = {}
            if actor is not None:
                kind = TokenKind.API if api else TokenKind.SESSION
                secret = await issue_token(db, world.user(actor), kind)
                if api:
                    headers["Authorization"] = f"Bearer {secret}"
                else:
                    client.cookies.set("incubator_session", secret)
            if call.files is not None:
                kwargs = {"files": call.files, "data": call.body if api else {**(call.body or {}), "_csrf_token": csrf}}
            elif call.body is not None and method != "GET":
                kwargs = {"json": call.body} if api else {"data": {**call.body, "_csrf_token": csrf}}
            elif method != "GET" and not api:
                kwargs = {"data": {"_csrf_token": csrf}}
            response = await client.request(method, url, headers=headers, follow_redirects=False, **kwargs)
            status = response.status_code
            if actor is None:
                ok = status == 401 if api else (status == 303 and response.headers["location"].startswith("/login"))
                expectation = "login required"
            else:
                expectation = _expected(world, actor, path, allowed_roles(handler) or frozenset())
                ok = {"allowed": status < 400, "forbidden": status == 403, "not found": status == 404}[expectation]
            if not ok:
                failures.append(f"{method} {path} as {actor or 'nobody'}: expected {expectation}, got {status}")
    assert not failures, "\n".join(failures)
