/**
 * Bytes of a file a person gave us, as text: UTF-8 (a BOM is dropped) or, when the bytes are
 * not valid UTF-8, Windows-1251 — what Excel and 1C still write in Russian offices. Reading
 * cp1251 as UTF-8 would silently store mojibake.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}
