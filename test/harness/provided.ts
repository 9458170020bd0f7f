/** What the integration/e2e global setup hands to tests through `inject('libvirtd')`. */
export interface ProvidedLibvirtd {
  /** The private daemon's read-write socket. */
  socketPath: string;
  /** `qemu+unix:///session?socket=…` */
  qemuUri: string;
  /** `test+unix:///default?socket=…` */
  testUri: string;
  /** The daemon's private folder, owned by the daemon user: guests may write files here. */
  dir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    libvirtd: ProvidedLibvirtd;
  }
}
