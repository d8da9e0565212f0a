import asyncio
import datetime

import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.auth.models import AuthToken, LoginThrottle, TokenKind
from incubator.auth.services import TokenService, unlock
from tests.conftest import PASSWORD, bearer, concurrent_client, csrf_token, days_ago, make_user, page_login


async def test_api_token_for_right_password(client, world):
    response = await client.post("/api/auth/token", json={"email": "Operator.A@test.cn", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_at"]
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "operator.a@test.cn"


async def test_tokens_are_stored_hashed(client, db, world):
    response = await client.post("/api/auth/token", json={"email": "admin@test.cn", "password": PASSWORD})
    secret = response.json()["access_token"]
    stored = (await db.scalars(sa.select(AuthToken.token_hash))).all()
    assert stored
    assert secret not in stored


async def test_wrong_password_is_refused(client, world):
    response = await client.post("/api/auth/token", json={"email": "admin@test.cn", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "access_token" not in response.text


async def test_unknown_email_is_refused_like_a_wrong_password(client, world):
    response = await client.post("/api/auth/token", json={"email": "nobody@test.cn", "password": PASSWORD})
    assert response.status_code == 401


async def test_inactive_user_cannot_log_in(client, db, world):
    await make_user(db, "gone@test.cn", is_active=False)
    await db.commit()
    response = await client.post("/api/auth/token", json={"email": "gone@test.cn", "password": PASSWORD})
    assert response.status_code == 401


async def test_deactivating_a_user_ends_their_tokens(client, db, world):
    admin = await bearer(db, world, "admin")
    operator = await bearer(db, world, "operator_a")
    assert (await client.get("/api/auth/me", headers=operator)).status_code == 200
    user_id = world.user("operator_a").id
    assert (await client.patch(f"/api/users/{user_id}", json={"is_active": False}, headers=admin)).status_code == 200
    assert (await client.get("/api/auth/me", headers=operator)).status_code == 401


async def test_expired_token_is_refused(client, db, world):
    headers = await bearer(db, world, "admin")
    await db.execute(sa.update(AuthToken).values(expires_at=days_ago(1)))
    await db.commit()
    assert (await client.get("/api/auth/me", headers=headers)).status_code == 401


async def test_revoked_token_is_refused(client, db, world):
    headers = await bearer(db, world, "admin")
    assert (await client.delete("/api/auth/token", headers=headers)).status_code == 204
    assert (await client.get("/api/auth/me", headers=headers)).status_code == 401


async def test_api_refuses_a_session_cookie(client, db, world):
    await page_login(client, db, world.user("admin"))
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_page_session_cannot_be_used_as_bearer(client, db, world):
    from tests.conftest import issue_token

    secret = await issue_token(db, world.user("admin"), TokenKind.SESSION)
    assert (await client.get("/api/auth/me", headers={"Authorization": f"Bearer {secret}"})).status_code == 401


async def test_login_is_rate_limited_per_client(client, world, settings):
    # a new address each time, so that none is locked first (an address locks after fewer refusals)
    statuses = [
        (
            await client.post("/api/auth/token", json={"email": f"nobody{n}@test.cn", "password": "nope-nope-nope"})
        ).status_code
        for n in range(settings.login_attempts_per_minute + 1)
    ]
    assert statuses[:-1] == [401] * settings.login_attempts_per_minute
    assert statuses[-1] == 429
    refused = await client.post("/api/auth/token", json={"email": "admin@test.cn", "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")


async def test_login_page_logs_in_and_out(client, world):
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={"email": "bureau@test.cn", "password": PASSWORD, "next": "/parks", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/parks"
    assert (await client.get("/parks")).status_code == 200

    response = await client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    after = await client.get("/parks", follow_redirects=False)
    assert after.status_code == 303
    assert after.headers["location"].startswith("/login")


async def test_login_page_shows_the_reason_for_a_wrong_password(client, world):
    token = await csrf_token(client)
    response = await client.post(
        "/login", data={"email": "bureau@test.cn", "password": "wrong", "_csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 400
    assert "incubator_session" not in response.cookies
    assert 'value="bureau@test.cn"' in response.text


async def test_login_page_refuses_a_redirect_to_another_site(client, world):
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={"email": "bureau@test.cn", "password": PASSWORD, "next": "//evil.example/x", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


async def test_pages_redirect_to_login_when_logged_out(client):
    response = await client.get("/parks?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/parks%3Fq%3Dx"


async def test_form_post_without_csrf_token_is_refused(client, db, world):
    from tests.conftest import page_login

    await page_login(client, db, world.user("admin"))
    await csrf_token(client)
    valid = {"name": "无令牌园区", "code": "NO-CSRF", "kind": "park", "level": "county", "district": "范县"}
    response = await client.post("/parks/new", data=valid)
    assert response.status_code == 403
    listing = await client.get("/api/parks", headers=await bearer(db, world, "admin"))
    assert "NO-CSRF" not in listing.text


async def test_password_policy_refuses_short_passwords(client, db, world):
    admin = await bearer(db, world, "admin")
    response = await client.post(
        "/api/users", json={"email": "new@test.cn", "display_name": "新用户", "password": "short"}, headers=admin
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


async def test_demo_password_is_refused_outside_demo_mode(client, db, world):
    admin = await bearer(db, world, "admin")
    response = await client.post(
        "/api/users",
        json={"email": "new@test.cn", "display_name": "新用户", "password": "incubator-demo"},
        headers=admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


async def test_a_login_is_in_the_audit_trail_under_the_user(client, db, world):
    from incubator.audit.models import AuditEntry

    response = await client.post("/api/auth/token", json={"email": "founder.a@test.cn", "password": PASSWORD})
    assert response.status_code == 201
    entries = (
        await db.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "auth_tokens", AuditEntry.action == "create")
        )
    ).all()
    assert [e.actor_email for e in entries] == ["founder.a@test.cn"]
    assert entries[0].changes["kind"]["after"] == "api"


async def test_the_demo_password_does_not_log_in_outside_demo_mode(client, db, world):
    from argon2 import PasswordHasher

    user = world.user("bureau")
    user.password_hash = PasswordHasher().hash("incubator-demo")
    db.add(user)
    await db.commit()
    response = await client.post("/api/auth/token", json={"email": "bureau@test.cn", "password": "incubator-demo"})
    assert response.status_code == 401


async def test_a_new_password_ends_every_login(client, db, world):
    admin = await bearer(db, world, "admin")
    operator = await bearer(db, world, "operator_a")
    user_id = world.user("operator_a").id
    changed = await client.patch(f"/api/users/{user_id}", json={"password": "a-brand-new-secret"}, headers=admin)
    assert changed.status_code == 200
    assert (await client.get("/api/auth/me", headers=operator)).status_code == 401


async def test_reactivating_an_account_does_not_revive_its_old_logins(client, db, world):
    admin = await bearer(db, world, "admin")
    operator = await bearer(db, world, "operator_a")
    url = f"/api/users/{world.user('operator_a').id}"
    await client.patch(url, json={"is_active": False}, headers=admin)
    await client.patch(url, json={"is_active": True}, headers=admin)
    assert (await client.get("/api/auth/me", headers=operator)).status_code == 401


async def test_pages_refuse_to_be_framed(client):
    response = await client.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def _log_in(client, password: str, email: str = "admin@test.cn"):
    return await client.post("/api/auth/token", json={"email": email, "password": password})


async def _throttle(db, email: str) -> LoginThrottle | None:
    return await db.scalar(
        sa.select(LoginThrottle).where(LoginThrottle.email == email).execution_options(populate_existing=True)
    )


async def _lock(db, email: str, minutes: int) -> None:
    db.add(
        LoginThrottle(
            email=email,
            locked_until=datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=minutes),
            updated_at=datetime.datetime.now(datetime.UTC),
        )
    )
    await db.commit()


async def test_wrong_passwords_in_a_row_lock_the_account_for_a_while(client, db, world, settings):
    assert settings.login_failures_before_lock + 4 <= settings.login_attempts_per_minute  # this test's logins
    for _ in range(2):
        assert (await _log_in(client, "nope-nope-nope")).status_code == 401
    assert (await _log_in(client, PASSWORD)).status_code == 201  # a login in time starts the count again
    assert await _throttle(db, "admin@test.cn") is None
    for _ in range(settings.login_failures_before_lock):
        assert (await _log_in(client, "nope-nope-nope")).status_code == 401
    locked = await _log_in(client, PASSWORD)  # even the right password, while locked
    assert (locked.status_code, locked.json()["errors"][0]["field"]) == (429, "password")
    assert "锁定" in locked.json()["detail"]
    throttle = await _throttle(db, "admin@test.cn")
    assert throttle.locked_until is not None
    admin = world.user("admin")
    trail = await db.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_id == str(admin.id)))
    actions = [action for action in trail if action.startswith("login")]
    assert actions == ["login_refused"] * (2 + settings.login_failures_before_lock) + ["login_locked"]

    throttle.locked_until = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)  # it runs out
    await db.commit()
    assert (await _log_in(client, PASSWORD)).status_code == 201
    assert await _throttle(db, "admin@test.cn") is None


async def test_an_address_without_an_account_locks_alike(app, client, db, world, settings):
    """The answers never tell whether an account has the address."""
    answers = {}
    for email in ("nobody@test.cn", "admin@test.cn"):
        await app.stores.get("rate_limit").delete_all()  # the per-client limit is another test's
        for _ in range(settings.login_failures_before_lock):
            assert (await _log_in(client, "nope-nope-nope", email)).status_code == 401
        locked = await _log_in(client, "nope-nope-nope", email.title())
        answers[email] = (locked.status_code, locked.json(), locked.headers["retry-after"])
    nobody, admin = answers["nobody@test.cn"], answers["admin@test.cn"]
    assert nobody[0] == admin[0] == 429
    assert nobody[1] == admin[1]  # the same words (the lock's minute aside, which both share here)
    assert abs(int(nobody[2]) - int(admin[2])) <= 2


async def test_the_login_page_says_the_account_is_locked(client, db, world, settings):
    await _lock(db, "admin@test.cn", 10)
    token = await csrf_token(client)
    shown = await client.post("/login", data={"email": "admin@test.cn", "password": PASSWORD, "_csrf_token": token})
    assert shown.status_code == 429
    assert 9 * 60 < int(shown.headers["retry-after"]) <= 10 * 60 + 1
    assert "锁定" in shown.text
    assert "incubator_session" not in shown.cookies


async def test_the_administrator_sees_a_locked_account_and_a_new_password_unlocks_it(client, db, world):
    bureau = world.user("bureau")
    await _lock(db, "bureau@test.cn", 10)
    admin = await bearer(db, world, "admin")
    listed = (await client.get("/api/users?q=bureau", headers=admin)).json()["items"]
    assert listed[0]["locked_until"] is not None
    await page_login(client, db, world.user("admin"))
    assert "锁定至" in (await client.get("/users?q=bureau")).text
    assert "锁定至" in (await client.get(f"/users/{bureau.id}/edit")).text

    changed = await client.patch(f"/api/users/{bureau.id}", json={"password": "a-new-long-password"}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["locked_until"] is None
    token = await client.post("/api/auth/token", json={"email": "bureau@test.cn", "password": "a-new-long-password"})
    assert token.status_code == 201


async def test_wrong_passwords_sent_at_once_each_count(app, db, world, settings):
    attempts = settings.login_failures_before_lock + 3
    async with concurrent_client(app) as racing:
        responses = await asyncio.gather(
            *(
                racing.post("/api/auth/token", json={"email": "admin@test.cn", "password": f"nope-nope-{n}"})
                for n in range(attempts)
            )
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [401] * settings.login_failures_before_lock + [429] * 3
    locked = next(r for r in responses if r.status_code == 429)
    assert 0 < int(locked.headers["retry-after"]) <= settings.login_lock_minutes * 60 + 1
    assert (await _throttle(db, "admin@test.cn")).locked_until is not None


async def test_a_disabled_accounts_right_password_counts_as_refused(client, db, world, settings):
    admin = world.user("admin")
    admin.is_active = False
    await db.commit()
    for _ in range(settings.login_failures_before_lock):
        assert (await _log_in(client, PASSWORD)).status_code == 401
    assert (await _log_in(client, PASSWORD)).status_code == 429  # the count tells nothing about the password


async def test_addresses_untried_for_a_day_are_cleared_unless_locked(client, db, world):
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)
    db.add(LoginThrottle(email="old@test.cn", attempts=3, updated_at=long_ago))
    db.add(
        LoginThrottle(
            email="held@test.cn",
            updated_at=long_ago,
            locked_until=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
        )
    )
    await db.commit()
    await _log_in(client, "nope-nope-nope")
    assert await _throttle(db, "old@test.cn") is None
    assert await _throttle(db, "held@test.cn") is not None


async def test_tries_while_locked_do_not_count_towards_the_next_lock(client, db, world, settings):
    await _lock(db, "admin@test.cn", 10)
    for _ in range(settings.login_failures_before_lock + 1):
        assert (await _log_in(client, PASSWORD)).status_code == 429
    throttle = await _throttle(db, "admin@test.cn")
    assert throttle.attempts == 0
    throttle.locked_until = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    await db.commit()
    assert (await _log_in(client, PASSWORD)).status_code == 201  # not locked again by the tries meanwhile


async def test_a_login_does_not_lift_a_lock_set_meanwhile(client, db, world, settings):
    """A login counted before parallel wrong passwords locked the address leaves the lock standing."""
    tokens = TokenService(db, lock_after=settings.login_failures_before_lock)
    await tokens._count_attempt("admin@test.cn")  # the login's own attempt, counted first
    locked = await tokens._lock("admin@test.cn", None)  # then the others lock the address
    await unlock(db, "admin@test.cn", only_unlocked=True)  # what the login does once its password checks out
    assert (await _throttle(db, "admin@test.cn")).locked_until == locked


async def test_an_administrators_new_password_unlock_is_audited(client, db, world):
    bureau = world.user("bureau")
    await _lock(db, "bureau@test.cn", 10)
    admin = await bearer(db, world, "admin")
    await client.patch(f"/api/users/{bureau.id}", json={"password": "a-new-long-password"}, headers=admin)
    trail = await db.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_id == str(bureau.id)))
    assert "login_unlocked" in list(trail)
