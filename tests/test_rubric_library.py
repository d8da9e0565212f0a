"""The bureau's rubrics: listed, uploaded (the whole file validated, a bad one refused naming the bad key and
writing nothing), activated for the next rating period; ratings keep the version they were scored with."""

import hashlib
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.errors import InvalidInput
from incubator.ratings.models import Rating
from incubator.ratings.rubric import packaged_rubric, packaged_source
from incubator.ratings.scoring import score
from incubator.ratings.services import RatingRounds
from incubator.rubrics.models import RubricActivation, UploadedRubric
from tests.conftest import bearer, csrf_token, page_login

PUYANG = packaged_source("puyang-2017")


def variant(version: str, *changes: tuple[str, str], text: str = PUYANG) -> str:
    """The packaged file under another version, with pieces of text changed (each found exactly once)."""
    text = text.replace('version = "puyang-2017"', f'version = "{version}"')
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


# Active incubatees score from 0 points at 20 firms: the copy scores from 0 firms, so one firm earns
# 5 points × 1/50 = 0.1 where puyang-2017 gives none.
PUYANG_2018 = variant("puyang-2018", ("points = 5\nfloor = 20\nfull = 50", "points = 5\nfloor = 0\nfull = 50"))


def _upload(version: str, content: str | bytes, name: str = "rubric.toml") -> dict[str, Any]:
    body = content.encode() if isinstance(content, str) else content
    return {"data": {"version": version}, "files": {"file": (name, body, "application/toml")}}


async def _counts(db) -> tuple[int, int, int]:
    return (
        await db.scalar(sa.select(sa.func.count()).select_from(UploadedRubric)),
        await db.scalar(sa.select(sa.func.count()).select_from(RubricActivation)),
        await db.scalar(sa.select(sa.func.count()).select_from(AuditEntry)),
    )


def _points(rating: Rating, metric: str) -> tuple[Decimal, Decimal]:
    """(value, points) of one indicator as the rating scored it."""
    scored = {i["metric"]: i for d in rating.breakdown["dimensions"] for i in d["indicators"]}
    return Decimal(str(scored[metric]["value"])), Decimal(str(scored[metric]["points"]))


async def test_the_packaged_rubric_is_listed_and_active_by_default(client, db, world):
    listed = await client.get("/api/rubrics", headers=await bearer(db, world, "bureau"))
    assert listed.status_code == 200, listed.text
    [puyang] = listed.json()
    assert puyang["version"] == "puyang-2017"
    assert (puyang["source"], puyang["active"], puyang["rounds"]) == ("packaged", True, [])
    assert puyang["title_zh"].startswith("濮阳市")


async def test_an_activated_upload_scores_the_next_period_and_the_old_period_keeps_its_rubric(client, db, world):
    bureau = await bearer(db, world, "bureau")
    rounds = RatingRounds(db)
    old_round = await rounds.open_round(2017)
    await rounds.compute_drafts_across_parks(old_round)
    await db.commit()

    uploaded = await client.post("/api/rubrics", headers=bureau, **_upload("puyang-2018", PUYANG_2018))
    assert uploaded.status_code == 201, uploaded.text
    assert (uploaded.json()["source"], uploaded.json()["active"]) == ("uploaded", False)
    activated = await client.post("/api/rubrics/puyang-2018/activate", headers=bureau)
    assert activated.status_code == 201, activated.text
    assert activated.json()["active"] is True

    new_round = await rounds.open_round(2018)
    assert new_round.rubric_version == "puyang-2018"
    drafts = await rounds.compute_drafts_across_parks(new_round)
    again = await rounds.compute_drafts_across_parks(old_round)  # the old period is scored as it was
    await db.commit()
    new = next(d for d in drafts if d.park_id == world.park_a.id)
    old = next(d for d in again if d.park_id == world.park_a.id)
    assert (new.rubric_version, _points(new, "active_incubatees")) == ("puyang-2018", (1, Decimal("0.1")))
    assert (old.rubric_version, _points(old, "active_incubatees")) == ("puyang-2017", (1, 0))
    values = {key: None if v["value"] is None else Decimal(str(v["value"])) for key, v in new.metrics.items()}
    assert new.total == score(packaged_rubric("puyang-2017"), values).total + Decimal("0.1")  # only the floor differs

    listed = {r["version"]: r for r in (await client.get("/api/rubrics", headers=bureau)).json()}
    assert (listed["puyang-2017"]["active"], listed["puyang-2017"]["rounds"]) == (False, ["2017"])
    assert (listed["puyang-2018"]["active"], listed["puyang-2018"]["rounds"]) == (True, ["2018"])
    activation = await db.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "rubric_activations"))
    assert activation is not None
    assert (activation.action, activation.actor_email) == ("create", "bureau@test.cn")
    assert activation.changes["version"] == {"before": None, "after": "puyang-2018"}

    # The park's rating page and the what-if read the rating's own rubric.
    operator = await bearer(db, world, "operator_a")
    what_if = await client.get(f"/api/parks/{world.park_a.id}/ratings/{new.id}/what-if", headers=operator)
    assert what_if.status_code == 200, what_if.text
    await page_login(client, db, world.user("operator_a"))
    page = await client.get(f"/parks/{world.park_a.id}/ratings/{new.id}")
    assert page.status_code == 200
    assert "puyang-2018" in page.text


