"""The answers of resume and enable: the object, and how many held items it released.
(Beside apps.api.serializers, as token_serializers.py is.)"""

from __future__ import annotations

from rest_framework import serializers

from apps.api.serializers import DestinationSerializer, RouteSerializer, SourceSerializer

RELEASED_HELP = (
    "How many held outcomes were released (for a source: how many stored events it "
    "queued for routing). They are sent oldest first at the destination's usual pace."
)


class SourceResumedSerializer(SourceSerializer):
    released = serializers.IntegerField(read_only=True, help_text=RELEASED_HELP)

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "released"]


class DestinationResumedSerializer(DestinationSerializer):
    released = serializers.IntegerField(read_only=True, help_text=RELEASED_HELP)

    class Meta(DestinationSerializer.Meta):
        fields = [*DestinationSerializer.Meta.fields, "released"]


class RouteResumedSerializer(RouteSerializer):
    released = serializers.IntegerField(read_only=True, help_text=RELEASED_HELP)

    class Meta(RouteSerializer.Meta):
        fields = [*RouteSerializer.Meta.fields, "released"]
