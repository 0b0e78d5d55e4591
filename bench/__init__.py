"""`make bench`: the production profile on this machine, measured (see bench/__main__.py)."""
