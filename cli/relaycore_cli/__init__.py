"""relaycore-cli: the developer's side of a RelayCore gateway (`relaycore listen`)."""

__version__ = "0.1.0"
