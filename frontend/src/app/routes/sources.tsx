import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useCan } from "@/features/auth/roles";
import { useSources } from "@/features/sources/api/sources";
import { DeleteSourceDialog } from "@/features/sources/components/delete-source-dialog";
import { RotateSecretDialog } from "@/features/sources/components/rotate-secret-dialog";
import { SourceForm } from "@/features/sources/components/source-form";
import { SourcesTable } from "@/features/sources/components/sources-table";
import { useSearchPage } from "@/hooks/use-search-page";
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
  const notify = useToast();
  const canConfigure = useCan("configure");
  const canRotate = useCan("secrets");
  const [modal, setModal] = useState<Modal>(null);
  const close = () => setModal(null);

  const newButton = canConfigure ? (
    <Button variant="primary" onClick={() => setModal({ kind: "create" })}>
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
            onEdit={canConfigure ? (source) => setModal({ kind: "edit", source }) : undefined}
            onRotate={canRotate ? (source) => setModal({ kind: "rotate", source }) : undefined}
            onDelete={canConfigure ? (source) => setModal({ kind: "delete", source }) : undefined}
          />
        )}
      </ListState>

      {(modal?.kind === "create" || modal?.kind === "edit") && (
        <SourceForm
          source={modal.kind === "edit" ? modal.source : undefined}
          onClose={close}
          onSaved={(saved, generatedSecret) => {
            const warnings = saved.warnings ?? [];
            notify([`Source “${saved.name}” saved.`, ...warnings].join(" "));
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
      {modal?.kind === "delete" && <DeleteSourceDialog source={modal.source} onClose={close} />}
    </>
  );
}
