/**
 * Server identity checks (RFC 6125 §6): a host name against the dNSName entries of
 * subjectAltName, with the single left-most-label wildcard of §6.4.3, and an IP address against
 * the iPAddress entries (RFC 5280 §4.2.1.6). The subject common name is consulted only when
 * asked (`cnFallback`) and only when the certificate has no DNS or IP alternative names
 * (§6.4.4).
 * @module
 */
import { domainToASCII } from 'node:url';
import { equalBytes } from '../utils.js';
import type { Certificate } from './certificate.js';
import { parseIp } from './extensions.js';

/** Options of {@link matchHostname}. */
export interface HostnameOptions {
  /**
   * Fall back to the subject's (most specific) CN when the certificate has no dNSName or
   * iPAddress entries, as pre-RFC 6125 TLCP clients do. Default false.
   */
  cnFallback?: boolean;
}

/** The canonical ASCII form of a DNS name (IDNA, lower case, no trailing dot), or '' if invalid. */
export function canonicalHost(name: string): string {
  let host = name.endsWith('.') ? name.slice(0, -1) : name;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(host)) host = domainToASCII(host);
  host = host.toLowerCase();
  if (!host || host.length > 253 || !/^[a-z0-9_*-]+(\.[a-z0-9_*-]+)*$/.test(host)) return '';
  return host;
}

/** Whether a presented dNSName (maybe `*.example.com`) matches a canonical host (RFC 6125 §6.4). */
function matchDns(presented: string, host: string): boolean {
  const p = canonicalHost(presented);
  if (!p) return false;
  if (!p.includes('*')) return p === host;
  // Only "*" as the whole left-most label, with at least two labels after it (no "*.com"),
  // matching exactly one non-empty label (RFC 6125 §6.4.3; CA/B Forum BR §3.2.2.6).
  if (!p.startsWith('*.') || p.indexOf('*', 1) >= 0) return false;
  const suffix = p.slice(2);
  if (!suffix.includes('.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === suffix;
}

/**
 * Whether `cert` is valid for `hostname`: a DNS name (Unicode names are converted with IDNA;
 * case and a trailing dot do not matter) or an IPv4/IPv6 address (brackets allowed).
 * @param cert the end-entity certificate
 * @param hostname the name the client connected to
 * @param options `cnFallback`
 * @returns true if a subjectAltName entry (or, with cnFallback, the CN) matches
 * @throws TypeError if hostname is not a string
 * @example matchHostname(cert, 'www.example.cn')
 */
export function matchHostname(cert: Certificate, hostname: string, options: HostnameOptions = {}): boolean {
  if (typeof hostname !== 'string') throw new TypeError('"hostname" must be a string');
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const san = cert.subjectAltName ?? [];
  const ip = parseIp(bare);
  if (ip) {
    return san.some((n) => n.type === 'ip' && (n.bytes.length === 4 || n.bytes.length === 16) && equalBytes(n.bytes, ip));
  }
  const host = canonicalHost(bare);
  if (!host || host.includes('*')) return false;
  if (san.some((n) => n.type === 'dns' && matchDns(n.value, host))) return true;
  if (options.cnFallback && !san.some((n) => n.type === 'dns' || n.type === 'ip')) {
    const cn = cert.subject.commonName;
    return cn !== undefined && matchDns(cn, host);
  }
  return false;
}
