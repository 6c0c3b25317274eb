export interface FieldErrorLike {
  field: string;
  message: string;
}

/** Messages for one field: exact matches, plus nested ones (`filters.0` gets `filters.0.type`) when asked. */
export function errorsFor(errors: readonly FieldErrorLike[], field: string, nested = false): string[] | undefined {
  const messages = errors
    .filter((error) => error.field === field || (nested && error.field.startsWith(`${field}.`)))
    .map((error) => error.message);
  return messages.length > 0 ? messages : undefined;
}
