// One notification: its send result and the JSON body a webhook channel receives.

import { type ReactNode } from "react";

import { HttpStatusBadge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { JsonViewer } from "@/components/ui/json-viewer";
import { formatDateTime } from "@/lib/format";
import type { Notification } from "@/types/api";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 py-1">
      <dt className="text-xs font-medium text-gray-600">{label}</dt>
      <dd className="col-span-2 text-sm text-gray-900">{children}</dd>
    </div>
  );
}

export function NotificationDetail({ notification, onClose }: { notification: Notification; onClose: () => void }) {
  return (
    <Dialog
      title={`Notification ${notification.id}: ${notification.type}`}
      description={`To ${notification.channel_name}, about ${notification.subject}`}
      onClose={onClose}
      size="lg"
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <div className="space-y-4">
        <dl className="divide-y divide-gray-100">
          <Row label="Status">
            <span className="inline-flex flex-wrap gap-1">
              <StatusBadge status={notification.status} />
              {notification.last_status_code !== null && <HttpStatusBadge code={notification.last_status_code} />}
            </span>
          </Row>
          <Row label="Attempts">{notification.attempts}</Row>
          <Row label="Created">{formatDateTime(notification.created_at)}</Row>
          <Row label="Sent">{notification.sent_at ? formatDateTime(notification.sent_at) : "not yet"}</Row>
          {notification.next_attempt_at && <Row label="Next attempt">{formatDateTime(notification.next_attempt_at)}</Row>}
          {notification.last_error && (
            <Row label="Last error">
              <span className="text-red-700">{notification.last_error}</span>
            </Row>
          )}
        </dl>
        <div>
          <h3 className="mb-1 text-xs font-medium text-gray-600">Body</h3>
          <JsonViewer value={notification.body} label="Notification body" />
        </div>
      </div>
    </Dialog>
  );
}
