import { useState } from "react";
import { Link, useSearchParams } from "react-router";

import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { paths } from "@/config/paths";
import { useAllChannels } from "@/features/notifications/api/channels";
import { useNotificationTypes, useNotifications, type NotificationFilters } from "@/features/notifications/api/notifications";
import { NotificationDetail } from "@/features/notifications/components/notification-detail";
import { NotificationsFilters } from "@/features/notifications/components/notifications-filters";
import { NotificationsTable } from "@/features/notifications/components/notifications-table";
import type { Notification } from "@/types/api";

const PAGE_SIZE = 50;
const FILTER_KEYS = ["type", "status", "channel", "subject"] as const;

function readFilters(params: URLSearchParams): NotificationFilters {
  const filters: NotificationFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

export function NotificationsRoute() {
  // The filters live in the URL, so a link (a channel's, a destination's) opens them set.
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const page = Number(params.get("page")) || 1;
  const notifications = useNotifications({ ...filters, page, page_size: PAGE_SIZE });
  const types = useNotificationTypes();
  const channels = useAllChannels();
  const [open, setOpen] = useState<Notification | null>(null);

  const update = (changes: Partial<NotificationFilters> & { page?: string }) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next);
  };

  const filtered = Object.keys(filters).length > 0;

  return (
    <>
      <PageHeader
        title="Notifications"
        description="Every notice sent to a channel, newest first, with how its send went."
      />
      <NotificationsFilters
        filters={filters}
        onChange={update}
        onClear={() => setParams(new URLSearchParams())}
        types={types.data}
        channels={channels.data?.results}
      />
      <ListState
        query={notifications}
        loading="Loading notifications…"
        errorTitle="Could not load notifications"
        empty={
          <EmptyState title={filtered ? "No notification matches these filters" : "No notifications yet"}>
            {filtered ? (
              "Try other filters."
            ) : (
              <>
                They appear here when a destination fails or recovers, events are dead-lettered or signatures fail, on the{" "}
                <Link to={paths.notificationChannels} className="text-indigo-700 hover:underline">
                  channels
                </Link>{" "}
                set up for them.
              </>
            )}
          </EmptyState>
        }
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(next) => update({ page: String(next) })}
        noun="notifications"
      >
        {(results) => <NotificationsTable notifications={results} onOpen={setOpen} />}
      </ListState>
      {open && <NotificationDetail notification={open} onClose={() => setOpen(null)} />}
    </>
  );
}
