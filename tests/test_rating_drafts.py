"""Drafts of a rating period: every park scored from its own data, frozen with what it used."""

import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from incubator.errors import Conflict
from incubator.ratings.models import Rating, RatingStatus
from incubator.ratings.rubric import packaged_rubric
from incubator.ratings.scoring import score
from incubator.ratings.services import RatingRounds
from tests.conftest import make_incubatee, make_park


async def test_every_park_gets_a_draft_that_keeps_what_it_used(db, world):
    rounds = RatingRounds(db)
    rating_round = await rounds.open_round(2017)
    drafts = await rounds.compute_drafts_across_parks(rating_round)
    await db.commit()
    assert {d.park_id for d in drafts} == {world.park_a.id, world.park_b.id}
    draft = next(d for d in drafts if d.park_id == world.park_a.id)
    assert (draft.status, draft.revision, draft.rubric_version) == (RatingStatus.DRAFT, 1, "puyang-2017")
    assert draft.metrics["active_incubatees"]["value"] == "1"  # decimals kept exact, as text
    stored = {key: None if v["value"] is None else Decimal(str(v["value"])) for key, v in draft.metrics.items()}
    again = score(packaged_rubric(draft.rubric_version), stored)
    assert again.total == draft.total == Decimal(str(draft.breakdown["total"]))
    assert draft.stars == 0  # one firm with no reports: a fail
    assert draft.exit_decision == "rectify"


async def test_a_submitted_rating_is_not_recomputed(db, world):
    rounds = RatingRounds(db)
    rating_round = await rounds.open_round(2017)
    await rounds.compute_drafts_across_parks(rating_round)
    await db.commit()
    submitted = await db.scalar(sa.select(Rating).where(Rating.park_id == world.park_a.id))
    submitted.status = RatingStatus.SUBMITTED
    await db.commit()
    version = submitted.lock_version
    await make_incubatee(db, world.park_a, "新企业")
    await db.commit()
    drafts = await rounds.compute_drafts_across_parks(rating_round)
    await db.commit()
    assert [d.park_id for d in drafts] == [world.park_b.id]
    await db.refresh(submitted)
    assert submitted.lock_version == version


async def test_a_period_opens_once(db, world):
    rounds = RatingRounds(db)
    await rounds.open_round(2017)
    with pytest.raises(Conflict):
        await rounds.open_round(2017)


@pytest.mark.parametrize("extra_parks", [0, 4])
async def test_computing_the_drafts_takes_the_same_statements_for_any_number_of_parks(db, world, extra_parks):
    for n in range(extra_parks):
        park = await make_park(db, f"EXTRA-{n}", f"园区{n}", district="范县")
        await make_incubatee(db, park, f"企业{n}")
    await db.commit()
    rounds = RatingRounds(db)
    rating_round = await rounds.open_round(2017)
    await db.flush()
    drafts, statements = await _counting_statements(db, rounds.compute_drafts_across_parks(rating_round))
    assert len(drafts) == 2 + extra_parks
    assert len(statements) == 11, statements  # 6 for the metrics, parks, ratings so far, history, the inserts
    # computed again on the same data, read back from the database: no draft is written since none moved
    ids = [d.id for d in drafts]
    db.expire_all()
    await db.refresh(rating_round)
    again, statements = await _counting_statements(db, rounds.compute_drafts_across_parks(rating_round))
    assert [d.id for d in again] == ids
    assert not [s for s in statements if not s.lstrip().upper().startswith("SELECT")], statements


async def _counting_statements(db, work):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = db.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        result = await work
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return result, statements


async def test_a_park_recognised_in_the_period_is_provisional(db, world):
    import datetime

    new = await make_park(db, "NEW-01", "新认定园区", district="台前县", recognised_on=datetime.date(2017, 5, 1))
    await make_incubatee(db, new, "新园企业")
    await db.commit()
    rounds = RatingRounds(db)
    drafts = await rounds.compute_drafts_across_parks(await rounds.open_round(2017), {new.id})
    [draft] = drafts
    assert (draft.exit_decision, draft.stars) == ("provisional", 0)


async def _published_fail_of_2016(db, park) -> None:
    from incubator.ratings.models import RatingRound

    earlier = await db.scalar(sa.select(RatingRound).where(RatingRound.label == "2016"))
    if earlier is None:
        earlier = RatingRound(
            label="2016",
            starts_on=datetime.date(2016, 1, 1),
            ends_on=datetime.date(2016, 12, 31),
            rubric_version="puyang-2017",
        )
        db.add(earlier)
        await db.flush()
    db.add(
        Rating(
            park_id=park.id,
            round_id=earlier.id,
            rubric_version="puyang-2017",
            status=RatingStatus.PUBLISHED,
            metrics={},
            breakdown={"stars": 0},
            total=Decimal(40),
            stars=0,
            failed=True,
            funding=Decimal(0),
        )
    )
    await db.commit()


async def test_a_second_failing_year_in_a_row_revokes(db, world):
    await _published_fail_of_2016(db, world.park_a)
    rounds = RatingRounds(db)
    drafts = await rounds.compute_drafts_across_parks(await rounds.open_round(2017))
    decisions = {d.park_id: d.exit_decision for d in drafts}
    assert decisions == {world.park_a.id: "revoke", world.park_b.id: "rectify"}  # park B fails its first rated year


async def test_a_fail_in_the_provisional_year_does_not_count_towards_revoking(db, world):
    """Recognised in mid-2016, the park's 2016 rating was its provisional one: failing 2017, its first rated
    year, asks for a corrective plan; it is not a second fail."""
    late = await make_park(db, "LATE-01", "年中认定园区", district="范县", recognised_on=datetime.date(2016, 7, 1))
    await make_incubatee(db, late, "年中企业")
    await _published_fail_of_2016(db, late)
    rounds = RatingRounds(db)
    [draft] = await rounds.compute_drafts_across_parks(await rounds.open_round(2017), {late.id})
    assert (draft.failed, draft.exit_decision) == (True, "rectify")
