import { ZipArchive } from './zip-archive.ts';

/**
 * What a file is by its content, whatever its name says: offices rename freely (a Word 97 `.doc`
 * saved as `.wps`, a `.docx` named `.doc`, an OFD sent as `.zip`). `loadDocument` routes by this
 * when it disagrees with the extension.
 */
export interface Sniffed {
  container: 'ole' | 'zip' | 'pdf';
  /**
   * `doc` (an OLE file with a WordDocument stream), `xls` (Workbook/Book), `ppt` (PowerPoint
   * Document), `encrypted-ooxml` (an OLE file holding a password-protected docx/xlsx/pptx),
   * `ole` (other OLE); `docx`, `xlsx`, `pptx` (OOXML by its part folders), `ofd` (OFD.xml at the
   * root), `zip` (any other or unreadable zip); `pdf`.
   */
  kind: 'doc' | 'xls' | 'ppt' | 'encrypted-ooxml' | 'ole' | 'docx' | 'xlsx' | 'pptx' | 'ofd' | 'zip' | 'pdf';
  /** The extension a file of this kind normally has, when it has one we might read. */
  ext?: '.doc' | '.xls' | '.ppt' | '.docx' | '.xlsx' | '.pptx' | '.ofd' | '.pdf';
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
// Empty zip (end of central directory only): a damaged or empty archive, still a zip.
const EMPTY_ZIP_MAGIC = Buffer.from('PK\x05\x06', 'latin1');

// OLE directory entries hold stream names in UTF-16LE ([MS-CFB] 2.6.1). Finding the name in the
// file is enough to tell Word from Excel from PowerPoint without walking the sector chains. The
// earliest name wins: the root's streams are written before those of embedded objects (an Excel
// chart inside a Word file has its own Workbook stream). A false match only sends the file to a
// loader that then reports it unreadable.
const ENCRYPTED_PACKAGE = utf16('EncryptedPackage');
const OLE_STREAMS: Array<[Buffer, Sniffed]> = [
  [utf16('WordDocument'), { container: 'ole', kind: 'doc', ext: '.doc' }],
  [utf16('PowerPoint Document'), { container: 'ole', kind: 'ppt', ext: '.ppt' }],
  [utf16('Workbook'), { container: 'ole', kind: 'xls', ext: '.xls' }],
  [utf16('Book\0'), { container: 'ole', kind: 'xls', ext: '.xls' }],
];

/** The file's kind from its first bytes (and a zip's member names), or undefined for anything else. */
export function sniffFormat(bytes: Uint8Array): Sniffed | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 8).equals(OLE_MAGIC)) {
    if (buf.includes(ENCRYPTED_PACKAGE)) return { container: 'ole', kind: 'encrypted-ooxml' };
    let best: Sniffed = { container: 'ole', kind: 'ole' };
    let at = Infinity;
    for (const [name, kind] of OLE_STREAMS) {
      const i = buf.indexOf(name);
      if (i !== -1 && i < at) [best, at] = [kind, i];
    }
    return best;
  }
  // A PDF may have a few bytes of junk before its header (readers accept up to 1 KB), but not a
  // line of text: a Markdown note that mentions %PDF- on its second line stays Markdown.
  const pdfAt = buf.subarray(0, 1024).indexOf('%PDF-');
  if (pdfAt !== -1 && !buf.subarray(0, pdfAt).includes(0x0a)) return { container: 'pdf', kind: 'pdf', ext: '.pdf' };
  const head = buf.subarray(0, 4);
  if (head.equals(ZIP_MAGIC) || head.equals(EMPTY_ZIP_MAGIC)) return sniffZip(bytes);
  return undefined;
}

function sniffZip(bytes: Uint8Array): Sniffed {
  let names: readonly string[];
  try {
    names = ZipArchive.open(bytes).names;
  } catch {
    // Unreadable directory: a damaged zip. The loader the extension picks reports it.
    return { container: 'zip', kind: 'zip' };
  }
  const has = (name: string) => names.some((n) => n.toLowerCase() === name.toLowerCase());
  const under = (folder: string) => names.some((n) => n.startsWith(folder));
  // GB/T 33190 §7.4: the entry file OFD.xml sits at the package root.
  if (has('OFD.xml')) return { container: 'zip', kind: 'ofd', ext: '.ofd' };
  if (has('[Content_Types].xml')) {
    if (under('word/')) return { container: 'zip', kind: 'docx', ext: '.docx' };
    if (under('ppt/')) return { container: 'zip', kind: 'pptx', ext: '.pptx' };
    if (under('xl/')) return { container: 'zip', kind: 'xlsx', ext: '.xlsx' };
  }
  return { container: 'zip', kind: 'zip' };
}

function utf16(name: string): Buffer {
  return Buffer.from(name, 'utf16le');
}
