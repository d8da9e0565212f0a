"""Checks msgspec cannot express on a field: ranges and places of Decimal values.

They raise in ``__post_init__`` with msgspec's own wording (``... - at `$.field```), so the API and the
forms name the field exactly as for any other validation error.
"""

from decimal import Decimal
from typing import Any, NamedTuple

from msgspec import UNSET


class DecimalRange(NamedTuple):
    low: Decimal
    high: Decimal
    places: int = 2


def check_decimals(struct: Any, ranges: dict[str, DecimalRange]) -> None:
    for field, rule in ranges.items():
        value = getattr(struct, field)
        if value is UNSET or value is None:
            continue
        if not value.is_finite():
            raise ValueError(f"Expected `decimal` - at `$.{field}`")
        if value < rule.low:
            raise ValueError(f"Expected `decimal` >= {rule.low} - at `$.{field}`")
        if value > rule.high:
            raise ValueError(f"Expected `decimal` <= {rule.high} - at `$.{field}`")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > rule.places:
            raise ValueError(f"Expected `decimal` with at most {rule.places} decimal places - at `$.{field}`")
