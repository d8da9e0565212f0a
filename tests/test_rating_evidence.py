"""Evidence files of a rating: the park attaches them while the rating is a draft or returned, the bureau and
the park download them. The kind of a file is told by its content; every refusal writes nothing."""

import hashlib
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.ratings.evidence import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES
from incubator.ratings.models import Rating, RatingEvidence, RatingStatus
from tests.conftest import bearer, csrf_token, page_login
from tests.rating_data import EXE, JPEG, PDF, PNG, make_draft, office_file, plain_zip, rating_url

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _count(db) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(RatingEvidence))


async def _upload(client, db, world, rating_id, name: str, content: bytes, declared: str = "application/pdf", **form):
    return await client.post(
        rating_url(world, rating_id, "/evidence"),
        files={"file": (name, content, declared)},
        data=form,
        headers=await bearer(db, world, "operator_a"),
    )


def _stored(rating: Rating, count: int) -> list[RatingEvidence]:
    return [
        RatingEvidence(
            park_id=rating.park_id,
            rating_id=rating.id,
            file_name=f"证明{n}.pdf",
            content_type="application/pdf",
            size_bytes=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
            content=PDF,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("场地租赁合同.pdf", PDF, "application/pdf"),
        ("孵化场地照片.png", PNG, "image/png"),
        ("挂牌照片.jpg", JPEG, "image/jpeg"),
        ("培训签到表.docx", office_file("docx"), DOCX_MIME),
        ("就业人数统计.xlsx", office_file("xlsx"), XLSX_MIME),
    ],
)
async def test_the_park_attaches_each_accepted_kind(client, db, world, name, content, mime):
    rating = await make_draft(db, world)
    response = await _upload(client, db, world, rating.id, name, content, "application/octet-stream")
    assert response.status_code == 201, response.text
    added = response.json()
    assert (added["file_name"], added["content_type"], added["size_bytes"]) == (name, mime, len(content))
    assert added["sha256"] == hashlib.sha256(content).hexdigest()
    listed = await client.get(rating_url(world, rating.id, "/evidence"), headers=await bearer(db, world, "bureau"))
    assert [e["id"] for e in listed.json()] == [added["id"]]
    assert "content" not in listed.json()[0]


async def test_the_bureau_downloads_with_the_chinese_name_intact(client, db, world):
    rating = await make_draft(db, world)
    name = '濮阳市创业孵化园 2017 年度"佐证"材料.pdf'
    added = (await _upload(client, db, world, rating.id, name, PDF, metric="survival_rate")).json()
    assert added["metric"] == "survival_rate"
    response = await client.get(
        rating_url(world, rating.id, f"/evidence/{added['id']}"), headers=await bearer(db, world, "bureau")
    )
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"].startswith("application/pdf")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == name
    assert disposition.encode("latin-1").isascii()  # the header itself stays plain ASCII


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("空文件.pdf", b"", "application/pdf"),
        ("setup.pdf", EXE, "application/pdf"),  # a program renamed
        ("说明.pdf", "这是一个文本文件，不是 PDF。".encode(), "application/pdf"),
        ("表格.xlsx", plain_zip(), XLSX_MIME),  # a zip, but no Office package
        ("文档.docx", office_file("docx", declared=False), DOCX_MIME),  # parts, but no [Content_Types].xml
        ("动图.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
    ],
)
async def test_a_file_of_another_kind_is_refused_and_nothing_written(client, db, world, name, content, declared):
    rating = await make_draft(db, world)
    response = await _upload(client, db, world, rating.id, name, content, declared)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "file"
    assert await _count(db) == 0


async def test_a_file_over_the_limit_is_refused_and_nothing_written(client, db, world):
    rating = await make_draft(db, world)
    just_over = PDF + b"\x00" * (MAX_EVIDENCE_BYTES + 1 - len(PDF))
    response = await _upload(client, db, world, rating.id, "大文件.pdf", just_over)
    assert response.status_code == 413, response.text
    assert response.json()["errors"][0]["field"] == "file"
    far_over = PDF + b"\x00" * (MAX_EVIDENCE_BYTES + 512 * 1024)  # past the route's body limit: never read whole
    response = await _upload(client, db, world, rating.id, "更大.pdf", far_over)
    assert response.status_code == 413, response.text
    assert response.json()["errors"][0]["field"] == "file"
    assert await _count(db) == 0


async def test_a_rating_takes_at_most_twenty_files(client, db, world):
    rating = await make_draft(db, world)
    db.add_all(_stored(rating, MAX_EVIDENCE_FILES))
    await db.commit()
    response = await _upload(client, db, world, rating.id, "第21份.pdf", PDF)
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["field"] == "file"
    assert await _count(db) == MAX_EVIDENCE_FILES


