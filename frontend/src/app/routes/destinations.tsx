import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useDeleteDestination, useDestinations } from "@/features/destinations/api/destinations";
import { DestinationForm } from "@/features/destinations/components/destination-form";
import { DestinationsTable } from "@/features/destinations/components/destinations-table";
import { RotateSigningSecretDialog } from "@/features/destinations/components/rotate-signing-secret-dialog";
import { TestDestinationDialog } from "@/features/destinations/components/test-destination-dialog";
import { useCrudDialogs } from "@/hooks/use-crud-dialogs";
import { useSearchPage } from "@/hooks/use-search-page";
import { isApiError } from "@/lib/api-client";
import { useCan } from "@/lib/authorization";
import { errorMessage } from "@/lib/format";
import type { Destination } from "@/types/api";

const PAGE_SIZE = 50;

type DestinationDialog =
  | { kind: "test"; item: Destination }
  | { kind: "rotate"; item: Destination }
  | { kind: "secret"; title: string; secret: string; detail: string };

function deleteError(error: unknown): string {
  if (isApiError(error) && error.status === 409) {
    return `${error.message} Remove or re-point the routes that use it first.`;
  }
  return errorMessage(error);
}

export function DestinationsRoute() {
  const { search, setSearch, query, page, setPage } = useSearchPage();
  const destinations = useDestinations({ search: query, page, page_size: PAGE_SIZE });
  const remove = useDeleteDestination();
  const notify = useToast();
  const dialogs = useCrudDialogs<Destination, DestinationDialog>({
    remove,
    deleted: (destination) => `Destination “${destination.name}” deleted.`,
    deleteError,
  });
  const { dialog } = dialogs;

  const canConfigure = useCan("configure");
  const canTest = useCan("test");
  const canRotate = useCan("secrets");

  const newButton = canConfigure ? (
    <Button variant="primary" onClick={dialogs.openCreate}>
      New destination
    </Button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Destinations"
        description="Where events go: HTTP endpoints with their auth, signing secret and health."
        actions={
          <>
            <SearchInput
              label="Search destinations"
              value={search}
              onChange={setSearch}
            />
            {newButton}
          </>
        }
      />
      <ListState
        query={destinations}
        loading="Loading destinations…"
        errorTitle="Could not load destinations"
        empty={
          <EmptyState title={query ? "No destination matches this search" : "No destinations yet"} action={query ? undefined : newButton}>
            {query ? "Try another name." : "Add the endpoint that should receive your events."}
          </EmptyState>
        }
        page={page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        noun="destinations"
      >
        {(results) => (
          <DestinationsTable
            destinations={results}
            onEdit={canConfigure ? dialogs.openEdit : undefined}
            onTest={canTest ? (item) => dialogs.open({ kind: "test", item }) : undefined}
            onRotate={canRotate ? (item) => dialogs.open({ kind: "rotate", item }) : undefined}
            onDelete={canConfigure ? dialogs.openDelete : undefined}
          />
        )}
      </ListState>

      {dialogs.formOpen && (
        <DestinationForm
          destination={dialogs.editing}
          onClose={dialogs.close}
          onSaved={(saved) => {
            notify(`Destination “${saved.name}” saved.`);
            dialogs.close();
          }}
        />
      )}
      {dialog?.kind === "test" && <TestDestinationDialog destination={dialog.item} onClose={dialogs.close} />}
      {dialog?.kind === "rotate" && (
        <RotateSigningSecretDialog
          destination={dialog.item}
          onClose={dialogs.close}
          onRotated={(secret, detail) =>
            dialogs.open({ kind: "secret", title: `Signing secret for ${dialog.item.name}`, secret, detail })
          }
        />
      )}
      {dialog?.kind === "secret" && (
        <SecretReveal title={dialog.title} secret={dialog.secret} detail={dialog.detail} onClose={dialogs.close} />
      )}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${dialog.item.name}?`}
          confirmLabel="Delete destination"
          tone="danger"
          {...dialogs.deleteProps(dialog.item)}
        >
          <p>
            Nothing is sent to it any more. Events already delivered to it, their outcomes and attempts stay readable,
            under its name marked “deleted”. A destination that live routes still use cannot be deleted: remove or
            re-point those routes first.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
