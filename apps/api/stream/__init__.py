"""The stream of server-sent events that `relaycore listen` follows: its own asyncio
process (relaycore/stream.py). app: the ASGI application; feed: one shared read per
followed source; reads: the database side; access: the token and source checks."""
