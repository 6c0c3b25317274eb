import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  /** The notification email's id: its Message-ID, the same on every resend. */
  id: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** `<id@host>`, with the host of the public URL (any stable domain will do for de-duplication). */
export function messageId(id: string, publicUrl: string): string {
  let host = 'herald.localhost';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // The settings validated it; the fallback keeps a Message-ID well formed regardless.
  }
  return `<notification-${id}@${host}>`;
}

/**
 * Mail over SMTP from a URL: `smtp://user:password@host:587` (STARTTLS whenever the server offers
 * it) or `smtps://…:465` (TLS from the start). nodemailer also reads TLS options from the query,
 * e.g. `?tls.rejectUnauthorized=false` for a server with a self-signed certificate. Time limits
 * keep an unresponsive server from holding a send (and its lease) for long.
 */
export function smtpMailer(smtpUrl: string, from: string, publicUrl: string): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(email) {
      await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: messageId(email.id, publicUrl),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Herald-Notification': email.id },
      });
    },
    close() {
      transport.close();
    },
  };
}
