import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from incubator.audit.models import AuditEntry
from incubator.parks.models import Park
from tests.conftest import bearer

NEW_PARK = {"name": "范县返乡创业园", "code": "py-fx-01", "kind": "park", "level": "county", "district": "范县"}


async def _entries(db, entity_type: str) -> list[AuditEntry]:
    statement = sa.select(AuditEntry).where(AuditEntry.entity_type == entity_type).order_by(AuditEntry.id)
    return list(await db.scalars(statement.execution_options(populate_existing=True)))


async def test_creating_a_park_writes_its_audit_row(client, db, world):
    response = await client.post("/api/parks", json=NEW_PARK, headers=await bearer(db, world, "admin"))
    assert response.status_code == 201
    park_id = response.json()["id"]
    [entry] = [e for e in await _entries(db, "parks") if e.entity_id == park_id]
    assert entry.action == "create"
    assert entry.actor_email == "admin@test.cn"
    assert str(entry.park_id) == park_id
    assert entry.changes["code"] == {"before": None, "after": "PY-FX-01"}


async def test_updating_a_park_records_before_and_after(client, db, world):
    headers = await bearer(db, world, "admin")
    response = await client.patch(f"/api/parks/{world.park_a.id}", json={"district": "濮阳县"}, headers=headers)
    assert response.status_code == 200
    [entry] = [e for e in await _entries(db, "parks") if e.action == "update"]
    assert entry.changes == {"district": {"before": "华龙区", "after": "濮阳县"}}
    assert entry.park_id == world.park_a.id


async def test_removing_a_membership_writes_a_delete_row(client, db, world):
    headers = await bearer(db, world, "admin")
    user = (await client.get(f"/api/users/{world.user('operator_a').id}", headers=headers)).json()
    membership_id = user["memberships"][0]["id"]
    response = await client.delete(f"/api/users/{user['id']}/memberships/{membership_id}", headers=headers)
    assert response.status_code == 204
    [entry] = [e for e in await _entries(db, "memberships") if e.action == "delete"]
    assert entry.entity_id == membership_id
    assert entry.changes["role"] == {"before": "operator", "after": None}


async def test_passwords_never_reach_the_audit_trail(client, db, world):
    headers = await bearer(db, world, "admin")
    body = {"email": "clerk@test.cn", "display_name": "文员", "password": "a-secret-password"}
    response = await client.post("/api/users", json=body, headers=headers)
    assert response.status_code == 201
    [entry] = [e for e in await _entries(db, "users") if e.entity_id == response.json()["id"]]
    assert entry.changes["password_hash"] == {"before": None, "after": "changed"}
    assert "a-secret-password" not in str(entry.changes)
    assert "argon2" not in str(entry.changes)


async def test_a_password_reset_is_audited_without_the_password(client, db, world):
    headers = await bearer(db, world, "admin")
    user_id = world.user("founder_a").id
    response = await client.patch(f"/api/users/{user_id}", json={"password": "another-long-secret"}, headers=headers)
    assert response.status_code == 200
    [entry] = [e for e in await _entries(db, "users") if e.action == "update"]
    assert entry.changes == {"password_hash": {"before": None, "after": "changed"}}
    assert entry.actor_email == "admin@test.cn"


async def test_a_failed_flush_leaves_no_phantom_entry_for_the_next_one(db, world):
    db.add(Park(name="甲园区", code="DUP-NAME-2", kind="park", level="county", district="范县"))
    with pytest.raises(IntegrityError):
        await db.flush()
    await db.rollback()
    db.add(Park(name="丙园区", code="PARK-C", kind="park", level="county", district="范县"))
    await db.commit()
    created = [e.changes["code"]["after"] for e in await _entries(db, "parks") if e.action == "create"]
    assert "DUP-NAME-2" not in created
    assert "PARK-C" in created


async def test_a_failed_write_leaves_neither_record_nor_audit_row(client, db, world):
    headers = await bearer(db, world, "admin")
    before = len(await _entries(db, "parks"))
    clash = {**NEW_PARK, "code": "PARK-A"}
    response = await client.post("/api/parks", json=clash, headers=headers)
    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "code", "message": response.json()["errors"][0]["message"]}]
    assert len(await _entries(db, "parks")) == before
    assert await db.scalar(sa.select(sa.func.count()).select_from(Park)) == 2


async def test_a_write_refused_by_the_database_rolls_back_its_audit_row(db, world):
    before = len(await _entries(db, "parks"))
    db.add(Park(name="甲园区", code="DUP-NAME", kind="park", level="county", district="范县"))
    with pytest.raises(IntegrityError):
        await db.commit()
    await db.rollback()
    assert len(await _entries(db, "parks")) == before


async def test_audit_entries_cannot_be_changed_or_deleted(db, world):
    entry = (await _entries(db, "parks"))[0]
    entry.action = "forged"
    with pytest.raises(PermissionError):
        await db.flush()
    await db.rollback()
    with pytest.raises(DBAPIError):
        await db.execute(sa.update(AuditEntry).values(action="forged"))
    await db.rollback()
    with pytest.raises(DBAPIError):
        await db.execute(sa.delete(AuditEntry))
    await db.rollback()


async def test_city_audit_is_filtered_and_paged(client, db, world):
    headers = await bearer(db, world, "bureau")
    everything = (await client.get("/api/audit?limit=100", headers=headers)).json()
    assert everything["total"] >= 9
    page = (await client.get("/api/audit?limit=2&offset=2", headers=headers)).json()
    assert len(page["items"]) == 2
    assert page["total"] == everything["total"]
    assert [i["id"] for i in page["items"]] == [i["id"] for i in everything["items"][2:4]]
    parks_only = (await client.get("/api/audit?entity_type=parks", headers=headers)).json()
    assert parks_only["total"] == 2
    assert {i["entity_type"] for i in parks_only["items"]} == {"parks"}


async def test_operator_sees_only_their_parks_audit(client, db, world):
    headers = await bearer(db, world, "operator_a")
    entries = (await client.get(f"/api/parks/{world.park_a.id}/audit?limit=100", headers=headers)).json()["items"]
    assert entries
    assert {e["park_id"] for e in entries} == {str(world.park_a.id)}
    assert (await client.get(f"/api/parks/{world.park_b.id}/audit", headers=headers)).status_code == 404
    assert (await client.get("/api/audit", headers=headers)).status_code == 403


async def test_audit_filter_with_a_bad_date_names_the_field(client, db, world):
    response = await client.get("/api/audit?since=yesterday", headers=await bearer(db, world, "admin"))
    assert response.status_code in (400, 422)
    assert "since" in response.text
