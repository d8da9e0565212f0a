"""The columns of every exported list: a stable key, the header (a message, written in the reader's
language) and how to get the cell from a row.

The importable kinds (incubatees with their founders, units, mentors, training attendance) carry every
field needed to create their records again, and the import reads exactly these headers, in either
language. Keys are the fields of the records' Create schemas (``founder_`` before a founder's); an enum
column names its enum, so that its labels can be read back into values.

A row is what the export's statement yields: the list's records as entities, under their class names
(``row.Incubatee``), and the names joined to them as labelled columns (``row.incubatee``). Cells are
plain values (enum members, dates, decimals, lists); the writers format them.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from incubator.i18n import LOCALES, N_, gettext, label, translations
from incubator.incubatees.models import Education, ExitReason, Gender, IncubateeStatus, IncubateeType, TargetGroup
from incubator.mentors.models import SessionMode, SessionStatus
from incubator.ratings.models import RatingStatus
from incubator.space.models import UnitKind
from incubator.support.models import ServiceCategory
from incubator.trainings.models import Attendance, TrainingKind

Getter = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    """A message id (marked with ``N_``), translated when the sheet is written."""
    value: Getter
    choices: type[enum.Enum] | None = None
    """The enum whose members the cells hold (written as their labels)."""


@dataclass(frozen=True, slots=True)
class Layout:
    kind: str
    title: str
    """A message id: the sheet's name and the start of the file's."""
    columns: tuple[Column, ...]

    def headers(self) -> list[str]:
        return [gettext(column.header) for column in self.columns]

    def cells(self, row: Any) -> list[Any]:
        return [column.value(row) for column in self.columns]

    def replacing(self, key: str, value: Getter) -> "Layout":
        """The same layout with one column's cells got another way (full ID numbers for those allowed)."""
        columns = tuple(replace(c, value=value) if c.key == key else c for c in self.columns)
        return replace(self, columns=columns)

    def column_for(self, header: str) -> Column | None:
        """The column a header names, in any of the languages (for the import)."""
        wanted = header.strip()
        for column in self.columns:
            if any(translations(locale).gettext(column.header) == wanted for locale in LOCALES):
                return column
        return None


def field(entity: str, name: str) -> Getter:
    """``row.<entity>.<name>``, or None when the entity is missing (a firm without founders)."""

    def get(row: Any) -> Any:
        item = getattr(row, entity)
        return None if item is None else getattr(item, name)

    return get


def named(name: str) -> Getter:
    """A labelled column of the row (a name joined to the record)."""
    return lambda row: getattr(row, name)


INCUBATEES = Layout(
    "incubatees",
    N_("Incubatees"),
    (
        Column("name", N_("Firm name"), field("Incubatee", "name")),
        Column("credit_code", N_("Unified social credit code"), field("Incubatee", "credit_code")),
        Column("kind", N_("Type of firm"), field("Incubatee", "kind"), IncubateeType),
        Column("status", N_("Status"), field("Incubatee", "status"), IncubateeStatus),
        Column("industry", N_("Industry"), field("Incubatee", "industry")),
        Column("registered_on", N_("Registered on"), field("Incubatee", "registered_on")),
        Column("applied_on", N_("Applied on"), field("Incubatee", "applied_on")),
        Column("admitted_on", N_("Admitted on"), field("Incubatee", "admitted_on")),
        Column("term_ends_on", N_("Term ends on"), field("Incubatee", "term_ends_on")),
        Column("left_on", N_("Left on"), field("Incubatee", "left_on")),
        Column("exit_reason", N_("Reason for leaving"), field("Incubatee", "exit_reason"), ExitReason),
        Column("exit_note", N_("Note on leaving"), field("Incubatee", "exit_note")),
        Column("founder_name", N_("Founder's name"), field("Founder", "name")),
        Column("founder_phone", N_("Founder's phone"), field("Founder", "phone")),
        Column("founder_id_number", N_("Founder's resident ID number"), field("Founder", "id_number_masked")),
        Column("founder_target_group", N_("Founder's target group"), field("Founder", "target_group"), TargetGroup),
        Column("founder_gender", N_("Founder's gender"), field("Founder", "gender"), Gender),
        Column("founder_birth_year", N_("Founder's birth year"), field("Founder", "birth_year")),
        Column("founder_education", N_("Founder's education"), field("Founder", "education"), Education),
    ),
)
"""One row per founder, the firm's columns repeated; a firm without founders has one row, its founder
columns empty. ID numbers are masked unless the export reveals them."""

