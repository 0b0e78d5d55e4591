from tests.api.conftest import (  # noqa: F401
    anon,
    api,
    destination,
    fast_password_hashing,
    route,
    source,
    token,
    user,
)
