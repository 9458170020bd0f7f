import { chapSecretUsage } from '../../shared/contract/storage';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { VIR_ERR_NO_SECRET, VIR_SECRET_USAGE_TYPE_ISCSI } from '../libvirt/protocol/constants.gen';

const x = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/**
 * Puts an iSCSI pool's CHAP password into a private libvirt secret (the pool's XML names it
 * by usage, so the password never appears in a definition). Returns the undo: removes a
 * secret made here; a secret that existed already only gets the new value.
 */
export async function storeChapSecret(
  c: LibvirtClient,
  pool: string,
  password: string,
): Promise<() => Promise<void>> {
  const usageID = chapSecretUsage(pool);
  let existing = null;
  try {
    existing = (
      await c.remote.secretLookupByUsage({ usageType: VIR_SECRET_USAGE_TYPE_ISCSI, usageID })
    ).secret;
  } catch (err) {
    if (!isLibvirtError(err) || err.code !== VIR_ERR_NO_SECRET) throw err;
  }
  const secret =
    existing ??
    (
      await c.remote.secretDefineXml({
        xml:
          `<secret ephemeral='no' private='yes'>` +
          `<description>CHAP password of storage pool ${x(pool)}</description>` +
          `<usage type='iscsi'><target>${x(usageID)}</target></usage></secret>`,
        flags: 0,
      })
    ).secret;
  const undo = existing
    ? async () => undefined
    : async () => {
        await c.remote.secretUndefine({ secret });
      };
  try {
    await c.remote.secretSetValue({ secret, value: new TextEncoder().encode(password), flags: 0 });
  } catch (err) {
    await undo().catch(() => undefined);
    throw err;
  }
  return undo;
}

/** Removes the CHAP secret of a deleted iSCSI pool, if VirtDeck made one. */
export async function removeChapSecret(c: LibvirtClient, pool: string): Promise<void> {
  try {
    const { secret } = await c.remote.secretLookupByUsage({
      usageType: VIR_SECRET_USAGE_TYPE_ISCSI,
      usageID: chapSecretUsage(pool),
    });
    await c.remote.secretUndefine({ secret });
  } catch (err) {
    if (!isLibvirtError(err) || err.code !== VIR_ERR_NO_SECRET) throw err;
  }
}
