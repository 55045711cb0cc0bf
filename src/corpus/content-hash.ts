import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a file's raw bytes. Ingest compares it with the manifest to skip unchanged
 * files without parsing them, so it hashes bytes, never the extracted text.
 */
export function hashContent(buf: Buffer | Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}
