"""`python -m relaycore_cli listen ...`, the same as the `relaycore` command."""

from relaycore_cli.main import main

raise SystemExit(main())
