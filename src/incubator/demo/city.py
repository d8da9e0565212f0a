"""The demo city as rows, generated from a seed: the same seed and scale give the same city.

History runs from 2015 to the end of 2017 and the city is seen on ``AS_OF`` (January 2018, the
season when the bureau rates 2017). Every figure is drawn around the park's quality, so that good
parks look good and poor parks poor."""

import datetime
import random
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from stdnum.cn import ric, uscc

from incubator.auth.models import Membership, User
from incubator.config import DEMO_PASSWORD
from incubator.demo import names
from incubator.demo.accounts import DEMO_ACCOUNTS
from incubator.demo.parks import REGION_CODES, ParkPlan, Quality, park_plans
from incubator.incubatees.models import (
    Education,
    ExitReason,
    FollowUp,
    Founder,
    Gender,
    Incubatee,
    IncubateeStatus,
    IncubateeType,
    TargetGroup,
)
from incubator.incubatees.rules import term_end
from incubator.mentors.models import Assignment, Mentor, MentorSession, SessionMode, SessionStatus
from incubator.parks.models import Park, ReportFrequency
from incubator.periodic_reports.models import PeriodicReport
from incubator.periodic_reports.periods import due_on, expected_periods
from incubator.protection import PersonalData, mask_id_number
from incubator.ratings.rubric import incubatee_rules
from incubator.space.models import Building, Lease, Unit, UnitKind
from incubator.support.models import (
    POLICY_TAKE_UP,
    RequestedBy,
    RequestStatus,
    ServiceCategory,
    ServiceDelivery,
    ServiceRequest,
    SupportService,
)
from incubator.trainings.models import Attendance, Enrolment, Trainee, Trainer, Training, TrainingKind

HISTORY_START = datetime.date(2015, 1, 1)
HISTORY_END = datetime.date(2017, 12, 31)
AS_OF = datetime.date(2018, 1, 15)
CREATED = datetime.datetime(2018, 1, 15, 1, 0, tzinfo=datetime.UTC)
FIRMS_PER_SCALE = 500
RULES = incubatee_rules()
SESSIONS_PER_MONTH = (0.7, 1.25, 2.1, 3.1, 3.5)
"""A mentored firm's sessions a month, by park quality."""
FILED_ON_TIME = (0.55, 0.75, 0.92, 0.99, 0.995)
FILED_LATE = (0.2, 0.15, 0.07, 0.02, 0.005)
BANKS = ["濮阳农商银行", "中原银行濮阳分行", "中国邮政储蓄银行濮阳分行", "濮阳银行"]
TARGET_GROUPS = [
    (TargetGroup.RETURNING_MIGRANT_WORKER, 35),
    (TargetGroup.COLLEGE_GRADUATE, 25),
    (TargetGroup.RESEARCH_STAFF, 5),
    (TargetGroup.SECOND_TIME_ENTREPRENEUR, 10),
    (TargetGroup.VETERAN, 8),
    (TargetGroup.UNEMPLOYED, 12),
    (TargetGroup.OTHER, 5),
]
KINDS = [
    (IncubateeType.TECHNOLOGY, 15),
    (IncubateeType.E_COMMERCE, 25),
    (IncubateeType.PLANTING_BREEDING, 20),
    (IncubateeType.HANDICRAFT, 15),
    (IncubateeType.SERVICES, 20),
    (IncubateeType.OTHER, 5),
]
CATALOG = [
    ("创业培训", ServiceCategory.TRAINING, "市创业指导中心"),
    ("创业咨询与诊断", ServiceCategory.CONSULTING, "园区创业服务部"),
    ("工商注册代办", ServiceCategory.BUSINESS_REGISTRATION, "园区商事代理窗口"),
    ("行政审批代办", ServiceCategory.ADMINISTRATIVE, "园区政务服务窗口"),
    ("项目路演与对接", ServiceCategory.SHOWCASE_MATCHMAKING, "园区创业服务部"),
    ("产品检测", ServiceCategory.TECH_TESTING, "濮阳市产品质量检验中心"),
    ("工业设计", ServiceCategory.TECH_DESIGN, "濮阳职业技术学院设计中心"),
    ("商标与专利代理", ServiceCategory.TECH_IP, "濮阳市知识产权服务中心"),
    ("技术转移对接", ServiceCategory.TECH_TRANSFER, "中原油田科技园"),
    ("创业担保贷款申报", ServiceCategory.FINANCE_GUARANTEED_LOAN, "市创业担保贷款中心"),
    ("创业补贴申领", ServiceCategory.FINANCE_SUBSIDY, "区县人社部门"),
    ("股权融资对接", ServiceCategory.FINANCE_INVESTMENT, "濮阳创投基金"),
]
DELIVERIES = (1.0, 2.0, 3.5, 5.5, 7.0)
"""Services a firm receives in its incubation, by park quality."""
POLICY_SUPPORT = (0.05, 0.1, 0.15, 0.2, 0.75)
"""Chance that the park also gets a firm a guaranteed loan or a subsidy late in its stay, by park quality."""
UNITS_PER_FIRM = (0.8, 0.8, 0.8, 0.8, 0.5)
"""Rentable units built for each firm the park will take in: the model park runs full."""
TRAININGS_A_YEAR = (4, 8, 13, 20, 26)
TRAINING_SUCCESS = (0.12, 0.22, 0.35, 0.5, 0.6)
"""Share of a training's attendees who register a firm within a year, by park quality."""
TRAINING_TITLES = {
    TrainingKind.STARTUP_TRAINING: "SYB创业培训班",
    TrainingKind.ONLINE_BUSINESS: "网店创业培训班",
    TrainingKind.INTERNET_PLUS: "互联网+创业培训班",
    TrainingKind.PUBLIC_CLASS: "创业公开课",
    TrainingKind.FORUM: "返乡创业论坛",
    TrainingKind.COMPETITION: "创新创业大赛",
}
RESERVED = {"91410900MA44L7XN26", "410928198503120046"}
"""Kept for the story firms (and the browser journeys): never drawn at random."""


def pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


class City:
    """Rows for every table, in insertion order, each complete (defaults filled in)."""

    def __init__(self, seed: int, personal_data: PersonalData, password_hash: str) -> None:
        self.rng = random.Random(seed)
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        self.personal_data = personal_data
        self.password_hash = password_hash
        self.firm_names: set[str] = set()
        self.codes: set[str] = set(RESERVED)

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, model: Any, **values: Any) -> uuid.UUID:
        table = model.__table__
        values.setdefault("id", self.new_id())
        for column in table.columns:
            if column.name in values:
                continue
            if column.name in ("created_at", "updated_at"):
                values[column.name] = CREATED
            elif column.default is not None and column.default.is_scalar:
                values[column.name] = column.default.arg
            elif column.default is not None and column.default.is_callable and column.name == "expertise":
                values[column.name] = []
            else:
                values[column.name] = None
        self.rows.setdefault(table, []).append(values)
        return values["id"]

    def count(self, model: Any) -> int:
        return len(self.rows.get(model.__table__, []))

    # Identity numbers, valid by their check digits

    def credit_code(self, district: str) -> str:
        while True:
            body = f"91{REGION_CODES[district]}MA{self.rng.choice('0123456789ABCDEFGHJKLMNPQRTUWXY')}"
            body += "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(17 - len(body)))
            code = body + uscc.calc_check_digit(body)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def id_number(self, district: str, birth_year: int) -> str:
        while True:
            born = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 364))
            body = f"{REGION_CODES[district]}{born:%Y%m%d}{self.rng.randint(0, 999):03d}"
            number = body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18 characters
            if number not in self.codes:
                self.codes.add(number)
                return number

    def phone(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randint(0, 999_999_999):09d}"


def generate(scale: int, seed: int, personal_data: PersonalData, password_hash: str) -> City:
    city = City(seed, personal_data, password_hash)
    plans = park_plans(max(15, scale))
    parks = {plan.code: _park(city, plan) for plan in plans}
    users = _accounts(city, parks)
    mentors = _mentor_pool(city, scale, users)
    trainers = _trainer_pool(city, scale)
    firms_total = FIRMS_PER_SCALE * scale
    weights = [(2.0 if plan.kind == "park" else 0.5) * (1 + plan.quality.value / 2) for plan in plans]
    for plan, weight in zip(plans, weights, strict=True):
        firms = max(6, round(firms_total * weight / sum(weights)))
        _park_life(city, plan, parks[plan.code], firms, mentors, trainers)
    _story(city, parks, users)
    return city


