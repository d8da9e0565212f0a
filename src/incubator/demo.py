"""The demo city: a few parks of Puyang and an account for every role."""

import datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.models import CityRole, ParkRole
from incubator.auth.schemas import MembershipCreate, UserCreate
from incubator.auth.services import UserService
from incubator.config import DEMO_PASSWORD, Settings
from incubator.db.tenancy import release_park
from incubator.incubatees.models import Education, Gender, IncubateeType, TargetGroup
from incubator.incubatees.schemas import FounderCreate, IncubateeCreate
from incubator.incubatees.services import IncubateeService
from incubator.mentors.schemas import AssignmentCreate, MentorCreate
from incubator.mentors.services import AssignmentService, MentorService
from incubator.parks.models import Park, ParkKind, ParkLevel
from incubator.parks.schemas import ParkCreate
from incubator.parks.services import ParkService
from incubator.protection import PersonalData


class DemoAccount(NamedTuple):
    email: str
    name: str
    role: str
    park_code: str | None = None
    firm: str | None = None
    """A founder's firm, by name."""


DEMO_PARKS = [
    ParkCreate(
        name="华龙区创业孵化园",
        code="PY-HL-01",
        kind=ParkKind.PARK,
        level=ParkLevel.PROVINCIAL,
        district="华龙区",
        township="中原路街道",
        address="濮阳市华龙区中原路 168 号",
        incubation_area_m2=Decimal("12500"),
        operating_organisation="濮阳市华龙区人力资源和社会保障局",
    ),
    ParkCreate(
        name="清丰县返乡创业园",
        code="PY-QF-01",
        kind=ParkKind.PARK,
        level=ParkLevel.MUNICIPAL,
        district="清丰县",
        township="城关镇",
        address="清丰县产业集聚区纬二路",
        incubation_area_m2=Decimal("8600"),
        operating_organisation="清丰县创业服务中心",
    ),
    ParkCreate(
        name="南乐县农民工返乡创业示范点",
        code="PY-NL-D01",
        kind=ParkKind.DEMONSTRATION_POINT,
        level=ParkLevel.COUNTY,
        district="南乐县",
        township="谷金楼镇",
        address="南乐县谷金楼镇创业街 6 号",
        incubation_area_m2=Decimal("1800"),
        operating_organisation="南乐县谷金楼镇人民政府",
    ),
]

DEMO_ACCOUNTS = [
    DemoAccount("admin@incubator.demo", "系统管理员", "admin"),
    DemoAccount("bureau@incubator.demo", "市人社局审核员", "bureau"),
    DemoAccount("mentor@incubator.demo", "王导师", "mentor"),
    DemoAccount("operator.hl@incubator.demo", "华龙园区运营", "operator", "PY-HL-01"),
    DemoAccount("operator.qf@incubator.demo", "清丰园区运营", "operator", "PY-QF-01"),
    DemoAccount("operator.qf@incubator.demo", "清丰园区运营", "operator", "PY-NL-D01"),
    DemoAccount("founder.hl@incubator.demo", "李创业", "founder", "PY-HL-01", "龙都电商服务有限公司"),
]


async def load_demo_city(session: AsyncSession, settings: Settings) -> bool:
    """Load the demo city; False, writing nothing, when the database already has parks."""
    if await session.scalar(sa.select(sa.func.count()).select_from(Park)):
        return False
    parks = ParkService(session=session)
    park_ids = {data.code: (await parks.create_park(data)).id for data in DEMO_PARKS}
    users = UserService(session, demo_mode=True)
    by_email: dict[str, UserCreate] = {}
    for account in DEMO_ACCOUNTS:
        data = by_email.setdefault(
            account.email,
            UserCreate(
                email=account.email,
                display_name=account.name,
                password=DEMO_PASSWORD,
                city_role=None if account.park_code else CityRole(account.role),
            ),
        )
        if account.park_code and not account.firm:
            data.memberships.append(MembershipCreate(park_id=park_ids[account.park_code], role=ParkRole(account.role)))
    accounts = {data.email: await users.create_user(data) for data in by_email.values()}
    firms = await _load_incubatees(session, park_ids, PersonalData(settings.personal_data_key))
    for account in DEMO_ACCOUNTS:
        if account.park_code and account.firm:
            membership = MembershipCreate(
                park_id=park_ids[account.park_code], role=ParkRole(account.role), incubatee_id=firms[account.firm]
            )
            await users.add_membership(accounts[account.email].id, membership)
    await _load_mentors(session, accounts["mentor@incubator.demo"].id, park_ids, firms)
    return True


