"""The verification scheme classes, grouped by family (see each module).

Import the public API from apps.ingestion.verification, which holds the registry.
"""
