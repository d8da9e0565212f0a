"""The operator's training pages: the list, the form, a training's enrolment and roll call, trainees."""

import datetime

import sqlalchemy as sa

from incubator.clock import today
from incubator.trainings.models import Enrolment, Trainee, Trainer, Training
from tests.conftest import csrf_token, make_enrolment, make_incubatee, make_trainee, make_training, page_login


async def _form(client, **values):
    return {**values, "_csrf_token": await csrf_token(client)}


def _training_form(**values):
    return {
        "title": "2017年第三期网店创业培训班",
        "kind": "online_business",
        "starts_on": "2017-05-08",
        "ends_on": "2017-05-19",
        "hours": "80",
        "capacity": "2",
        "provider": "濮阳市职业培训中心",
        **values,
    }


async def test_operator_records_a_course_enrols_people_and_calls_the_roll(client, db, world):
    trainer = Trainer(name="刘讲师", specialties=["网店运营"])
    db.add(trainer)
    known = await make_trainee(db, world.park_a, "13900139000", "王芳")
    await page_login(client, db, world.user("operator_a"))
    base = f"/parks/{world.park_a.id}/trainings"
    empty = await client.get(base)
    assert 'class="empty"' in empty.text
    assert f"{base}/new" in empty.text

    new = await client.get(f"{base}/new")
    assert "刘讲师 · 网店运营" in new.text
    assert 'class="help"' in new.text
    backwards = await client.post(f"{base}/new", data=await _form(client, **_training_form(ends_on="2017-05-01")))
    assert backwards.status_code == 400
    assert 'id="ends_on-error"' in backwards.text
    negative = await client.post(f"{base}/new", data=await _form(client, **_training_form(hours="-2")))
    assert 'id="hours-error"' in negative.text
    assert await db.scalar(sa.select(sa.func.count()).select_from(Training)) == 0
    made = await client.post(
        f"{base}/new", data=await _form(client, **_training_form(trainer_id=str(trainer.id))), follow_redirects=False
    )
    assert made.status_code == 303
    detail_url = made.headers["location"]
    training_id = await db.scalar(sa.select(Training.id))
    assert detail_url == f"{base}/{training_id}"

    listed = await client.get(f"{base}?kind=online_business&year=2017")
    assert "2017年第三期网店创业培训班" in listed.text
    assert "0 / 2" in listed.text
    other_year = await client.get(f"{base}?year=2018", headers={"HX-Request": "true"})
    assert "<html" not in other_year.text
    assert 'class="empty"' in other_year.text

    detail = await client.get(detail_url)
    assert "0 / 2" in detail.text
    assert "刘讲师" in detail.text
    enrol_url = f"{detail_url}/enrolments"
    bad_phone = await client.post(
        enrol_url, data=await _form(client, name="张伟", phone="abc", target_group="returning_migrant_worker")
    )
    assert bad_phone.status_code == 400
    assert 'id="phone-error"' in bad_phone.text
    enrolled = await client.post(
        enrol_url,
        data=await _form(client, name="张伟", phone="138 0013 8000", target_group="returning_migrant_worker"),
        follow_redirects=False,
    )
    assert enrolled.status_code == 303
    found = await client.get(f"{detail_url}?trainee_q=王")
    assert "王芳 · 13900139000" in found.text
    by_search = await client.post(enrol_url, data=await _form(client, trainee_id=str(known.id)), follow_redirects=False)
    assert by_search.status_code == 303
    twice = await client.post(enrol_url, data=await _form(client, trainee_id=str(known.id)))
    assert twice.status_code == 400
    assert "王芳 已报名本期培训" in twice.text
    full_page = await client.get(detail_url)
    assert "2 / 2" in full_page.text
    assert "培训已满员" in full_page.text
    one_more = await client.post(
        enrol_url, data=await _form(client, name="赵强", phone="13700137000", target_group="veteran")
    )
    assert one_more.status_code == 400
    assert "计划人数 2 人已全部报满" in one_more.text
    assert await db.scalar(sa.select(sa.func.count()).select_from(Trainee)) == 2

    zhang = await db.scalar(
        sa.select(Enrolment.id).join(Trainee, Trainee.id == Enrolment.trainee_id).where(Trainee.name == "张伟")
    )
    wang = await db.scalar(sa.select(Enrolment.id).where(Enrolment.trainee_id == known.id))
    roll = await client.post(
        f"{detail_url}/roll", data=await _form(client, attended=[str(zhang)]), follow_redirects=False
    )
    assert roll.status_code == 303
    marks = dict((await db.execute(sa.select(Enrolment.id, Enrolment.attendance))).all())
    assert marks == {zhang: "attended", wang: "absent"}
    withdrawn = await client.post(
        f"{detail_url}/enrolments/{wang}/withdraw", data=await _form(client), follow_redirects=False
    )
    assert withdrawn.status_code == 303
    assert "1 / 2" in (await client.get(detail_url)).text


