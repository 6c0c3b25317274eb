import { z } from 'zod';

/**
 * DATABASE_URL in libpq's URI form, several hosts included:
 *   postgresql://user:password@h1:5432,h2:5433/herald?target_session_attrs=read-write&sslmode=require
 * node-postgres reads one host only, so the string is split here into one single-host URL per
 * host (every other parameter kept as written, for pg to read as it always has) plus what
 * libpq would do with the list: try the hosts in order, and with `read-write` or `primary` keep
 * only a session that can write.
 */

/** What a session must be, as libpq's `target_session_attrs`; Herald writes, so only these three. */
export const TARGET_SESSION_ATTRS = ['any', 'read-write', 'primary'] as const;
export type TargetSessionAttrs = (typeof TARGET_SESSION_ATTRS)[number];

/** libpq's values that ask for a session Herald cannot use. */
const READ_ONLY_ATTRS = new Set(['read-only', 'standby', 'prefer-standby']);

export interface DatabaseHost {
  /** As written, without brackets for IPv6 (`::1`), as pg's `host` wants it. */
  host: string;
  port: number;
  /** `host:port` for messages (`[::1]:5432`). */
  label: string;
  /** A single-host connection string for pg, the other parameters as given. */
  url: string;
}

export interface DatabaseTarget {
  hosts: DatabaseHost[];
  targetSessionAttrs: TargetSessionAttrs;
  /** libpq's `connect_timeout` in milliseconds (0: wait as long as the network does). */
  connectTimeoutMs: number | null;
  /** The URL with its password replaced by `***`, for logs and errors. */
  redacted: string;
}

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

const DEFAULT_PORT = 5432;
const SCHEME = /^(postgres(?:ql)?:)\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i;

export function parseDatabaseUrl(text: string): DatabaseTarget {
  const match = SCHEME.exec(text.trim());
  if (!match) throw new DatabaseUrlError('must be postgresql://[user[:password]@]host[:port][,host[:port]…]/database');
  const [, scheme = 'postgresql:', authority = '', path = '', query = ''] = match;
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at + 1);
  const hostList = at === -1 ? authority : authority.slice(at + 1);
  const redacted = text.replace(/^(\w+:\/\/[^:/@]*:)[^@/]*@/, '$1***@');

  const params = new URLSearchParams(query.slice(1));
  const targetSessionAttrs = sessionAttrsOf(params.get('target_session_attrs'));
  params.delete('target_session_attrs');
  if (params.get('host')?.includes(',') || params.get('port')?.includes(',')) {
    throw new DatabaseUrlError(
      'list several hosts as host1:port1,host2:port2 before the /database, not in ?host= or ?port=',
    );
  }
  const connectTimeoutMs = connectTimeoutOf(params.get('connect_timeout'));
  const rest = params.size > 0 ? `${path}?${params.toString()}` : path;

  const specs = hostList.split(',');
  if (specs.length > 1 && specs.some((spec) => spec === '')) {
    throw new DatabaseUrlError('an empty host in the host list (two commas in a row, or one at an end)');
  }
  const hosts = specs.map((spec, index) => {
    const { host, port } = hostAndPort(spec, index);
    const label = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const authorityPart = spec === '' ? '' : label;
    const url = `${scheme}//${userinfo}${authorityPart}${rest}`;
    if (spec !== '' && !URL.canParse(url))
      throw new DatabaseUrlError(`host ${index + 1} (${spec}) does not form a valid URL`);
    return { host, port, label, url };
  });
  return { hosts, targetSessionAttrs, connectTimeoutMs, redacted };
}

function sessionAttrsOf(value: string | null): TargetSessionAttrs {
  if (value === null) return 'any';
  const known = TARGET_SESSION_ATTRS.find((attrs) => attrs === value);
  if (known) return known;
  if (READ_ONLY_ATTRS.has(value)) {
    throw new DatabaseUrlError(
      `target_session_attrs=${value} cannot serve Herald, which writes: use read-write, primary or any`,
    );
  }
  throw new DatabaseUrlError(`target_session_attrs must be one of ${TARGET_SESSION_ATTRS.join(', ')} (got "${value}")`);
}

function connectTimeoutOf(value: string | null): number | null {
  if (value === null) return null;
  if (!/^\d{1,6}$/.test(value)) throw new DatabaseUrlError(`connect_timeout must be whole seconds (got "${value}")`);
  return Number(value) * 1000;
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`; an empty spec is pg's default (a local socket). */
function hostAndPort(spec: string, index: number): { host: string; port: number } {
  if (spec === '') return { host: '', port: DEFAULT_PORT };
  const bracketed = /^\[([0-9a-fA-F:.%\w]+)\](?::(.*))?$/.exec(spec);
  const [host, portText] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : [spec.split(':')[0] ?? '', spec.includes(':') ? spec.slice(spec.indexOf(':') + 1) : undefined];
  if (!bracketed && spec.split(':').length > 2) {
    throw new DatabaseUrlError(`host ${index + 1} (${spec}): write an IPv6 address in brackets, as [::1]:5432`);
  }
  if (host === '') throw new DatabaseUrlError(`host ${index + 1} (${spec}) has no host name`);
  if (portText === undefined || portText === '') return { host: decodeURIComponent(host), port: DEFAULT_PORT };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new DatabaseUrlError(`host ${index + 1} (${spec}): the port must be a number from 1 to 65535`);
  }
  return { host: decodeURIComponent(host), port };
}

/** DATABASE_URL for the env schema: kept as the string (every connection parses it), checked here. */
export const ZDatabaseUrl = z.string().superRefine((value, ctx) => {
  try {
    parseDatabaseUrl(value);
  } catch (error) {
    if (!(error instanceof DatabaseUrlError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});
