/**
 * Errors of guomi/tls. Every failure that ends a connection is a {@link TlsError}: it names the
 * TLS alert that was sent (or received) and carries a stable `code`.
 * @module
 */
import { ALERT_NAMES, AlertDescription } from './constants.js';

/**
 * A TLS failure.
 *
 * - A failure detected here: `code` is `ERR_TLS_` + the alert name in upper case (for example
 *   `ERR_TLS_BAD_RECORD_MAC`, `ERR_TLS_DECODE_ERROR`, `ERR_TLS_CERTIFICATE_EXPIRED`), `alert` is
 *   the description sent to the peer, `remote` is false.
 * - A fatal alert from the peer: `code` is `ERR_TLS_ALERT_` + the name (for example
 *   `ERR_TLS_ALERT_HANDSHAKE_FAILURE`), `remote` is true.
 * - A few conditions that end a connection without an alert from either side use their own
 *   codes: `ERR_TLS_HANDSHAKE_TIMEOUT`, `ERR_TLS_CONNECTION_CLOSED` (the transport closed before
 *   the handshake completed), `ERR_TLS_CERT_ALTNAME_INVALID` (hostname mismatch; sent as
 *   bad_certificate).
 */
export class TlsError extends Error {
  /** Stable error code (see the class description). */
  readonly code: string;
  /** The alert description (RFC 8446 §6), or undefined when no alert is involved. */
  readonly alert: number | undefined;
  /** Whether the alert came from the peer. */
  readonly remote: boolean;
  /** For certificate failures: the verifier's reason code (for example 'CERT_HAS_EXPIRED'). */
  verifyCode?: string;

  constructor(
    message: string,
    options: { alert?: number; remote?: boolean; code?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TlsError';
    this.alert = options.alert;
    this.remote = options.remote ?? false;
    const alertName = options.alert === undefined ? undefined : alertNameOf(options.alert).toUpperCase();
    this.code =
      options.code ?? (alertName ? (this.remote ? `ERR_TLS_ALERT_${alertName}` : `ERR_TLS_${alertName}`) : 'ERR_TLS');
  }

  /** The RFC 8446 name of {@link alert} ('bad_record_mac', …), or undefined. */
  get alertName(): string | undefined {
    return this.alert === undefined ? undefined : alertNameOf(this.alert);
  }
}

/** The RFC 8446 §6 name of an alert description, or `alert_<n>` for unknown values. */
export function alertNameOf(alert: number): string {
  return ALERT_NAMES[alert] ?? `alert_${alert}`;
}

/** A local failure that sends `alert`. */
export function fail(alert: number, message: string, cause?: unknown): TlsError {
  return new TlsError(message, { alert, cause });
}

/** decode_error: a message could not be parsed (RFC 8446 §6.2). */
export function decodeError(message: string): TlsError {
  return fail(AlertDescription.DECODE_ERROR, message);
}

/** illegal_parameter: a field was syntactically right but wrong (RFC 8446 §6.2). */
export function illegalParameter(message: string): TlsError {
  return fail(AlertDescription.ILLEGAL_PARAMETER, message);
}

/** unexpected_message: a message or record arrived where it must not (RFC 8446 §6.2). */
export function unexpectedMessage(message: string): TlsError {
  return fail(AlertDescription.UNEXPECTED_MESSAGE, message);
}
