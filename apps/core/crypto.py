"""Fernet encryption for secrets at rest.

FIELD_ENCRYPTION_KEY holds one or more keys; the first encrypts, all decrypt, so a new
key can be put in front and old rows re-encrypted with `rotate_encryption_key`.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "fernet:"


class DecryptionError(Exception):
    """A stored secret could not be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return PREFIX + fernet().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise DecryptionError("value is not an encrypted token")
    return _decrypt(tuple(settings.FIELD_ENCRYPTION_KEYS), stored)


# Every row loaded with a secret decrypts it (a source per event routed, a destination
# per delivery): the same few tokens over and over, and each costs an HMAC check and an
# AES decryption. Keyed by the keys too, so that a key change is never served stale.
@lru_cache(maxsize=1024)
def _decrypt(keys: tuple[str, ...], stored: str) -> str:
    try:
        return _fernet(keys).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise DecryptionError("no configured FIELD_ENCRYPTION_KEY decrypts this value") from None


def reencrypt(stored: str) -> str:
    """The same secret under the current first key."""
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()
