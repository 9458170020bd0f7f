import type en from './en.json';

/** Every leaf path of the English catalog ('errors.prefsLoad'); the other catalogs match it. */
type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

export type MessageKey = LeafPaths<typeof en>;
export type MessageSchema = typeof en;