async def test_a_packaged_version_can_be_activated_again_and_a_period_may_name_any_known_version(client, db, world):
    bureau = await bearer(db, world, "bureau")
    assert (await client.post("/api/rubrics", headers=bureau, **_upload("puyang-2018", PUYANG_2018))).status_code == 201
    assert (await client.post("/api/rubrics/puyang-2018/activate", headers=bureau)).status_code == 201
    back = await client.post("/api/rubrics/puyang-2017/activate", headers=bureau)
    assert back.json()["active"] is True
    rounds = RatingRounds(db)
    assert (await rounds.open_round(2017)).rubric_version == "puyang-2017"
    assert (await rounds.open_round(2018, "puyang-2018")).rubric_version == "puyang-2018"
    with pytest.raises(InvalidInput) as raised:
        await rounds.open_round(2019, "puyang-2099")
    assert raised.value.field == "rubric_version"


async def test_a_rubric_reads_parsed_and_downloads_as_its_file(client, db, world):
    bureau = await bearer(db, world, "bureau")
    await client.post("/api/rubrics", headers=bureau, **_upload("puyang-2018", PUYANG_2018))
    parsed = (await client.get("/api/rubrics/puyang-2018", headers=bureau)).json()
    facilities = parsed["dimensions"][1]
    indicator = next(i for i in facilities["indicators"] if i["key"] == "active_incubatees")
    assert (indicator["unit"], indicator["floor"], indicator["full"], indicator["points"]) == ("count", "0", "50", "5")
    assert indicator["direction"] == "higher"
    assert [band["stars"] for band in parsed["stars"]] == [1, 2, 3, 4, 5]
    assert {"funding", "exit_rules", "incubatee_rules", "vetoes"} <= parsed.keys()

    for version, text in (("puyang-2018", PUYANG_2018), ("puyang-2017", PUYANG)):
        download = await client.get(f"/api/rubrics/{version}/source", headers=bureau)
        assert download.status_code == 200
        assert download.text == text
        assert download.headers["content-disposition"] == f'attachment; filename="{version}.toml"'
        assert download.headers["content-type"].startswith("application/toml")


async def test_an_unknown_version_is_not_found(client, db, world):
    bureau = await bearer(db, world, "bureau")
    before = await _counts(db)
    for response in (
        await client.get("/api/rubrics/puyang-2099", headers=bureau),
        await client.get("/api/rubrics/puyang-2099/source", headers=bureau),
        await client.post("/api/rubrics/puyang-2099/activate", headers=bureau),
    ):
        assert response.status_code == 404
        assert response.json()["errors"] == [{"field": "version", "message": "没有该版本的评价细则。"}]
    assert await _counts(db) == before


BAD_UPLOADS = [
    pytest.param("puyang-2018", "version = = 1", 422, "file", id="not-toml"),
    pytest.param("puyang-2018", PUYANG_2018.encode("gbk"), 422, "file", id="gbk-not-utf8"),
    pytest.param(
        "puyang-2018", PUYANG_2018 + "#" * (256 * 1024 + 1 - len(PUYANG_2018.encode())), 422, "file", id="too-large"
    ),
    pytest.param("puyang-2018", "", 422, "file", id="empty"),
    pytest.param(
        "puyang-2018",
        variant("puyang-2018", ("rectify_months = 6\n", "")),
        422,
        "exit_rules",
        id="missing-key",
    ),
    pytest.param(
        "puyang-2018",
        variant("puyang-2018", ("points = 5\nfloor = 20\nfull = 50", 'points = 5\nfloor = "twenty"\nfull = 50')),
        422,
        "dimensions[1].indicators[1].floor",
        id="wrong-type",
    ),
    pytest.param(
        "puyang-2018",
        variant("puyang-2018", ("points = 5\nfloor = 20\nfull = 50", "points = 6\nfloor = 20\nfull = 50")),
        422,
        "dimensions[1].indicators",
        id="points-off-the-weight",
    ),
    pytest.param("puyang-2019", PUYANG_2018, 422, "version", id="version-mismatch"),
    pytest.param("Puyang 2018", variant("Puyang 2018"), 422, "version", id="bad-version"),
    pytest.param("puyang-2017", PUYANG, 409, "version", id="shadows-packaged"),
]


