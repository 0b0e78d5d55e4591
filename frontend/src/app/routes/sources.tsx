import { useQueryClient } from "@tanstack/react-query";

import { Button } from "@/components/ui/button";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { routeKeys, useRoutes } from "@/features/routes/api/routes";
import { useSchemes } from "@/features/schemes/api/schemes";
import { useSources } from "@/features/sources/api/sources";
import { DeleteSourceDialog } from "@/features/sources/components/delete-source-dialog";
import { RotateSecretDialog } from "@/features/sources/components/rotate-secret-dialog";
import { SourceForm, type SourceFormProps } from "@/features/sources/components/source-form";
import { SourcesTable } from "@/features/sources/components/sources-table";
import { useCrudDialogs } from "@/hooks/use-crud-dialogs";
import { useSearchPage } from "@/hooks/use-search-page";
import { useCan } from "@/lib/authorization";
import type { Source } from "@/types/api";

const PAGE_SIZE = 50;

type SourceDialog = { kind: "rotate"; item: Source } | { kind: "secret"; title: string; secret: string; detail?: string };

export function SourcesRoute() {
  const { search, setSearch, query, page, setPage } = useSearchPage();
  const sources = useSources({ search: query, page, page_size: PAGE_SIZE });
  const notify = useToast();
  const canConfigure = useCan("configure");
  const canRotate = useCan("secrets");
  const dialogs = useCrudDialogs<Source, SourceDialog>();
  const { dialog } = dialogs;

  const newButton = canConfigure ? (
    <Button variant="primary" onClick={dialogs.openCreate}>
      New source
    </Button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Sources"
        description="Where webhooks come in: one ingest URL per provider, each verified with its own scheme."
        actions={
          <>
            <SearchInput
              label="Search sources"
              value={search}
              onChange={setSearch}
            />
            {newButton}
          </>
        }
      />
      <ListState
        query={sources}
        loading="Loading sources…"
        errorTitle="Could not load sources"
        empty={
          <EmptyState title={query ? "No source matches this search" : "No sources yet"} action={query ? undefined : newButton}>
            {query ? "Try another name or slug." : "Create a source to get an ingest URL for your provider."}
          </EmptyState>
        }
        page={page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        noun="sources"
      >
        {(results) => (
          <SourcesTable
            sources={results}
            onEdit={canConfigure ? dialogs.openEdit : undefined}
            onRotate={canRotate ? (item) => dialogs.open({ kind: "rotate", item }) : undefined}
            onDelete={canConfigure ? dialogs.openDelete : undefined}
          />
        )}
      </ListState>

      {dialogs.formOpen && (
        <SourceEditor
          source={dialogs.editing}
          onClose={dialogs.close}
          onSaved={(saved, generatedSecret) => {
            const warnings = saved.warnings ?? [];
            notify([`Source “${saved.name}” saved.`, ...warnings].join(" "));
            dialogs.open(
              generatedSecret
                ? { kind: "secret", title: `Secret for ${saved.name}`, secret: generatedSecret, detail: `Ingest URL: ${saved.ingest_url}` }
                : null,
            );
          }}
        />
      )}
      {dialog?.kind === "rotate" && (
        <RotateSecretDialog
          source={dialog.item}
          onClose={dialogs.close}
          onRotated={(secret, detail) => dialogs.open({ kind: "secret", title: `New secret for ${dialog.item.name}`, secret, detail })}
        />
      )}
      {dialog?.kind === "secret" && (
        <SecretReveal title={dialog.title} secret={dialog.secret} detail={dialog.detail} onClose={dialogs.close} />
      )}
      {dialog?.kind === "delete" && <DeleteSource source={dialog.item} onClose={dialogs.close} />}
    </>
  );
}

/** The source form with the verification schemes to choose from (another feature's list). */
function SourceEditor(props: Omit<SourceFormProps, "schemes">) {
  const schemes = useSchemes();
  return <SourceForm {...props} schemes={schemes} />;
}

/** The delete confirmation with what the routes feature knows: how many routes go with the source. */
function DeleteSource({ source, onClose }: { source: Source; onClose: () => void }) {
  const routes = useRoutes({ source: source.id, page_size: 1 });
  const client = useQueryClient();
  return (
    <DeleteSourceDialog
      source={source}
      routeCount={routes.data?.count}
      onDeleted={() => void client.invalidateQueries({ queryKey: routeKeys.all })}
      onClose={onClose}
    />
  );
}
