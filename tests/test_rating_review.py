"""The review of a star rating through the API: the park submits, the bureau reviews, adjusts with reasons,
returns, approves and publishes; stale versions and concurrent reviewers get 409."""

import asyncio

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.ratings.models import RatingAdjustment
from tests.conftest import bearer, concurrent_client
from tests.rating_data import make_draft


def _url(world, rating, action: str = "") -> str:
    return f"/api/parks/{world.park_a.id}/ratings/{rating.id}{action}"


async def test_the_whole_review_from_draft_to_published(client, db, world):
    rating = await make_draft(db, world)
    park, bureau = await bearer(db, world, "operator_a"), await bearer(db, world, "bureau")
    read = (await client.get(_url(world, rating), headers=park)).json()
    assert (read["status"], read["stars"]) == ("draft", 0)

    submitted = await client.post(
        _url(world, rating, "/submit"), json={"version": read["version"], "comment": "已核对"}, headers=park
    )
    assert submitted.status_code == 201, submitted.text
    queue = (await client.get("/api/ratings?period=2017&status=submitted", headers=bureau)).json()
    assert [r["id"] for r in queue] == [str(rating.id)]
    reviewing = await client.post(
        _url(world, rating, "/review"), json={"version": submitted.json()["version"]}, headers=bureau
    )
    assert reviewing.json()["status"] == "under_review"

    before = reviewing.json()["total"]
    adjusted = await client.post(
        _url(world, rating, "/adjustments"),
        json={
            "version": reviewing.json()["version"],
            "metric": "active_incubatees",
            "value": "50",
            "reason": "按佐证材料更正",
        },
        headers=bureau,
    )
    assert adjusted.status_code == 201, adjusted.text
    body = adjusted.json()
    [adjustment] = body["adjustments"]
    assert (adjustment["original_value"], adjustment["adjusted_value"], adjustment["reason"]) == (
        "1.0000",
        "50.0000",
        "按佐证材料更正",
    )
    assert body["metrics"]["active_incubatees"]["value"] == "1"  # the collected value stays
    assert float(body["total"]) == float(before) + 5  # active incubatees: 50 is full, 5 points

    returned = await client.post(
        _url(world, rating, "/return"), json={"version": body["version"], "reason": "请补充佐证"}, headers=bureau
    )
    assert (returned.json()["status"], returned.json()["return_reason"]) == ("returned", "请补充佐证")
    again = await client.post(
        _url(world, rating, "/submit"), json={"version": returned.json()["version"]}, headers=park
    )
    version = again.json()["version"]
    for action in ("/review", "/approve", "/publish"):
        step = await client.post(_url(world, rating, action), json={"version": version}, headers=bureau)
        assert step.status_code == 201, (action, step.text)
        version = step.json()["version"]
    assert step.json()["status"] == "published"
    final = await client.post(
        _url(world, rating, "/return"), json={"version": version, "reason": "再改"}, headers=bureau
    )
    assert final.status_code == 409
    transitions = await db.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.entity_type == "ratings", AuditEntry.action == "update")
    )
    assert transitions >= 8