UNITS = Layout(
    "units",
    N_("Units"),
    (
        Column("building", N_("Building"), named("building")),
        Column("code", N_("Unit code"), field("Unit", "code")),
        Column("kind", N_("Type of unit"), field("Unit", "kind"), UnitKind),
        Column("area_m2", N_("Area (m²)"), field("Unit", "area_m2")),
        Column("seats", N_("Seats"), field("Unit", "seats")),
        Column("monthly_rent", N_("Monthly rent (yuan)"), field("Unit", "monthly_rent")),
        Column("free_or_common", N_("Free or common use"), field("Unit", "free_or_common")),
    ),
)
"""The building by its name (unique in the park), the unit by its code."""

LEASES = Layout(
    "leases",
    N_("Leases"),
    (
        Column("unit", N_("Unit code"), named("unit")),
        Column("incubatee", N_("Incubatee"), named("incubatee")),
        Column("credit_code", N_("Unified social credit code"), named("credit_code")),
        Column("starts_on", N_("Starts on"), field("Lease", "starts_on")),
        Column("ends_on", N_("Ends on (inclusive)"), field("Lease", "ends_on")),
        Column("monthly_rent", N_("Monthly rent (yuan)"), field("Lease", "monthly_rent")),
        Column("rent_free_until", N_("Rent free until"), field("Lease", "rent_free_until")),
        Column("deposit", N_("Deposit (yuan)"), field("Lease", "deposit")),
    ),
)

DELIVERIES = Layout(
    "service_deliveries",
    N_("Services delivered"),
    (
        Column("delivered_on", N_("Delivered on"), field("ServiceDelivery", "delivered_on")),
        Column("incubatee", N_("Incubatee"), named("incubatee")),
        Column("service", N_("Service"), named("service")),
        Column("category", N_("Category"), field("ServiceDelivery", "category"), ServiceCategory),
        Column("hours", N_("Hours"), field("ServiceDelivery", "hours")),
        Column("provider", N_("Provider"), field("ServiceDelivery", "provider")),
        Column("outcome", N_("Outcome"), field("ServiceDelivery", "outcome")),
        Column("amount", N_("Amount (yuan)"), field("ServiceDelivery", "amount")),
        Column("lender", N_("Lending bank"), field("ServiceDelivery", "lender")),
        Column("fee", N_("Fee charged (yuan)"), field("ServiceDelivery", "fee")),
        Column("satisfaction", N_("Satisfaction (1–5)"), field("ServiceDelivery", "satisfaction")),
        Column("rating_comment", N_("Comment"), field("ServiceDelivery", "rating_comment")),
    ),
)

TRAININGS = Layout(
    "trainings",
    N_("Trainings"),
    (
        Column("title", N_("Title"), field("Training", "title")),
        Column("kind", N_("Type of training"), field("Training", "kind"), TrainingKind),
        Column("starts_on", N_("Starts on"), field("Training", "starts_on")),
        Column("ends_on", N_("Ends on (inclusive)"), field("Training", "ends_on")),
        Column("hours", N_("Class hours"), field("Training", "hours")),
        Column("provider", N_("Provider institution"), field("Training", "provider")),
        Column("trainer", N_("Trainer"), named("trainer")),
        Column("capacity", N_("Capacity"), field("Training", "capacity")),
        Column("enrolled", N_("People enrolled"), named("enrolled")),
        Column("location", N_("Location"), field("Training", "location")),
        Column("description", N_("About the training"), field("Training", "description")),
    ),
)

