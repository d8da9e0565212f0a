"""Scoring is pure: numbers in, numbers out, no database. Expected values are hand arithmetic on DESIGN.md §6."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incubator.ratings.rubric import Indicator, Rubric, load_rubric, packaged_rubric
from incubator.ratings.scoring import (
    DimensionScore,
    ExitDecision,
    FloorCheck,
    FundingDue,
    Improvement,
    PeriodOutcome,
    exit_decision,
    exit_decisions,
    funding_due,
    indicator_points,
    score,
    what_if,
)

PUYANG = packaged_rubric("puyang-2017")
D = Decimal


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), ROUND_HALF_UP)


# A small rubric of two indicators, one where lower is better, so totals and band edges are easy to hit:
# total = outcome_points + 2 × (10 − incidents). Funding, exit and incubatee rules are puyang's.
TINY = load_rubric(
    """
version = "test-1"
title_zh = "测试标准"
title_en = "Test rubric"
effective_from = 2020-01-01

[[dimensions]]
key = "outcomes"
name_zh = "成效"
name_en = "Outcomes"
weight = 80

[[dimensions.indicators]]
key = "outcome_points"
name_zh = "成效分"
name_en = "Outcome points"
unit = "%"
points = 80
floor = 0
full = 80

[[dimensions]]
key = "safety"
name_zh = "安全"
name_en = "Safety"
weight = 20

[[dimensions.indicators]]
key = "incidents"
name_zh = "安全事故数"
name_en = "Safety incidents"
unit = "count"
points = 20
floor = 10
full = 0
direction = "lower"

[[floor_metrics]]
key = "staff"
name_zh = "工作人员数"
name_en = "Staff"
unit = "count"

[[vetoes]]
key = "falsified_data"
name_zh = "弄虚作假"
name_en = "Falsified data"

[[stars]]
stars = 1
min_score = 60

[[stars]]
stars = 2
min_score = 70

[[stars]]
stars = 3
min_score = 78
floors = { staff = 5, incidents = 2 }

[[stars]]
stars = 4
min_score = 85

[[stars]]
stars = 5
min_score = 92
floors = { staff = 20 }