async def test_a_stale_version_is_refused(client, db, world):
    rating = await make_draft(db, world)
    response = await client.post(
        _url(world, rating, "/submit"),
        json={"version": rating.lock_version + 1},
        headers=await bearer(db, world, "operator_a"),
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"


async def test_two_reviewers_at_once_cannot_both_win(app, db, world):
    rating = await make_draft(db, world)
    rating.status = "under_review"
    await db.commit()
    headers = await bearer(db, world, "bureau")
    async with concurrent_client(app) as client:
        responses = await asyncio.gather(
            *(
                client.post(_url(world, rating, "/approve"), json={"version": rating.lock_version}, headers=headers)
                for _ in range(3)
            )
        )
    assert sorted(r.status_code for r in responses) == [201, 409, 409]


async def test_operators_cannot_approve_and_other_parks_cannot_see(client, db, world):
    rating = await make_draft(db, world)
    rating.status = "under_review"
    await db.commit()
    body = {"version": rating.lock_version}
    assert (
        await client.post(_url(world, rating, "/approve"), json=body, headers=await bearer(db, world, "operator_a"))
    ).status_code == 403
    assert (await client.get(_url(world, rating), headers=await bearer(db, world, "operator_b"))).status_code == 404
    foreign = f"/api/parks/{world.park_b.id}/ratings/{rating.id}"
    assert (await client.get(foreign, headers=await bearer(db, world, "operator_b"))).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"metric": "happiness", "value": "1", "reason": "x"}, "metric"),
        ({"metric": "survival_rate", "value": "-1", "reason": "x"}, "value"),
        ({"metric": "survival_rate", "value": "80", "reason": ""}, "reason"),
        ({"metric": "survival_rate", "value": "lots", "reason": "x"}, "value"),
        ({"metric": "survival_rate", "value": "1e13", "reason": "x"}, "value"),
        ({"kind": "points", "metric": "survival_rate", "value": "10.5", "reason": "x"}, "value"),  # 10 at most
        ({"kind": "points", "metric": "jobs_total", "value": "1", "reason": "x"}, "metric"),  # not an indicator
        ({"kind": "points", "metric": "survival_rate", "value": "-1", "reason": "x"}, "value"),
        ({"kind": "veto", "metric": "survival_rate", "value": "1", "reason": "x"}, "metric"),
        ({"kind": "veto", "metric": "falsified_data", "value": "2", "reason": "x"}, "value"),
        ({"kind": "bonus", "metric": "survival_rate", "value": "1", "reason": "x"}, "kind"),
    ],
)
async def test_bad_adjustments_write_nothing(client, db, world, change, field):
    rating = await make_draft(db, world)
    rating.status = "under_review"
    await db.commit()
    total = rating.total
    response = await client.post(
        _url(world, rating, "/adjustments"),
        json={"version": rating.lock_version, **change},
        headers=await bearer(db, world, "bureau"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await db.scalar(sa.select(sa.func.count()).select_from(RatingAdjustment)) == 0
    await db.refresh(rating)
    assert rating.total == total


async def test_what_if_names_the_change_that_reaches_the_next_star(client, db, world):
    rating = await make_draft(db, world)
    headers = await bearer(db, world, "operator_a")
    improvements = (await client.get(_url(world, rating, "/what-if"), headers=headers)).json()
    assert {i["metric"] for i in improvements} >= {"survival_rate", "active_incubatees"}
    assert all(i["next_stars"] == 1 for i in improvements)  # a failing draft aims at one star
    active = next(i for i in improvements if i["metric"] == "active_incubatees")
    assert (active["value"], float(active["points_per_unit"])) == ("1", 0)  # below the floor of 20
    assert (
        await client.get(_url(world, rating, "/what-if"), headers=await bearer(db, world, "operator_b"))
    ).status_code == 404


async def test_points_set_and_a_veto_applied_and_lifted_each_with_a_reason(client, db, world):
    rating = await make_draft(db, world)
    rating.status = "under_review"
    await db.commit()
    bureau = await bearer(db, world, "bureau")
    read = (await client.get(_url(world, rating), headers=bureau)).json()
    scored = {i["metric"]: i for d in read["breakdown"]["dimensions"] for i in d["indicators"]}
    before = scored["trainings_count"]["points"]

    def adjust(version, **change):
        return client.post(
            _url(world, rating, "/adjustments"),
            json={"version": version, "reason": "按现场核查", **change},
            headers=bureau,
        )

    pointed = await adjust(read["version"], kind="points", metric="trainings_count", value="4")
    assert pointed.status_code == 201, pointed.text
    body = pointed.json()
    scored = {i["metric"]: i for d in body["breakdown"]["dimensions"] for i in d["indicators"]}
    assert (scored["trainings_count"]["points"], scored["trainings_count"]["points_set"]) == ("4.00", True)
    assert float(body["total"]) == float(read["total"]) - float(before) + 4
    assert (body["adjustments"][0]["kind"], body["adjustments"][0]["original_value"]) == ("points", f"{before}00")

    for metric, indicator in scored.items():  # full points everywhere else: the park now passes
        if metric != "trainings_count":
            body = (await adjust(body["version"], kind="points", metric=metric, value=indicator["max_points"])).json()
    assert (body["failed"], body["total"]) == (False, "100.00")
    assert body["stars"] >= 1

    vetoed = (await adjust(body["version"], kind="veto", metric="falsified_data", value="1")).json()
    assert (vetoed["failed"], vetoed["stars"], vetoed["breakdown"]["vetoes"]) == (True, 0, ["falsified_data"])
    assert vetoed["total"] == body["total"]  # a veto fails the rating whatever the score
    lifted = (await adjust(vetoed["version"], kind="veto", metric="falsified_data", value="0")).json()
    assert (lifted["breakdown"]["vetoes"], lifted["total"], lifted["failed"]) == ([], body["total"], False)
    assert lifted["stars"] == body["stars"]
    assert [(a["kind"], a["original_value"], a["adjusted_value"]) for a in lifted["adjustments"][-2:]] == [
        ("veto", "0.0000", "1.0000"),
        ("veto", "1.0000", "0.0000"),
    ]
