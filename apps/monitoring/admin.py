from django.contrib import admin

from apps.core.models import MetricPoint


@admin.register(MetricPoint)
class MetricPointAdmin(admin.ModelAdmin):
    list_display = (
        "collected_at",
        "events_received",
        "deliveries_succeeded",
        "attempts_failed",
        "dead_letters_total",
        "queue_depth",
        "success_rate",
    )
    date_hierarchy = "collected_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