"""
    + "[funding]"
    + (files("incubator.ratings") / "rubrics" / "puyang-2017.toml")
    .read_text(encoding="utf-8")
    .partition("[funding]")[2]
)


def tiny(outcome_points: str | int, incidents: str | int, staff: int = 10) -> dict[str, Decimal | None]:
    return {"outcome_points": D(outcome_points), "incidents": D(incidents), "staff": D(staff)}


# The worked example: one park's year under puyang-2017.
WORKED = {
    "survival_rate": D(87),
    "incubation_success_rate": D(58),
    "jobs_per_incubatee": D(5),
    "growth_share": D(30),
    "utilisation_rate": D(87),
    "active_incubatees": D(44),
    "free_area_share": D(40),
    "mentors_per_10_incubatees": D("1.5"),
    "sessions_per_incubatee": D(6),
    "tech_services_per_incubatee": D("0.5"),
    "training_success_rate": D(45),
    "trainings_count": D(30),
    "policy_take_up_rate": D(80),
    "satisfaction_rate": D(92),
    "reports_on_time_rate": D(100),
    "on_time_exit_rate": D(92),
    "non_rent_income_share": D(26),
    "jobs_total": D(220),
}
WORKED_POINTS = {
    "survival_rate": D(10) * (87 - 60) / (90 - 60),  # 9
    "incubation_success_rate": D(8) * (58 - 50) / (60 - 50),  # 6.4
    "jobs_per_incubatee": D(10),  # 5 is full
    "growth_share": D(7),  # 30 is full
    "utilisation_rate": D(6) * (87 - 60) / (90 - 60),  # 5.4
    "active_incubatees": D(5) * (44 - 20) / (50 - 20),  # 4
    "free_area_share": D(4),  # 40 is above full (30): clamped
    "mentors_per_10_incubatees": D(5) * (D("1.5") - D("0.5")) / (2 - D("0.5")),  # 3.333… → 3.33
    "sessions_per_incubatee": D(5),  # 6 is full
    "tech_services_per_incubatee": D(0),  # 0.5 is below floor (1): clamped
    "training_success_rate": D(6) * (45 - 20) / (50 - 20),  # 5
    "trainings_count": D(4),  # 30 is above full (24)
    "policy_take_up_rate": D(5),  # 80 is full
    "satisfaction_rate": D(5) * (92 - 80) / (95 - 80),  # 4
    "reports_on_time_rate": D(5),  # 100 is full
    "on_time_exit_rate": D(5) * (92 - 80) / (95 - 80),  # 4
    "non_rent_income_share": D(5) * (26 - 10) / (30 - 10),  # 4
}
WORKED_SUBTOTALS = {
    "incubation_function": D("32.40"),  # 9 + 6.4 + 10 + 7
    "facilities": D("13.40"),  # 5.4 + 4 + 4
    "technical_support": D("8.33"),  # 3.33 + 5 + 0
    "service_quality": D("18.00"),  # 5 + 4 + 5 + 4
    "scientific_management": D("13.00"),  # 5 + 4 + 4
}
WORKED_TOTAL = D("85.13")  # 32.40 + 13.40 + 8.33 + 18.00 + 13.00

PERFECT = {i.key: i.full for _, i in PUYANG.indicators()} | {"jobs_total": D(300)}


def points_of(dimensions: tuple[DimensionScore, ...]) -> dict[str, Decimal]:
    return {i.metric: i.points for d in dimensions for i in d.indicators}


def test_worked_example_points_subtotals_total_stars_and_funding() -> None:
    result = score(PUYANG, WORKED, eligible_incubatees=12)
    assert points_of(result.dimensions) == {metric: cents(points) for metric, points in WORKED_POINTS.items()}
    assert {d.key: d.points for d in result.dimensions} == WORKED_SUBTOTALS
    assert {d.key: d.max_points for d in result.dimensions} == {
        "incubation_function": 35,
        "facilities": 15,
        "technical_support": 15,
        "service_quality": 20,
        "scientific_management": 15,
    }
    assert result.total == WORKED_TOTAL
    # 85.13 reaches the 4-star band (85), but incubation success 58% is below its floor (60%): 3 stars.
    assert result.score_stars == 4
    assert result.stars == 3
    assert not result.failed
    assert result.unmet_floors == (FloorCheck(4, "incubation_success_rate", D(60), D(58)),)
    assert result.missing == ()
    # 3 stars: 200,000 for the park, and 10,000 for each of 12 eligible incubatees.
    assert result.funding == FundingDue(D(200_000), 12, D(12 * 10_000), D(0), D(200_000 + 120_000))


def test_worked_example_keeps_every_intermediate() -> None:
    mentors = next(
        i for d in score(PUYANG, WORKED).dimensions for i in d.indicators if i.metric == "mentors_per_10_incubatees"
    )
    assert (mentors.value, mentors.floor, mentors.full) == (D("1.5"), D("0.5"), D(2))
    assert (mentors.points, mentors.max_points, mentors.missing) == (D("3.33"), D(5), False)
    assert score(PUYANG, WORKED).rubric_version == "puyang-2017"


def test_worked_example_with_success_at_its_floor_gets_four_stars() -> None:
    result = score(PUYANG, WORKED | {"incubation_success_rate": D(60)})
    assert result.total == WORKED_TOTAL - D("6.4") + 8
    assert (result.score_stars, result.stars, result.unmet_floors) == (4, 4, ())
    assert result.funding.total == 300_000


def test_values_at_floor_score_nothing_and_at_full_score_everything() -> None:
    at_floor = score(PUYANG, {i.key: i.floor for _, i in PUYANG.indicators()})
    assert set(points_of(at_floor.dimensions).values()) == {0}
    assert at_floor.total == 0
    assert (at_floor.stars, at_floor.failed) == (0, True)
    at_full = score(PUYANG, PERFECT, eligible_incubatees=40)
    assert points_of(at_full.dimensions) == {i.key: i.points for _, i in PUYANG.indicators()}
    assert at_full.total == 100
    assert (at_full.stars, at_full.failed) == (5, False)
    assert at_full.funding.total == 500_000 + 40 * 10_000


@pytest.mark.parametrize(
    ("survival", "total", "stars"),
    [
        ("66", "92.00", 5),  # 90 + 10 × (66 − 60) / 30 = 92: the 5-star edge
        ("65.97", "91.99", 4),  # 90 + 10 × 5.97 / 30 = 91.99
    ],
)
def test_puyang_five_star_edge(survival: str, total: str, stars: int) -> None:
    result = score(PUYANG, PERFECT | {"survival_rate": D(survival)})
    assert (result.total, result.stars) == (D(total), stars)


@pytest.mark.parametrize(
    ("metrics", "total", "stars"),
    [
        (tiny("39.99", 0), "59.99", 0),
        (tiny(40, 0), "60", 1),
        (tiny("49.99", 0), "69.99", 1),
        (tiny(50, 0), "70", 2),
        (tiny("57.99", 0), "77.99", 2),
        (tiny(58, 0), "78", 3),
        (tiny(65, 0), "85", 4),
        (tiny(72, 0, staff=20), "92", 5),
        (tiny(72, 0, staff=19), "92", 4),  # the 5-star floor (staff ≥ 20) holds it at 4
        (tiny(72, 0, staff=4), "92", 4),  # the 3- and 5-star floors fail; 4 stars has none
        (tiny(62, 2), "78", 3),  # incidents at most 2: 2 holds; 62 + 2 × (10 − 2) = 78
        (tiny(63, "2.5"), "78", 2),  # 2.5 incidents break the 3-star floor
        (tiny(58, 0, staff=4), "78", 2),
    ],
)
def test_band_edges_and_floors(metrics: Mapping[str, Decimal | None], total: str, stars: int) -> None:
    result = score(TINY, metrics)
    assert result.total == D(total)
    assert result.stars == stars
    assert result.failed == (stars == 0)


def test_floors_name_what_holds_a_park_down() -> None:
    result = score(TINY, tiny(72, 0, staff=4))
    assert result.score_stars == 5
    # The 3-star floor fails too, but 4 stars (no floors) are above it: only the 5-star floor holds the park down.
    assert result.stars == 4
    assert result.unmet_floors == (FloorCheck(5, "staff", D(20), D(4)),)


def test_floors_fail_on_a_missing_floor_metric() -> None:
    result = score(PUYANG, PERFECT | {"jobs_total": None})
    assert (result.total, result.stars) == (100, 4)
    assert result.unmet_floors == (FloorCheck(5, "jobs_total", D(300), None),)


@pytest.mark.parametrize(
    ("incidents", "points"),
    [
        ("0", D(20)),  # full
        ("10", D(0)),  # floor
        ("4", D(20) * (4 - 10) / (0 - 10)),  # 12
        ("15", D(0)),  # worse than the floor: clamped
        ("-1", D(20)),  # better than full: clamped
    ],
)
def test_lower_is_better(incidents: str, points: Decimal) -> None:
    indicator = TINY.dimensions[1].indicators[0]
    assert indicator_points(indicator, D(incidents)) == points


@pytest.mark.parametrize("veto", ["falsified_data", "serious_safety_incident", "no_submission"])
def test_each_veto_fails_the_rating_whatever_the_score(veto: str) -> None:
    result = score(PUYANG, PERFECT, vetoes=[veto], eligible_incubatees=40, demonstration_point=True,
                   first_recognition=True)  # fmt: skip
    assert result.total == 100
    assert result.score_stars == 5
    assert (result.stars, result.failed, result.vetoes) == (0, True, (veto,))
    assert result.funding.total == 0


def test_an_unknown_veto_is_refused() -> None:
    with pytest.raises(ValueError, match="fire"):
        score(PUYANG, PERFECT, vetoes=["fire"])


def test_missing_data_scores_nothing_and_is_flagged() -> None:
    metrics = dict(WORKED)
    metrics["survival_rate"] = None
    del metrics["growth_share"]
    result = score(PUYANG, metrics)
    assert result.missing == ("survival_rate", "growth_share")
    survival = result.dimensions[0].indicators[0]
    assert (survival.value, survival.points, survival.missing) == (None, 0, True)
    assert result.dimensions[0].points == D("16.40")  # 0 + 6.4 + 10 + 0
    assert result.total == WORKED_TOTAL - 9 - 7
    assert result.stars == 1


def test_funding_for_demonstration_points_and_failed_parks() -> None:
    first = score(PUYANG, PERFECT, demonstration_point=True, first_recognition=True)
    assert first.funding == FundingDue(D(500_000), 0, D(0), D(100_000), D(600_000))
    again = score(PUYANG, PERFECT, demonstration_point=True, first_recognition=False)
    assert again.funding.demonstration_grant == 0
    park = score(PUYANG, PERFECT, demonstration_point=False, first_recognition=True)
    assert park.funding.demonstration_grant == 0
    failed = score(PUYANG, {}, eligible_incubatees=5, demonstration_point=True, first_recognition=True)
    assert failed.funding == FundingDue(D(0), 5, D(0), D(0), D(0))
    assert funding_due(PUYANG, 1, eligible_incubatees=3).total == 0 + 3 * 10_000
    with pytest.raises(ValueError, match="eligible"):
        funding_due(PUYANG, 3, eligible_incubatees=-1)


# Exit decisions over consecutive periods, oldest first.

RULES = PUYANG.exit_rules


def outcome(period: str, stars: int, *, failed: bool = False, submitted: bool = True) -> PeriodOutcome:
    return PeriodOutcome(period, stars, failed=failed, submitted=submitted)


def test_exit_provisional_then_continue_then_downgrade_by_one_star_at_most() -> None:
    history = [outcome("2015", 3), outcome("2016", 4), outcome("2017", 2)]
    assert exit_decisions(RULES, history) == [
        ExitDecision("2015", "provisional", "first_period", 3, 0),
        ExitDecision("2016", "continue", "rated", 4, 4),
        ExitDecision("2017", "downgrade", "stars_fell", 2, 3),  # scored 2, but one star at most: 4 − 1
    ]
    assert exit_decision(RULES, [*history[:2], outcome("2017", 3)]) == ExitDecision(
        "2017", "downgrade", "stars_fell", 3, 3
    )


def test_exit_fail_rectify_then_revoke_on_the_second_consecutive_fail() -> None:
    history = [outcome("2015", 3), outcome("2016", 0, failed=True), outcome("2017", 0, failed=True)]
    assert exit_decisions(RULES, history) == [
        ExitDecision("2015", "provisional", "first_period", 3, 0),
        ExitDecision("2016", "rectify", "failed", 0, 0, plan_within_months=6),
        ExitDecision("2017", "revoke", "failed_again", 0, 0, no_application_years=3),
    ]


def test_exit_fails_apart_rectify_each_time() -> None:
    history = [outcome("2015", 2), outcome("2016", 0), outcome("2017", 2), outcome("2018", 4, failed=True)]
    assert [d.kind for d in exit_decisions(RULES, history)] == ["provisional", "rectify", "continue", "rectify"]


def test_exit_no_submission_revokes() -> None:
    history = [outcome("2015", 3), outcome("2016", 4), outcome("2017", 0, failed=True, submitted=False)]
    assert exit_decision(RULES, history) == ExitDecision(
        "2017", "revoke", "no_submission", 0, 0, no_application_years=3
    )


def test_exit_a_fail_in_the_provisional_year_does_not_count() -> None:
    history = [outcome("2015", 0, failed=True), outcome("2016", 0, failed=True), outcome("2017", 1)]
    assert [d.kind for d in exit_decisions(RULES, history)] == ["provisional", "rectify", "continue"]


def test_exit_after_a_revocation_the_park_starts_again() -> None:
    history = [outcome("2014", 3), outcome("2015", 0), outcome("2016", 0), outcome("2017", 4), outcome("2018", 2)]
    assert [d.kind for d in exit_decisions(RULES, history)] == [
        "provisional",
        "rectify",
        "revoke",
        "provisional",
        "continue",
    ]


def test_exit_decision_needs_a_history() -> None:
    with pytest.raises(ValueError, match="empty"):
        exit_decision(RULES, [])


# What-if: the smallest change of one value that reaches the next band.


def by_metric(improvements: list[Improvement]) -> dict[str, Improvement]:
    return {i.metric: i for i in improvements}


def test_what_if_a_floor_holding_the_park_down_is_the_only_way_up() -> None:
    found = by_metric(what_if(PUYANG, WORKED))
    assert {i.next_stars for i in found.values()} == {4}
    assert {m: (i.target, i.change) for m, i in found.items() if i.target is not None} == {
        "incubation_success_rate": (D(60), D(2)),
    }
    assert found["incubation_success_rate"].points_per_unit == D(8) / (60 - 50)
    assert found["survival_rate"].points_per_unit == D("0.3333")  # 10 / (90 − 60), to 4 places
    assert found["tech_services_per_incubatee"].points_per_unit == 0  # below the floor
    assert found["free_area_share"].points_per_unit == 0  # beyond full
    assert found["sessions_per_incubatee"].points_per_unit == 0  # at full


def test_what_if_points_and_lower_is_better() -> None:
    # 55 + 2 × (10 − 5) = 65: one star; two stars need 70.
    found = by_metric(what_if(TINY, tiny(55, 5)))
    outcome_points, incidents = found["outcome_points"], found["incidents"]
    assert (outcome_points.next_stars, outcome_points.target, outcome_points.change) == (2, D(60), D(5))
    # incidents must bring 15 points: 10 − 15 × 10 / 20 = 2.5, in whole incidents 2.
    assert (incidents.target, incidents.change) == (D(2), D(-3))
    assert (outcome_points.points_per_unit, incidents.points_per_unit) == (D(80) / 80, D(20) / 10)


def test_what_if_may_pass_a_band_whose_floor_it_cannot_meet() -> None:
    # 62 + 2 × (10 − 3) = 76: two stars; three need 78 and at most 2 incidents, four need 85 and no floor.
    found = by_metric(what_if(TINY, tiny(62, 3)))
    assert (found["outcome_points"].target, found["outcome_points"].change) == (D(85 - 14), D(9))
    assert (found["incidents"].target, found["incidents"].change) == (D(2), D(-1))


def test_what_if_a_missing_value_gives_the_value_to_reach() -> None:
    metrics = WORKED | {"incubation_success_rate": None}
    found = by_metric(what_if(PUYANG, metrics))["incubation_success_rate"]
    assert (found.value, found.target, found.change, found.next_stars) == (None, D(60), None, 4)
    assert score(PUYANG, metrics | {"incubation_success_rate": found.target}).stars == 4


def test_what_if_at_the_top_band_has_nowhere_to_go() -> None:
    found = what_if(PUYANG, PERFECT)
    assert {(i.next_stars, i.target, i.change) for i in found} == {(None, None, None)}


# Properties.

PROPERTIES = settings(deadline=None, database=None, max_examples=150)


def values(unit: str) -> st.SearchStrategy[Decimal]:
    """Any value a unit may take, far beyond floors and fulls."""
    return st.decimals(min_value=0, max_value=400 if unit == "count" else 120, places=2)


@st.composite
def park(draw: st.DrawFn, rubric: Rubric) -> dict[str, Decimal | None]:
    """A park's metrics: each near the park's overall quality (0 at the floors, 1 at the fulls), a couple
    perhaps missing, so that the parks spread over every band."""
    quality = draw(st.decimals(min_value=0, max_value="1.1", places=2))
    found: dict[str, Decimal | None] = {}
    for key, metric in rubric.metrics().items():
        share = quality + draw(st.decimals(min_value="-0.5", max_value="0.5", places=2))
        if isinstance(metric, Indicator):
            value = metric.floor + share * (metric.full - metric.floor)
        else:
            value = share * max(band.floors.get(key, D(0)) for band in rubric.stars)
        found[key] = max(value, D(0)).quantize(D("0.01"))
    for key in draw(st.sets(st.sampled_from(list(found)), max_size=2)):
        found[key] = None
    return found


def any_indicator() -> st.SearchStrategy[Indicator]:
    return st.sampled_from([i for r in (PUYANG, TINY) for _, i in r.indicators()])


@PROPERTIES
@given(indicator=any_indicator(), a=values("count"), b=values("count"))
def test_property_a_better_value_never_scores_fewer_points(indicator: Indicator, a: Decimal, b: Decimal) -> None:
    worse, better = sorted((a, b), reverse=indicator.direction == "lower")
    assert indicator_points(indicator, worse) <= indicator_points(indicator, better)


@PROPERTIES
@given(indicator=any_indicator(), value=st.decimals(allow_nan=False, allow_infinity=False) | st.none())
def test_property_points_stay_within_the_indicators_points(indicator: Indicator, value: Decimal | None) -> None:
    assert 0 <= indicator_points(indicator, value) <= indicator.points


@PROPERTIES
@given(metrics=park(PUYANG))
def test_property_total_stays_within_0_and_100(metrics: dict[str, Decimal | None]) -> None:
    result = score(PUYANG, metrics)
    assert 0 <= result.total <= 100
    assert result.total == sum(d.points for d in result.dimensions)
    assert 0 <= result.stars <= result.score_stars


@PROPERTIES
@given(rubric=st.sampled_from([PUYANG, TINY]), data=st.data())
def test_property_stars_never_fall_as_values_improve(rubric: Rubric, data: st.DataObject) -> None:
    before = data.draw(park(rubric))
    after = {}
    for key, metric in rubric.metrics().items():
        gain = data.draw(values(metric.unit))
        value = before[key]
        if value is None:
            after[key] = data.draw(st.none() | values(metric.unit))
        else:
            after[key] = value + gain if metric.direction == "higher" else max(value - gain, D(0))
    first, then = score(rubric, before), score(rubric, after)
    assert then.total >= first.total
    assert then.stars >= first.stars


@PROPERTIES
@given(rubric=st.sampled_from([PUYANG, TINY]), data=st.data())
def test_property_what_if_changes_really_reach_the_next_band(rubric: Rubric, data: st.DataObject) -> None:
    metrics = data.draw(park(rubric))
    for improvement in what_if(rubric, metrics):
        if improvement.target is None:
            continue
        assert improvement.next_stars is not None
        reached = score(rubric, {**metrics, improvement.metric: improvement.target})
        assert reached.stars >= improvement.next_stars, improvement
        if improvement.change is not None:
            lower = rubric.metrics()[improvement.metric].direction == "lower"
            assert (improvement.change <= 0) if lower else (improvement.change >= 0)
