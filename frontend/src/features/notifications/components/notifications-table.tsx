import { HttpStatusBadge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ActionsTd, ActionsTh, Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { formatDateTime } from "@/lib/format";
import type { Notification } from "@/types/api";

interface NotificationsTableProps {
  notifications: Notification[];
  onOpen: (notification: Notification) => void;
}

export function NotificationsTable({ notifications, onOpen }: NotificationsTableProps) {
  return (
    <Table caption="Notifications">
      <thead>
        <tr>
          <Th>Time</Th>
          <Th>Type</Th>
          <Th>Subject</Th>
          <Th>Channel</Th>
          <Th>Status</Th>
          <Th>Attempts</Th>
          <Th>Last error</Th>
          <ActionsTh />
        </tr>
      </thead>
      <tbody>
        {notifications.map((notification) => (
          <tr key={notification.id} className="group hover:bg-gray-50">
            <Td className="text-xs whitespace-nowrap text-gray-700" title={formatDateTime(notification.created_at)}>
              <RelativeTime iso={notification.created_at} />
            </Td>
            <Td label="Type" className="font-mono text-xs">{notification.type}</Td>
            <Td label="Subject" className="font-mono text-xs text-gray-700">{notification.subject}</Td>
            <Td label="Channel">{notification.channel_name}</Td>
            <Td label="Status">
              <div className="flex flex-wrap items-center gap-1">
                <StatusBadge status={notification.status} />
                {notification.last_status_code !== null && <HttpStatusBadge code={notification.last_status_code} />}
              </div>
              {notification.status === "retrying" && notification.next_attempt_at && (
                <p className="text-xs text-gray-500">
                  next <RelativeTime iso={notification.next_attempt_at} />
                </p>
              )}
            </Td>
            <Td label="Attempts" className="tabular-nums">{notification.attempts}</Td>
            <Td label="Last error">
              {notification.last_error ? (
                <p className="max-w-56 truncate text-xs text-red-700" title={notification.last_error}>
                  {notification.last_error}
                </p>
              ) : (
                <span className="text-xs text-gray-400">—</span>
              )}
            </Td>
            <ActionsTd>
              <Button size="sm" aria-label={`Show notification ${notification.id}`} onClick={() => onOpen(notification)}>
                Details
              </Button>
            </ActionsTd>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
