"""Serializers of the registries: transformers and verification schemes."""

from __future__ import annotations

from rest_framework import serializers


class TransformerInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class TransformerListSerializer(serializers.Serializer):
    results = TransformerInfoSerializer(many=True)


class SchemeInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    needs_secret = serializers.BooleanField()
    options = serializers.ListField(child=serializers.CharField())


class SchemeListSerializer(serializers.Serializer):
    results = SchemeInfoSerializer(many=True)
