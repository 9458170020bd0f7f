import { z } from 'zod';

/** Field checks shared by the domain edit families (not part of the contract's exports). */

export const int = (what: string, min = 1) =>
  z
    .number()
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(Number.MAX_SAFE_INTEGER);
export const nonEmpty = (what: string) => z.string().trim().min(1, `${what} must not be empty`);
/** A file on the VM's host, which libvirt opens at start (it must be absolute there). */
export const hostPath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(4096)
    .refine((v) => v.startsWith('/'), `${what} must be absolute (start with /)`)
    .refine((v) => !/[\0\n\r]/.test(v), `${what} must be one line`);
/** A device's stable id as `shared/xml` `listDevices` gives it: `disk:vda`, `interface:52:54:…`. */
export const deviceId = nonEmpty('The device id').max(256);
/** One device element, e.g. `<disk …>…</disk>`; checked by our parser, then by libvirt. */
export const deviceXml = nonEmpty('The device XML').max(256 * 1024);
