"""The parks of the demo city: fifteen named ones of every kind and level, then as many more as the scale asks."""

import datetime
import enum
from decimal import Decimal
from typing import NamedTuple

from incubator.parks.models import ParkKind, ParkLevel, ReportFrequency


class Quality(enum.IntEnum):
    """How well a park is run; it drives every figure the generator draws, so star ratings will differ."""

    POOR = 0
    FAIR = 1
    GOOD = 2
    EXCELLENT = 3
    EXEMPLARY = 4
    """The city's model park: full, busy and well run, the one that reaches five stars."""


class ParkPlan(NamedTuple):
    code: str
    name: str
    kind: ParkKind
    level: ParkLevel
    district: str
    township: str
    area_m2: int
    organisation: str
    recognised_on: datetime.date
    quality: Quality
    frequency: ReportFrequency = ReportFrequency.QUARTERLY


P, D = ParkKind.PARK, ParkKind.DEMONSTRATION_POINT
NAT, PROV, MUN, CTY = ParkLevel.NATIONAL, ParkLevel.PROVINCIAL, ParkLevel.MUNICIPAL, ParkLevel.COUNTY
Q = Quality
DISTRICTS = [
    "华龙区",
    "濮阳县",
    "清丰县",
    "南乐县",
    "范县",
    "台前县",
    "濮阳经济技术开发区",
    "濮阳工业园区",
    "濮阳城乡一体化示范区",
]
REGION_CODES = {
    "华龙区": "410902",
    "清丰县": "410922",
    "南乐县": "410923",
    "范县": "410926",
    "台前县": "410927",
    "濮阳县": "410928",
    "濮阳经济技术开发区": "410971",
    "濮阳工业园区": "410972",
    "濮阳城乡一体化示范区": "410973",
}

NAMED_PARKS = [
    ParkPlan(
        "PY-HL-01",
        "华龙区创业孵化园",
        P,
        PROV,
        "华龙区",
        "中原路街道",
        24000,
        "华龙区人力资源和社会保障局",
        datetime.date(2014, 6, 1),
        Q.EXCELLENT,
    ),
    ParkPlan(
        "PY-QF-01",
        "清丰县返乡创业园",
        P,
        MUN,
        "清丰县",
        "城关镇",
        15000,
        "清丰县人民政府",
        datetime.date(2014, 9, 1),
        Q.GOOD,
    ),
    ParkPlan(
        "PY-NL-D01",
        "南乐县谷金楼镇返乡创业示范点",
        D,
        CTY,
        "南乐县",
        "谷金楼镇",
        1800,
        "南乐县谷金楼镇人民政府",
        datetime.date(2015, 3, 1),
        Q.FAIR,
    ),
    ParkPlan(
        "PY-KFQ-01",
        "濮阳经济技术开发区科技企业孵化器",
        P,
        NAT,
        "濮阳经济技术开发区",
        "胜利路街道",
        42000,
        "濮阳开发区管委会",
        datetime.date(2013, 5, 1),
        Q.EXEMPLARY,
    ),
    ParkPlan(
        "PY-GY-01",
        "濮阳工业园区创新创业园",
        P,
        PROV,
        "濮阳工业园区",
        "王助镇",
        30000,
        "濮阳工业园区管委会",
        datetime.date(2014, 3, 1),
        Q.GOOD,
    ),
    ParkPlan(
        "PY-SFQ-01",
        "城乡一体化示范区大学生创业园",
        P,
        MUN,
        "濮阳城乡一体化示范区",
        "王助镇",
        12000,
        "濮阳职业技术学院",
        datetime.date(2015, 1, 1),
        Q.GOOD,
    ),
    ParkPlan(
        "PY-PY-01",
        "濮阳县电商创业园",
        P,
        MUN,
        "濮阳县",
        "城关镇",
        16000,
        "濮阳县商务局",
        datetime.date(2014, 11, 1),
        Q.FAIR,
    ),
    ParkPlan(
        "PY-FX-01",
        "范县返乡创业园",
        P,
        CTY,
        "范县",
        "龙王庄镇",
        9000,
        "范县人力资源和社会保障局",
        datetime.date(2015, 4, 1),
        Q.POOR,
    ),
    ParkPlan(
        "PY-TQ-01",
        "台前县羽绒服装创业园",
        P,
        CTY,
        "台前县",
        "侯庙镇",
        11000,
        "台前县人民政府",
        datetime.date(2015, 2, 1),
        Q.FAIR,
    ),
    ParkPlan(
        "PY-HL-D01",
        "华龙区岳村镇返乡创业示范点",
        D,
        CTY,
        "华龙区",
        "岳村镇",
        1500,
        "岳村镇人民政府",
        datetime.date(2015, 6, 1),
        Q.GOOD,
    ),
    ParkPlan(
        "PY-QF-D01",
        "清丰县马庄桥镇家具创业示范点",
        D,
        CTY,
        "清丰县",
        "马庄桥镇",
        2200,
        "马庄桥镇人民政府",
        datetime.date(2015, 5, 1),
        Q.FAIR,
    ),
    ParkPlan(
        "PY-PY-D01",
        "濮阳县庆祖镇返乡创业示范点",
        D,
        CTY,
        "濮阳县",
        "庆祖镇",
        1200,
        "庆祖镇人民政府",
        datetime.date(2016, 3, 1),
        Q.POOR,
    ),
    ParkPlan(
        "PY-FX-D01",
        "范县陈庄镇农民工返乡创业示范点",
        D,
        CTY,
        "范县",
        "陈庄镇",
        1000,
        "陈庄镇人民政府",
        datetime.date(2016, 7, 1),
        Q.POOR,
    ),
    ParkPlan(
        "PY-TQ-D01",
        "台前县打渔陈镇返乡创业示范点",
        D,
        CTY,
        "台前县",
        "打渔陈镇",
        1300,
        "打渔陈镇人民政府",
        datetime.date(2015, 9, 1),
        Q.FAIR,
    ),
    ParkPlan(
        "PY-NL-01",
        "南乐县生物基材料创业园",
        P,
        MUN,
        "南乐县",
        "城关镇",
        14000,
        "南乐县人民政府",
        datetime.date(2016, 1, 1),
        Q.EXCELLENT,
    ),
]
KINDS_OF_EXTRA = ["创业孵化园", "返乡创业园", "电商创业园", "科技孵化器", "大学生创业园", "返乡创业示范点"]


def park_plans(count: int) -> list[ParkPlan]:
    """The named parks, then generated ones spread over the districts, qualities and levels."""
    plans = list(NAMED_PARKS[:count])
    for n in range(len(plans), count):
        district = DISTRICTS[n % len(DISTRICTS)]
        flavour = KINDS_OF_EXTRA[n % len(KINDS_OF_EXTRA)]
        point = flavour.endswith("示范点")
        plans.append(
            ParkPlan(
                code=f"PY-X{n:04d}",
                name=f"{district}第{n}{flavour}",
                kind=D if point else P,
                level=CTY if point else (MUN, PROV, CTY)[n % 3],
                district=district,
                township="",
                area_m2=1500 if point else 8000 + (n % 7) * 3000,
                organisation=f"{district}人民政府",
                recognised_on=datetime.date(2014 + n % 3, 1 + n % 12, 1),
                quality=Quality(n % 4),
            )
        )
    return plans


def area(plan: ParkPlan) -> Decimal:
    return Decimal(plan.area_m2)
