from __future__ import annotations

from django.db import models

from apps.core import crypto


class EncryptedTextField(models.TextField):
    """A text field stored Fernet-encrypted; Python code only ever sees plaintext.

    Empty strings are stored as-is so that "no secret" stays cheap to test for.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)
