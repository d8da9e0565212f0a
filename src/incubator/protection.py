"""Personal data at rest: resident ID numbers are encrypted (Fernet), found again by a keyed digest
(HMAC-SHA256) and shown masked. The keys are derived from ``INCUBATOR_DATA_KEY`` (or, when unset,
the secret key), so a copy of the database alone reveals nothing."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet


class PersonalData:
    def __init__(self, key_material: str) -> None:
        root = hashlib.sha256(key_material.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(hmac.new(root, b"encrypt", hashlib.sha256).digest()))
        self._digest_key = hmac.new(root, b"digest", hashlib.sha256).digest()

    def seal(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def open(self, sealed: str) -> str:
        return self._fernet.decrypt(sealed.encode()).decode()

    def digest(self, value: str) -> str:
        return hmac.new(self._digest_key, value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(id_number: str) -> str:
    """``410***********1234``: the region's first three digits and the last four."""
    return f"{id_number[:3]}{'*' * (len(id_number) - 7)}{id_number[-4:]}" if id_number else ""
