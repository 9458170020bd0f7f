/**
 * Hands a file to the browser's download path (Electron's too: it shows its save dialog
 * for an `<a download>`), without anything leaving the machine.
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download by now; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
