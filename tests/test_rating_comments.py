"""The conversation on a rating between the park and the bureau, through the API and the rating page."""

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.ratings.models import RatingComment, RatingStatus
from tests.conftest import bearer, csrf_token, page_login
from tests.rating_data import make_draft, rating_url


async def _count(db) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(RatingComment))


async def test_the_park_and_the_bureau_talk_about_a_rating_newest_last(client, db, world):
    rating = await make_draft(db, world)
    park, bureau = await bearer(db, world, "operator_a"), await bearer(db, world, "bureau")
    url = rating_url(world, rating.id, "/comments")
    first = await client.post(url, json={"body": "  就业人数以社保记录为准  "}, headers=park)
    assert first.status_code == 201, first.text
    assert (first.json()["body"], first.json()["author_name"]) == ("就业人数以社保记录为准", "operator.a")
    assert (await client.post(url, json={"body": "请上传社保缴费清单"}, headers=bureau)).status_code == 201
    thread = (await client.get(url, headers=park)).json()
    assert [(c["author_name"], c["body"]) for c in thread] == [
        ("operator.a", "就业人数以社保记录为准"),
        ("bureau", "请上传社保缴费清单"),
    ]
    assert rating.park_comment == ""  # the comment given at submission is another thing, kept as it is
    [entry] = await db.scalars(sa.select(AuditEntry).where(AuditEntry.entity_id == first.json()["id"]))
    assert (entry.action, entry.entity_type, entry.actor_email) == ("create", "rating_comments", "operator.a@test.cn")
    assert entry.changes["body"]["after"] == "就业人数以社保记录为准"


async def test_a_published_rating_still_takes_comments(client, db, world):
    rating = await make_draft(db, world)
    rating.status = RatingStatus.PUBLISHED
    await db.commit()
    response = await client.post(
        rating_url(world, rating.id, "/comments"), json={"body": "已公布"}, headers=await bearer(db, world, "bureau")
    )
    assert response.status_code == 201


@pytest.mark.parametrize("body", ["", "   ", "长" * 2001])
async def test_an_empty_or_overlong_comment_is_refused_and_writes_nothing(client, db, world, body):
    rating = await make_draft(db, world)
    response = await client.post(
        rating_url(world, rating.id, "/comments"), json={"body": body}, headers=await bearer(db, world, "operator_a")
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body"
    assert await _count(db) == 0


async def test_another_parks_rating_has_no_conversation(client, db, world):
    rating = await make_draft(db, world)
    foreign = f"/api/parks/{world.park_b.id}/ratings/{rating.id}/comments"
    headers = await bearer(db, world, "operator_b")
    assert (await client.get(foreign, headers=headers)).status_code == 404
    assert (await client.post(foreign, json={"body": "看看"}, headers=headers)).status_code == 404
    assert await _count(db) == 0


async def test_comments_on_the_rating_page(client, db, world):
    rating = await make_draft(db, world)
    await page_login(client, db, world.user("bureau"))
    page = f"/parks/{world.park_a.id}/ratings/{rating.id}"
    token = await csrf_token(client)
    empty = await client.post(page + "/comments", data={"body": " ", "_csrf_token": token})
    assert empty.status_code == 400
    assert await _count(db) == 0
    sent = await client.post(
        page + "/comments", data={"body": "请补充培训签到表", "_csrf_token": token}, follow_redirects=False
    )
    assert (sent.status_code, sent.headers["location"]) == (303, page)
    await page_login(client, db, world.user("operator_a"))
    await client.post(page + "/comments", data={"body": "已补充", "_csrf_token": token})
    shown = (await client.get(page)).text
    assert shown.index("请补充培训签到表") < shown.index("已补充")  # the newest last
    assert "bureau" in shown
    assert "operator.a" in shown
