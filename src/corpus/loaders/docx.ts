import { LoadError } from '../../errors.ts';
import type { Extracted, Loader } from './extracted.ts';
import { htmlToText } from './html.ts';

// Word stores style names in English whatever the UI language, but documents made by WPS or
// converted from Chinese templates may carry the Chinese names; mammoth's defaults cover
// `Heading 1` / `heading 1`, these add the rest. `Title` is the document's title paragraph.
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='标题'] => h1:fresh",
  ...[1, 2, 3, 4, 5, 6].map((n) => `p[style-name='标题 ${n}'] => h${n}:fresh`),
];

/**
 * `.docx`: mammoth converts the document to semantic HTML (Heading styles become h1-h6, lists
 * and tables kept), which the HTML extractor then turns into text and headings. Images are
 * skipped. mammoth loads lazily, on the first .docx.
 */
export const loadDocx: Loader = async (bytes, path): Promise<Extracted> => {
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      { styleMap: STYLE_MAP, convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    html = result.value;
  } catch (err) {
    throw new LoadError(path, 'corrupt docx (not a readable Word document)', { cause: err });
  }
  const { text, headings } = htmlToText(`<body>${html}</body>`);
  return { text, headings };
};
