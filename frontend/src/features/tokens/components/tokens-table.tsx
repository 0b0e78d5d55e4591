import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ActionsTd, ActionsTh, Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { formatDateTime } from "@/lib/format";
import type { ApiToken } from "@/types/api";

function isExpired(token: ApiToken, now: Date): boolean {
  return token.expires_at !== null && new Date(token.expires_at) <= now;
}

function TokenState({ token, now }: { token: ApiToken; now: Date }) {
  if (token.revoked_at) return <Badge tone="danger">Revoked</Badge>;
  if (isExpired(token, now)) return <Badge tone="warning">Expired</Badge>;
  return <Badge tone="success">Active</Badge>;
}

export function TokensTable({ tokens, onRevoke }: { tokens: ApiToken[]; onRevoke: (token: ApiToken) => void }) {
  const now = new Date();
  return (
    <Table caption="API tokens">
      <thead>
        <tr>
          <Th>Token</Th>
          <Th>User</Th>
          <Th>Created</Th>
          <Th>Expires</Th>
          <Th>Last used</Th>
          <Th>Revoked</Th>
          <ActionsTh />
        </tr>
      </thead>
      <tbody>
        {tokens.map((token) => (
          <tr key={token.id} className="group hover:bg-gray-50">
            <Td>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-gray-900">{token.name || "—"}</span>
                <TokenState token={token} now={now} />
              </div>
              <div className="font-mono text-xs text-gray-500" title="The visible start of the token; the rest is stored hashed">
                {token.prefix}…
              </div>
            </Td>
            <Td label="User">{token.username}</Td>
            <Td label="Created" className="whitespace-nowrap">
              <RelativeTime iso={token.created_at} />
            </Td>
            <Td label="Expires" className="whitespace-nowrap">
              {token.expires_at ? (
                <time dateTime={token.expires_at}>{formatDateTime(token.expires_at)}</time>
              ) : (
                <span className="text-gray-400">never</span>
              )}
            </Td>
            <Td label="Last used" className="whitespace-nowrap">
              <RelativeTime iso={token.last_used_at} fallback="never" />
            </Td>
            <Td label="Revoked" className="whitespace-nowrap">
              <RelativeTime iso={token.revoked_at} />
            </Td>
            <ActionsTd>
              {!token.revoked_at && (
                <Button size="sm" variant="danger" aria-label={`Revoke ${token.name || token.prefix}`} onClick={() => onRevoke(token)}>
                  Revoke
                </Button>
              )}
            </ActionsTd>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
