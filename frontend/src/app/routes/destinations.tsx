import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import {
  useDeleteDestination,
  useDestinations,
  useEnableDestination,
  usePauseDestination,
  useResumeDestination,
} from "@/features/destinations/api/destinations";
import { DestinationForm } from "@/features/destinations/components/destination-form";
import { DestinationsTable } from "@/features/destinations/components/destinations-table";
import { RotateSigningSecretDialog } from "@/features/destinations/components/rotate-signing-secret-dialog";
import { TestDestinationDialog } from "@/features/destinations/components/test-destination-dialog";
import { useRoutes } from "@/features/routes/api/routes";
import { useCrudDialogs } from "@/hooks/use-crud-dialogs";
import { usePauseToggle } from "@/hooks/use-pause-toggle";
import { useSearchPage } from "@/hooks/use-search-page";
import { useCan } from "@/lib/authorization";
import { errorMessage } from "@/lib/format";
import { releasedText } from "@/lib/pause";
import type { Destination } from "@/types/api";

const PAGE_SIZE = 50;

type DeleteProps = ReturnType<ReturnType<typeof useCrudDialogs<Destination>>["deleteProps"]>;

type DestinationDialog =
  | { kind: "test"; item: Destination }
  | { kind: "rotate"; item: Destination }
  | { kind: "secret"; title: string; secret: string; detail: string };

/** "a", "a and b", "a, b and c", "a, b, c and 2 more". */
function namesList(names: string[], total: number): string {
  const more = total - names.length;
  const shown = more > 0 ? [...names, `${more} more`] : names;
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : (shown[0] ?? "");
}

const SHOWN_ROUTES = 5;

/**
 * Before the confirmation, the routes that deliver to the destination: while any do, the
 * API refuses the delete (409), so the dialog says so and names them instead of offering
 * a button that can only fail. A refusal that still comes (a route added meanwhile) shows
 * the API's own sentence, once.
 */
function DeleteDestinationDialog({ destination, dialogProps }: { destination: Destination; dialogProps: DeleteProps }) {
  const routes = useRoutes({ destination: destination.id, page_size: SHOWN_ROUTES });
  const checking = routes.isPending || routes.isPlaceholderData;
  const using = routes.data && !checking ? routes.data.count : 0;

  if (using > 0 && routes.data) {
    const names = namesList(
      routes.data.results.map((route) => route.name),
      routes.data.count,
    );
    return (
      <Dialog
        title={`${destination.name} is in use`}
        onClose={dialogProps.onClose}
        footer={<Button onClick={dialogProps.onClose}>Close</Button>}
      >
        <p className="text-sm text-gray-700">
          {using === 1 ? `The route ${names} delivers` : `The routes ${names} deliver`} to this destination: delete{" "}
          {using === 1 ? "it" : "them"} or point {using === 1 ? "it" : "them"} elsewhere before deleting the destination.
        </p>
      </Dialog>
    );
  }
  return (
    <ConfirmDialog
      title={`Delete ${destination.name}?`}
      confirmLabel="Delete destination"
      tone="danger"
      {...dialogProps}
      pending={dialogProps.pending || checking}
    >
      <p>
        Nothing is sent to it any more. Events already delivered to it, their outcomes and attempts stay readable,
        under its name marked “deleted”.
      </p>
      {routes.isError && <p>Could not check which routes use it: {errorMessage(routes.error)}</p>}
    </ConfirmDialog>
  );
}

export function DestinationsRoute() {
  const { search, setSearch, query, page, setPage } = useSearchPage();
  const destinations = useDestinations({ search: query, page, page_size: PAGE_SIZE });
  const remove = useDeleteDestination();
  const notify = useToast();
  const dialogs = useCrudDialogs<Destination, DestinationDialog>({
    remove,
    deleted: (destination) => `Destination “${destination.name}” deleted.`,
  });
  const { dialog } = dialogs;

  const canConfigure = useCan("configure");
  const canTest = useCan("test");
  const canRotate = useCan("secrets");
  const canPause = useCan("pause");
  const pause = usePauseToggle<Destination>("Destination", usePauseDestination(), useResumeDestination());
  const enable = useEnableDestination();
  const enableOne = (item: Destination) =>
    enable.mutate(item.id, {
      onSuccess: (answer) => notify(`Destination “${item.name}” enabled.${releasedText(answer.released)}`),
      onError: (error) => notify(errorMessage(error), "error"),
    });

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
            onTogglePause={canPause ? pause.toggle : undefined}
            pausePending={pause.pending}
            onEnable={canPause ? enableOne : undefined}
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
        <DeleteDestinationDialog destination={dialog.item} dialogProps={dialogs.deleteProps(dialog.item)} />
      )}
    </>
  );
}