async def _load_mentors(
    session: AsyncSession, mentor_account: UUID, park_ids: dict[str, UUID], firms: dict[str, UUID]
) -> None:
    pool = MentorService(session=session)
    wang = await pool.create_mentor(
        MentorCreate(
            name="王导师",
            organisation="濮阳职业技术学院",
            expertise=["电子商务", "融资", "市场营销"],
            bio="十年农产品电商运营经验。",
            max_mentees=6,
            availability="周末及工作日晚间",
            user_id=mentor_account,
        )
    )
    await pool.create_mentor(
        MentorCreate(name="刘导师", organisation="中原油田科技园", expertise=["知识产权", "技术转移"], max_mentees=4)
    )
    for code, firm in (("PY-HL-01", "龙都电商服务有限公司"), ("PY-QF-01", "清丰食用菌种植合作社")):
        await AssignmentService(session, park_ids[code]).assign(
            AssignmentCreate(mentor_id=wang.id, incubatee_id=firms[firm], starts_on=datetime.date(2017, 1, 1))
        )
        release_park(session)


DEMO_INCUBATEES = {
    "PY-HL-01": [
        (
            IncubateeCreate(
                name="濮阳巧手编织坊",
                kind=IncubateeType.HANDICRAFT,
                industry="手工编织",
                applied_on=datetime.date(2016, 3, 1),
                admitted_on=datetime.date(2016, 3, 15),
            ),
            FounderCreate(
                name="王秀英",
                target_group=TargetGroup.RETURNING_MIGRANT_WORKER,
                id_number="410928198503120046",
                gender=Gender.FEMALE,
                birth_year=1985,
                education=Education.JUNIOR_SECONDARY,
            ),
        ),
        (
            IncubateeCreate(
                name="龙都电商服务有限公司",
                kind=IncubateeType.E_COMMERCE,
                industry="农产品电商",
                credit_code="91410900MA44L7XN26",
                registered_on=datetime.date(2016, 9, 1),
                applied_on=datetime.date(2016, 9, 10),
                admitted_on=datetime.date(2016, 10, 1),
            ),
            FounderCreate(
                name="李创业",
                target_group=TargetGroup.COLLEGE_GRADUATE,
                gender=Gender.MALE,
                birth_year=1993,
                education=Education.BACHELOR,
            ),
        ),
        (
            IncubateeCreate(
                name="华龙智能传感科技",
                kind=IncubateeType.TECHNOLOGY,
                industry="传感器",
                applied_on=datetime.date(2017, 11, 2),
            ),
            FounderCreate(
                name="陈博",
                target_group=TargetGroup.RESEARCH_STAFF,
                gender=Gender.MALE,
                birth_year=1980,
                education=Education.POSTGRADUATE,
            ),
        ),
    ],
    "PY-QF-01": [
        (
            IncubateeCreate(
                name="清丰食用菌种植合作社",
                kind=IncubateeType.PLANTING_BREEDING,
                industry="食用菌",
                applied_on=datetime.date(2015, 4, 1),
                admitted_on=datetime.date(2015, 4, 20),
            ),
            FounderCreate(
                name="赵强",
                target_group=TargetGroup.VETERAN,
                gender=Gender.MALE,
                birth_year=1978,
                education=Education.SENIOR_SECONDARY,
            ),
        ),
    ],
}


async def _load_incubatees(
    session: AsyncSession, park_ids: dict[str, UUID], personal_data: PersonalData
) -> dict[str, UUID]:
    """The demo firms; their ids by name."""
    ids: dict[str, UUID] = {}
    for code, firms in DEMO_INCUBATEES.items():
        service = IncubateeService(session, park_ids[code], personal_data)
        for firm, founder in firms:
            incubatee = await service.create_incubatee(firm)
            await service.add_founder(incubatee.id, founder)
            ids[incubatee.name] = incubatee.id
        release_park(session)
    return ids
