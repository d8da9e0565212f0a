"""Password hashing (argon2) and the password policy."""

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from incubator.config import DEMO_PASSWORD
from incubator.errors import InvalidInput
from incubator.i18n import _

MIN_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


async def hash_password(password: str) -> str:
    """Argon2 takes ~0.2 s of CPU by design: off the event loop, so one login does not stall the others."""
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(verify)


def check_password_policy(password: str, *, demo_mode: bool, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(_("The password must be at least %(n)s characters long.", n=MIN_LENGTH), field=field)
    if password == DEMO_PASSWORD and not demo_mode:
        raise InvalidInput(_("The demo password may only be used in demo mode."), field=field)
