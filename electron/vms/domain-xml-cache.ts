import { readDomainXml, type DomainXmlSummary } from './domain-xml-summary';

/** How long one stretch of XML parsing may hold the event loop before it yields. */
const PARSE_SLICE_MS = 8;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The parsed summaries of one host's domain XMLs, kept across reconnects: a domain whose
 * XML is byte-for-byte what it was is not parsed again. Parsing thousands of documents on
 * every connect cost seconds of CPU and as much again in garbage collection, all while
 * the renderer wanted the same two cores to draw the list.
 */
export class DomainXmlCache {
  private readonly entries = new Map<string, { xml: string; summary: DomainXmlSummary }>();
  private sliceStart = performance.now();

  /** The summary of `xml` for domain `uuid`, parsed only when the document changed. */
  read(uuid: string, xml: string): DomainXmlSummary {
    const cached = this.entries.get(uuid);
    if (cached?.xml === xml) return cached.summary;
    const summary = readDomainXml(xml);
    this.entries.set(uuid, { xml, summary });
    return summary;
  }

  /**
   * Lets other work (the wire, libvirt's replies, timers) run when parsing has held the
   * event loop for a while; a no-op otherwise.
   */
  async breathe(): Promise<void> {
    const now = performance.now();
    if (now - this.sliceStart < PARSE_SLICE_MS) return;
    await yieldToLoop();
    this.sliceStart = performance.now();
  }

  forget(uuid: string): void {
    this.entries.delete(uuid);
  }

  /** Drops every domain not in `uuids` (undefined or gone while the host was away). */
  retainOnly(uuids: ReadonlySet<string>): void {
    for (const uuid of this.entries.keys()) if (!uuids.has(uuid)) this.entries.delete(uuid);
  }

  get size(): number {
    return this.entries.size;
  }
}
