# The API's clients, for tests that read back through the API what ingest stored.
from tests.api.conftest import api, fast_password_hashing, token, user  # noqa: F401
