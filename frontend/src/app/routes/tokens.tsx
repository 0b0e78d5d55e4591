import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useCan } from "@/features/auth/roles";
import { useRevokeToken, useTokens } from "@/features/tokens/api/tokens";
import { CreateTokenDialog } from "@/features/tokens/components/create-token-dialog";
import { TokensTable } from "@/features/tokens/components/tokens-table";
import { errorMessage } from "@/lib/format";
import type { ApiToken, CreatedApiToken } from "@/types/api";

type Modal = { kind: "create" } | { kind: "created"; token: CreatedApiToken } | { kind: "revoke"; token: ApiToken } | null;

function TokensPage() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const notify = useToast();
  const [modal, setModal] = useState<Modal>(null);
  const close = () => {
    revoke.reset();
    setModal(null);
  };

  const newButton = (
    <Button variant="primary" onClick={() => setModal({ kind: "create" })}>
      New token
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Credentials for scripts. Only a hash and the first characters are kept: a token is shown once, when it is made."
        actions={newButton}
      />
      {tokens.isPending ? (
        <LoadingState label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} title="Could not load tokens" />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No API tokens yet" action={newButton}>
          Make one for each script, so each can be revoked on its own.
        </EmptyState>
      ) : (
        <TokensTable tokens={tokens.data} onRevoke={(token) => setModal({ kind: "revoke", token })} />
      )}

      {modal?.kind === "create" && (
        <CreateTokenDialog onClose={close} onCreated={(token) => setModal({ kind: "created", token })} />
      )}
      {modal?.kind === "created" && (
        <SecretReveal
          title={`Token ${modal.token.name}`}
          secret={modal.token.token}
          notice="Copy this token now: only its hash is stored, so it cannot be shown again."
          copyLabel="Copy token"
          detail={modal.token.expires_at ? `Expires ${new Date(modal.token.expires_at).toLocaleString()}.` : "It never expires."}
          onClose={close}
        />
      )}
      {modal?.kind === "revoke" && (
        <ConfirmDialog
          title={`Revoke ${modal.token.name || modal.token.prefix}?`}
          confirmLabel="Revoke token"
          tone="danger"
          pending={revoke.isPending}
          error={revoke.isError ? errorMessage(revoke.error) : undefined}
          onClose={close}
          onConfirm={() =>
            revoke.mutate(modal.token.id, {
              onSuccess: () => {
                notify(`Token “${modal.token.name}” revoked.`);
                close();
              },
            })
          }
        >
          <p>
            Requests with the token <span className="font-mono">{modal.token.prefix}…</span> of {modal.token.username} are
            refused (401) from now on. This cannot be undone; the row stays listed as revoked.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

export function TokensRoute() {
  // The nav offers this page to admins only; an address typed by hand gets a plain refusal.
  const allowed = useCan("tokens");
  if (!allowed) {
    return <EmptyState title="Only administrators manage API tokens" />;
  }
  return <TokensPage />;
}
