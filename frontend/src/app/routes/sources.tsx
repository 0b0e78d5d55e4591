import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useDeleteSource, useSources } from "@/features/sources/api/sources";
import { RotateSecretDialog } from "@/features/sources/components/rotate-secret-dialog";
import { SourceForm } from "@/features/sources/components/source-form";
import { SourcesTable } from "@/features/sources/components/sources-table";
import { useSearchPage } from "@/hooks/use-search-page";
import { errorMessage } from "@/lib/format";
import type { Source } from "@/types/api";

const PAGE_SIZE = 50;

type Modal =
  | { kind: "create" }
  | { kind: "edit"; source: Source }
  | { kind: "rotate"; source: Source }
  | { kind: "delete"; source: Source }
  | { kind: "secret"; title: string; secret: string; detail?: string }
  | null;

export function SourcesRoute() {
  const { search, setSearch, query, page, setPage } = useSearchPage();
  const sources = useSources({ search: query, page, page_size: PAGE_SIZE });
  const remove = useDeleteSource();
  const notify = useToast();
  const [modal, setModal] = useState<Modal>(null);
  const close = () => {
    remove.reset();
    setModal(null);
  };

  const newButton = (
    <Button variant="primary" onClick={() => setModal({ kind: "create" })}>
      New source
    </Button>
  );

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
            onEdit={(source) => setModal({ kind: "edit", source })}
            onRotate={(source) => setModal({ kind: "rotate", source })}
            onDelete={(source) => setModal({ kind: "delete", source })}
          />
        )}
      </ListState>

      {(modal?.kind === "create" || modal?.kind === "edit") && (
        <SourceForm
          source={modal.kind === "edit" ? modal.source : undefined}
          onClose={close}
          onSaved={(saved, generatedSecret) => {
            notify(`Source “${saved.name}” saved.`);
            setModal(
              generatedSecret
                ? { kind: "secret", title: `Secret for ${saved.name}`, secret: generatedSecret, detail: `Ingest URL: ${saved.ingest_url}` }
                : null,
            );
          }}
        />
      )}
      {modal?.kind === "rotate" && (
        <RotateSecretDialog
          source={modal.source}
          onClose={close}
          onRotated={(secret, detail) => setModal({ kind: "secret", title: `New secret for ${modal.source.name}`, secret, detail })}
        />
      )}
      {modal?.kind === "secret" && (
        <SecretReveal title={modal.title} secret={modal.secret} detail={modal.detail} onClose={close} />
      )}
      {modal?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${modal.source.name}?`}
          confirmLabel="Delete source"
          tone="danger"
          pending={remove.isPending}
          error={remove.isError ? errorMessage(remove.error) : undefined}
          onClose={close}
          onConfirm={() =>
            remove.mutate(modal.source.id, {
              onSuccess: () => {
                notify(`Source “${modal.source.name}” deleted.`);
                close();
              },
            })
          }
        >
          <p>
            Producers posting to <span className="font-mono">{modal.source.ingest_url}</span> will get 404 from now on.
            Events already received are kept.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