async def test_an_unknown_metric_is_refused(client, db, world):
    rating = await make_draft(db, world)
    response = await _upload(client, db, world, rating.id, "佐证.pdf", PDF, metric="happiness")
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "metric"
    assert await _count(db) == 0


async def test_evidence_is_fixed_once_the_rating_is_submitted(client, db, world):
    rating = await make_draft(db, world)
    [kept] = _stored(rating, 1)
    db.add(kept)
    rating.status = RatingStatus.SUBMITTED
    await db.commit()
    response = await _upload(client, db, world, rating.id, "迟到的.pdf", PDF)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "status"
    removal = await client.delete(
        rating_url(world, rating.id, f"/evidence/{kept.id}"), headers=await bearer(db, world, "operator_a")
    )
    assert removal.status_code == 409
    assert await _count(db) == 1


async def test_the_park_removes_its_evidence_while_the_rating_is_a_draft(client, db, world):
    rating = await make_draft(db, world)
    added = (await _upload(client, db, world, rating.id, "错传的.pdf", PDF)).json()
    url = rating_url(world, rating.id, f"/evidence/{added['id']}")
    headers = await bearer(db, world, "operator_a")
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert (await client.get(url, headers=headers)).status_code == 404
    assert await _count(db) == 0


async def test_another_parks_rating_or_evidence_is_not_found(client, db, world):
    rating = await make_draft(db, world)
    theirs = await db.scalar(sa.select(Rating).where(Rating.park_id == world.park_b.id))
    [foreign] = _stored(theirs, 1)
    db.add(foreign)
    await db.commit()
    headers = await bearer(db, world, "operator_a")
    foreign_url = rating_url(world, rating.id, f"/evidence/{foreign.id}")
    assert (await client.get(foreign_url, headers=headers)).status_code == 404
    assert (await client.delete(foreign_url, headers=headers)).status_code == 404
    assert (await client.get(rating_url(world, theirs.id, "/evidence"), headers=headers)).status_code == 404
    assert (await _upload(client, db, world, theirs.id, "佐证.pdf", PDF)).status_code == 404
    assert await _count(db) == 1


async def test_an_upload_is_in_the_audit_trail_without_its_bytes(client, db, world):
    rating = await make_draft(db, world)
    added = (await _upload(client, db, world, rating.id, "佐证.pdf", PDF)).json()
    [entry] = await db.scalars(sa.select(AuditEntry).where(AuditEntry.entity_id == added["id"]))
    assert (entry.action, entry.entity_type, entry.park_id) == ("create", "rating_evidence", world.park_a.id)
    assert entry.changes["file_name"]["after"] == "佐证.pdf"
    assert entry.changes["content"] == {"before": None, "after": "changed"}


async def test_evidence_on_the_rating_page(client, db, world):
    rating = await make_draft(db, world)
    await page_login(client, db, world.user("operator_a"))
    token = await csrf_token(client)
    page = f"/parks/{world.park_a.id}/ratings/{rating.id}"
    shown = (await client.get(page)).text
    assert 'enctype="multipart/form-data"' in shown
    assert "10 MB" in shown
    assert "20" in shown
    wrong = await client.post(
        page + "/evidence",
        data={"metric": "", "_csrf_token": token},
        files={"file": ("照片.jpg", b"plain text", "image/jpeg")},
    )
    assert wrong.status_code == 400
    assert "PDF" in wrong.text  # the message names what is accepted
    huge = await client.post(
        page + "/evidence",
        data={"_csrf_token": token},
        files={"file": ("扫描件.pdf", PDF + b"\x00" * (MAX_EVIDENCE_BYTES + 512 * 1024), "application/pdf")},
    )
    assert huge.status_code == 413
    assert "10 MB" in huge.text
    assert await _count(db) == 0
    sent = await client.post(
        page + "/evidence",
        data={"metric": "jobs_per_incubatee", "_csrf_token": token},
        files={"file": ("社保缴费清单.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert (sent.status_code, sent.headers["location"]) == (303, page)
    [evidence] = await db.scalars(sa.select(RatingEvidence))
    shown = (await client.get(page)).text
    assert "社保缴费清单.pdf" in shown
    download = await client.get(f"{page}/evidence/{evidence.id}")
    assert download.content == PDF
    removed = await client.post(
        f"{page}/evidence/{evidence.id}/delete", data={"_csrf_token": token}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert await _count(db) == 0
