"""Drill-down from a rating's metric value to the rows behind it: the rows add up to what the aggregate
collects (on the small park worked by hand and on the demo city), through the API and the page."""

import datetime
from decimal import Decimal

import sqlalchemy as sa

from incubator.demo.city import AS_OF
from incubator.demo.load import load_demo_city
from incubator.parks.models import Park
from incubator.ratings.drilldown import SPECS, DrillRow, live_value, metric_rows
from incubator.ratings.metrics import MetricValue, RatingPeriod, collect_metrics_across_parks
from incubator.ratings.models import Rating
from incubator.ratings.services import RatingRounds
from tests.conftest import bearer, make_incubatee, page_login
from tests.test_metrics import YEAR, _small_park

CENT = Decimal("0.01")


def _close(a: Decimal | None, b: Decimal | None) -> bool:
    """Equal, but for the aggregate's sum of rents a day, which SQLite returns rounded to the cent."""
    return a == b or (a is not None and b is not None and abs(a - b) < CENT)


def _assert_adds_up(key: str, rows: list[DrillRow], collected: MetricValue) -> None:
    live = live_value(key, rows)
    assert live.value == collected.value, key
    assert _close(live.numerator, collected.numerator), key
    assert _close(live.denominator, collected.denominator), key
    if SPECS[key].scale is None:  # a count: the numerator column sums to the value
        assert _close(sum((r.numerator for r in rows if r.numerator is not None), Decimal(0)), collected.value), key


async def _assert_every_metric_adds_up(db, period: RatingPeriod, park_ids) -> None:
    collected = await collect_metrics_across_parks(db, period)
    for park_id in park_ids:
        assert set(SPECS) == set(collected[park_id])
        for key, value in collected[park_id].items():
            _assert_adds_up(key, await metric_rows(db, park_id, period, key), value)


async def test_every_metric_of_the_worked_park_adds_up_from_its_rows(db, world):
    await _small_park(db, world)
    await _assert_every_metric_adds_up(db, YEAR, [world.park_a.id, world.park_b.id])


def _by_firm(rows: list[DrillRow]) -> dict[str, tuple]:
    return {(r.cells["incubatee"], r.cells.get("cohort")): (r.numerator, r.denominator) for r in rows}


async def test_the_rows_say_why_each_counts(db, world):
    await _small_park(db, world)
    park = world.park_a.id
    survival = await metric_rows(db, park, YEAR, "survival_rate")
    one = Decimal(1)
    assert _by_firm(survival) == {
        ("濮阳巧手编织坊", "entry"): (one, one),
        ("F3", "entry"): (one, one),
        ("F4", "entry"): (one, one),
        ("F7", "entry"): (None, one),  # closed within the year
        ("F5", "exit"): (one, one),  # operating a year on
        ("F7", "exit"): (None, one),  # no follow-up
    }
    assert [r.cells["cohort"] for r in survival] == ["entry"] * 4 + ["exit"] * 2
    jobs = await metric_rows(db, park, YEAR, "jobs_per_incubatee")
    assert {r.cells["incubatee"]: (r.numerator, r.denominator) for r in jobs} == {
        "濮阳巧手编织坊": (6, 1),
        "F2": (3, 1),
        "F3": (None, 1),
        "F4": (None, 1),
    }
    reports = await metric_rows(db, park, YEAR, "reports_on_time_rate")
    f1 = [r for r in reports if r.cells["incubatee"] == "濮阳巧手编织坊"]
    assert [(r.cells["period_start"], r.cells["submitted_on"] is not None, r.numerator) for r in f1] == [
        (datetime.date(2017, 1, 1), True, 1),
        (datetime.date(2017, 4, 1), True, None),  # filed late
        (datetime.date(2017, 7, 1), True, None),  # incomplete
        (datetime.date(2017, 10, 1), True, 1),
    ]
    utilisation = await metric_rows(db, park, YEAR, "utilisation_rate")
    assert [(r.kind, r.cells["unit"], r.numerator, r.denominator) for r in utilisation] == [
        ("unit", "101", None, 100 * 365),
        ("lease", "101", 100 * 365, None),
        ("unit", "102", None, 50 * 365),
        ("lease", "102", 50 * 184, None),
        ("unit", "大厅", None, None),  # common area: not rentable
    ]
    trainees = await metric_rows(db, park, YEAR, "training_success_rate")
    started = sorted((r.cells["incubatee"] or "", r.numerator) for r in trainees)
    assert started == [("", None), ("F2", 1), ("濮阳巧手编织坊", None)]  # F2's founder registered it in June


async def test_every_metric_of_every_demo_park_adds_up_from_its_rows(db, settings):
    await load_demo_city(db, settings)
    await db.commit()
    parks = (await db.scalars(sa.select(Park.id))).all()
    await _assert_every_metric_adds_up(db, RatingPeriod.year(AS_OF.year - 1), parks)


async def _draft(db, world) -> Rating:
    await _small_park(db, world)
    rounds = RatingRounds(db)
    await rounds.compute_drafts_across_parks(await rounds.open_round(2017))
    await db.commit()
    return await db.scalar(sa.select(Rating).where(Rating.park_id == world.park_a.id))


def _url(park_id, rating, metric: str) -> str:
    return f"/api/parks/{park_id}/ratings/{rating.id}/metrics/{metric}"


