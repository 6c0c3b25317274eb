import { DomainError, ValidationError } from '../errors';
import { type AttemptOutcome, describeWait, LoginThrottle, type RefusalWindow } from './login-throttle';
import { createFirstAdmin, type UserView, verifyCredentials } from './users';

/**
 * The two ways into the admin UI, each behind the progressive sign-in limit: signing in, and
 * claiming a fresh instance with its setup code. Framework-free: the server actions pass in the
 * client's address and start the session.
 */

export class InvalidCredentialsError extends DomainError {
  override name = 'InvalidCredentialsError';
  constructor() {
    super('Email or password is wrong');
  }
}

export class TooManyAttemptsError extends DomainError {
  override name = 'TooManyAttemptsError';
  constructor(
    what: string,
    readonly retryAfterSeconds: number,
    /** The address's run of refusals this one belongs to: the audit log keeps one row per window. */
    readonly window: RefusalWindow,
  ) {
    super(`Too many ${what}. Try again in ${describeWait(retryAfterSeconds)}.`);
  }
}

const globalForThrottle = globalThis as unknown as { heraldLoginThrottle?: LoginThrottle };

/** The web process's one throttle (kept on globalThis: Next.js may load this module more than once). */
export function loginThrottle(): LoginThrottle {
  globalForThrottle.heraldLoginThrottle ??= new LoginThrottle();
  return globalForThrottle.heraldLoginThrottle;
}

// Setup-code guesses share the per-address count with sign-ins, under a name no email can have.
const SETUP_KEY = '(setup code)';

type Attempt<T> = { outcome: AttemptOutcome; value: T } | { outcome: 'failed'; error: unknown };

async function throttled<T>(
  throttle: LoginThrottle,
  key: string,
  address: string,
  what: string,
  attempt: () => Promise<Attempt<T>>,
): Promise<T> {
  const decision = throttle.begin(key, address);
  if (!decision.allowed) throw new TooManyAttemptsError(what, decision.retryAfterSeconds, decision.window);
  let outcome: AttemptOutcome = 'errored';
  try {
    const result = await attempt();
    outcome = result.outcome;
    if ('error' in result) throw result.error;
    return result.value;
  } finally {
    throttle.finish(key, address, outcome);
  }
}

export interface SignInInput {
  email: string;
  password: string;
}

/** The user for matching credentials; InvalidCredentialsError or TooManyAttemptsError otherwise. */
export async function signIn(
  input: SignInInput,
  clientAddress: string,
  throttle: LoginThrottle = loginThrottle(),
): Promise<UserView> {
  const email = input.email.trim().toLowerCase();
  if (!email || !input.password) throw new DomainError('Enter your email and password');
  const user = await throttled<UserView | null>(throttle, email, clientAddress, 'failed sign-ins', async () => {
    const found = await verifyCredentials({ email, password: input.password }).catch((error: unknown) => {
      // An over-long email or password cannot match: a failure like any other, not an error.
      if (error instanceof ValidationError) return null;
      throw error;
    });
    return { value: found, outcome: found ? 'succeeded' : 'failed' };
  });
  if (!user) throw new InvalidCredentialsError();
  return user;
}

export interface FirstRunInput {
  setupCode: string;
  email: string;
  password: string;
}

const isWrongSetupCode = (error: unknown) =>
  error instanceof ValidationError && error.fieldErrors.some((fieldError) => fieldError.field === 'setupCode');

/** Creates the first admin when the setup code matches; a wrong code counts as a failed attempt. */
export async function claimFirstRun(
  input: FirstRunInput,
  clientAddress: string,
  throttle: LoginThrottle = loginThrottle(),
): Promise<UserView> {
  return throttled<UserView>(throttle, SETUP_KEY, clientAddress, 'wrong setup codes', async () => {
    try {
      return { outcome: 'succeeded', value: await createFirstAdmin(input, clientAddress) };
    } catch (error) {
      if (isWrongSetupCode(error)) return { outcome: 'failed', error };
      throw error;
    }
  });
}
