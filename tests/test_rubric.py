"""The rubric file: the packaged ``puyang-2017`` is DESIGN.md §6, and a bad file is refused naming the bad key."""

import datetime
from decimal import Decimal
from importlib.resources import files

import pytest

from incubator.ratings.rubric import (
    DEFAULT_VERSION,
    RubricError,
    incubatee_rules,
    load_rubric,
    packaged_rubric,
    packaged_versions,
)

PUYANG = (files("incubator.ratings") / "rubrics" / "puyang-2017.toml").read_text(encoding="utf-8")

# DESIGN.md §6, row by row: dimension (weight) | indicator (points) | floor → full.
DESIGN_TABLE = [
    ("incubation_function", "孵化功能", 35, [
        ("survival_rate", 10, "60", "90"),
        ("incubation_success_rate", 8, "50", "60"),
        ("jobs_per_incubatee", 10, "3", "5"),
        ("growth_share", 7, "10", "30"),
    ]),
    ("facilities", "设施条件", 15, [
        ("utilisation_rate", 6, "60", "90"),
        ("active_incubatees", 5, "20", "50"),
        ("free_area_share", 4, "10", "30"),
    ]),
    ("technical_support", "技术支持", 15, [
        ("mentors_per_10_incubatees", 5, "0.5", "2"),
        ("sessions_per_incubatee", 5, "2", "6"),
        ("tech_services_per_incubatee", 5, "1", "4"),
    ]),
    ("service_quality", "创业服务质量", 20, [
        ("training_success_rate", 6, "20", "50"),
        ("trainings_count", 4, "12", "24"),
        ("policy_take_up_rate", 5, "30", "80"),
        ("satisfaction_rate", 5, "80", "95"),
    ]),
    ("scientific_management", "科学管理", 15, [
        ("reports_on_time_rate", 5, "80", "100"),
        ("on_time_exit_rate", 5, "80", "95"),
        ("non_rent_income_share", 5, "10", "30"),
    ]),
]  # fmt: skip


def test_puyang_is_packaged_and_the_default() -> None:
    assert "puyang-2017" in packaged_versions()
    assert DEFAULT_VERSION == "puyang-2017"
    rubric = packaged_rubric("puyang-2017")
    assert rubric.version == "puyang-2017"
    assert rubric.effective_from == datetime.date(2017, 1, 1)


def test_puyang_dimensions_and_indicators_are_the_design_table() -> None:
    rubric = packaged_rubric("puyang-2017")
    found = [
        (
            d.key,
            d.name_zh,
            d.weight,
            [(i.key, i.points, str(i.floor), str(i.full)) for i in d.indicators],
        )
        for d in rubric.dimensions
    ]
    assert found == DESIGN_TABLE
    for _, indicator in rubric.indicators():
        assert indicator.direction == "higher"
        assert indicator.name_zh
        assert indicator.name_en
    units = {i.key: i.unit for _, i in rubric.indicators()}
    assert {m for m, u in units.items() if u == "%"} == {
        "survival_rate",
        "incubation_success_rate",
        "growth_share",
        "utilisation_rate",
        "free_area_share",
        "training_success_rate",
        "policy_take_up_rate",
        "satisfaction_rate",
        "reports_on_time_rate",
        "on_time_exit_rate",
        "non_rent_income_share",
    }
    assert units["active_incubatees"] == units["trainings_count"] == "count"


def test_puyang_vetoes_stars_funding_and_exit_rules() -> None:
    rubric = packaged_rubric("puyang-2017")
    assert [v.key for v in rubric.vetoes] == ["falsified_data", "serious_safety_incident", "no_submission"]
    assert [m.key for m in rubric.floor_metrics] == ["jobs_total"]
    assert [(b.stars, b.min_score, b.max_score) for b in rubric.stars] == [
        (1, 60, 69),
        (2, 70, 77),
        (3, 78, 84),
        (4, 85, 91),
        (5, 92, None),
    ]
    assert [b.floors for b in rubric.stars[:3]] == [{}, {}, {}]
    assert rubric.stars[3].floors == {"incubation_success_rate": 60, "jobs_per_incubatee": 3, "active_incubatees": 30}
    assert rubric.stars[4].floors == {
        "utilisation_rate": 90,
        "on_time_exit_rate": 95,
        "active_incubatees": 30,
        "jobs_total": 300,
        "incubation_success_rate": 60,
    }
    funding = rubric.funding
    assert [funding.award(stars) for stars in (1, 2, 3, 4, 5)] == [0, 100_000, 200_000, 300_000, 500_000]
    assert (funding.per_incubatee, funding.per_incubatee_years) == (10_000, 2)
    assert (funding.per_incubatee_operating_months, funding.per_incubatee_jobs) == (12, 3)
    assert funding.demonstration_point == 100_000
    exit_rules = rubric.exit_rules
    assert (exit_rules.provisional_periods, exit_rules.max_stars_drop, exit_rules.rectify_months) == (1, 1, 6)
    assert (exit_rules.fails_to_revoke, exit_rules.revoke_on_no_submission, exit_rules.reapply_after_years) == (
        2,
        True,
        3,
    )


def test_incubatee_rules_of_the_default_rubric() -> None:
    found = incubatee_rules()
    assert found.entry_months == 24
    assert (found.term_months, found.technology_term_months) == (36, 48)
    assert found.graduation.funding == Decimal(1_000_000)
    assert found.graduation.annual_revenue == Decimal(3_000_000)
    assert found.graduation.employees == 10
    assert found.graduation.employees_months == 12
    assert found.graduation.high_tech_certified
    assert found.graduation.acquired
    assert found.missed_reports_warning == 2
    assert (found.failed_reviews_to_exit, found.exit_within_months, found.follow_up_years) == (2, 1, 5)


