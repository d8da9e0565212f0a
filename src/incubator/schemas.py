"""Checks msgspec cannot express on a field: ranges and places of Decimal values.

They raise in ``__post_init__`` with msgspec's own wording (``... - at `$.field```), so the API and the
forms name the field exactly as for any other validation error.
"""

import typing
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

import msgspec
from msgspec import UNSET


class DecimalRange(NamedTuple):
    low: Decimal
    high: Decimal
    places: int = 2


def check_decimals(struct: Any, ranges: dict[str, DecimalRange]) -> None:
    for field, rule in ranges.items():
        check_decimal(field, getattr(struct, field, UNSET), rule)


def check_decimal(field: str, value: Any, rule: DecimalRange) -> None:
    """One value; ``field`` is its path in the input (``targets[1].value`` inside a list)."""
    if value is UNSET or value is None:
        return
    if not value.is_finite():
        raise ValueError(f"Expected `decimal` - at `$.{field}`")
    if value < rule.low:
        raise ValueError(f"Expected `decimal` >= {rule.low} - at `$.{field}`")
    if value > rule.high:
        raise ValueError(f"Expected `decimal` <= {rule.high} - at `$.{field}`")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > rule.places:
        raise ValueError(f"Expected `decimal` with at most {rule.places} decimal places - at `$.{field}`")


class Input(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every Struct that takes input: unknown fields are refused, and text is trimmed (a name of
    blanks is no name), the same for the API and the forms."""

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if isinstance(value, str) and value != value.strip():
                setattr(self, name, value.strip())
                if not value.strip() and name in _required_text(type(self)):
                    raise ValueError(f"Expected `str` of length >= 1 - at `$.{name}`")


@cache
def _required_text(struct: type) -> frozenset[str]:
    hints = typing.get_type_hints(struct, include_extras=True)
    return frozenset(
        name
        for name, hint in hints.items()
        if any(isinstance(meta, msgspec.Meta) and (meta.min_length or 0) > 0 for meta in _metas(hint))
    )


def _metas(hint: Any) -> list[Any]:
    if typing.get_origin(hint) is typing.Annotated:
        return list(typing.get_args(hint)[1:]) + _metas(typing.get_args(hint)[0])
    return [m for arg in typing.get_args(hint) for m in _metas(arg)]
