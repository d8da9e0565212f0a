"""The demo city: deterministic, valid by the same rules as the forms, and of clearly different parks."""

import itertools
import re
from collections import Counter, defaultdict

from stdnum.cn import ric, uscc

from incubator.config import PROJECT_ROOT
from incubator.demo.city import AS_OF, generate
from incubator.demo.parks import DISTRICTS, Quality, park_plans
from incubator.incubatees.models import Founder, Incubatee, TargetGroup
from incubator.parks.models import Park, ParkKind, ParkLevel
from incubator.periodic_reports.models import PeriodicReport
from incubator.protection import PersonalData
from incubator.space.models import Lease

KEYS = PersonalData("demo-tests-key")


def _city(seed: int = 2017):
    return generate(1, seed, KEYS, password_hash="not-a-real-hash")


def test_the_same_seed_builds_the_same_city_and_another_seed_another():
    first, again, other = _city(), _city(), _city(seed=7)
    names = [row["name"] for row in first.rows[Incubatee.__table__]]
    assert names == [row["name"] for row in again.rows[Incubatee.__table__]]
    assert names != [row["name"] for row in other.rows[Incubatee.__table__]]
    assert [r["id"] for r in first.rows[Lease.__table__]] == [r["id"] for r in again.rows[Lease.__table__]]


def test_the_city_has_parks_of_every_kind_level_and_district():
    parks = _city().rows[Park.__table__]
    assert len(parks) == 15
    assert {p["kind"] for p in parks} == set(ParkKind)
    assert {p["level"] for p in parks} == set(ParkLevel)
    assert {p["district"] for p in parks} == set(DISTRICTS)
    assert len(park_plans(100)) == 100


def test_codes_and_id_numbers_pass_their_check_digits():
    city = _city()
    codes = [row["credit_code"] for row in city.rows[Incubatee.__table__] if row["credit_code"]]
    assert len(codes) > 300
    assert all(uscc.is_valid(code) for code in codes)
    assert len(set(codes)) == len(codes)
    founders = city.rows[Founder.__table__]
    numbers = [KEYS.open(row["id_number_ciphertext"]) for row in founders if row["id_number_ciphertext"]]
    assert all(number[-1] == ric.calc_check_digit(number) for number in numbers)
    assert all(
        re.fullmatch(r"\d{3}\*{11}[\dX]{4}", row["id_number_masked"]) for row in founders if row["id_number_masked"]
    )
    assert {row["target_group"] for row in founders} == set(TargetGroup)


def test_no_two_leases_of_a_unit_overlap():
    by_unit = defaultdict(list)
    for lease in _city().rows[Lease.__table__]:
        by_unit[lease["unit_id"]].append((lease["starts_on"], lease["ends_on"]))
    for leases in by_unit.values():
        leases.sort()
        assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(leases))


def test_good_parks_report_on_time_more_than_poor_ones():
    city = _city()
    quality = {row["id"]: plan.quality for row, plan in zip(city.rows[Park.__table__], park_plans(15), strict=True)}
    on_time: Counter[Quality] = Counter()
    filed: Counter[Quality] = Counter()
    for report in city.rows[PeriodicReport.__table__]:
        filed[quality[report["park_id"]]] += 1
        on_time[quality[report["park_id"]]] += report["submitted_on"] <= report["due_on"]
    assert on_time[Quality.EXCELLENT] / filed[Quality.EXCELLENT] > on_time[Quality.POOR] / filed[Quality.POOR] + 0.15
    assert max(r["submitted_on"] for r in city.rows[PeriodicReport.__table__]) <= AS_OF


def test_make_run_shows_the_city_on_its_own_day():
    assert f"DEMO_TODAY := {AS_OF.isoformat()}" in (PROJECT_ROOT / "Makefile").read_text()
