import { LoadError } from '../../errors.ts';
import { parseXml, type XmlElement } from '../xml-tree.ts';
import { ZipArchive } from '../zip-archive.ts';

/** A zip-of-XML package (pptx, ofd) opened for a loader: every failure is a one-line LoadError. */
export interface PackageParts {
  zip: ZipArchive;
  /** A member parsed as XML, or undefined when the package has no such member. */
  xml(file: string): XmlElement | undefined;
}

/** Opens `bytes` as a zip; `kind` (`pptx`, `ofd`) names the format in the reasons. */
export function openPackageParts(bytes: Buffer, path: string, kind: string): PackageParts {
  let zip: ZipArchive;
  try {
    zip = ZipArchive.open(bytes);
  } catch (err) {
    throw new LoadError(path, `corrupt ${kind} (not a readable zip)`, { cause: err });
  }
  return {
    zip,
    xml(file) {
      let text: string | undefined;
      try {
        text = zip.text(file);
      } catch (err) {
        throw new LoadError(path, `corrupt ${kind} (${file} cannot be unpacked)`, { cause: err });
      }
      if (text === undefined) return undefined;
      try {
        return parseXml(text);
      } catch (err) {
        throw new LoadError(path, `corrupt ${kind} (${file} is not well-formed XML)`, { cause: err });
      }
    },
  };
}