async def test_attendance_is_taken_only_once_the_training_has_started(client, db, world):
    soon = today() + datetime.timedelta(days=10)
    training = await make_training(db, world.park_a, starts_on=soon, ends_on=soon, title="返乡创业论坛", kind="forum")
    enrolment = await make_enrolment(db, training, await make_trainee(db, world.park_a, "13800138000"))
    await page_login(client, db, world.user("operator_a"))
    url = f"/parks/{world.park_a.id}/trainings/{training.id}"
    page = await client.get(url)
    assert 'name="attended"' not in page.text
    assert soon.isoformat() in page.text
    early = await client.post(f"{url}/roll", data=await _form(client, attended=[str(enrolment.id)]))
    assert early.status_code == 400
    assert 'class="banner-error"' in early.text
    assert await db.scalar(sa.select(Enrolment.attendance)) == "enrolled"


async def test_editing_keeps_a_retired_trainer_and_refuses_a_lower_capacity(client, db, world):
    retired = Trainer(name="退休讲师", active=False)
    db.add(retired)
    await db.flush()
    training = await make_training(db, world.park_a, trainer_id=retired.id, capacity=5)
    for phone in ("13000000001", "13000000002"):
        await make_enrolment(db, training, await make_trainee(db, world.park_a, phone))
    await page_login(client, db, world.user("operator_a"))
    url = f"/parks/{world.park_a.id}/trainings/{training.id}/edit"
    form = await client.get(url)
    assert "退休讲师" in form.text
    values = _training_form(
        title=training.title, trainer_id=str(retired.id), starts_on="2017-03-06", ends_on="2017-03-15"
    )
    lower = await client.post(url, data=await _form(client, **{**values, "capacity": "1"}))
    assert lower.status_code == 400
    assert 'id="capacity-error"' in lower.text
    kept = await client.post(url, data=await _form(client, **{**values, "capacity": "3"}), follow_redirects=False)
    assert kept.status_code == 303
    stored = await db.scalar(sa.select(Training).execution_options(populate_existing=True))
    assert (stored.trainer_id, stored.capacity) == (retired.id, 3)


async def test_operator_links_a_trainee_to_the_firm_they_registered(client, db, world):
    firm = await make_incubatee(db, world.park_a, "张伟网店", registered_on=datetime.date(2017, 9, 1))
    await db.commit()
    trainee = await make_trainee(db, world.park_a, "13800138000", "张伟")
    await make_trainee(db, world.park_a, "13900139000", "王芳")
    training = await make_training(db, world.park_a)
    await make_enrolment(db, training, trainee, attendance="attended")
    await page_login(client, db, world.user("operator_a"))
    base = f"/parks/{world.park_a.id}/trainees"
    listed = await client.get(base)
    assert "张伟" in listed.text
    assert "王芳" in listed.text
    searched = await client.get(f"{base}?q=139", headers={"HX-Request": "true"})
    assert "王芳" in searched.text
    assert "张伟" not in searched.text

    page = await client.get(f"{base}/{trainee.id}")
    assert "创业培训（SYB）第一期" in page.text
    assert "张伟网店" in page.text  # among the firms to link
    values = {"name": "张伟", "phone": "13800138000", "target_group": "returning_migrant_worker"}
    foreign = await client.post(
        f"{base}/{trainee.id}", data=await _form(client, **values, incubatee_id=str(world.incubatee_b.id))
    )
    assert foreign.status_code == 400
    assert 'id="incubatee_id-error"' in foreign.text
    linked = await client.post(
        f"{base}/{trainee.id}", data=await _form(client, **values, incubatee_id=str(firm.id)), follow_redirects=False
    )
    assert linked.status_code == 303
    assert await db.scalar(sa.select(Trainee.incubatee_id).where(Trainee.id == trainee.id)) == firm.id
    with_firm = await client.get(f"{base}?linked=true")
    assert "张伟网店" in with_firm.text
    assert "王芳" not in with_firm.text


async def test_the_bureau_reads_training_pages_without_forms(client, db, world):
    training = await make_training(db, world.park_a)
    await page_login(client, db, world.user("bureau"))
    listed = await client.get(f"/parks/{world.park_a.id}/trainings")
    assert listed.status_code == 200
    assert "/trainings/new" not in listed.text
    detail = await client.get(f"/parks/{world.park_a.id}/trainings/{training.id}")
    assert "/enrolments" not in detail.text
    assert 'class="empty"' in detail.text
    assert (await client.get(f"/parks/{world.park_a.id}/trainings/new")).status_code == 403
    home = await client.get(f"/parks/{world.park_a.id}")
    assert f"/parks/{world.park_a.id}/trainings" in home.text
