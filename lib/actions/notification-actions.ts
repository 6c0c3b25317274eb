'use server';

import { z } from 'zod';
import { logger } from '../logger';
import { type ConfirmationLookup, confirmAddress } from '../notifications/addresses';

/** What the confirmation page shows after its button was pressed. */
export type ConfirmAddressState = ConfirmationLookup | null;

const ZConfirmForm = z.object({ token: z.string().trim().min(1).max(128) });

/**
 * Confirms a notification address from the link mailed to it. No session: whoever holds the link
 * reads that address's mail. A POST, never the page's GET, so a mail scanner that opens links
 * confirms nothing; the token works once.
 */
export async function confirmAddressAction(
  _previous: ConfirmAddressState,
  form: FormData,
): Promise<ConfirmAddressState> {
  const parsed = ZConfirmForm.safeParse({ token: form.get('token') });
  if (!parsed.success) return { ok: false, message: 'This confirmation link is not valid.' };
  const result = await confirmAddress(parsed.data.token);
  if (result.ok) logger('admin').info(`notification address ${result.email} confirmed`);
  return result;
}
