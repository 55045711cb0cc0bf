import { unzipSync } from 'fflate';

/**
 * The zip container of OOXML (docx, pptx, xlsx) and OFD files, through fflate. Only the central
 * directory is read to list names; members are inflated only when asked for, so a 2.6 MB deck of
 * screenshots costs the XML parts alone.
 */
export class ZipArchive {
  private constructor(
    private readonly bytes: Uint8Array,
    /** Member names as stored (`/`-separated, no leading slash), in directory order. */
    readonly names: readonly string[],
  ) {}

  /** Opens `bytes` as a zip; throws a one-line Error when it is not one or its directory is damaged. */
  static open(bytes: Uint8Array): ZipArchive {
    const names: string[] = [];
    try {
      unzipSync(bytes, {
        filter: (file) => {
          names.push(file.name);
          return false;
        },
      });
    } catch (err) {
      throw new Error(`damaged zip (${(err as Error).message})`, { cause: err });
    }
    return new ZipArchive(bytes, names);
  }

  /** The name as stored that matches `name` (leading `/` ignored, case-insensitive), if any. */
  find(name: string): string | undefined {
    const want = name.replace(/^\/+/, '');
    return this.names.find((n) => n === want) ?? this.names.find((n) => n.toLowerCase() === want.toLowerCase());
  }

  /**
   * The bytes of member `name` (see `find`), or undefined when there is no such member. Throws a
   * one-line Error when the member cannot be inflated: damaged, or encrypted (AES zips store
   * method 99; ZipCrypto members fail to inflate).
   */
  read(name: string): Uint8Array | undefined {
    const stored = this.find(name);
    if (stored === undefined) return undefined;
    let method = 0;
    let out: Uint8Array | undefined;
    try {
      out = unzipSync(this.bytes, {
        filter: (file) => {
          if (file.name !== stored) return false;
          method = file.compression;
          return method === 0 || method === 8;
        },
      })[stored];
    } catch (err) {
      throw new Error(`damaged or encrypted zip member ${stored} (${(err as Error).message})`, { cause: err });
    }
    if (method === 99) throw new Error(`encrypted zip member ${stored} (password-protected)`);
    if (!out) throw new Error(`zip member ${stored} uses unsupported compression method ${method}`);
    return out;
  }

  /** Member `name` decoded as UTF-8 text, or undefined when absent. */
  text(name: string): string | undefined {
    const bytes = this.read(name);
    return bytes && new TextDecoder('utf-8').decode(bytes);
  }
}
