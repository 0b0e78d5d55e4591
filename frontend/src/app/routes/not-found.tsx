import { Link } from "react-router";

import { EmptyState } from "@/components/ui/states";
import { paths } from "@/config/paths";

export function NotFoundRoute() {
  return (
    <EmptyState
      title="Page not found"
      action={
        <Link to={paths.overview} className="text-sm font-medium text-indigo-700 hover:underline">
          Back to the overview
        </Link>
      }
    >
      There is nothing at this address.
    </EmptyState>
  );
}
