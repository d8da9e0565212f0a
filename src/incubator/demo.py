"""The demo city: a few parks of Puyang and an account for every role."""

from decimal import Decimal
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.models import CityRole, ParkRole
from incubator.auth.schemas import MembershipCreate, UserCreate
from incubator.auth.services import UserService
from incubator.config import DEMO_PASSWORD
from incubator.parks.models import Park, ParkKind, ParkLevel
from incubator.parks.schemas import ParkCreate
from incubator.parks.services import ParkService


class DemoAccount(NamedTuple):
    email: str
    name: str
    role: str
    park_code: str | None = None


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
    DemoAccount("founder.hl@incubator.demo", "李创业", "founder", "PY-HL-01"),
]


async def load_demo_city(session: AsyncSession) -> bool:
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
        if account.park_code:
            data.memberships.append(MembershipCreate(park_id=park_ids[account.park_code], role=ParkRole(account.role)))
    for data in by_email.values():
        await users.create_user(data)
    return True
