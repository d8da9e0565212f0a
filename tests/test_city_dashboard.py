"""The bureau's city dashboard: a small city whose tallies are worked out by hand below."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from incubator.city.services import city_dashboard_across_parks
from incubator.incubatees.models import IncubateeStatus
from incubator.parks.models import Park, ParkKind, ParkLevel
from incubator.ratings.models import Rating, RatingStatus
from incubator.ratings.services import RatingRounds
from incubator.support.models import ServiceCategory
from incubator.trainings.models import Attendance
from tests.conftest import (
    bearer,
    make_enrolment,
    make_incubatee,
    make_park,
    make_trainee,
    make_training,
    page_login,
)
from tests.support_data import make_delivery, make_service


def _metrics(survival: tuple[int, int], jobs: int, training: tuple[int, int]) -> dict[str, Any]:
    def rate(numerator: int, denominator: int) -> dict[str, Any]:
        value = f"{numerator * 100 / denominator:.2f}" if denominator else None
        return {"value": value, "numerator": str(numerator), "denominator": str(denominator)}

    return {
        "survival_rate": rate(*survival),
        "jobs_total": {"value": str(jobs), "numerator": None, "denominator": None},
        "training_success_rate": rate(*training),
    }


async def _rate(
    db, park: Park, round_id, revision: int, status: RatingStatus, stars: int, decision: str, funding: int, metrics
) -> Rating:
    rating = Rating(
        park_id=park.id,
        round_id=round_id,
        revision=revision,
        rubric_version="puyang-2017",
        status=status,
        metrics=metrics,
        breakdown={},
        total=Decimal(0),
        stars=stars,
        failed=stars == 0,
        exit_decision=decision,
        funding=Decimal(funding),
    )
    db.add(rating)
    await db.flush()
    return rating


async def _city(db, world) -> dict[str, Park]:
    """Four districts: 华龙区 (甲, a municipal park; 丙, a national one), 清丰县 (乙, municipal; 丁, a demonstration
    point), 范县 (戊, a county park recognised only in 2018) and 台前县 (己, recognised in 2017: provisional)."""
    parks = {
        "甲": world.park_a,
        "乙": world.park_b,
        "丙": await make_park(db, "PARK-C", "丙园区", district="华龙区", level=ParkLevel.NATIONAL),
        "丁": await make_park(
            db, "POINT-D", "丁示范点", district="清丰县", kind=ParkKind.DEMONSTRATION_POINT, level=ParkLevel.COUNTY
        ),
        "戊": await make_park(
            db, "PARK-E", "戊园区", district="范县", level=ParkLevel.COUNTY, recognised_on=datetime.date(2018, 3, 1)
        ),
        "己": await make_park(db, "PARK-F", "己园区", district="台前县", recognised_on=datetime.date(2017, 4, 1)),
    }
    # In incubation on 31 December 2017: the world's two firms (甲, 乙) and one admitted in 2017 in 丙.
    left = await make_incubatee(db, parks["甲"], "已毕业企业", status=IncubateeStatus.GRADUATED)
    left.left_on = datetime.date(2017, 6, 30)
    new = await make_incubatee(db, parks["丙"], "丙园新企业")
    new.admitted_on = datetime.date(2017, 5, 1)
    await make_incubatee(db, parks["丙"], "丙园申请企业", status=IncubateeStatus.APPLICANT)
    late = await make_incubatee(db, parks["丙"], "次年入孵企业")
    late.admitted_on = datetime.date(2018, 2, 1)
    await db.commit()
    # Trained in 2017: two people in 甲 (a third stayed away), one in 乙 (twice, counted once; a 2016 course is not).
    course = await make_training(db, parks["甲"])
    for phone, attendance in (("13900000001", Attendance.ATTENDED), ("13900000002", Attendance.ATTENDED)):
        await make_enrolment(db, course, await make_trainee(db, parks["甲"], phone), attendance=attendance)
    await make_enrolment(db, course, await make_trainee(db, parks["甲"], "13900000003"), attendance=Attendance.ABSENT)
    trainee = await make_trainee(db, parks["乙"], "13900000004")
    for starts, ends in ((datetime.date(2017, 4, 1), datetime.date(2017, 4, 5)), (datetime.date(2017, 9, 1),) * 2):
        course = await make_training(db, parks["乙"], starts_on=starts, ends_on=ends)
        await make_enrolment(db, course, trainee, attendance=Attendance.ATTENDED)
    old = await make_training(
        db, parks["乙"], starts_on=datetime.date(2016, 12, 1), ends_on=datetime.date(2016, 12, 20)
    )
    await make_enrolment(db, old, await make_trainee(db, parks["乙"], "13900000005"), attendance=Attendance.ATTENDED)
    # Guaranteed loans delivered in 2017: 300,000 in 甲 and 150,000 in 丙; not 乙's of 2016, nor its subsidy.
    loans = {
        name: await make_service(db, parks[name].id, "创业担保贷款", ServiceCategory.FINANCE_GUARANTEED_LOAN)
        for name in "甲乙"
    }
    loans["丙"] = await make_service(db, parks["丙"].id, "创业担保贷款", ServiceCategory.FINANCE_GUARANTEED_LOAN)
    firm_c = await make_incubatee(db, parks["丙"], "丙园贷款企业")
    for firm, service, day, amount in (
        (world.incubatee_a, loans["甲"], datetime.date(2017, 5, 1), 300_000),
        (world.incubatee_b, loans["乙"], datetime.date(2016, 11, 1), 200_000),
        (firm_c, loans["丙"], datetime.date(2017, 12, 31), 150_000),
    ):
        await make_delivery(db, firm, service, delivered_on=day, amount=Decimal(amount), lender="中国银行濮阳分行")
    subsidy = await make_service(db, parks["乙"].id, "创业补贴", ServiceCategory.FINANCE_SUBSIDY)
    await make_delivery(db, world.incubatee_b, subsidy, amount=Decimal(50_000))

    # The 2017 ratings: 甲 published 3 stars; 乙 failed, under review; 丙 a correction (revision 2, approved,
    # downgraded to 4) of a published 5 now superseded; 丁 published 1 star with its demonstration grant;
    # 己 provisional; 戊 none.
    rating_round = await RatingRounds(db).open_round(2017)
    for name, revision, status, stars, decision, funding, metrics in (
        ("甲", 1, RatingStatus.PUBLISHED, 3, "continue", 220_000, _metrics((8, 10), 40, (3, 10))),
        ("乙", 1, RatingStatus.UNDER_REVIEW, 0, "rectify", 0, _metrics((1, 4), 5, (0, 0))),
        ("丙", 1, RatingStatus.SUPERSEDED, 5, "continue", 500_000, _metrics((10, 10), 500, (20, 20))),
        ("丙", 2, RatingStatus.APPROVED, 4, "downgrade", 300_000, _metrics((9, 10), 100, (6, 20))),
        ("丁", 1, RatingStatus.PUBLISHED, 1, "continue", 100_000, _metrics((0, 0), 3, (1, 2))),
        ("己", 1, RatingStatus.DRAFT, 0, "provisional", 0, _metrics((0, 0), 0, (0, 0))),
    ):
        await _rate(db, parks[name], rating_round.id, revision, status, stars, decision, funding, metrics)
    await db.commit()
    return parks


def _progress(row: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {p["key"]: (p["actual"], p["target"]) for p in row["targets"]}


async def test_the_city_worked_by_hand(client, db, world):
    parks = await _city(db, world)
    bureau = await bearer(db, world, "bureau")
    put = await client.put(
        "/api/city/targets/2017",
        json={
            "targets": [
                {"key": "people_trained", "value": "10"},
                {"key": "people_trained", "district": "华龙区", "value": "4"},
            ]
        },
        headers=bureau,
    )
    assert put.status_code == 200, put.text
    response = await client.get("/api/city/dashboard", headers=bureau)
    assert response.status_code == 200, response.text
    figures = response.json()
    assert (figures["period"], figures["periods"], figures["year"]) == ("2017", ["2017"], 2017)
    assert figures["districts"] == ["范县", "华龙区", "清丰县", "台前县"]  # by pinyin

    city, *districts = figures["progress"]
    assert city["district"] is None
    assert _progress(city) == {
        "national_parks": ("1", "1"),
        "provincial_or_municipal_parks": ("3", "13"),  # 甲, 乙 and 己 (戊 is a county park, recognised in 2018)
        "demonstration_points": ("1", "100"),
        "incubated_firms": ("4", "1000"),  # 甲's and 乙's firms, 丙's new one and its borrower
        "people_trained": ("3", "10"),
        "guaranteed_loans_yuan": ("450000.00", "800000000.00"),
    }
    assert next(p for p in city["targets"] if p["key"] == "people_trained")["share"] == pytest.approx(0.3)
    assert [d["district"] for d in districts] == ["范县", "华龙区", "清丰县", "台前县"]
    huanglong = _progress(districts[1])
    assert huanglong["people_trained"] == ("2", "4")
    assert huanglong["national_parks"] == ("1", None)  # no district target set
    assert (huanglong["incubated_firms"], huanglong["guaranteed_loans_yuan"]) == (("3", None), ("450000.00", None))
    assert _progress(districts[2])["demonstration_points"] == ("1", None)
    assert _progress(districts[0])["provincial_or_municipal_parks"] == ("0", None)

    tallies = {t["district"]: (t["failed"], t["stars"], t["not_rated"], t["total"]) for t in figures["stars"]}
    assert tallies == {
        "范县": (0, [0, 0, 0, 0, 0], 1, 1),
        "华龙区": (0, [0, 0, 1, 1, 0], 0, 2),
        "清丰县": (1, [1, 0, 0, 0, 0], 0, 2),
        "台前县": (0, [0, 0, 0, 0, 0], 1, 1),
        None: (1, [1, 0, 1, 1, 0], 2, 6),
    }
    assert figures["stars"][-1]["district"] is None

    funding = figures["funding"]
    tiers = {
        t["stars"]: (t["award"], t["published_parks"], t["published"], t["pending_parks"], t["pending"])
        for t in funding["tiers"]
    }
    assert tiers == {
        1: ("0.00", 1, "0.00", 0, "0.00"),
        2: ("100000.00", 0, "0.00", 0, "0.00"),
        3: ("200000.00", 1, "200000.00", 0, "0.00"),
        4: ("300000.00", 0, "0.00", 1, "300000.00"),
        5: ("500000.00", 0, "0.00", 0, "0.00"),
    }
    assert (funding["other_published"], funding["other_pending"]) == ("120000.00", "0.00")
    assert (funding["total_published"], funding["total_pending"]) == ("320000.00", "300000.00")

    standings = [(s["park"], s["decision"], s["stars"], s["status"]) for s in figures["standings"]]
    assert standings == [
        ("乙园区", "rectify", 0, "under_review"),
        ("丙园区", "downgrade", 4, "approved"),
        ("己园区", "provisional", 0, "draft"),
        ("丁示范点", "continue", 1, "published"),
        ("甲园区", "continue", 3, "published"),
        ("戊园区", "", 0, None),
    ]
    assert figures["standings"][1]["park_id"] == str(parks["丙"].id)

    outcomes = figures["outcomes"]
    assert outcomes["survival_rate"] == {"value": "75.00", "numerator": "18", "denominator": "24"}
    assert outcomes["jobs_total"]["value"] == "148"
    assert outcomes["training_success_rate"] == {"value": "31.25", "numerator": "10", "denominator": "32"}


async def test_one_district(client, db, world):
    await _city(db, world)
    figures = (
        await client.get("/api/city/dashboard?district=华龙区&period=2017", headers=await bearer(db, world, "admin"))
    ).json()
    assert [p["district"] for p in figures["progress"]] == ["华龙区"]
    assert _progress(figures["progress"][0])["people_trained"] == ("2", None)
    assert [(t["district"], t["stars"], t["total"]) for t in figures["stars"]] == [
        ("华龙区", [0, 0, 1, 1, 0], 2),
        (None, [0, 0, 1, 1, 0], 2),
    ]
    assert [s["park"] for s in figures["standings"]] == ["丙园区", "甲园区"]
    assert (figures["funding"]["total_published"], figures["funding"]["total_pending"]) == ("220000.00", "300000.00")
    outcomes = figures["outcomes"]
    assert (outcomes["survival_rate"]["value"], outcomes["jobs_total"]["value"]) == ("85.00", "140")
    assert outcomes["training_success_rate"] == {"value": "30.00", "numerator": "9", "denominator": "30"}
    assert figures["districts"] == ["范县", "华龙区", "清丰县", "台前县"]  # the filter still offers them all


async def test_before_any_period_is_opened(client, db, world):
    headers = await bearer(db, world, "bureau")
    figures = (await client.get("/api/city/dashboard", headers=headers)).json()
    assert (figures["period"], figures["periods"]) == (None, [])
    assert [s["decision"] for s in figures["standings"]] == ["", ""]
    assert figures["stars"][-1] == {"district": None, "failed": 0, "stars": [0] * 5, "not_rated": 2, "total": 2}
    assert figures["funding"]["tiers"] == []
    assert figures["outcomes"]["survival_rate"]["value"] is None
    missing = await client.get("/api/city/dashboard?period=2016", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "period"
    await page_login(client, db, world.user("bureau"))
    page = await client.get("/city")
    assert page.status_code == 200
    assert "尚未开启评定期" in page.text
    assert "<svg" not in page.text


async def test_the_page_shows_the_tables_the_chart_and_links_to_each_rating(client, db, world):
    parks = await _city(db, world)
    rating_c = await db.scalar(sa.select(Rating).where(Rating.park_id == parks["丙"].id, Rating.revision == 2))
    await page_login(client, db, world.user("bureau"))
    page = await client.get("/city")
    assert page.status_code == 200
    assert page.text.count("<svg") == 1
    assert "<script" not in page.text.split("<main")[1]
    assert f'href="/parks/{parks["丙"].id}/ratings/{rating_c.id}"' in page.text
    assert f'href="/parks/{parks["戊"].id}"' in page.text  # no rating yet: the park's page
    assert "限期6个月整改" in page.text
    assert "450,000" in page.text
    assert 'href="/city/targets?year=2017"' in page.text
    only = await client.get("/city?district=范县")
    assert "戊园区" in only.text
    assert "甲园区" not in only.text
    home = await client.get("/")
    assert 'href="/city"' in home.text


async def test_operators_mentors_and_founders_are_refused(client, db, world):
    for name in ("operator_a", "mentor", "founder_a"):
        response = await client.get("/api/city/dashboard", headers=await bearer(db, world, name))
        assert response.status_code == 403, name


@pytest.mark.parametrize("extra_parks", [0, 4])
async def test_the_dashboard_takes_the_same_statements_for_any_number_of_parks(db, world, extra_parks):
    rating_round = await RatingRounds(db).open_round(2017)
    for n in range(extra_parks):
        park = await make_park(db, f"EXTRA-{n}", f"园区{n}", district=f"区{n}")
        await make_incubatee(db, park, f"企业{n}")
        await _rate(
            db, park, rating_round.id, 1, RatingStatus.PUBLISHED, 2, "continue", 100_000, _metrics((1, 2), 3, (1, 4))
        )
    await db.commit()
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = db.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        figures = await city_dashboard_across_parks(db)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert figures.stars[-1].total == 2 + extra_parks
    # the period, the periods, the parks, the ratings, the targets, and four grouped queries for the progress
    assert len(statements) == 9, statements
