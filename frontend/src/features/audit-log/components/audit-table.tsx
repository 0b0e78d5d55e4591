import { StatusBadge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import type { AuditEntry } from "@/types/api";

import { objectTypeLabel } from "../object-types";
import { ChangeDiff } from "./change-diff";

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table caption="Audit log">
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Who</Th>
          <Th>Action</Th>
          <Th>Object</Th>
          <Th className="min-w-80">Changes</Th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id} className="hover:bg-gray-50">
            <Td className="whitespace-nowrap text-gray-600">
              <RelativeTime iso={entry.timestamp} />
            </Td>
            <Td label="Who">{entry.actor ?? <span className="text-gray-400">system</span>}</Td>
            <Td label="Action">
              <StatusBadge status={entry.action} />
            </Td>
            <Td label="Object">
              <div className="text-gray-900">{entry.object_repr}</div>
              <div className="font-mono text-xs text-gray-500">
                {objectTypeLabel(entry.object_type)} #{entry.object_id}
              </div>
            </Td>
            <Td>
              <ChangeDiff changes={entry.changes} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