@pytest.mark.parametrize(("version", "content", "status", "field"), BAD_UPLOADS)
async def test_a_bad_upload_is_refused_naming_the_key_and_writes_nothing(
    client, db, world, version, content, status, field
):
    bureau = await bearer(db, world, "bureau")
    before = await _counts(db)
    response = await client.post("/api/rubrics", headers=bureau, **_upload(version, content))
    assert response.status_code == status, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in problem["errors"]] == [field], problem
    assert await _counts(db) == before


async def test_the_rubric_error_names_the_path_and_says_what_is_wrong(client, db, world):
    text = variant("puyang-2018", ("points = 5\nfloor = 20\nfull = 50", "points = 5\nfloor = true\nfull = 50"))
    response = await client.post(
        "/api/rubrics", headers=await bearer(db, world, "bureau"), **_upload("puyang-2018", text)
    )
    assert response.json()["errors"] == [
        {"field": "dimensions[1].indicators[1].floor", "message": "评价细则有误：Expected `decimal`, got `bool`"}
    ]


async def test_a_version_is_uploaded_once(client, db, world):
    bureau = await bearer(db, world, "bureau")
    assert (await client.post("/api/rubrics", headers=bureau, **_upload("puyang-2018", PUYANG_2018))).status_code == 201
    before = await _counts(db)
    again = await client.post("/api/rubrics", headers=bureau, **_upload("puyang-2018", PUYANG_2018))
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "version"
    assert await _counts(db) == before


async def test_a_request_far_over_the_limit_is_cut_off(client, db, world):
    bureau = await bearer(db, world, "bureau")
    before = await _counts(db)
    response = await client.post("/api/rubrics", headers=bureau, **_upload("puyang-2018", PUYANG_2018 + "#" * 2**21))
    assert response.status_code == 413
    assert await _counts(db) == before


async def test_the_upload_stores_the_file_and_its_sha256_but_the_trail_keeps_no_copy(client, db, world):
    bureau = await bearer(db, world, "bureau")
    await client.post("/api/rubrics", headers=bureau, **_upload("puyang-2018", "\ufeff" + PUYANG_2018))
    stored = await db.scalar(sa.select(UploadedRubric))
    assert (stored.version, stored.source, stored.uploaded_by) == ("puyang-2018", PUYANG_2018, world.user("bureau").id)
    assert stored.sha256 == hashlib.sha256(PUYANG_2018.encode()).hexdigest()
    entry = await db.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "rubrics"))
    assert entry.changes["source"] == {"before": None, "after": "changed"}
    assert entry.changes["sha256"]["after"] == stored.sha256


# The pages


async def test_the_bureau_uploads_and_activates_through_the_pages(client, db, world):
    await page_login(client, db, world.user("bureau"))
    csrf = await csrf_token(client)
    listing = await client.get("/rubrics")
    assert listing.status_code == 200
    assert 'href="/rubrics/puyang-2017/source"' in listing.text  # the template to start from
    assert 'enctype="multipart/form-data"' in listing.text

    uploaded = await client.post(
        "/rubrics",
        data={"version": "puyang-2018", "_csrf_token": csrf},
        files={"file": ("puyang-2018.toml", PUYANG_2018.encode(), "application/toml")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303, uploaded.text
    assert uploaded.headers["location"] == "/rubrics/puyang-2018"
    shown = await client.get("/rubrics/puyang-2018")
    assert shown.status_code == 200
    assert "<td>0</td><td>50</td><td>5</td>" in shown.text  # active incubatees: the changed floor
    assert "发生重大安全事故" in shown.text  # a veto
    activated = await client.post("/rubrics/puyang-2018/activate", data={"_csrf_token": csrf}, follow_redirects=False)
    assert (activated.status_code, activated.headers["location"]) == (303, "/rubrics")
    assert await db.scalar(sa.select(RubricActivation.version)) == "puyang-2018"
    download = await client.get("/rubrics/puyang-2018/source")
    assert download.text == PUYANG_2018


async def test_a_bad_upload_page_shows_the_key_path_and_the_message(client, db, world):
    await page_login(client, db, world.user("bureau"))
    csrf = await csrf_token(client)
    before = await _counts(db)
    text = variant("puyang-2018", ("points = 5\nfloor = 20\nfull = 50", 'points = 5\nfloor = "twenty"\nfull = 50'))
    response = await client.post(
        "/rubrics",
        data={"version": "puyang-2018", "_csrf_token": csrf},
        files={"file": ("puyang-2018.toml", text.encode(), "application/toml")},
    )
    assert response.status_code == 400
    assert "<code>dimensions[1].indicators[1].floor</code>" in response.text
    assert "Invalid decimal string" in response.text
    assert 'value="puyang-2018"' in response.text
    assert await _counts(db) == before


async def test_the_review_queue_and_the_navigation_link_to_the_rubrics(client, db, world):
    await page_login(client, db, world.user("bureau"))
    assert 'href="/rubrics"' in (await client.get("/ratings")).text
