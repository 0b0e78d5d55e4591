import { CopyableValue } from "@/components/ui/copy-button";
import type { Source } from "@/types/api";

/** The gateway's base URL, read from the source's ingest URL (the server builds it). */
function gatewayOf(ingestUrl: string): string {
  try {
    return new URL(ingestUrl).origin;
  } catch {
    return window.location.origin;
  }
}

/** The `relaycore listen` command for this source: a developer's local copy of its events. */
export function listenCommand(source: Pick<Source, "slug" | "ingest_url">): string {
  return (
    `relaycore listen --api ${gatewayOf(source.ingest_url)} --token "$RELAYCORE_TOKEN" ` +
    `--source ${source.slug} --forward http://localhost:3000/hooks`
  );
}

export function ListenHint({ source }: { source: Source }) {
  return (
    <details className="mt-1.5 text-xs text-gray-600">
      <summary className="cursor-pointer select-none">Replay to your machine</summary>
      <p className="mt-1">
        With the <code className="font-mono">relaycore</code> client (<code className="font-mono">pip install ./cli</code>)
        and a viewer token, each accepted event is replayed to a local URL:
      </p>
      <div className="mt-1">
        <CopyableValue value={listenCommand(source)} label={`Copy listen command of ${source.name}`} />
      </div>
    </details>
  );
}
