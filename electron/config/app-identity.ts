import { version } from '../../package.json';

/** Name and version shown by `app:info`, the same in both hosts. */
export const appIdentity = { name: 'VirtDeck', version } as const;
