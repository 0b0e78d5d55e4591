import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useRevokeToken, useTokens } from "@/features/tokens/api/tokens";
import { CreateTokenDialog } from "@/features/tokens/components/create-token-dialog";
import { TokensTable } from "@/features/tokens/components/tokens-table";
import { useCrudDialogs } from "@/hooks/use-crud-dialogs";
import { useCan } from "@/lib/authorization";
import type { ApiToken, CreatedApiToken } from "@/types/api";

// Revoking is this page's delete; a new token is shown once, in its own dialog.
type TokenDialog = { kind: "created"; token: CreatedApiToken };

function TokensPage() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const dialogs = useCrudDialogs<ApiToken, TokenDialog>({ remove: revoke, deleted: (token) => `Token “${token.name}” revoked.` });
  const { dialog } = dialogs;

  const newButton = (
    <Button variant="primary" onClick={dialogs.openCreate}>
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
        <TokensTable tokens={tokens.data} onRevoke={dialogs.openDelete} />
      )}

      {dialog?.kind === "create" && (
        <CreateTokenDialog onClose={dialogs.close} onCreated={(token) => dialogs.open({ kind: "created", token })} />
      )}
      {dialog?.kind === "created" && (
        <SecretReveal
          title={`Token ${dialog.token.name}`}
          secret={dialog.token.token}
          notice="Copy this token now: only its hash is stored, so it cannot be shown again."
          copyLabel="Copy token"
          detail={dialog.token.expires_at ? `Expires ${new Date(dialog.token.expires_at).toLocaleString()}.` : "It never expires."}
          onClose={dialogs.close}
        />
      )}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Revoke ${dialog.item.name || dialog.item.prefix}?`}
          confirmLabel="Revoke token"
          tone="danger"
          {...dialogs.deleteProps(dialog.item)}
        >
          <p>
            Requests with the token <span className="font-mono">{dialog.item.prefix}…</span> of {dialog.item.username} are
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
