import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import { normaliseBaseUrl } from '../config';

/** Is this `fhirServer` one the service may call? Exact match on the normalised base URL. */
export function fhirServerAllowList(allowed: readonly string[]): (fhirServer: string) => boolean {
  const set = new Set(allowed);
  return (fhirServer) => {
    try {
      return set.has(normaliseBaseUrl(fhirServer));
    } catch {
      return false;
    }
  };
}

/**
 * Addresses a forged `fhirServer` could use to reach the service's own network (SSRF): loopback,
 * RFC 1918 / unique-local, link-local, CGNAT, unspecified, and the cloud metadata endpoints.
 */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('0.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

/** Never called, even when listed: instance metadata services hand out cloud credentials. */
const METADATA = new BlockList();
METADATA.addAddress('169.254.169.254', 'ipv4');
METADATA.addAddress('169.254.170.2', 'ipv4');
METADATA.addAddress('fd00:ec2::254', 'ipv6');

// IPv4-mapped IPv6 (::ffff:a.b.c.d) is unwrapped in isPrivateAddress: node's BlockList matches v4 rules against it.
const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
const bare = (host: string): string => host.replace(/^\[|\]$/g, '');

export function isPrivateAddress(ip: string): boolean {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (v4mapped !== undefined) return PRIVATE.check(v4mapped, 'ipv4');
  return PRIVATE.check(ip, family(ip));
}

export const isMetadataAddress = (ip: string): boolean => METADATA.check(ip, family(ip));

export type HostLookup = (hostname: string) => Promise<readonly string[]>;
export const systemLookup: HostLookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export interface NetworkPolicy {
  /** ALLOW_PRIVATE_FHIR_SERVERS: allow-listed host names may resolve to private addresses (intranet EHRs). */
  readonly allowPrivate: boolean;
  readonly lookup: HostLookup;
}

export class BlockedTargetError extends Error {
  override name = 'BlockedTargetError';
}

/**
 * Checked before the first request to an allow-listed base URL. An IP literal (or `localhost`) in the
 * allow-list was written there by the operator, which is the explicit permission the tests use for their
 * loopback FHIR server; a host *name* that resolves to a private address is refused unless
 * ALLOW_PRIVATE_FHIR_SERVERS is set (DNS pointing an allowed name at the service's own network).
 * Metadata addresses are refused always. Residual risk: DNS may answer differently at connect time
 * (rebinding); docs/security.md says to pin FHIR host names in deployments where that matters.
 */
export async function assertTargetAllowed(baseUrl: string, policy: NetworkPolicy): Promise<void> {
  const host = bare(new URL(baseUrl).hostname);
  if (isIP(host) !== 0) {
    if (isMetadataAddress(host)) throw new BlockedTargetError('metadata address');
    return;
  }
  if (host === 'localhost') return;
  const addresses = await policy.lookup(host);
  if (addresses.length === 0) throw new BlockedTargetError('host does not resolve');
  for (const address of addresses) {
    if (isMetadataAddress(address)) throw new BlockedTargetError('resolves to a metadata address');
    if (!policy.allowPrivate && isPrivateAddress(address)) throw new BlockedTargetError('resolves to a private address');
  }
}

/** Is `url` inside the FHIR base `base` (same origin, path at or below the base path)? Checked after URL normalisation. */
export function withinBase(url: URL, base: URL): boolean {
  if (url.origin !== base.origin || url.username !== '' || url.password !== '') return false;
  const basePath = base.pathname.replace(/\/+$/, '');
  return url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
}
