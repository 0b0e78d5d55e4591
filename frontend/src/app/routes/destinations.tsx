import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useCan } from "@/features/auth/roles";
import { useDeleteDestination, useDestinations } from "@/features/destinations/api/destinations";
import { DestinationForm } from "@/features/destinations/components/destination-form";
import { DestinationsTable } from "@/features/destinations/components/destinations-table";
import { RotateSigningSecretDialog } from "@/features/destinations/components/rotate-signing-secret-dialog";
import { TestDestinationDialog } from "@/features/destinations/components/test-destination-dialog";
import { useSearchPage } from "@/hooks/use-search-page";
import { isApiError } from "@/lib/api-client";
import { errorMessage } from "@/lib/format";
import type { Destination } from "@/types/api";

const PAGE_SIZE = 50;

type Modal =
  | { kind: "create" }
  | { kind: "edit"; destination: Destination }
  | { kind: "test"; destination: Destination }
  | { kind: "rotate"; destination: Destination }
  | { kind: "delete"; destination: Destination }
  | { kind: "secret"; title: string; secret: string; detail: string }
  | null;

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
  const [modal, setModal] = useState<Modal>(null);
  const close = () => {
    remove.reset();
    setModal(null);
  };

  const canConfigure = useCan("configure");
  const canTest = useCan("test");
  const canRotate = useCan("secrets");

  const newButton = canConfigure ? (
    <Button variant="primary" onClick={() => setModal({ kind: "create" })}>
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
            onEdit={canConfigure ? (destination) => setModal({ kind: "edit", destination }) : undefined}
            onTest={canTest ? (destination) => setModal({ kind: "test", destination }) : undefined}
            onRotate={canRotate ? (destination) => setModal({ kind: "rotate", destination }) : undefined}
            onDelete={canConfigure ? (destination) => setModal({ kind: "delete", destination }) : undefined}
          />
        )}
      </ListState>

      {(modal?.kind === "create" || modal?.kind === "edit") && (
        <DestinationForm
          destination={modal.kind === "edit" ? modal.destination : undefined}
          onClose={close}
          onSaved={(saved) => {
            notify(`Destination “${saved.name}” saved.`);
            close();
          }}
        />
      )}
      {modal?.kind === "test" && <TestDestinationDialog destination={modal.destination} onClose={close} />}
      {modal?.kind === "rotate" && (
        <RotateSigningSecretDialog
          destination={modal.destination}
          onClose={close}
          onRotated={(secret, detail) =>
            setModal({ kind: "secret", title: `Signing secret for ${modal.destination.name}`, secret, detail })
          }
        />
      )}
      {modal?.kind === "secret" && (
        <SecretReveal title={modal.title} secret={modal.secret} detail={modal.detail} onClose={close} />
      )}
      {modal?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${modal.destination.name}?`}
          confirmLabel="Delete destination"
          tone="danger"
          pending={remove.isPending}
          error={remove.isError ? deleteError(remove.error) : undefined}
          onClose={close}
          onConfirm={() =>
            remove.mutate(modal.destination.id, {
              onSuccess: () => {
                notify(`Destination “${modal.destination.name}” deleted.`);
                close();
              },
            })
          }
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