ATTENDANCE = Layout(
    "attendance",
    N_("Roll"),
    (
        Column("name", N_("Full name"), field("Trainee", "name")),
        Column("phone", N_("Phone"), field("Trainee", "phone")),
        Column("target_group", N_("Target group"), field("Trainee", "target_group"), TargetGroup),
        Column("gender", N_("Gender"), field("Trainee", "gender"), Gender),
        Column("enrolled_on", N_("Enrolled on"), field("Enrolment", "enrolled_on")),
        Column("attendance", N_("Attendance"), field("Enrolment", "attendance"), Attendance),
    ),
)
"""One training's roll: the person by their phone (the trainee's key in the park)."""

MENTOR_SESSIONS = Layout(
    "mentor_sessions",
    N_("Mentor sessions"),
    (
        Column("park", N_("Park"), named("park")),
        Column("held_on", N_("Held on"), field("MentorSession", "held_on")),
        Column("incubatee", N_("Incubatee"), named("incubatee")),
        Column("mentor", N_("Mentor"), named("mentor")),
        Column("minutes", N_("Minutes"), field("MentorSession", "minutes")),
        Column("mode", N_("Mode"), field("MentorSession", "mode"), SessionMode),
        Column("topics", N_("Topics"), field("MentorSession", "topics")),
        Column("notes", N_("Notes"), field("MentorSession", "notes")),
        Column("follow_ups", N_("Follow-up actions"), field("MentorSession", "follow_ups")),
        Column("status", N_("Status"), field("MentorSession", "status"), SessionStatus),
        Column("return_reason", N_("Why it was returned"), field("MentorSession", "return_reason")),
    ),
)

RATINGS = Layout(
    "ratings",
    N_("Star ratings"),
    (
        Column("period", N_("Rating period"), named("period")),
        Column("park_code", N_("Park code"), named("park_code")),
        Column("park", N_("Park"), named("park")),
        Column("revision", N_("Revision"), field("Rating", "revision")),
        Column("rubric_version", N_("Rubric"), field("Rating", "rubric_version")),
        Column("status", N_("Status"), field("Rating", "status"), RatingStatus),
        Column("total", N_("Score"), field("Rating", "total")),
        Column("stars", N_("Stars"), field("Rating", "stars")),
        Column("failed", N_("Failed"), field("Rating", "failed")),
        Column("funding", N_("Funding (yuan)"), field("Rating", "funding")),
        Column("exit_decision", N_("Exit decision"), lambda row: label("exit", row.Rating.exit_decision) or None),
    ),
)

MENTORS = Layout(
    "mentors",
    N_("Mentor pool"),
    (
        Column("name", N_("Full name"), field("Mentor", "name")),
        Column("organisation", N_("Organisation"), field("Mentor", "organisation")),
        Column("phone", N_("Phone"), field("Mentor", "phone")),
        Column("expertise", N_("Expertise"), field("Mentor", "expertise")),
        Column("bio", N_("Biography"), field("Mentor", "bio")),
        Column("max_mentees", N_("Most mentees at once"), field("Mentor", "max_mentees")),
        Column("availability", N_("Availability"), field("Mentor", "availability")),
    ),
)
"""The city's mentor pool (its active members). The import knows a mentor by the phone, or, where the pool
has none on file, by name and organisation."""

TRAINERS = Layout(
    "trainers",
    N_("Trainer pool"),
    (
        Column("name", N_("Full name"), field("Trainer", "name")),
        Column("organisation", N_("Organisation"), field("Trainer", "organisation")),
        Column("specialties", N_("Specialties"), field("Trainer", "specialties")),
        Column("phone", N_("Phone"), field("Trainer", "phone")),
        Column("bio", N_("Biography"), field("Trainer", "bio")),
    ),
)
