// The dialogs of a list page (sources, destinations, routes, tokens): at most one open at
// a time, a form for creating or editing one item, a confirmation for deleting one, and
// whatever kinds the page adds (rotate, test, a secret shown once). Closing resets the
// delete mutation, so the error of an earlier attempt never shows in the next dialog.

import { useState } from "react";

import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/format";

/** The open dialog; `Extra` is the page's own kinds, each an object with its own `kind`. */
export type CrudDialog<T, Extra extends { kind: string } = never> =
  | { kind: "create" }
  | { kind: "edit"; item: T }
  | { kind: "delete"; item: T }
  | Extra;

/** The part of a TanStack delete mutation (it takes the item's id) that the dialogs use. */
export interface DeleteMutation {
  mutate: (id: number, options?: { onSuccess?: () => void }) => void;
  reset: () => void;
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

interface CrudDialogOptions<T> {
  /** The delete mutation behind `deleteProps`. */
  remove?: DeleteMutation;
  /** The toast once an item is deleted. */
  deleted?: (item: T) => string;
  /** How a refusal reads in the confirmation (default: the API's message). */
  deleteError?: (error: unknown) => string;
}

export function useCrudDialogs<T extends { id: number }, Extra extends { kind: string } = never>(
  options: CrudDialogOptions<T> = {},
) {
  const { remove, deleted, deleteError = errorMessage } = options;
  const [dialog, setDialog] = useState<CrudDialog<T, Extra> | null>(null);
  const notify = useToast();

  const close = () => {
    remove?.reset();
    setDialog(null);
  };

  return {
    dialog,
    open: setDialog,
    close,
    openCreate: () => setDialog({ kind: "create" }),
    openEdit: (item: T) => setDialog({ kind: "edit", item }),
    openDelete: (item: T) => setDialog({ kind: "delete", item }),
    /** Whether the create/edit form is open, and the item it edits (undefined: a new one). */
    formOpen: dialog?.kind === "create" || dialog?.kind === "edit",
    // TypeScript cannot narrow a union with a generic member (Extra) by `kind`.
    editing: dialog?.kind === "edit" ? (dialog as { item: T }).item : undefined,
    /** The ConfirmDialog props that delete `item`: pending, error, close, and confirm (toast, then close). */
    deleteProps: (item: T) => ({
      pending: remove?.isPending ?? false,
      error: remove?.isError ? deleteError(remove.error) : undefined,
      onClose: close,
      onConfirm: () =>
        remove?.mutate(item.id, {
          onSuccess: () => {
            if (deleted) notify(deleted(item));
            close();
          },
        }),
    }),
  };
}
