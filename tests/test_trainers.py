"""The city's trainer pool: kept by admin and the bureau, browsed and searched by everyone."""

import pytest
import sqlalchemy as sa

from incubator.trainings.models import Trainer
from tests.conftest import bearer, csrf_token, page_login


async def _form(client, **values):
    return {**values, "_csrf_token": await csrf_token(client)}


async def test_the_bureau_keeps_the_trainer_pool_and_everyone_searches_it(client, db, world):
    bureau = await bearer(db, world, "bureau")
    created = await client.post(
        "/api/trainers",
        json={
            "name": "刘讲师",
            "organisation": "濮阳市就业训练中心",
            "specialties": ["SYB", "网店运营"],
            "phone": "0393 888 8888",
        },
        headers=bureau,
    )
    assert created.status_code == 201, created.text
    assert created.json()["phone"] == "03938888888"
    refused = await client.post("/api/trainers", json={"name": "x"}, headers=await bearer(db, world, "operator_a"))
    assert refused.status_code == 403
    for reader in ("operator_a", "mentor", "founder_a"):
        found = await client.get("/api/trainers?q=网店", headers=await bearer(db, world, reader))
        assert [t["name"] for t in found.json()["items"]] == ["刘讲师"]
    trainer_id = created.json()["id"]
    assert (await client.get(f"/api/trainers/{trainer_id}", headers=bureau)).json()["specialties"] == [
        "SYB",
        "网店运营",
    ]
    retired = await client.patch(f"/api/trainers/{trainer_id}", json={"active": False}, headers=bureau)
    assert retired.json()["active"] is False
    assert (await client.get("/api/trainers?q=网店", headers=bureau)).json()["total"] == 0
    missing = await client.get("/api/trainers/01234567-89ab-7def-8123-456789abcdef", headers=bureau)
    assert (missing.status_code, missing.json()["errors"][0]["field"]) == (404, "trainer_id")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "讲" * 51}, "name"),
        ({"name": "刘讲师", "phone": "call me"}, "phone"),
        ({"name": "刘讲师", "specialties": ["长" * 31]}, "specialties[0]"),
        ({"name": "刘讲师", "organisation": "机" * 201}, "organisation"),
        ({"name": "刘讲师", "active": "maybe"}, "active"),
    ],
)
async def test_bad_trainer_input_writes_nothing(client, db, world, body, field):
    response = await client.post("/api/trainers", json=body, headers=await bearer(db, world, "admin"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await db.scalar(sa.select(sa.func.count()).select_from(Trainer)) == 0


async def test_the_bureau_adds_and_retires_a_trainer_on_the_pages(client, db, world):
    await page_login(client, db, world.user("bureau"))
    empty = await client.get("/trainers")
    assert 'class="empty"' in empty.text
    bad = await client.post("/trainers/new", data=await _form(client, name="刘讲师", phone="call me"))
    assert bad.status_code == 400
    assert 'id="phone-error"' in bad.text
    added = await client.post(
        "/trainers/new",
        data=await _form(
            client, name="刘讲师", organisation="濮阳市就业训练中心", specialties="SYB， 网店运营、直播带货"
        ),
        follow_redirects=False,
    )
    assert added.status_code == 303
    liu = await db.scalar(sa.select(Trainer))
    assert liu.specialties == ["SYB", "网店运营", "直播带货"]
    edit = await client.get(f"/trainers/{liu.id}/edit")
    assert "SYB、网店运营、直播带货" in edit.text
    assert "直播带货" in (await client.get("/trainers?q=直播", headers={"HX-Request": "true"})).text
    retired = await client.post(
        f"/trainers/{liu.id}/edit",
        data=await _form(client, name="刘讲师", specialties="SYB", active__present="1"),
        follow_redirects=False,
    )
    assert retired.status_code == 303
    assert "刘讲师" not in (await client.get("/trainers")).text


async def test_operators_browse_the_trainer_pool_but_cannot_keep_it(client, db, world):
    db.add(Trainer(name="刘讲师", specialties=["SYB"]))
    await db.commit()
    await page_login(client, db, world.user("operator_a"))
    pool = await client.get("/trainers")
    assert "刘讲师" in pool.text
    assert "/trainers/new" not in pool.text
    assert (await client.get("/trainers/new")).status_code == 403
