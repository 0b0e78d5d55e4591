"""Every Celery task's registered name, in one place.

Tasks are published by name (apps.core.queue) so that an earlier stage never imports a
later one: ingestion queues delivery's routing task without importing delivery. The
names are part of the broker's contract: messages already queued carry them, so a name
here is never changed or removed, only added (see the legacy ones below).

No Django import here: relaycore.settings reads these for the Beat schedule.
"""

from __future__ import annotations

# Delivery (apps.delivery.tasks).
PROCESS_EVENTS = "apps.delivery.tasks.process_events"  # [event id, ...]: route, then send
DELIVER_OUTCOMES = "apps.delivery.tasks.deliver_outcomes"  # [outcome id, ...]: claim, send
DISPATCH_DUE = "apps.delivery.tasks.dispatch_due"  # Beat: retries whose time has come
SWEEP_UNROUTED = "apps.delivery.tasks.sweep_unrouted"  # Beat: events never routed

# One id per message, as earlier versions queued them; still registered so that those
# messages drain (thin shims into the batch path), never published any more.
LEGACY_PROCESS_EVENT = "apps.delivery.tasks.process_event"  # event id
LEGACY_DELIVER_OUTCOME = "apps.delivery.tasks.deliver_outcome"  # outcome id

# Monitoring (apps.monitoring.tasks), all run by Beat.
COLLECT_METRICS = "apps.monitoring.tasks.collect_metrics"
PURGE_OLD_PAYLOADS = "apps.monitoring.tasks.purge_old_payloads"
ROLL_UP_DESTINATION_HOURS = "apps.monitoring.tasks.roll_up_destination_hours"
ADVANCE_TALLIES = "apps.monitoring.tasks.advance_tallies"

# Notifications (apps.notifications.tasks): Beat evaluates and sends what is due; a
# notice just emitted is sent at once by id.
EVALUATE_NOTIFICATIONS = "apps.notifications.tasks.evaluate_notifications"
SEND_NOTIFICATION = "apps.notifications.tasks.send_notification"  # notification id
SEND_DUE_NOTIFICATIONS = "apps.notifications.tasks.send_due_notifications"
