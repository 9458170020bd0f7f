const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT = /^[0-9a-f]{32}$/i;

/** `remote_uuid` (16 raw bytes) → canonical lowercase `8-4-4-4-12` form. */
export function formatUuid(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`a UUID has 16 bytes, got ${bytes.length}`);
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** True for the dashed form or 32 bare hex digits, as virsh accepts them. */
export function isUuid(text: string): boolean {
  return CANONICAL.test(text) || COMPACT.test(text);
}

/** Text → the 16 bytes libvirt sends; throws a TypeError for anything that is not a UUID. */
export function parseUuid(text: string): Uint8Array {
  if (!isUuid(text)) throw new TypeError(`not a UUID: ${JSON.stringify(text)}`);
  return new Uint8Array(Buffer.from(text.replaceAll('-', ''), 'hex'));
}
