"""Serializers of the API, one module per views module (apps/api/views/): a view imports
from the module of its own name; common.py holds what they share."""
