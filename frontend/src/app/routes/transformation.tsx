// The transformation editor page (/transformations/new and /transformations/:id), loaded
// lazily by the router: it is the only page that brings in CodeMirror.

import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { PageHeader } from "@/components/ui/page-header";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { paths } from "@/config/paths";
import { useDeliveries } from "@/features/deliveries/api/deliveries";
import { useAllSources } from "@/features/sources/api/sources";
import { useTransformation } from "@/features/transformations/api/transformations";
import { TransformationEditor } from "@/features/transformations/components/transformation-editor";
import { isApiError } from "@/lib/api-client";
import { useCan } from "@/lib/authorization";
import type { Transformation } from "@/types/api";

function Breadcrumb() {
  return (
    <nav aria-label="Breadcrumb" className="mb-4 text-sm">
      <Link to={paths.transformations} className="text-indigo-700 hover:underline">
        ← Transformations
      </Link>
    </nav>
  );
}

/** The editor with the Run panel's lookups, which belong to other features. */
function Editor({ transformation }: { transformation?: Transformation }) {
  const canSave = useCan("configure");
  const canRun = useCan("test");
  const [eventSource, setEventSource] = useState("");
  const sources = useAllSources();
  const recentEvents = useDeliveries({ source: eventSource || undefined });
  const navigate = useNavigate();
  const notify = useToast();
  return (
    <TransformationEditor
      key={transformation?.id ?? "new"}
      transformation={transformation}
      canSave={canSave}
      run={canRun ? { sources, recentEvents, eventSource, onEventSourceChange: setEventSource } : undefined}
      onSaved={(saved, created) => {
        notify(`Transformation “${saved.name}” saved (v${saved.version}).`);
        if (created) void navigate(paths.transformation(saved.id), { replace: true });
      }}
    />
  );
}

function ExistingTransformation({ id }: { id: number }) {
  const transformation = useTransformation(id);
  if (transformation.isPending) return <LoadingState label="Loading the transformation…" />;
  if (transformation.isError) {
    const missing = isApiError(transformation.error) && transformation.error.status === 404;
    return (
      <ErrorState
        error={transformation.error}
        title={missing ? "This transformation does not exist" : "Could not load the transformation"}
        onRetry={() => void transformation.refetch()}
      />
    );
  }
  return (
    <>
      <PageHeader title={transformation.data.name} description={transformation.data.description || undefined} />
      <Editor transformation={transformation.data} />
    </>
  );
}

export default function TransformationRoute() {
  const { id } = useParams();
  return (
    <>
      <Breadcrumb />
      {id === undefined ? (
        <>
          <PageHeader title="New transformation" description="Start from the template, run it against an event, then save." />
          <Editor />
        </>
      ) : (
        <ExistingTransformation id={Number(id)} />
      )}
    </>
  );
}
