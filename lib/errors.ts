import type { z } from 'zod';

/** Errors a caller is expected to show: their message is safe for users and API clients. */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} not found`);
  }
}

export interface FieldError {
  /** Dotted path of the field, e.g. `filters.0.arguments.1.value`. */
  field: string;
  message: string;
}

export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((error) => (error.field ? `${error.field}: ${error.message}` : error.message)).join('; '));
  }

  static fromZod(error: z.ZodError, prefix: string[] = []): ValidationError {
    return new ValidationError(
      error.issues.map((issue) => ({
        field: [...prefix, ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }

  static single(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

/** Parses with a zod schema, turning failure into a ValidationError that names each field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}

/** What went wrong, as one line: an Error's message, or anything else thrown as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What went wrong with where it happened, for logs: an Error's stack when it has one. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
