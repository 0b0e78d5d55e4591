import { Link, useSearchParams } from "react-router";

import { PageHeader, Section } from "@/components/ui/page-header";
import { paths } from "@/config/paths";
import { isTimeWindow, type TimeWindow } from "@/features/metrics/api/metrics";
import { MetricsCharts } from "@/features/metrics/components/metrics-charts";
import { RecentFailures } from "@/features/metrics/components/recent-failures";
import { SummaryCards } from "@/features/metrics/components/summary-cards";
import { WindowPicker } from "@/features/metrics/components/window-picker";

export function OverviewRoute() {
  const [params, setParams] = useSearchParams();
  const raw = params.get("window");
  const window: TimeWindow = isTimeWindow(raw) ? raw : "24h";

  return (
    <>
      <PageHeader title="Overview" description="Live figures refresh every 10 seconds." />
      <div className="space-y-6">
        <SummaryCards />
        <Section
          title="Over time"
          actions={<WindowPicker value={window} onChange={(next) => setParams({ window: next }, { replace: true })} />}
        >
          <MetricsCharts window={window} />
        </Section>
        <Section
          title="Recent failures"
          actions={
            <Link to={`${paths.deliveries}?outcome_status=dead_lettered`} className="text-sm text-indigo-700 hover:underline">
              All dead letters
            </Link>
          }
        >
          <RecentFailures />
        </Section>
      </div>
    </>
  );
}
