import { Link } from "react-router";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ActionsTd, ActionsTh, Table, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { paths } from "@/config/paths";
import type { Transformation } from "@/types/api";

/** The name opens the editor for everyone (read-only for viewers); delete only when its handler is given. */
interface TransformationsTableProps {
  transformations: Transformation[];
  onDelete?: (transformation: Transformation) => void;
}

export function TransformationsTable({ transformations, onDelete }: TransformationsTableProps) {
  return (
    <Table caption="Transformations">
      <thead>
        <tr>
          <Th>Transformation</Th>
          <Th>Version</Th>
          <Th>Routes using it</Th>
          <Th>Updated</Th>
          {onDelete && <ActionsTh />}
        </tr>
      </thead>
      <tbody>
        {transformations.map((item) => (
          <tr key={item.id} className="group hover:bg-gray-50">
            <Td className="max-w-md">
              <Link to={paths.transformation(item.id)} className="font-medium text-indigo-700 hover:underline">
                {item.name}
              </Link>
              {item.description && <div className="truncate text-xs text-gray-600">{item.description}</div>}
            </Td>
            <Td label="Version">
              <Badge tone="accent">v{item.version}</Badge>
            </Td>
            <Td label="Routes using it" className="tabular-nums">
              {item.routes.length === 0 ? <span className="text-xs text-gray-400">none</span> : item.routes.length}
            </Td>
            <Td label="Updated">
              <RelativeTime iso={item.updated_at} />
            </Td>
            {onDelete && (
              <ActionsTd>
                <Button size="sm" variant="danger" aria-label={`Delete ${item.name}`} onClick={() => onDelete(item)}>
                  Delete
                </Button>
              </ActionsTd>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
