"""Published ratings are immutable and reproducible; a correction is a new revision that supersedes the published
one only when it is published itself (DESIGN §6)."""

import msgspec
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.ratings.models import Rating, RatingAdjustment, RatingStatus
from incubator.ratings.services import RatingReview, RatingRounds
from tests.conftest import bearer, csrf_token, make_incubatee, page_login
from tests.rating_data import PDF, publish_with_adjustment, rating_url
from tests.test_reports_pdf import read_pdf

SAME_NUMBERS = ("metrics", "breakdown", "total", "stars", "failed", "funding", "rubric_version", "exit_decision")


async def _ratings(db) -> list[Rating]:
    rows = await db.scalars(
        sa.select(Rating)
        .where(Rating.park_id.is_not(None))
        .order_by(Rating.revision)
        .execution_options(populate_existing=True)
    )
    return [r for r in rows]


async def test_a_correction_starts_equal_and_supersedes_the_published_rating_once_published(client, db, world):
    published = await publish_with_adjustment(client, db, world)
    bureau = await bearer(db, world, "bureau")
    opened = await client.post(
        rating_url(world, published["id"], "/revise"),
        json={"version": published["version"], "reason": "园区提交新的社保记录"},
        headers=bureau,
    )
    assert opened.status_code == 201, opened.text
    correction = opened.json()
    assert (correction["revision"], correction["status"], correction["revision_reason"]) == (
        2,
        "under_review",
        "园区提交新的社保记录",
    )
    assert correction["round_id"] == published["round_id"]
    assert {k: correction[k] for k in SAME_NUMBERS} == {k: published[k] for k in SAME_NUMBERS}

    def same(read: dict) -> list[tuple]:
        return [(a["metric"], a["original_value"], a["adjusted_value"], a["reason"]) for a in read["adjustments"]]

    assert same(correction) == same(published)
    again = await client.post(
        rating_url(world, published["id"], "/revise"),
        json={"version": published["version"], "reason": "再开一次"},
        headers=bureau,
    )
    assert again.status_code == 409  # one open correction at a time
    assert (await client.get(rating_url(world, published["id"]), headers=bureau)).json()["status"] == "published"

    step = await client.post(
        rating_url(world, correction["id"], "/adjustments"),
        json={"version": correction["version"], "metric": "jobs_per_incubatee", "value": "5", "reason": "社保记录"},
        headers=bureau,
    )
    assert float(step.json()["total"]) > float(published["total"])
    for action in ("/approve", "/publish"):
        step = await client.post(
            rating_url(world, correction["id"], action), json={"version": step.json()["version"]}, headers=bureau
        )
        assert step.status_code == 201, step.text
    first, second = [r for r in await _ratings(db) if r.park_id == world.park_a.id]
    assert (first.status, second.status) == (RatingStatus.SUPERSEDED, RatingStatus.PUBLISHED)
    superseded = await client.post(
        rating_url(world, first.id, "/revise"), json={"version": first.lock_version, "reason": "x"}, headers=bureau
    )
    assert superseded.status_code == 409
    [entry] = await db.scalars(
        sa.select(AuditEntry).where(AuditEntry.entity_id == correction["id"], AuditEntry.action == "create")
    )
    assert entry.changes["revision_reason"]["after"] == "园区提交新的社保记录"


async def test_a_published_rating_accepts_no_action(client, db, world):
    published = await publish_with_adjustment(client, db, world)
    bureau, park = await bearer(db, world, "bureau"), await bearer(db, world, "operator_a")
    version = published["version"]
    adjusted = await client.post(
        rating_url(world, published["id"], "/adjustments"),
        json={"version": version, "metric": "active_incubatees", "value": "20", "reason": "再调"},
        headers=bureau,
    )
    assert adjusted.status_code == 409
    for action, headers in (("/submit", park), ("/review", bureau), ("/return", bureau), ("/approve", bureau)):
        body = {"version": version, **({"reason": "退回"} if action == "/return" else {})}
        refused = await client.post(rating_url(world, published["id"], action), json=body, headers=headers)
        assert refused.status_code == 409, action
    upload = await client.post(
        rating_url(world, published["id"], "/evidence"),
        files={"file": ("佐证.pdf", PDF, "application/pdf")},
        headers=park,
    )
    assert upload.status_code == 409
    after = (await client.get(rating_url(world, published["id"]), headers=bureau)).json()
    assert after == published  # nothing moved, not even the version
    assert await db.scalar(sa.select(sa.func.count()).select_from(RatingAdjustment)) == 1


