/** Resource figures of one `<resources>` block (bytes, counts); absent ones are null. */
export interface OsinfoResources {
  memoryBytes: number | null;
  vcpus: number | null;
  diskBytes: number | null;
}

/** One `<os>` of osinfo-db as written, before inheritance is resolved. */
export interface OsinfoRecord {
  id: string;
  shortIds: string[];
  name: string;
  vendor: string;
  family: string;
  distro: string;
  version: string;
  releaseDate: string | null;
  eolDate: string | null;
  /** `<derives-from>` and `<upgrades>` targets, in file order: where devices are inherited from. */
  parents: string[];
  /** Per arch (`x86_64`, `all`, …). */
  resources: Map<
    string,
    { minimum: OsinfoResources; recommended: OsinfoResources; maximum: OsinfoResources }
  >;
  /** Device id → supported (osinfo may withdraw an inherited device with supported="false"). */
  devices: Map<string, boolean>;
  /** `<firmware arch type supported>`. */
  firmware: { arch: string; type: string; supported: boolean }[];
  trees: { arch: string; url: string }[];
  images: { arch: string; url: string; cloudInit: boolean }[];
  /** Install media's ISO volume-id rules (regular expressions, as osinfo writes them). */
  mediaVolumeIds: { arch: string; pattern: string }[];
}
