/** Why the embedded PostgreSQL cannot run, worded for the person who ran `npm start`. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}
