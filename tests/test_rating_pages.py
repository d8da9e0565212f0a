"""The rating pages: the breakdown with its radar chart, and the review's actions as forms."""

import sqlalchemy as sa

from incubator.ratings.models import RatingAdjustment
from tests.conftest import csrf_token, page_login
from tests.rating_data import make_draft


async def test_the_park_reads_its_breakdown_and_submits(client, db, world):
    rating = await make_draft(db, world)
    await page_login(client, db, world.user("operator_a"))
    listing = await client.get(f"/parks/{world.park_a.id}/ratings")
    assert "puyang-2017" in listing.text
    page = await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "孵化功能" in page.text
    assert "新创企业成活率" in page.text or "成活" in page.text
    assert "开始审核" not in page.text  # the bureau's buttons are not the park's
    url = f"/parks/{world.park_a.id}/ratings/{rating.id}/submit"
    form = {"version": str(rating.lock_version), "comment": "数据已核对", "_csrf_token": await csrf_token(client)}
    assert (await client.post(url, data=form, follow_redirects=False)).status_code == 303
    await db.refresh(rating)
    assert (rating.status, rating.park_comment) == ("submitted", "数据已核对")
    stale = await client.post(url, data=form)
    assert stale.status_code == 400
    assert "请刷新" in stale.text


async def test_the_bureau_reviews_and_adjusts_on_the_page(client, db, world):
    rating = await make_draft(db, world)
    rating.status = "submitted"
    await db.commit()
    await page_login(client, db, world.user("bureau"))
    token = await csrf_token(client)
    base = f"/parks/{world.park_a.id}/ratings/{rating.id}"
    assert (
        await client.post(
            base + "/review", data={"version": str(rating.lock_version), "_csrf_token": token}, follow_redirects=False
        )
    ).status_code == 303

    async def adjust(**fields: str):
        await db.refresh(rating)
        form = {"version": str(rating.lock_version), "_csrf_token": token, **fields}
        return await client.post(base + "/adjustments", data=form, follow_redirects=False)

    no_reason = await adjust(metric="active_incubatees", value="30", reason="")
    assert no_reason.status_code == 400
    assert await db.scalar(sa.select(sa.func.count()).select_from(RatingAdjustment)) == 0
    assert (await adjust(metric="active_incubatees", value="30", reason="按佐证材料")).status_code == 303
    page = await client.get(base)
    assert "按佐证材料" in page.text
    assert "核准" in page.text

    vetoed = await adjust(kind="veto", metric="serious_safety_incident", value="1", reason="应急管理局通报")
    assert vetoed.status_code == 303
    page = await client.get(base)
    assert "一票否决，评定不合格： 发生重大安全事故" in page.text
    assert "应急管理局通报" in page.text


async def test_the_bureau_works_through_the_review_queue(client, db, world):
    rating = await make_draft(db, world)
    rating.status = "submitted"
    await db.commit()
    await page_login(client, db, world.user("bureau"))
    queue = await client.get("/ratings")
    assert "2017 年度评定" in queue.text
    assert queue.text.index("甲园区") < queue.text.index("乙园区")  # the submitted one waits first
    only_submitted = await client.get("/ratings?period=2017&status=submitted")
    assert "甲园区" in only_submitted.text
    assert "乙园区" not in only_submitted.text
    assert (await client.get("/ratings?period=2016")).status_code == 404
    await page_login(client, db, world.user("operator_a"))
    assert (await client.get("/ratings")).status_code == 403