async def test_a_published_rating_is_reproducible_and_new_data_does_not_move_it(client, db, world):
    published = await publish_with_adjustment(client, db, world)
    stored = await db.get(Rating, (published["id"], world.park_a.id))
    review = RatingReview(db, world.park_a.id)
    again = Rating(park_id=stored.park_id, round_id=stored.round_id, rubric_version=stored.rubric_version)
    await review.assess(again, await review.inputs(stored))
    as_stored = msgspec.json.decode(msgspec.json.encode(again.breakdown))  # tuples become lists, as in the JSON column
    assert (again.total, again.stars, as_stored) == (stored.total, stored.stars, stored.breakdown)
    assert str(again.total) == published["total"]

    for n in range(5):
        await make_incubatee(db, world.park_a, f"新入孵企业{n}")
    await db.commit()
    rounds = RatingRounds(db)
    redone = await rounds.compute_drafts_across_parks(await rounds.get_round("2017"))
    assert world.park_a.id not in {r.park_id for r in redone}
    await db.refresh(stored)
    assert (str(stored.total), stored.stars, stored.breakdown, stored.lock_version) == (
        published["total"],
        published["stars"],
        published["breakdown"],
        published["version"],
    )


async def test_the_queue_counts_each_park_once_and_the_park_lists_every_revision(client, db, world):
    published = await publish_with_adjustment(client, db, world)
    bureau = await bearer(db, world, "bureau")
    correction = (
        await client.post(
            rating_url(world, published["id"], "/revise"),
            json={"version": published["version"], "reason": "更正"},
            headers=bureau,
        )
    ).json()
    queue = (await client.get("/api/ratings?period=2017", headers=bureau)).json()
    mine = [(r["id"], r["revision"]) for r in queue if r["park_id"] == str(world.park_a.id)]
    assert mine == [(correction["id"], 2)]
    assert len(queue) == 2  # park B's draft and park A's correction
    listed = await client.get(f"/api/parks/{world.park_a.id}/ratings", headers=await bearer(db, world, "operator_a"))
    assert sorted((r["revision"], r["status"]) for r in listed.json()) == [(1, "published"), (2, "under_review")]

    # a correction returned to the park keeps its frozen numbers when the drafts are computed again
    returned = await client.post(
        rating_url(world, correction["id"], "/return"),
        json={"version": correction["version"], "reason": "请说明"},
        headers=bureau,
    )
    assert returned.status_code == 201
    await make_incubatee(db, world.park_a, "又一家企业")
    await db.commit()
    rounds = RatingRounds(db)
    redone = await rounds.compute_drafts_across_parks(await rounds.get_round("2017"))
    assert world.park_a.id not in {r.park_id for r in redone}


async def test_bad_corrections_are_refused_and_write_nothing(client, db, world):
    published = await publish_with_adjustment(client, db, world)
    bureau = await bearer(db, world, "bureau")
    url = rating_url(world, published["id"], "/revise")
    no_reason = await client.post(url, json={"version": published["version"], "reason": "  "}, headers=bureau)
    assert (no_reason.status_code, no_reason.json()["errors"][0]["field"]) == (422, "reason")
    stale = await client.post(url, json={"version": published["version"] + 1, "reason": "更正"}, headers=bureau)
    assert (stale.status_code, stale.json()["errors"][0]["field"]) == (409, "version")
    park = await client.post(
        url, json={"version": published["version"], "reason": "更正"}, headers=await bearer(db, world, "operator_a")
    )
    assert park.status_code == 403
    assert len(await _ratings(db)) == 2  # park A's published rating and park B's draft