def test_an_unknown_packaged_version_is_refused() -> None:
    with pytest.raises(LookupError, match="puyang-2099"):
        packaged_rubric("puyang-2099")


def variant(old: str, new: str) -> str:
    """The packaged file with one piece of text changed."""
    assert PUYANG.count(old) == 1, old
    return PUYANG.replace(old, new)


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        pytest.param(
            variant("floor = 3\nfull = 5", 'floor = "three"\nfull = 5'),
            "$.dimensions[0].indicators[2].floor",
            "Invalid decimal string",
            id="bad-number",
        ),
        pytest.param(
            variant("floor = 3\nfull = 5", "floor = true\nfull = 5"),
            "$.dimensions[0].indicators[2].floor",
            "Expected `decimal`, got `bool`",
            id="bad-type",
        ),
        pytest.param(
            variant("floor = 3\nfull = 5", "floor = nan\nfull = 5"),
            "$.dimensions[0].indicators[2].floor",
            "Expected a finite number",
            id="not-finite",
        ),
        pytest.param(
            variant("floor = 3\nfull = 5", "floor = -3\nfull = 5"),
            "$.dimensions[0].indicators[2].floor",
            "Expected a number >= 0",
            id="negative",
        ),
        pytest.param(
            variant('unit = "per_10_firms"', 'unit = "per_firm_and_year"'),
            "$.dimensions[2].indicators[0].unit",
            "Invalid enum value 'per_firm_and_year'",
            id="unknown-unit",
        ),
        pytest.param(
            variant("rectify_months = 6\n", ""),
            "$.exit_rules",
            "Object missing required field `rectify_months`",
            id="missing-field",
        ),
        pytest.param(
            variant("rectify_months = 6\n", "rectify_months = 6\nrectify_weeks = 26\n"),
            "$.exit_rules",
            "Object contains unknown field `rectify_weeks`",
            id="unknown-field",
        ),
        pytest.param(
            variant(
                'weight = 15\n\n[[dimensions.indicators]]\nkey = "utilisation_rate"',
                'weight = 20\n\n[[dimensions.indicators]]\nkey = "utilisation_rate"',
            ),
            "$.dimensions",
            "Expected dimension weights to sum to 100, got 105",
            id="weights-not-100",
        ),
        pytest.param(
            variant("points = 10\nfloor = 60", "points = 9\nfloor = 60"),
            "$.dimensions[0].indicators",
            "Expected indicator points to sum to the dimension's weight 35, got 34",
            id="points-not-weight",
        ),
        pytest.param(
            variant("floor = 3\nfull = 5", "floor = 5\nfull = 5"),
            "$.dimensions[0].indicators[2].full",
            "Expected full to differ from floor",
            id="floor-is-full",
        ),
        pytest.param(
            variant("floor = 3\nfull = 5", 'floor = 3\nfull = 5\ndirection = "lower"'),
            "$.dimensions[0].indicators[2].full",
            "Expected full below floor where lower is better",
            id="direction-against-floor-and-full",
        ),
        pytest.param(
            variant('key = "growth_share"', 'key = "survival_rate"'),
            "$.dimensions[0].indicators[3].key",
            "Duplicate key 'survival_rate'",
            id="duplicate-metric",
        ),
        pytest.param(
            variant('key = "jobs_total"', 'key = "utilisation_rate"'),
            "$.floor_metrics[0].key",
            "Duplicate key 'utilisation_rate'",
            id="floor-metric-duplicates-an-indicator",
        ),
        pytest.param(
            variant("jobs_total = 300", "jobs_totl = 300"),
            "$.stars[4].floors.jobs_totl",
            "Unknown metric 'jobs_totl'",
            id="unknown-floor-key",
        ),
        pytest.param(
            variant("min_score = 78", "min_score = 70"),
            "$.stars[2].min_score",
            "Expected star bands ascending by min score",
            id="bands-not-ascending",
        ),
        pytest.param(
            variant("max_score = 69", "max_score = 70"),
            "$.stars[0].max_score",
            "Expected a max score from the min score to below the next band's",
            id="bands-overlap",
        ),
        pytest.param(
            variant("[[funding.tiers]]\nstars = 1\naward = 0\n", ""),
            "$.funding.tiers",
            "Expected a funding tier for the 1-star band",
            id="missing-funding-tier",
        ),
        pytest.param(
            variant("stars = 1\naward = 0", "stars = 2\naward = 0"),
            "$.funding.tiers[1].stars",
            "Expected one funding tier for each star band, got another for 2 stars",
            id="duplicate-funding-tier",
        ),
        pytest.param(
            variant('version = "puyang-2017"', 'version = "Puyang 2017"'),
            "$.version",
            "Expected `str` matching regex",
            id="bad-version",
        ),
        pytest.param(variant("weight = 35", "weight = = 35"), "$", "Not valid TOML", id="not-toml"),
    ],
)
def test_a_bad_rubric_is_refused_naming_the_key(text: str, path: str, message: str) -> None:
    with pytest.raises(RubricError) as raised:
        load_rubric(text)
    assert raised.value.path == path
    assert message in raised.value.message
    assert str(raised.value).endswith(f" - at `{path}`")


def test_the_packaged_file_loads_as_text_too() -> None:
    assert load_rubric(PUYANG) == packaged_rubric("puyang-2017")
