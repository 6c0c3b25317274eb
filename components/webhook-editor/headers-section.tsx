'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Section } from '@/components/ui/card';
import { FieldError, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { BasicAuthDialog } from './basic-auth-dialog';
import { basicAuthValue, type Errors, type HeaderRow, uid } from './editor-state';

const STANDARD = [
  ['X-Amplience-Webhook-Signature', 'HMAC-SHA256 of the body, keyed by the secret'],
  ['Content-Type', 'application/json (a custom header may replace it)'],
  ['User-Agent', 'Herald-Webhook/<version>'],
  ['Content-Length', 'size of the body'],
  ['webhook-id, webhook-timestamp, webhook-signature', 'Standard Webhooks signature, for replay protection'],
];

const newHeader = (secret: boolean, key = '', value = ''): HeaderRow => ({
  uid: uid('header'),
  key,
  value,
  secret,
  stored: false,
  editing: true,
});

export function HeadersSection({
  headers,
  onChange,
  errors,
}: {
  headers: HeaderRow[];
  onChange: (headers: HeaderRow[]) => void;
  errors: Errors;
}) {
  const [basicAuthOpen, setBasicAuthOpen] = useState(false);
  const set = (index: number, patch: Partial<HeaderRow>) =>
    onChange(headers.map((header, i) => (i === index ? { ...header, ...patch } : header)));

  return (
    <Section
      id="headers"
      title="Headers"
      description="Custom headers sent with every request. Secret values are encrypted and never shown again."
      actions={
        <>
          <Button size="sm" onClick={() => onChange([...headers, newHeader(false)])}>
            Custom header
          </Button>
          <Button size="sm" onClick={() => onChange([...headers, newHeader(true)])}>
            Secret header
          </Button>
          <Button size="sm" onClick={() => setBasicAuthOpen(true)}>
            Add basic auth header
          </Button>
        </>
      }
    >
      {headers.length === 0 ? (
        <p className="text-sm text-zinc-500">No custom headers.</p>
      ) : (
        <ul className="space-y-3">
          {headers.map((header, index) => {
            const n = index + 1;
            const keyErrors = errorsFor(errors, `headers.${index}.key`);
            const valueErrors = [
              ...(errorsFor(errors, `headers.${index}.value`) ?? []),
              ...(errorsFor(errors, `headers.${index}`) ?? []),
            ];
            const masked = header.secret && header.stored && !header.editing;
            return (
              <li
                key={header.uid}
                className="grid grid-cols-1 gap-2 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)_auto] sm:items-start"
                data-testid="header-row"
              >
                <div>
                  <Input
                    aria-label={`Header ${n} name`}
                    value={header.key}
                    onChange={(event) => set(index, { key: event.target.value })}
                    placeholder="X-Example-Header"
                    className="font-mono"
                    spellCheck={false}
                    invalid={Boolean(keyErrors)}
                  />
                  <FieldError messages={keyErrors} />
                </div>
                <div>
                  <div className="flex items-center gap-2">
                    {masked ? (
                      <>
                        <Input
                          readOnly
                          value="********"
                          aria-label={`Header ${n} value (secret, hidden)`}
                          className="flex-1 bg-zinc-100 font-mono text-zinc-500"
                        />
                        <Button
                          size="sm"
                          onClick={() => set(index, { editing: true, value: '' })}
                          aria-label={`Edit header ${n} value`}
                        >
                          Edit
                        </Button>
                      </>
                    ) : (
                      <Input
                        aria-label={`Header ${n} value`}
                        type={header.secret ? 'password' : 'text'}
                        autoComplete="off"
                        value={header.value}
                        onChange={(event) => set(index, { value: event.target.value })}
                        placeholder={header.secret ? 'secret value' : 'value'}
                        className="font-mono"
                        spellCheck={false}
                        invalid={valueErrors.length > 0}
                      />
                    )}
                    {header.secret ? <Badge tone="warning">Secret</Badge> : null}
                  </div>
                  {header.secret && header.stored && header.editing ? (
                    <button
                      type="button"
                      className="mt-1 text-xs text-indigo-700 hover:underline"
                      onClick={() => set(index, { editing: false, value: '' })}
                    >
                      Keep the stored value
                    </button>
                  ) : null}
                  <FieldError messages={valueErrors.length > 0 ? valueErrors : undefined} />
                </div>
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => onChange(headers.filter((_, i) => i !== index))}
                  aria-label={`Remove header ${n}`}
                >
                  Remove
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      <FieldError messages={errorsFor(errors, 'headers')} />
      <details className="mt-4 text-xs text-zinc-600">
        <summary className="cursor-pointer font-medium text-zinc-700">Standard headers Herald always sends</summary>
        <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
          {STANDARD.map(([key, text]) => (
            <div key={key} className="contents">
              <dt className="font-mono text-zinc-800">{key}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      </details>
      <BasicAuthDialog
        open={basicAuthOpen}
        onClose={() => setBasicAuthOpen(false)}
        onSave={(user, password) => {
          const header = newHeader(true, 'Authorization', basicAuthValue(user, password));
          const existing = headers.findIndex((h) => h.key.toLowerCase() === 'authorization');
          onChange(existing >= 0 ? headers.map((h, i) => (i === existing ? header : h)) : [...headers, header]);
          setBasicAuthOpen(false);
        }}
      />
    </Section>
  );
}
