// One destination's page: its health, held count and figures over 1 h / 24 h / 7 d, its
// recent errors, and its deliveries (the deliveries list, filtered to it) with a bulk
// replay of its dead letters. Composes the destinations and deliveries features.

import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";

import { PageHeader, Section } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { InactiveBadge, PausedBadge } from "@/components/ui/pause";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { paths } from "@/config/paths";
import { DELIVERIES_PAGE_SIZE, useDeliveries } from "@/features/deliveries/api/deliveries";
import { BulkReplay } from "@/features/deliveries/components/bulk-replay";
import { DeliveriesFilters } from "@/features/deliveries/components/deliveries-filters";
import { DeliveriesTable } from "@/features/deliveries/components/deliveries-table";
import { toApiFilters } from "@/features/deliveries/filters";
import { useDeliveryFilters } from "@/features/deliveries/hooks/use-delivery-filters";
import { destinationKeys, useDestination, useDestinationStats } from "@/features/destinations/api/destinations";
import { RecentErrors, StatsCards, StatsWindowPicker } from "@/features/destinations/components/destination-stats";
import { useAllSources } from "@/features/sources/api/sources";
import { isApiError } from "@/lib/api-client";
import { useCan } from "@/lib/authorization";
import { formatNumber } from "@/lib/format";
import type { Destination, DestinationStatsWindow } from "@/types/api";

function replayLabel(count: number): string {
  if (count === 0) return "No dead letters to replay";
  return `Replay ${formatNumber(count)} ${count === 1 ? "dead letter" : "dead letters"}`;
}

function DestinationDeliveries({ destination }: { destination: Destination }) {
  const { filters, page, setFilters, setPage, clear, activeCount } = useDeliveryFilters();
  const apiFilters = useMemo(
    () => ({ ...toApiFilters(filters), destination: String(destination.id) }),
    [filters, destination.id],
  );
  const deliveries = useDeliveries({ ...apiFilters, page });
  const sources = useAllSources();

  return (
    <Section title="Deliveries">
      <DeliveriesFilters
        filters={filters}
        onChange={setFilters}
        onClear={clear}
        activeCount={activeCount}
        sources={sources.data?.results}
      />
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} title="Could not load deliveries" />
      ) : deliveries.data.results.length === 0 ? (
        <EmptyState title={activeCount > 0 ? "No event matches these filters" : "Nothing sent to this destination yet"}>
          {activeCount > 0 ? "Widen the time range or clear a filter." : "Events that a route sends here appear within seconds."}
        </EmptyState>
      ) : (
        <div aria-busy={deliveries.isPlaceholderData} className={deliveries.isPlaceholderData ? "opacity-60 transition-opacity" : ""}>
          <DeliveriesTable deliveries={deliveries.data.results} />
          <Pagination page={page} pageSize={DELIVERIES_PAGE_SIZE} count={deliveries.data.count} onPage={setPage} noun="events" />
        </div>
      )}
    </Section>
  );
}

function DestinationPage({ destination }: { destination: Destination }) {
  const [span, setSpan] = useState<DestinationStatsWindow>("24h");
  const stats = useDestinationStats(destination.id, span);
  const mayBulkReplay = useCan("bulk_replay");
  const client = useQueryClient();
  const deadLetters = stats.data?.dead_letters ?? 0;

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-baseline gap-x-2">
            {destination.name}
            {destination.paused && <PausedBadge />}
            {!destination.is_active && <InactiveBadge />}
          </span>
        }
        description={<span className="font-mono text-xs break-all">{destination.url}</span>}
        actions={
          <>
            <StatsWindowPicker value={span} onChange={setSpan} />
            {mayBulkReplay && (
              <BulkReplay
                filters={{ destination: String(destination.id) }}
                label={replayLabel(deadLetters)}
                offerDelivered={false}
                disabled={deadLetters === 0}
                onReplayed={() => void client.invalidateQueries({ queryKey: destinationKeys.all })}
              />
            )}
          </>
        }
      />
      <div className="space-y-6">
        {stats.isPending ? (
          <LoadingState label="Loading its figures…" />
        ) : stats.isError ? (
          <ErrorState error={stats.error} onRetry={() => void stats.refetch()} title="Could not load its figures" />
        ) : (
          <>
            <div aria-busy={stats.isPlaceholderData}>
              <StatsCards stats={stats.data} />
            </div>
            <Section title="Recent errors">
              <RecentErrors errors={stats.data.recent_errors} />
            </Section>
          </>
        )}
        <DestinationDeliveries destination={destination} />
      </div>
    </>
  );
}

export function DestinationRoute() {
  const { id } = useParams();
  const destination = useDestination(Number(id));

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link to={paths.destinations} className="text-indigo-700 hover:underline">
          ← Destinations
        </Link>
      </nav>
      {destination.isPending ? (
        <LoadingState label="Loading the destination…" />
      ) : destination.isError ? (
        <ErrorState
          error={destination.error}
          title={
            isApiError(destination.error) && destination.error.status === 404
              ? "This destination does not exist"
              : "Could not load the destination"
          }
          onRetry={() => void destination.refetch()}
        />
      ) : (
        <DestinationPage destination={destination.data} />
      )}
    </>
  );
}
