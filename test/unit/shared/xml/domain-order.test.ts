import { describe, expect, it } from 'vitest';
import {
  childElements,
  DEVICE_CHILD_ORDERS,
  DOMAIN_CHILD_ORDERS,
  documentRoot,
  parseXml,
  type XmlElement,
} from '../../../../shared/xml/index';
import { CORPUS_SKIP_REASON, corpusFiles, corpusPresent } from './corpus';

/** Pairs of siblings that appear in the opposite order to `order`. */
function violations(parent: XmlElement, order: readonly string[]): string[] {
  const out: string[] = [];
  let highest = -1;
  let highestName = '';
  for (const child of childElements(parent)) {
    const rank = order.indexOf(child.name);
    if (rank < 0) continue;
    if (rank < highest) out.push(`${child.name} after ${highestName}`);
    if (rank > highest) {
      highest = rank;
      highestName = child.name;
    }
  }
  return out;
}

describe.skipIf(!corpusPresent)(
  `creation order matches libvirt ${corpusPresent ? '' : CORPUS_SKIP_REASON}`,
  () => {
    it('our canonical orders agree with every libvirt-formatted domain in the corpus', () => {
      const found: string[] = [];
      for (const file of corpusFiles('domains')) {
        const root = documentRoot(parseXml(file.text));
        for (const [path, order] of Object.entries(DOMAIN_CHILD_ORDERS)) {
          const parents =
            path === ''
              ? [root]
              : path
                  .split('/')
                  .reduce<XmlElement[]>(
                    (els, name) => els.flatMap((e) => childElements(e, name)),
                    [root],
                  );
          for (const parent of parents)
            found.push(...violations(parent, order).map((v) => `${file.name} ${path}: ${v}`));
        }
        for (const device of childElements(root, 'devices').flatMap((d) => childElements(d))) {
          const order = DEVICE_CHILD_ORDERS[device.name];
          if (order)
            found.push(
              ...violations(device, order).map((v) => `${file.name} ${device.name}: ${v}`),
            );
        }
      }
      expect(found).toEqual([]);
    });
  },
);
