/** IPv4/IPv6 address arithmetic for validating network definitions (pure, no Node APIs). */

export type IpFamily = 'ipv4' | 'ipv6';

export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256n + BigInt(part);
  }
  return value;
}

export function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) + BigInt(`0x${g}`);
  }
  return value;
}

export const parseIp = (family: IpFamily, text: string): bigint | undefined =>
  family === 'ipv4' ? parseIpv4(text) : parseIpv6(text);

const bits = (family: IpFamily): bigint => (family === 'ipv4' ? 32n : 128n);

/** First and last address of the subnet `address/prefix`. */
export function subnetOf(
  family: IpFamily,
  address: bigint,
  prefix: number,
): { first: bigint; last: bigint } {
  const hostBits = bits(family) - BigInt(prefix);
  const size = 1n << hostBits;
  const first = (address / size) * size;
  return { first, last: first + size - 1n };
}