def _park(city: City, plan: ParkPlan) -> uuid.UUID:
    return city.add(
        Park,
        name=plan.name,
        code=plan.code,
        kind=plan.kind,
        level=plan.level,
        district=plan.district,
        township=plan.township,
        address=f"{plan.district}{plan.township}创业路 {city.rng.randint(1, 200)} 号",
        incubation_area_m2=Decimal(plan.area_m2),
        operating_organisation=plan.organisation,
        recognised_on=plan.recognised_on,
        report_frequency=plan.frequency,
        report_due_days=15,
    )


def _accounts(city: City, parks: dict[str, uuid.UUID]) -> dict[str, uuid.UUID]:
    users: dict[str, uuid.UUID] = {}
    for account in DEMO_ACCOUNTS:
        if account.email not in users:
            users[account.email] = city.add(
                User,
                email=account.email,
                display_name=account.name,
                password_hash=city.password_hash,
                is_active=True,
                city_role=None if account.park_code else account.role,
            )
        if account.park_code and not account.firm:
            city.add(Membership, park_id=parks[account.park_code], user_id=users[account.email], role=account.role)
    return users


def _mentor_pool(city: City, scale: int, users: dict[str, uuid.UUID]) -> list[uuid.UUID]:
    rng = city.rng
    pool = []
    for _ in range(30 + 3 * scale):
        pool.append(
            city.add(
                Mentor,
                name=names.person(rng),
                organisation=rng.choice(names.ORGANISATIONS),
                expertise=rng.sample(names.EXPERTISE, rng.randint(1, 3)),
                bio="",
                max_mentees=40,
                availability=rng.choice(["工作日晚间", "周末", "每周二、四下午", ""]),
            )
        )
    return pool


def _park_life(
    city: City,
    plan: ParkPlan,
    park_id: uuid.UUID,
    firm_count: int,
    mentors: list[uuid.UUID],
    trainers: list[uuid.UUID],
) -> None:
    """One park's three years: firms, founders, space and leases, mentoring, services, reports, follow-ups
    and trainings."""
    rng, q = city.rng, plan.quality
    opened = max(HISTORY_START, plan.recognised_on)
    units = _space(city, plan, park_id, firm_count)
    catalog = _catalog(city, plan, park_id)
    registered_firms: list[tuple[uuid.UUID, datetime.date]] = []
    unit_free_from = {unit: opened for unit, _area in units}
    for _ in range(firm_count):
        kind = pick(rng, KINDS)
        name, industry = names.firm(rng, kind.value, city.firm_names)
        admitted = day_between(rng, opened, datetime.date(2017, 11, 30))
        applicant = rng.random() < 0.03
        days_before = rng.choice((rng.randint(0, 90), rng.randint(0, 600)))
        registered = admitted - datetime.timedelta(days=days_before) if rng.random() < 0.85 else None
        left_on, status, reason = None, IncubateeStatus.INCUBATING, None
        if not applicant and rng.random() < 0.2 + 0.08 * q and admitted < datetime.date(2017, 6, 1):
            left_on = day_between(rng, admitted + datetime.timedelta(days=180), HISTORY_END)
            graduated = rng.random() < 0.3 + 0.17 * q
            status = IncubateeStatus.GRADUATED if graduated else IncubateeStatus.EXITED
            reason = (
                ExitReason.GRADUATION_CRITERIA
                if graduated
                else rng.choice(
                    [ExitReason.VOLUNTARY, ExitReason.CLOSED, ExitReason.FOR_CAUSE, ExitReason.TERM_EXPIRED]
                )
            )
        firm_id = city.add(
            Incubatee,
            park_id=park_id,
            name=name,
            credit_code=city.credit_code(plan.district) if registered else None,
            registered_on=registered,
            industry=industry,
            kind=kind,
            status=IncubateeStatus.APPLICANT if applicant else status,
            applied_on=admitted - datetime.timedelta(days=rng.randint(5, 40)),
            admitted_on=None if applicant else admitted,
            term_ends_on=None if applicant else term_end(admitted, kind, RULES),
            left_on=left_on,
            exit_reason=reason,
            exit_note="",
        )
        group = _founders(city, plan, park_id, firm_id)
        if registered:
            registered_firms.append((firm_id, registered))
        if applicant:
            continue
        until = left_on or term_end(admitted, kind, RULES)
        _lease(city, plan, park_id, firm_id, admitted, until, group, unit_free_from, units)
        _mentoring(city, plan, park_id, firm_id, admitted, left_on or HISTORY_END, mentors)
        _reports(city, plan, park_id, firm_id, kind, group, admitted, left_on)
        _services(city, plan, park_id, firm_id, admitted, left_on or HISTORY_END, catalog)
        if left_on:
            _follow_ups(city, plan, park_id, firm_id, left_on)
    _trainings(city, plan, park_id, opened, trainers, registered_firms)


