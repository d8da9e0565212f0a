"""Rating periods, the bureau's: open a year (every park's draft computed at once), recompute, close;
through the API and the review queue page."""

import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.ratings.models import Rating, RatingRound
from tests.conftest import bearer, csrf_token, make_incubatee, page_login


async def _count(db, model) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(model).execution_options(all_parks=True))


async def test_the_bureau_opens_a_year_and_every_park_gets_its_draft(client, db, world):
    bureau = await bearer(db, world, "bureau")
    opened = await client.post("/api/rating-periods", json={"year": 2017}, headers=bureau)
    assert opened.status_code == 201, opened.text
    body = opened.json()
    assert (body["label"], body["status"], body["rubric_version"], body["drafts"]) == ("2017", "open", "puyang-2017", 2)
    assert await _count(db, Rating) == 2
    listed = (await client.get("/api/rating-periods", headers=bureau)).json()
    assert [p["label"] for p in listed] == ["2017"]
    audit = await db.scalar(sa.select(sa.func.count()).where(AuditEntry.entity_type == "rating_rounds"))
    assert audit == 1

    again = await client.post("/api/rating-periods", json={"year": 2017}, headers=bureau)
    assert (again.status_code, again.json()["errors"][0]["field"]) == (409, "year")


async def test_opening_a_period_refuses_bad_input_and_writes_nothing(client, db, world):
    bureau = await bearer(db, world, "bureau")
    for body, field in [
        ({"year": 1999}, "year"),
        ({"year": "2017年"}, "year"),
        ({"year": 2099}, "year"),  # not begun yet
        ({"year": 2017, "rubric_version": "no-such-rubric"}, "rubric_version"),
        ({"year": 2017, "colour": "red"}, "colour"),
    ]:
        response = await client.post("/api/rating-periods", json=body, headers=bureau)
        assert response.status_code in (400, 422), (body, response.text)
        assert field in response.text, (body, response.text)
    assert await _count(db, RatingRound) == 0
    assert await _count(db, Rating) == 0


async def test_drafts_follow_the_data_until_the_period_closes(client, db, world):
    bureau = await bearer(db, world, "bureau")
    await client.post("/api/rating-periods", json={"year": 2017}, headers=bureau)
    draft = await db.scalar(sa.select(Rating).where(Rating.park_id == world.park_b.id))
    before = draft.metrics["active_incubatees"]["value"]
    await make_incubatee(db, world.park_b, "新入孵企业")
    await db.commit()

    recomputed = await client.post("/api/rating-periods/2017/compute", headers=bureau)
    assert (recomputed.status_code, recomputed.json()["drafts"]) == (200, 2)
    await db.refresh(draft)
    assert int(draft.metrics["active_incubatees"]["value"]) == int(before) + 1

    closed = await client.post("/api/rating-periods/2017/close", headers=bureau)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert (await client.post("/api/rating-periods/2017/compute", headers=bureau)).status_code == 409
    assert (await client.post("/api/rating-periods/2017/close", headers=bureau)).status_code == 409
    assert (await client.post("/api/rating-periods/2031/compute", headers=bureau)).status_code == 404


async def test_the_queue_page_opens_recomputes_and_closes_a_period(client, db, world):
    await page_login(client, db, world.user("bureau"))
    token = await csrf_token(client)
    empty = await client.get("/ratings")
    assert "开启评定期" in empty.text

    bad = await client.post("/ratings/periods", data={"year": "2099", "_csrf_token": token})
    assert bad.status_code == 400
    assert "年度开始后才能评定" in bad.text
    assert await _count(db, RatingRound) == 0

    opened = await client.post(
        "/ratings/periods", data={"year": "2017", "rubric_version": "", "_csrf_token": token}, follow_redirects=False
    )
    assert (opened.status_code, opened.headers["location"]) == (303, "/ratings?period=2017")
    page = await client.get("/ratings?period=2017")
    assert world.park_a.name in page.text
    assert world.park_b.name in page.text
    assert "重新计算草稿" in page.text

    recomputed = await client.post("/ratings/periods/2017/compute", data={"_csrf_token": token}, follow_redirects=False)
    assert recomputed.status_code == 303
    closed = await client.post("/ratings/periods/2017/close", data={"_csrf_token": token}, follow_redirects=False)
    assert closed.status_code == 303
    refused = await client.post("/ratings/periods/2017/compute", data={"_csrf_token": token})
    assert refused.status_code == 409
    assert "评定期已关闭" in refused.text


async def test_the_queue_lists_parks_of_one_status_by_pinyin(client, db, world):
    bureau = await bearer(db, world, "bureau")
    await client.post("/api/rating-periods", json={"year": 2017}, headers=bureau)
    queue = (await client.get("/api/ratings?period=2017", headers=bureau)).json()
    # both drafts: 甲 (jiǎ) before 乙 (yǐ), though 乙 comes first by code point
    assert [r["park_id"] for r in queue] == [str(world.park_a.id), str(world.park_b.id)]