async def test_the_api_gives_the_frozen_value_and_a_page_of_rows(client, db, world):
    rating = await _draft(db, world)
    headers = await bearer(db, world, "operator_a")
    whole = await client.get(_url(world.park_a.id, rating, "survival_rate"), headers=headers)
    assert whole.status_code == 200, whole.text
    body = whole.json()
    assert body["frozen"] == {"value": "66.67", "numerator": "4", "denominator": "6"}
    assert (body["live"]["numerator"], body["live"]["denominator"], body["changed"]) == ("4", "6", False)
    assert [c["key"] for c in body["columns"]][:2] == ["incubatee", "cohort"]
    assert body["columns"][0]["label"] == "在孵企业"
    assert body["rows"]["total"] == 6
    second = await client.get(_url(world.park_a.id, rating, "survival_rate") + "?limit=2&offset=2", headers=headers)
    rows = second.json()["rows"]
    assert (rows["total"], rows["limit"], rows["offset"]) == (6, 2, 2)
    assert [r["cells"] for r in rows["items"]] == [r["cells"] for r in body["rows"]["items"][2:4]]
    assert set(rows["items"][0]["cells"]) == {c["key"] for c in body["columns"]}
    bad_page = await client.get(_url(world.park_a.id, rating, "survival_rate") + "?limit=0", headers=headers)
    assert bad_page.status_code == 422
    assert bad_page.json()["errors"][0]["field"] == "limit"


async def test_an_unknown_metric_or_another_parks_rating_is_not_found(client, db, world):
    rating = await _draft(db, world)
    unknown = await client.get(_url(world.park_a.id, rating, "happiness"), headers=await bearer(db, world, "bureau"))
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["field"] == "metric"
    foreign = await client.get(
        _url(world.park_b.id, rating, "survival_rate"), headers=await bearer(db, world, "operator_b")
    )
    assert foreign.status_code == 404
    assert foreign.json()["errors"][0]["field"] == "rating_id"


async def test_data_changed_after_the_value_was_frozen_shows(client, db, world):
    rating = await _draft(db, world)
    late = await make_incubatee(db, world.park_a, "迟到的企业")
    late.admitted_on = datetime.date(2017, 11, 1)
    await db.commit()
    body = (
        await client.get(_url(world.park_a.id, rating, "active_incubatees"), headers=await bearer(db, world, "bureau"))
    ).json()
    assert (body["frozen"]["value"], body["live"]["value"], body["changed"]) == ("4", "5", True)
    await page_login(client, db, world.user("bureau"))
    page = await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}/metrics/active_incubatees")
    assert page.status_code == 200
    assert "迟到的企业" in page.text
    assert "数据已变化" in page.text


async def test_the_page_shows_the_rows_behind_a_value(client, db, world):
    rating = await _draft(db, world)
    await page_login(client, db, world.user("operator_a"))
    detail = await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}")
    link = f"/parks/{world.park_a.id}/ratings/{rating.id}/metrics/satisfaction_rate"
    assert link in detail.text
    assert f"/parks/{world.park_a.id}/ratings/{rating.id}/metrics/eligible_incubatees" in detail.text
    page = await client.get(link)
    assert page.status_code == 200
    assert "创业者对所获服务的满意率" in page.text
    assert "商标代理" in page.text
    assert "产品检测" in page.text
    assert "数据已变化" not in page.text
    first = await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}/metrics/reports_on_time_rate?limit=5")
    assert "第 1–5 条，共 13 条" in first.text
    foreign = await client.get(f"/parks/{world.park_b.id}/ratings/{rating.id}/metrics/satisfaction_rate")
    assert foreign.status_code == 404  # park A's rating under park B's address


async def test_an_empty_drill_down_says_so(client, db, world):
    await _draft(db, world)
    rating_b = await db.scalar(sa.select(Rating).where(Rating.park_id == world.park_b.id))
    await page_login(client, db, world.user("bureau"))
    page = await client.get(f"/parks/{world.park_b.id}/ratings/{rating_b.id}/metrics/satisfaction_rate")
    assert page.status_code == 200
    assert "没有" in page.text


async def _published(db, world, year: int, total: str, stars: int) -> Rating:
    """Park A's published rating of another period."""
    period = await RatingRounds(db).open_round(year)
    rating = Rating(
        park_id=world.park_a.id,
        round_id=period.id,
        rubric_version="puyang-2017",
        status="published",
        metrics={},
        breakdown={"stars": stars},
        total=Decimal(total),
        stars=stars,
        failed=stars == 0,
        funding=0,
        exit_decision="rectify" if stars == 0 else "continue",
    )
    db.add(rating)
    await db.commit()
    return rating


async def test_the_rating_page_shows_earlier_periods_and_their_scores(client, db, world):
    rating = await _draft(db, world)
    await page_login(client, db, world.user("operator_a"))
    alone = await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}")
    assert "没有往期评定" in alone.text
    assert alone.text.count("<svg") == 1  # the radar only: one period draws no line
    earlier = [await _published(db, world, 2015, "58.00", 0), await _published(db, world, 2016, "72.50", 2)]
    await _published(db, world, 2018, "99.00", 5)  # a later period is not the history of 2017
    page = await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}")
    assert page.status_code == 200
    assert "2015 年度评定" in page.text
    assert page.text.index("58.00") < page.text.index("72.50")
    assert "99.00" not in page.text
    assert "限期6个月整改" in page.text
    assert all(f"/parks/{world.park_a.id}/ratings/{r.id}" in page.text for r in earlier)
    assert page.text.count("<svg") == 2  # the radar, and the line of total scores over the periods