def _founders(city: City, plan: ParkPlan, park_id: uuid.UUID, firm_id: uuid.UUID) -> TargetGroup:
    rng = city.rng
    first = pick(rng, TARGET_GROUPS)
    for n in range(1 if rng.random() < 0.8 else 2):
        group = first if n == 0 else pick(rng, TARGET_GROUPS)
        birth_year = rng.randint(1965, 1997)
        number = city.id_number(plan.district, birth_year)
        city.add(
            Founder,
            park_id=park_id,
            incubatee_id=firm_id,
            name=names.person(rng),
            phone=city.phone(),
            id_number_ciphertext=city.personal_data.seal(number),
            id_number_digest=city.personal_data.digest(number),
            id_number_masked=mask_id_number(number),
            target_group=group,
            gender=rng.choice(list(Gender)),
            birth_year=birth_year,
            education=rng.choice(list(Education)),
        )
    return first


def _space(city: City, plan: ParkPlan, park_id: uuid.UUID, firm_count: int) -> list[tuple[uuid.UUID, int]]:
    """Buildings and units; the rentable ones returned with their areas."""
    rng = city.rng
    rentable: list[tuple[uuid.UUID, int]] = []
    buildings = 1 if plan.kind == "demonstration_point" else rng.randint(2, 3)
    for b in range(buildings):
        building = city.add(Building, park_id=park_id, name=f"{'ABC'[b]}座", address="")
        city.add(
            Unit,
            park_id=park_id,
            building_id=building,
            code=f"{'ABC'[b]}-000",
            kind=UnitKind.COMMON_AREA,
            area_m2=Decimal(rng.randint(100, 300) * (1 + plan.quality)),
            seats=0,
            monthly_rent=Decimal(0),
            free_or_common=True,
        )
        for n in range(1, max(2, round(firm_count * UNITS_PER_FIRM[plan.quality] / buildings)) + 1):
            kind = rng.choice(
                [UnitKind.OFFICE, UnitKind.OFFICE, UnitKind.WORKSTATION, UnitKind.WORKSHOP, UnitKind.WAREHOUSE]
            )
            size = {UnitKind.WORKSTATION: 8, UnitKind.OFFICE: 40, UnitKind.WORKSHOP: 150, UnitKind.WAREHOUSE: 100}[kind]
            size = round(size * rng.uniform(0.6, 1.6))
            unit = city.add(
                Unit,
                park_id=park_id,
                building_id=building,
                code=f"{'ABC'[b]}-{n:03d}",
                kind=kind,
                area_m2=Decimal(size),
                seats=max(1, size // 8),
                monthly_rent=Decimal(size * rng.randint(8, 20)),
                free_or_common=False,
            )
            rentable.append((unit, size))
    return rentable


def _lease(
    city: City,
    plan: ParkPlan,
    park_id: uuid.UUID,
    firm_id: uuid.UUID,
    start: datetime.date,
    until: datetime.date,
    group: TargetGroup,
    free_from: dict[uuid.UUID, datetime.date],
    units: list[tuple[uuid.UUID, int]],
) -> None:
    """The first unit free on the firm's admission, if the park lets one (good parks fill their space)."""
    rng = city.rng
    if rng.random() > 0.55 + 0.13 * plan.quality:
        return
    for unit, size in units:
        if free_from[unit] <= start:
            free_from[unit] = until + datetime.timedelta(days=1)
            migrant = group == TargetGroup.RETURNING_MIGRANT_WORKER
            city.add(
                Lease,
                park_id=park_id,
                unit_id=unit,
                incubatee_id=firm_id,
                starts_on=start,
                ends_on=until,
                monthly_rent=Decimal(size * 12),
                rent_free_until=start + relativedelta(months=6) if migrant else None,
                deposit=Decimal(size * 12),
            )
            return


def _mentoring(
    city: City,
    plan: ParkPlan,
    park_id: uuid.UUID,
    firm_id: uuid.UUID,
    start: datetime.date,
    end: datetime.date,
    mentors: list[uuid.UUID],
) -> None:
    rng, q = city.rng, plan.quality
    if rng.random() > 0.45 + 0.15 * q:
        return
    mentor = rng.choice(mentors)
    begins = start + datetime.timedelta(days=rng.randint(0, 60))
    if begins > end:
        return
    assignment = city.add(
        Assignment,
        park_id=park_id,
        mentor_id=mentor,
        incubatee_id=firm_id,
        starts_on=begins,
        ends_on=end if end < HISTORY_END else None,
    )
    months = max(1, (end - begins).days // 30)
    for held in sorted(
        day_between(rng, begins, end) for _ in range(round(months * SESSIONS_PER_MONTH[q] * rng.uniform(0.6, 1.4)))
    ):
        recent = held > datetime.date(2017, 12, 10)
        status = (
            SessionStatus.SUBMITTED
            if recent
            else (SessionStatus.CONFIRMED if rng.random() < 0.97 else SessionStatus.RETURNED)
        )
        city.add(
            MentorSession,
            park_id=park_id,
            assignment_id=assignment,
            mentor_id=mentor,
            incubatee_id=firm_id,
            held_on=held,
            minutes=rng.choice((30, 45, 60, 60, 90, 120)),
            mode=rng.choice(list(SessionMode)),
            topics=rng.choice(names.TOPICS),
            notes="",
            follow_ups="",
            status=status,
            return_reason="请补充辅导内容" if status == SessionStatus.RETURNED else "",
        )


def _reports(
    city: City,
    plan: ParkPlan,
    park_id: uuid.UUID,
    firm_id: uuid.UUID,
    kind: IncubateeType,
    group: TargetGroup,
    admitted: datetime.date,
    left_on: datetime.date | None,
) -> None:
    rng, q = city.rng, plan.quality
    employees = rng.randint(2, 6)
    window = (admitted, min(left_on or HISTORY_END, HISTORY_END))
    for period in expected_periods(window, plan.frequency):
        if period.end > HISTORY_END:
            break
        due = due_on(period, 15)
        chance = rng.random()
        if chance < FILED_ON_TIME[q]:
            submitted = day_between(rng, period.end + datetime.timedelta(days=1), due)
        elif chance < FILED_ON_TIME[q] + FILED_LATE[q]:
            submitted = due + datetime.timedelta(days=rng.randint(1, 40))
        else:
            continue
        if submitted > AS_OF:
            continue
        months = 1 if plan.frequency == "monthly" else 3
        before = employees
        employees = max(1, employees + rng.choice((-1, 0, 0, 1, 1, 2)) + (1 if rng.random() < q * 0.15 else 0))
        revenue = Decimal(employees * rng.randint(6_000, 20_000) * months * (1 + q))
        loan = group == TargetGroup.RETURNING_MIGRANT_WORKER and rng.random() < 0.04 * (1 + q)
        complete = rng.random() < 0.75 + 0.083 * q
        city.add(
            PeriodicReport,
            park_id=park_id,
            incubatee_id=firm_id,
            frequency=plan.frequency,
            period_start=period.start,
            period_end=period.end,
            due_on=due,
            submitted_on=submitted,
            submitted_by=None,
            by_park=rng.random() < 0.2,
            complete=complete,
            employees=employees,
            new_jobs=max(0, employees - before),
            revenue=revenue if complete else None,
            tax=(revenue * Decimal("0.03")).quantize(Decimal("0.01")) if complete else None,
            funding_raised=Decimal(rng.choice((200_000, 500_000, 1_200_000)))
            if kind == "technology" and rng.random() < 0.04 * q
            else Decimal(0),
            loan_amount=Decimal(rng.choice((50_000, 100_000, 200_000))) if loan else Decimal(0),
            loan_bank=rng.choice(BANKS) if loan else "",
            ip_filed=rng.randint(0, 2) if kind == "technology" else 0,
            ip_granted=rng.randint(0, 1) if kind == "technology" and rng.random() < 0.3 else 0,
            high_tech_certified=kind == "technology" and q >= Quality.EXCELLENT and rng.random() < 0.05,
            note="",
        )


def _trainer_pool(city: City, scale: int) -> list[uuid.UUID]:
    rng = city.rng
    return [
        city.add(
            Trainer,
            name=names.person(rng),
            organisation=rng.choice(names.ORGANISATIONS),
            specialties=rng.sample(names.EXPERTISE, rng.randint(1, 3)),
            phone=city.phone(),
            bio="",
            active=True,
        )
        for _ in range(20 + scale)
    ]


def _catalog(city: City, plan: ParkPlan, park_id: uuid.UUID) -> list[tuple[uuid.UUID, ServiceCategory, str]]:
    """The park's services: all of them in a good park, the basics in a poor one."""
    offered = CATALOG if plan.quality >= Quality.GOOD else CATALOG[: 5 + 2 * plan.quality]
    return [
        (
            city.add(
                SupportService,
                park_id=park_id,
                name=name,
                category=category,
                description="",
                provider=provider,
                is_active=True,
            ),
            category,
            provider,
        )
        for name, category, provider in offered
    ]


def _services(
    city: City,
    plan: ParkPlan,
    park_id: uuid.UUID,
    firm_id: uuid.UUID,
    start: datetime.date,
    end: datetime.date,
    catalog: list[tuple[uuid.UUID, ServiceCategory, str]],
) -> None:
    rng, q = city.rng, plan.quality
    last = min(end, HISTORY_END)
    technical = [entry for entry in catalog if entry[1].group == "technical"]
    picks = [
        (rng.choice(technical if technical and rng.random() < 0.2 * q else catalog), day_between(rng, start, last))
        for _ in range(round(DELIVERIES[q] * rng.uniform(0.3, 1.7)))
    ]
    policy = [entry for entry in catalog if entry[1] in POLICY_TAKE_UP]
    if policy and rng.random() < POLICY_SUPPORT[q]:
        picks.append((rng.choice(policy), day_between(rng, max(start, last - datetime.timedelta(days=300)), last)))
    for (service, category, provider), delivered in picks:
        request = None
        if rng.random() < 0.4:
            request = city.add(
                ServiceRequest,
                park_id=park_id,
                incubatee_id=firm_id,
                service_id=service,
                need="申请协助办理",
                requested_on=max(start, delivered - datetime.timedelta(days=rng.randint(1, 20))),
                requested_by=RequestedBy.FOUNDER,
                status=RequestStatus.DELIVERED,
                decline_reason="",
            )
        financing = category.group == "financing"
        rated = rng.random() < 0.5 + 0.1 * q
        city.add(
            ServiceDelivery,
            park_id=park_id,
            incubatee_id=firm_id,
            service_id=service,
            category=category,
            request_id=request,
            delivered_on=delivered,
            hours=Decimal(rng.randint(1, 16)) / 2,
            provider=provider,
            outcome="已办结",
            amount=Decimal(rng.choice((50_000, 100_000, 200_000))) if financing else None,
            lender=rng.choice(BANKS) if category == ServiceCategory.FINANCE_GUARANTEED_LOAN else "",
            fee=Decimal(rng.choice((0, 500, 1000, 2000, 3000)) * q) if category.group != "financing" else Decimal(0),
            satisfaction=min(5, max(1, round(rng.gauss(2.8 + 0.6 * q, 0.8)))) if rated else None,
            rating_comment="",
            rated_at=datetime.datetime.combine(delivered + datetime.timedelta(days=3), datetime.time(9), datetime.UTC)
            if rated
            else None,
        )


def _trainings(
    city: City,
    plan: ParkPlan,
    park_id: uuid.UUID,
    opened: datetime.date,
    trainers: list[uuid.UUID],
    registered_firms: list[tuple[uuid.UUID, datetime.date]],
) -> None:
    """A year's courses and events, attended by that year's people (many come to several); some of them
    register a firm within a year of a training (training success)."""
    rng, q = city.rng, plan.quality
    point = plan.kind == "demonstration_point"
    unlinked = list(registered_firms)
    for year in reversed(range(max(2015, opened.year), 2018)):  # the latest year first: it is the one rated
        held = [
            _training(city, plan, park_id, opened, year, trainers)
            for _ in range(max(1, round(TRAININGS_A_YEAR[q] * (0.4 if point else 1))))
        ]
        seats = {training: training[2] for training in held}
        people = [_trainee(city, park_id, None) for _ in range(max(8, len(registered_firms) // 3))]
        for firm in list(unlinked):
            before = [t for t in held if t[1] < firm[1] <= t[1] + datetime.timedelta(days=365) and seats[t]]
            if before and rng.random() < TRAINING_SUCCESS[q] * 2:
                training = rng.choice(before)
                unlinked.remove(firm)
                seats[training] -= 1
                _enrol(city, park_id, training, _trainee(city, park_id, firm[0]), attended=True)
        for training in held:
            wanted = rng.randint(training[2] // 3, training[2] * 2 // 3)
            for person in rng.sample(people, min(len(people), wanted, seats[training])):
                _enrol(city, park_id, training, person, attended=rng.random() < 0.85)


def _training(
    city: City, plan: ParkPlan, park_id: uuid.UUID, opened: datetime.date, year: int, trainers: list[uuid.UUID]
) -> tuple[uuid.UUID, datetime.date, int]:
    rng = city.rng
    kind = rng.choice(list(TrainingKind))
    starts = day_between(rng, max(opened, datetime.date(year, 1, 1)), datetime.date(year, 12, 20))
    days = rng.randint(0, 9) if kind in ("startup_training", "online_business", "internet_plus") else 0
    capacity = rng.choice((20, 30, 40, 60))
    training = city.add(
        Training,
        park_id=park_id,
        title=f"{year}年{TRAINING_TITLES[kind]}（第{rng.randint(1, 9)}期）",
        kind=kind,
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=days),
        hours=Decimal(max(2, days * 6)),
        provider="市创业指导中心",
        trainer_id=rng.choice(trainers),
        capacity=capacity,
        location="园区培训室",
        description="",
    )
    return training, starts + datetime.timedelta(days=days), capacity


def _trainee(city: City, park_id: uuid.UUID, firm: uuid.UUID | None) -> uuid.UUID:
    rng = city.rng
    return city.add(
        Trainee,
        park_id=park_id,
        name=names.person(rng),
        phone=city.phone(),
        target_group=pick(rng, TARGET_GROUPS),
        gender=rng.choice(list(Gender)),
        incubatee_id=firm,
    )


def _enrol(
    city: City, park_id: uuid.UUID, training: tuple[uuid.UUID, datetime.date, int], trainee: uuid.UUID, attended: bool
) -> None:
    training_id, ends, _capacity = training
    city.add(
        Enrolment,
        park_id=park_id,
        training_id=training_id,
        trainee_id=trainee,
        enrolled_on=ends - datetime.timedelta(days=city.rng.randint(10, 30)),
        attendance=Attendance.ATTENDED if attended else Attendance.ABSENT,
    )


def _follow_ups(city: City, plan: ParkPlan, park_id: uuid.UUID, firm_id: uuid.UUID, left_on: datetime.date) -> None:
    rng = city.rng
    operating = True
    for year in range(1, 6):
        followed = left_on + relativedelta(years=year)
        if followed > AS_OF:
            return
        operating = operating and rng.random() < 0.7 + 0.08 * plan.quality
        city.add(
            FollowUp,
            park_id=park_id,
            incubatee_id=firm_id,
            year_after=year,
            followed_on=followed,
            operating=operating,
            employees=rng.randint(2, 30) if operating else 0,
            note="",
        )


def _story(city: City, parks: dict[str, uuid.UUID], users: dict[str, uuid.UUID]) -> None:
    """The firms and people the journeys (and the browser tests) walk through."""
    hualong, qingfeng = parks["PY-HL-01"], parks["PY-QF-01"]
    wang = city.add(
        Mentor,
        user_id=users["mentor@incubator.demo"],
        name="王导师",
        organisation="濮阳职业技术学院",
        expertise=["电子商务", "融资", "市场营销"],
        bio="十年农产品电商运营经验。",
        max_mentees=6,
        availability="周末及工作日晚间",
    )
    city.add(Mentor, name="刘导师", organisation="中原油田科技园", expertise=["知识产权", "技术转移"], max_mentees=4)
    story = [
        (
            hualong,
            "濮阳巧手编织坊",
            IncubateeType.HANDICRAFT,
            "手工编织",
            None,
            None,
            datetime.date(2016, 3, 15),
            (
                "王秀英",
                TargetGroup.RETURNING_MIGRANT_WORKER,
                "410928198503120046",
                Gender.FEMALE,
                1985,
                Education.JUNIOR_SECONDARY,
            ),
        ),
        (
            hualong,
            "龙都电商服务有限公司",
            IncubateeType.E_COMMERCE,
            "农产品电商",
            "91410900MA44L7XN26",
            datetime.date(2016, 9, 1),
            datetime.date(2016, 10, 1),
            ("李创业", TargetGroup.COLLEGE_GRADUATE, None, Gender.MALE, 1993, Education.BACHELOR),
        ),
        (
            hualong,
            "华龙智能传感科技",
            IncubateeType.TECHNOLOGY,
            "传感器",
            None,
            None,
            None,
            ("陈博", TargetGroup.RESEARCH_STAFF, None, Gender.MALE, 1980, Education.POSTGRADUATE),
        ),
        (
            qingfeng,
            "清丰食用菌种植合作社",
            IncubateeType.PLANTING_BREEDING,
            "食用菌",
            None,
            None,
            datetime.date(2015, 4, 20),
            ("赵强", TargetGroup.VETERAN, None, Gender.MALE, 1978, Education.SENIOR_SECONDARY),
        ),
    ]
    firms = {}
    for park_id, name, kind, industry, code, registered, admitted, founder in story:
        firms[name] = city.add(
            Incubatee,
            park_id=park_id,
            name=name,
            credit_code=code,
            registered_on=registered,
            industry=industry,
            kind=kind,
            status=IncubateeStatus.INCUBATING if admitted else IncubateeStatus.APPLICANT,
            applied_on=(admitted or datetime.date(2017, 11, 12)) - datetime.timedelta(days=10),
            admitted_on=admitted,
            term_ends_on=term_end(admitted, kind, RULES) if admitted else None,
            exit_note="",
        )
        person, group, number, gender, born, education = founder
        city.add(
            Founder,
            park_id=park_id,
            incubatee_id=firms[name],
            name=person,
            phone="",
            target_group=group,
            id_number_ciphertext=city.personal_data.seal(number) if number else None,
            id_number_digest=city.personal_data.digest(number) if number else None,
            id_number_masked=mask_id_number(number or ""),
            gender=gender,
            birth_year=born,
            education=education,
        )
    for park_id, name in ((hualong, "龙都电商服务有限公司"), (qingfeng, "清丰食用菌种植合作社")):
        city.add(
            Assignment, park_id=park_id, mentor_id=wang, incubatee_id=firms[name], starts_on=datetime.date(2017, 1, 1)
        )
    for n, (start, employees) in enumerate(
        (
            (datetime.date(2016, 10, 1), 3),
            (datetime.date(2017, 1, 1), 3),
            (datetime.date(2017, 4, 1), 4),
            (datetime.date(2017, 7, 1), 4),
        )
    ):  # the founder has filed every quarter so far; the last one of 2017 is due on the demo's day
        period = expected_periods((start, start), ReportFrequency.QUARTERLY)[0]
        city.add(
            PeriodicReport,
            park_id=hualong,
            incubatee_id=firms["龙都电商服务有限公司"],
            frequency=ReportFrequency.QUARTERLY,
            period_start=period.start,
            period_end=period.end,
            due_on=due_on(period, 15),
            submitted_on=period.end + datetime.timedelta(days=10),
            submitted_by=users["founder.hl@incubator.demo"],
            by_park=False,
            complete=True,
            employees=employees,
            new_jobs=1 if n else 3,
            revenue=Decimal(60_000 + 20_000 * n),
            tax=Decimal(1_800 + 600 * n),
            funding_raised=Decimal(0),
            loan_amount=Decimal(0),
            loan_bank="",
            ip_filed=0,
            ip_granted=0,
            high_tech_certified=False,
            note="",
        )
    registration = next(
        row
        for row in city.rows[SupportService.__table__]
        if row["park_id"] == hualong and row["category"] == ServiceCategory.BUSINESS_REGISTRATION
    )
    city.add(  # delivered and not yet rated: the founder rates it in the portal
        ServiceDelivery,
        park_id=hualong,
        incubatee_id=firms["龙都电商服务有限公司"],
        service_id=registration["id"],
        category=ServiceCategory.BUSINESS_REGISTRATION,
        request_id=None,
        delivered_on=datetime.date(2017, 12, 20),
        hours=Decimal(2),
        provider=registration["provider"],
        outcome="代办营业执照变更",
        amount=None,
        lender="",
        fee=Decimal(0),
        satisfaction=None,
        rating_comment="",
        rated_at=None,
    )
    for account in DEMO_ACCOUNTS:
        if account.firm:
            city.add(
                Membership,
                park_id=parks[str(account.park_code)],
                user_id=users[account.email],
                role=account.role,
                incubatee_id=firms[account.firm],
            )


def rows_in_order(city: City) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """Tables parents first, so that foreign keys hold at every insert."""
    from incubator.db.base import metadata

    for table in metadata.sorted_tables:
        if table in city.rows:
            yield table, city.rows[table]


__all__ = ("AS_OF", "DEMO_PASSWORD", "City", "generate", "rows_in_order")
