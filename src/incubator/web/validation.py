"""Turning msgspec's validation messages into a field name and a translated message."""

import re

from incubator.i18n import _

_PATH = re.compile(r" - at `\$((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)`$")
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Object missing required field `(?P<field>[^`]+)`"), "required"),
    (re.compile(r"^Object contains unknown field `(?P<field>[^`]+)`"), "unknown"),
    (re.compile(r"^Expected `str` of length <= (?P<n>\d+)"), "max_length"),
    (re.compile(r"^Expected `str` of length >= (?P<n>\d+)"), "min_length"),
    (re.compile(r"^Expected `\w+` >= (?P<n>[-\d.]+)"), "ge"),
    (re.compile(r"^Expected `\w+` > (?P<n>[-\d.]+)"), "gt"),
    (re.compile(r"^Expected `\w+` <= (?P<n>[-\d.]+)"), "le"),
    (re.compile(r"^Expected `str` matching regex"), "pattern"),
    (re.compile(r"^Invalid check digit"), "check_digit"),
    (re.compile(r"^Invalid birth date"), "birth_date"),
    (re.compile(r"^Expected `decimal` with at most (?P<n>\d+) decimal places"), "places"),
    (re.compile(r"^Invalid enum value"), "choice"),
    (re.compile(r"^Expected a whole number"), "whole"),
    (re.compile(r"^Expected `(int|float|decimal)`|^Invalid decimal"), "number"),
    (re.compile(r"^Expected `date`|^Invalid ISO 8601 date|^Invalid RFC3339 encoded date"), "date"),
    (re.compile(r"^Expected `uuid`|^Invalid UUID"), "uuid"),
    (re.compile(r"^Expected `bool`"), "bool"),
]


def _message(rule: str, n: str = "") -> str:
    messages = {
        "required": _("This field is required."),
        "unknown": _("This field is not recognised."),
        "max_length": _("At most %(n)s characters.", n=n),
        "min_length": _("At least %(n)s characters.", n=n),
        "ge": _("Must be at least %(n)s.", n=n),
        "gt": _("Must be greater than %(n)s.", n=n),
        "le": _("Must be at most %(n)s.", n=n),
        "pattern": _("The format is not valid."),
        "check_digit": _("The check digit does not match: the number is mistyped."),
        "birth_date": _("The birth date in the number is not a real date."),
        "places": _("At most %(n)s decimal places.", n=n),
        "choice": _("Not one of the allowed values."),
        "number": _("Must be a number."),
        "whole": _("Must be a whole number."),
        "date": _("Must be a date (YYYY-MM-DD)."),
        "uuid": _("Must be a valid identifier."),
        "bool": _("Must be true or false."),
    }
    return messages[rule]


def explain(raw: str) -> tuple[str | None, str]:
    """``("name", "At most 200 characters.")`` from ``"Expected `str` of length <= 200 - at `$.name`"``."""
    # A check in a nested Struct's __post_init__ names its field, and msgspec adds where the Struct sits:
    # "... - at `$.value` - at `$[1]`" is the field "[1].value".
    parts: list[str] = []
    text = raw
    while path := _PATH.search(text):
        parts.append(path.group(1))
        text = text[: path.start()]
    field = "".join(parts).lstrip(".") or None
    for pattern, rule in _RULES:
        match = pattern.search(text)
        if match:
            named = match.groupdict()
            if "field" in named:
                missing = named["field"]
                field = f"{field}.{missing}" if field else missing
            return field, _message(rule, named.get("n", ""))
    return field, _("This value is not valid.")
