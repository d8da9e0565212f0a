from litestar.testing import AsyncTestClient

from incubator.app import create_app
from tests.db import ON_POSTGRES, settings_for


async def test_health_is_ok_when_the_database_answers(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_health_is_503_when_the_database_does_not(tmp_path):
    url = (
        "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"
        if ON_POSTGRES
        else f"sqlite+aiosqlite:///{tmp_path}/missing-folder/db.sqlite"
    )
    async with AsyncTestClient(app=create_app(settings_for(url))) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
