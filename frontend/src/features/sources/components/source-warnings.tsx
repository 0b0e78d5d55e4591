// The server's warnings about a source's configuration (e.g. a scheme that verifies
// nothing), shown wherever the source is.

export function SourceWarnings({ warnings }: { warnings: string[] | undefined }) {
  if (!warnings || warnings.length === 0) return null;
  return (
    <ul aria-label="Warnings" className="mt-1.5 space-y-0.5">
      {warnings.map((warning) => (
        <li key={warning} className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900">
          <span aria-hidden="true">⚠ </span>
          {warning}
        </li>
      ))}
    </ul>
  );
}
