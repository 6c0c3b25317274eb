/** Filters per webhook, as in the seeds; in a module of its own so the admin UI's editor imports it too. */
export const MAX_FILTERS = 10;
