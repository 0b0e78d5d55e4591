// Forms are react-hook-form with a zod schema. The server has the last word: its
// validation error names fields (`error.fields`), which go onto those fields, and the
// rest shows above the form. Any field error, the client's or the server's, drops as soon
// as the user edits that field (react-hook-form re-validates on change after a submit).

import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

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