async def test_the_bureau_corrects_on_the_rating_page(client, db, world):
    published = await publish_with_adjustment(client, db, world)
    await page_login(client, db, world.user("bureau"))
    token = await csrf_token(client)
    page = f"/parks/{world.park_a.id}/ratings/{published['id']}"
    shown = (await client.get(page)).text
    assert f'action="{page}/revise"' in shown
    empty = await client.post(
        page + "/revise", data={"version": str(published["version"]), "reason": "", "_csrf_token": token}
    )
    assert empty.status_code == 400
    opened = await client.post(
        page + "/revise",
        data={"version": str(published["version"]), "reason": "更正就业人数", "_csrf_token": token},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    revision = next(r for r in await _ratings(db) if r.revision == 2)
    assert opened.headers["location"] == f"/parks/{world.park_a.id}/ratings/{revision.id}"
    shown = (await client.get(opened.headers["location"])).text
    assert "更正就业人数" in shown
    assert f'href="{page}"' in shown  # links the published revision of the same period
    assert f'action="{page}/revise"' not in shown
    assert f'action="{page}/revise"' not in (await client.get(page)).text  # a correction is already open
    queue = (await client.get("/ratings?period=2017")).text
    assert f"/ratings/{revision.id}" in queue
    assert f"/ratings/{published['id']}" not in queue  # the park once, by its open correction
    assert "第 2 版" in queue


async def _open_correction(client, db, world) -> tuple[dict, dict, dict]:
    published = await publish_with_adjustment(client, db, world)
    bureau = await bearer(db, world, "bureau")
    opened = await client.post(
        rating_url(world, published["id"], "/revise"),
        json={"version": published["version"], "reason": "更正就业人数"},
        headers=bureau,
    )
    assert opened.status_code == 201, opened.text
    return published, opened.json(), bureau


async def test_a_withdrawn_correction_leaves_the_published_rating_in_force(client, db, world):
    published, correction, bureau = await _open_correction(client, db, world)
    withdrawn = await client.post(
        rating_url(world, correction["id"], "/withdraw"),
        json={"version": correction["version"], "reason": "误开更正"},
        headers=bureau,
    )
    assert withdrawn.status_code == 201, withdrawn.text
    assert (withdrawn.json()["status"], withdrawn.json()["withdrawal_reason"]) == ("withdrawn", "误开更正")
    assert (await client.get(rating_url(world, published["id"]), headers=bureau)).json()["status"] == "published"
    queue = (await client.get("/api/ratings?period=2017", headers=bureau)).json()
    assert [(r["id"], r["status"]) for r in queue if r["park_id"] == str(world.park_a.id)] == [
        (published["id"], "published")
    ]
    [entry] = await db.scalars(
        sa.select(AuditEntry).where(AuditEntry.entity_id == correction["id"], AuditEntry.action == "update")
    )
    assert entry.changes["status"] == {"before": "under_review", "after": "withdrawn"}
    assert entry.changes["withdrawal_reason"]["after"] == "误开更正"

    # the next correction takes the next number; the withdrawn one stays on record
    again = await client.post(
        rating_url(world, published["id"], "/revise"),
        json={"version": published["version"], "reason": "再次更正"},
        headers=bureau,
    )
    assert (again.status_code, again.json()["revision"]) == (201, 3)
    revisions = [(r.revision, r.status) for r in await _ratings(db) if r.park_id == world.park_a.id]
    assert revisions == [(1, RatingStatus.PUBLISHED), (2, RatingStatus.WITHDRAWN), (3, RatingStatus.UNDER_REVIEW)]


async def test_only_an_open_correction_can_be_withdrawn(client, db, world):
    published, correction, bureau = await _open_correction(client, db, world)
    url = rating_url(world, correction["id"], "/withdraw")
    no_reason = await client.post(url, json={"version": correction["version"], "reason": ""}, headers=bureau)
    assert (no_reason.status_code, no_reason.json()["errors"][0]["field"]) == (422, "reason")
    stale = await client.post(url, json={"version": correction["version"] + 1, "reason": "撤回"}, headers=bureau)
    assert (stale.status_code, stale.json()["errors"][0]["field"]) == (409, "version")
    park = await client.post(
        url, json={"version": correction["version"], "reason": "撤回"}, headers=await bearer(db, world, "operator_a")
    )
    assert park.status_code == 403
    first = await client.post(
        rating_url(world, published["id"], "/withdraw"),
        json={"version": published["version"], "reason": "撤回"},
        headers=bureau,
    )
    assert (first.status_code, first.json()["errors"][0]["field"]) == (409, "status")  # a published rating
    draft_b = next(r for r in await _ratings(db) if r.park_id == world.park_b.id)
    draft = await client.post(
        f"/api/parks/{world.park_b.id}/ratings/{draft_b.id}/withdraw",
        json={"version": draft_b.lock_version, "reason": "撤回"},
        headers=bureau,
    )
    assert (draft.status_code, draft.json()["errors"][0]["field"]) == (409, "status")  # not a correction
    foreign = await client.post(
        f"/api/parks/{world.park_b.id}/ratings/{correction['id']}/withdraw",
        json={"version": correction["version"], "reason": "撤回"},
        headers=bureau,
    )
    assert foreign.status_code == 404  # park A's correction under park B's path
    statuses = {(r.park_id, r.revision): r.status for r in await _ratings(db)}
    assert statuses == {
        (world.park_a.id, 1): RatingStatus.PUBLISHED,
        (world.park_a.id, 2): RatingStatus.UNDER_REVIEW,
        (world.park_b.id, 1): RatingStatus.DRAFT,
    }


async def test_the_bureau_withdraws_a_correction_on_the_rating_page(client, db, world):
    published, correction, _bureau = await _open_correction(client, db, world)
    await page_login(client, db, world.user("bureau"))
    token = await csrf_token(client)
    page = f"/parks/{world.park_a.id}/ratings/{correction['id']}"
    assert f'action="{page}/withdraw"' in (await client.get(page)).text
    published_page = f"/parks/{world.park_a.id}/ratings/{published['id']}"
    assert f'action="{published_page}/withdraw"' not in (await client.get(published_page)).text
    empty = await client.post(
        page + "/withdraw", data={"version": str(correction["version"]), "reason": "", "_csrf_token": token}
    )
    assert (empty.status_code, 'id="reason-error"' in empty.text) == (400, True)
    done = await client.post(
        page + "/withdraw",
        data={"version": str(correction["version"]), "reason": "误开更正", "_csrf_token": token},
        follow_redirects=False,
    )
    assert (done.status_code, done.headers["location"]) == (303, page)
    shown = (await client.get(page)).text
    assert "误开更正" in shown
    assert f'action="{page}/withdraw"' not in shown
    text, _pages, _fonts = read_pdf((await client.get(page + "/report.pdf")).content)
    assert "误开更正" in text  # the report says why, as the page does
    assert f'action="{published_page}/revise"' in (await client.get(published_page)).text  # may be corrected again
