import { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { hashPassword, needsRehash, verifyPassword } from '../crypto/password-hash';
import { type Prisma, prisma } from '../db/client';
import { DomainError, parseInput, ValidationError } from '../errors';
import type { Role } from './roles';
import { consumeSetupCode, lockFirstAdmin, matchesSetupCode } from './setup-code';

export const MIN_PASSWORD_LENGTH = 12;

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdDate: Date;
}

export const ZEmail = z
  .string({ error: 'email is required' })
  .trim()
  .toLowerCase()
  .max(320, 'email may be at most 320 characters')
  .pipe(z.email('enter an email address'));

export const ZSetupInput = z.object({
  setupCode: z
    .string({ error: 'enter the setup code' })
    .trim()
    .min(1, 'enter the setup code')
    .max(64, 'this is not a setup code'),
  email: ZEmail,
  password: z
    .string({ error: 'password is required' })
    .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(256, 'password may be at most 256 characters'),
});

export const ZLoginInput = z.object({
  email: z.string().trim().toLowerCase().min(1, 'email is required').max(320),
  password: z.string().min(1, 'password is required').max(256),
});

export class SetupDoneError extends DomainError {
  override name = 'SetupDoneError';
  constructor() {
    super('Herald already has an admin account: sign in instead');
  }
}

export const USER_SELECT = { id: true, email: true, name: true, role: true, createdDate: true } as const;

export async function hasUsers(): Promise<boolean> {
  return (await prisma().user.count()) > 0;
}

export const WRONG_SETUP_CODE = "does not match: use the code printed in Herald's output when it started";

/**
 * Creates the first admin, if the setup code matches (and uses the code up). Two setup forms
 * submitted at once cannot both win: the advisory lock serialises them and the second sees the
 * first's user.
 */
export async function createFirstAdmin(
  input: z.input<typeof ZSetupInput>,
  sourceIp: string | null = null,
): Promise<UserView> {
  const data = parseInput(ZSetupInput, input);
  // Checked before the costly hash too, so wrong codes cost the server next to nothing.
  if (!(await matchesSetupCode(data.setupCode))) {
    if (await hasUsers()) throw new SetupDoneError();
    throw ValidationError.single('setupCode', WRONG_SETUP_CODE);
  }
  const passwordHash = await hashPassword(data.password);
  return prisma().$transaction(async (tx) => {
    await lockFirstAdmin(tx);
    if ((await tx.user.count()) > 0) throw new SetupDoneError();
    if (!(await consumeSetupCode(tx, data.setupCode))) throw ValidationError.single('setupCode', WRONG_SETUP_CODE);
    // Whoever claims the instance owns it.
    return addUser(tx, { email: data.email, passwordHash, role: 'Owner' }, 'user.set-up', sourceIp);
  });
}

/**
 * Creates a user who signed themselves up (setting Herald up, accepting an invitation) and, in the
 * same transaction, the audit entry saying so, with the new user as the actor.
 */
export async function addUser(
  tx: Prisma.TransactionClient,
  data: { email: string; name?: string; role: Role; passwordHash: string },
  action: 'user.set-up' | 'user.joined',
  sourceIp: string | null,
): Promise<UserView> {
  const user = await tx.user.create({ data, select: USER_SELECT });
  await recordAudit(tx, {
    hubId: null,
    actor: { type: 'user', id: user.id, label: user.email },
    sourceIp,
    action,
    target: { type: 'user', id: user.id, label: user.email },
    changes: { role: { from: null, to: user.role } },
  });
  return user;
}

// Compared against when the email is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;

/**
 * The user when email and password match, else null (no hint which part was wrong). A hash made
 * with weaker parameters than today's is replaced while the password is at hand.
 */
export async function verifyCredentials(input: z.input<typeof ZLoginInput>): Promise<UserView | null> {
  const data = parseInput(ZLoginInput, input);
  const user = await prisma().user.findUnique({ where: { email: data.email }, omit: { passwordHash: false } });
  dummyHash ??= hashPassword('herald-no-such-user');
  const ok = await verifyPassword(data.password, user?.passwordHash ?? (await dummyHash));
  if (!user || !ok) return null;
  if (needsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(data.password);
    // Only if nobody changed the hash meanwhile.
    await prisma().user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } });
  }
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdDate: user.createdDate };
}

export async function getUser(id: string): Promise<UserView | null> {
  return prisma().user.findUnique({ where: { id }, select: USER_SELECT });
}
