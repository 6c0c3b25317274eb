import { randomAlphanumeric } from '../crypto/random';

export const GENERATED_SECRET_LENGTH = 128;

export function generateSecret(): string {
  return randomAlphanumeric(GENERATED_SECRET_LENGTH);
}
