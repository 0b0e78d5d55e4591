// Forms are react-hook-form with a zod schema. The server has the last word: its
// validation error names fields (`error.fields`), which go onto those fields, and the
// rest shows above the form. Any field error, the client's or the server's, drops as soon
// as that field's value changes, whether the user typed it or the form set it (a slug
// that follows the name): `useServerForm`. react-hook-form alone re-validates only what
// the user typed, so a field the form filled in kept the server's stale message.

import { useEffect } from "react";
import { useForm, type FieldValues, type Path, type UseFormProps, type UseFormReturn, type UseFormSetError } from "react-hook-form";

import { isApiError } from "./api-client";
import { errorMessage, nonFieldErrors } from "./format";

/** Puts the server's messages for known fields onto those fields. */
export function setServerErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  error: unknown,
  fields: readonly Path<T>[],
): void {
  if (!isApiError(error)) return;
  for (const field of fields) {
    const message = error.fieldError(field);
    if (message !== undefined) setError(field, { type: "server", message });
  }
}

/** The messages that belong to no field of the form: the whole message when no field is named. */
export function generalErrors(error: unknown, fields: readonly string[]): string[] {
  if (isApiError(error)) {
    return Object.keys(error.fields).length === 0 ? [error.message] : nonFieldErrors(error, fields);
  }
  return error ? [errorMessage(error)] : [];
}

/** "a.b.c" -> ["a.b.c", "a.b", "a"]: a change under a field also answers a message on the whole. */
function withParents(name: string): string[] {
  const parts = name.split(".");
  return parts.map((_, index) => parts.slice(0, parts.length - index).join("."));
}

/**
 * useForm, and a field's error dropped whenever its value changes (its parent's own message
 * too). The client's rules run again on the next change or submit, so an error still true
 * comes back; a server message waits for the next save.
 */
export function useServerForm<T extends FieldValues>(props: UseFormProps<T>): UseFormReturn<T> {
  const form = useForm<T>(props);
  const { subscribe, getFieldState, clearErrors } = form;
  useEffect(
    () =>
      subscribe({
        formState: { values: true },
        callback: ({ name }) => {
          if (!name) return;
          for (const path of withParents(name) as Path<T>[]) {
            const error = getFieldState(path).error;
            // A parent holding only its children's errors is left to them.
            if (error && (path === name || error.type !== undefined)) clearErrors(path);
          }
        },
      }),
    [subscribe, getFieldState, clearErrors],
  );
  return form;
}
