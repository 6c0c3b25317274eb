import { ButtonLink } from '@/components/ui/button';
import { PERMISSION_ACTIONS, type Permission, type Role, rolesWith } from '@/lib/auth/roles';

function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** For a page a role may read but not change: said above what it shows. */
export function RoleNote({ role, permission }: { role: Role; permission: Permission }) {
  return (
    <p role="note" className="rounded-lg border border-zinc-200 bg-zinc-50 px-4 py-3 text-sm text-zinc-700">
      Your role ({role}) cannot {PERMISSION_ACTIONS[permission]}: {list(rolesWith(permission).map((r) => `${r}s`))} can.
    </p>
  );
}

/**
 * The page a role may not open, said as such (the page exists; it is not theirs): what the role
 * cannot do, who can, and the way back. Pages render it instead of their content.
 */
export function RoleRefusal({ role, permission, backHref }: { role: Role; permission: Permission; backHref: string }) {
  const holders = rolesWith(permission).map((holder) => `${holder}s`);
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-6 py-10 text-center">
      <h1 className="text-base font-semibold text-amber-950">
        Your role ({role}) cannot {PERMISSION_ACTIONS[permission]}
      </h1>
      <p className="mx-auto mt-2 max-w-xl text-sm text-amber-900">
        This page is for {list(holders)}. Ask an Owner if you need it.
      </p>
      <div className="mt-6 flex justify-center">
        <ButtonLink href={backHref}>Back to webhooks</ButtonLink>
      </div>
    </div>
  );
}
