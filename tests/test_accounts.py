"""The administrator's account pages and API."""

import sqlalchemy as sa

from incubator.auth.models import Membership, User
from tests.conftest import PASSWORD, bearer, csrf_token, page_login


async def _form(client, **values):
    return {**values, "_csrf_token": await csrf_token(client)}


async def test_admin_creates_an_operator_who_can_then_log_in(client, db, world):
    await page_login(client, db, world.user("admin"))
    form = await _form(
        client,
        email="New.Operator@test.cn",
        display_name="新运营",
        password="a-long-password",
        park_id=str(world.park_b.id),
        park_role="operator",
    )
    response = await client.post("/users/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    token = await client.post("/api/auth/token", json={"email": "new.operator@test.cn", "password": "a-long-password"})
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert me.json()["park_roles"] == {str(world.park_b.id): ["operator"]}


async def test_account_form_names_the_bad_field_and_writes_nothing(client, db, world):
    await page_login(client, db, world.user("admin"))
    before = await db.scalar(sa.select(sa.func.count()).select_from(User))
    cases = [
        ({"email": "not-an-email", "display_name": "x", "password": "a-long-password"}, "email"),
        ({"email": "admin@test.cn", "display_name": "x", "password": "a-long-password"}, "email"),
        ({"email": "z@test.cn", "display_name": "x", "password": "short"}, "password"),
        ({"email": "z@test.cn", "display_name": "", "password": "a-long-password"}, "display_name"),
        (
            {"email": "z@test.cn", "display_name": "x", "password": "a-long-password", "park_role": "operator"},
            "park_id",
        ),
        (
            {
                "email": "z@test.cn",
                "display_name": "x",
                "password": "a-long-password",
                "park_id": str(world.park_a.id),
                "park_role": "janitor",
            },
            "park_role",
        ),
    ]
    for values, field in cases:
        response = await client.post("/users/new", data=await _form(client, **values))
        assert response.status_code == 400, (values, response.status_code)
        assert f'id="{field}-error"' in response.text, (values, field)
    assert await db.scalar(sa.select(sa.func.count()).select_from(User)) == before


async def test_an_unknown_park_in_a_new_account_is_named(client, db, world):
    body = {
        "email": "z@test.cn",
        "display_name": "x",
        "password": "a-long-password",
        "memberships": [{"park_id": "01234567-89ab-7def-8123-456789abcdef", "role": "founder"}],
    }
    response = await client.post("/api/users", json=body, headers=await bearer(db, world, "admin"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "memberships[0].park_id"


async def test_the_same_park_role_twice_is_a_conflict(client, db, world):
    headers = await bearer(db, world, "admin")
    user_id = world.user("operator_a").id
    body = {"park_id": str(world.park_a.id), "role": "operator"}
    response = await client.post(f"/api/users/{user_id}/memberships", json=body, headers=headers)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "role"


async def test_admin_adds_and_removes_a_park_role_on_the_page(client, db, world):
    await page_login(client, db, world.user("admin"))
    mentor = world.user("mentor")
    form = await _form(client, park_id=str(world.park_a.id), role="operator")
    assert (await client.post(f"/users/{mentor.id}/memberships", data=form, follow_redirects=False)).status_code == 303
    [membership] = (await db.scalars(sa.select(Membership).where(Membership.user_id == mentor.id))).all()
    url = f"/users/{mentor.id}/memberships/{membership.id}/delete"
    assert (await client.post(url, data=await _form(client), follow_redirects=False)).status_code == 303
    assert (await db.scalars(sa.select(Membership).where(Membership.user_id == mentor.id))).all() == []


async def test_disabling_an_account_on_the_page_stops_its_logins(client, db, world):
    await page_login(client, db, world.user("admin"))
    founder = world.user("founder_a")
    form = await _form(client, display_name=founder.display_name, is_active__present="1")  # box shown, unticked
    assert (await client.post(f"/users/{founder.id}/edit", data=form, follow_redirects=False)).status_code == 303
    response = await client.post("/api/auth/token", json={"email": "founder.a@test.cn", "password": PASSWORD})
    assert response.status_code == 401


async def test_account_list_searches(client, db, world):
    response = await client.get("/api/users?q=operator", headers=await bearer(db, world, "admin"))
    assert {u["email"] for u in response.json()["items"]} == {"operator.a@test.cn", "operator.b@test.cn"}


async def test_openapi_schema_documents_the_api(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/parks/{park_id}" in schema["paths"]
    assert "/api/auth/token" in schema["paths"]
    assert not any(path.startswith("/parks") for path in schema["paths"])


async def test_a_form_without_the_active_box_leaves_the_account_active(client, db, world):
    await page_login(client, db, world.user("admin"))
    founder = world.user("founder_a")
    form = await _form(client, display_name="新名字")
    assert (await client.post(f"/users/{founder.id}/edit", data=form, follow_redirects=False)).status_code == 303
    response = await client.post("/api/auth/token", json={"email": "founder.a@test.cn", "password": PASSWORD})
    assert response.status_code == 201


async def test_a_founder_account_belongs_to_a_firm_of_that_park(client, db, world):
    headers = await bearer(db, world, "admin")
    url = f"/api/users/{world.user('mentor').id}/memberships"
    park_a = str(world.park_a.id)
    cases = [
        ({"park_id": park_a, "role": "founder"}, "incubatee_id"),
        ({"park_id": park_a, "role": "founder", "incubatee_id": str(world.incubatee_b.id)}, "incubatee_id"),
        ({"park_id": park_a, "role": "operator", "incubatee_id": str(world.incubatee_a.id)}, "incubatee_id"),
    ]
    for body, field in cases:
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
    assert (await db.scalars(sa.select(Membership).where(Membership.user_id == world.user("mentor").id))).all() == []
    body = {"park_id": park_a, "role": "founder", "incubatee_id": str(world.incubatee_a.id)}
    assert (await client.post(url, json=body, headers=headers)).status_code == 201


async def test_the_account_form_lists_the_parks_in_pinyin_order(client, db, world):
    await page_login(client, db, world.user("admin"))
    shown = (await client.get("/users/new")).text
    # 甲 (jiǎ) before 乙 (yǐ), though 乙 comes first by code point
    assert shown.index(world.park_a.name) < shown.index(world.park_b.name), (world.park_a.name, world.park_b.name)
