import { Link, useParams } from "react-router";

import { ErrorState, LoadingState } from "@/components/ui/states";
import { paths } from "@/config/paths";
import { useDelivery } from "@/features/deliveries/api/deliveries";
import { DeliveryDetail } from "@/features/deliveries/components/delivery-detail";
import { isApiError } from "@/lib/api-client";

export function DeliveryRoute() {
  const { id } = useParams();
  const deliveryId = Number(id);
  const delivery = useDelivery(deliveryId);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link to={paths.deliveries} className="text-indigo-700 hover:underline">
          ← Deliveries
        </Link>
      </nav>
      {delivery.isPending ? (
        <LoadingState label="Loading the event…" />
      ) : delivery.isError ? (
        <ErrorState
          error={delivery.error}
          title={isApiError(delivery.error) && delivery.error.status === 404 ? "This event does not exist" : "Could not load the event"}
          onRetry={() => void delivery.refetch()}
        />
      ) : (
        <DeliveryDetail delivery={delivery.data} />
      )}
    </>
  );
}
