/**
 * An edit that would make the document invalid (bad name, forbidden character, missing
 * element). Thrown before anything changes: the input document stays as it was.
 */
export class XmlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlEditError';
  }
}
