import { useMemo } from "react";

import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { DELIVERIES_PAGE_SIZE, useDeliveries } from "@/features/deliveries/api/deliveries";
import { BulkReplay } from "@/features/deliveries/components/bulk-replay";
import { DeliveriesFilters } from "@/features/deliveries/components/deliveries-filters";
import { DeliveriesTable } from "@/features/deliveries/components/deliveries-table";
import { toApiFilters } from "@/features/deliveries/filters";
import { useDeliveryFilters } from "@/features/deliveries/hooks/use-delivery-filters";
import { useAllDestinations } from "@/features/destinations/api/destinations";
import { useAllSources } from "@/features/sources/api/sources";
import { useCan } from "@/lib/authorization";

export function DeliveriesRoute() {
  const { filters, page, setFilters, setPage, clear, activeCount } = useDeliveryFilters();
  // A relative range ("last hour") is pinned when the filters change, not on every render.
  const apiFilters = useMemo(() => toApiFilters(filters), [filters]);
  const deliveries = useDeliveries({ ...apiFilters, page });
  const sources = useAllSources();
  const destinations = useAllDestinations();
  const mayBulkReplay = useCan("bulk_replay");

  return (
    <>
      <PageHeader
        title="Deliveries"
        description="Every event received, what happened to it and where it went. Refreshes every few seconds."
      />
      <DeliveriesFilters
        filters={filters}
        onChange={setFilters}
        onClear={clear}
        activeCount={activeCount}
        sources={sources.data?.results}
        destinations={destinations.data?.results ?? []}
        actions={mayBulkReplay ? <BulkReplay filters={apiFilters} /> : undefined}
      />
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} title="Could not load deliveries" />
      ) : deliveries.data.results.length === 0 ? (
        <EmptyState title={activeCount > 0 ? "No event matches these filters" : "No events received yet"}>
          {activeCount > 0
            ? "Widen the time range or clear a filter."
            : "Send a webhook to a source's ingest URL and it appears here within seconds."}
        </EmptyState>
      ) : (
        // Rows of the previous filter stay on screen, dimmed, until the new ones arrive.
        <div aria-busy={deliveries.isPlaceholderData} className={deliveries.isPlaceholderData ? "opacity-60 transition-opacity" : ""}>
          <DeliveriesTable deliveries={deliveries.data.results} />
          <Pagination
            page={page}
            pageSize={DELIVERIES_PAGE_SIZE}
            count={deliveries.data.count}
            capped={deliveries.data.count_capped}
            onPage={setPage}
            noun="events"
          />
        </div>
      )}
    </>
  );
}
