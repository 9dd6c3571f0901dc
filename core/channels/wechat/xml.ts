// WeChat's flat <xml>…</xml> documents: every child is a string (CDATA or not), numbers kept as text.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({ parseTagValue: false, trimValues: true, ignoreAttributes: true, cdataPropName: false, processEntities: true });

export class WechatXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatXmlError';
  }
}

/** WeChat's documents are <xml> with flat children, a few with one nested block: 8 levels is plenty. */
export const MAX_XML_DEPTH = 8;
/** the channel body limit: a decrypted message is never larger than the envelope that carried it */
export const MAX_XML_CHARS = 64 * 1024;

// start tags, end tags, and what may hide a '<' (CDATA, comments, processing instructions)
const TOKEN = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)[A-Za-z_][^\s/>]*[^>]*?(\/?)>/g;

/** Size and nesting bounded before any parser sees the text (the parser itself throws past 100 levels). */
function checkBounds(text: string): void {
  if (text.length > MAX_XML_CHARS) throw new WechatXmlError(`XML is larger than ${MAX_XML_CHARS / 1024} KiB`);
  let depth = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] === undefined) continue; // CDATA, comment, PI
    if (m[1] === '/') depth--;
    else if (m[2] !== '/' && ++depth > MAX_XML_DEPTH) throw new WechatXmlError(`malformed XML: elements nested deeper than ${MAX_XML_DEPTH} levels`);
  }
}

/** The <xml> root's children as strings; throws WechatXmlError on anything else. */
export function parseWechatXml(text: string): Record<string, string> {
  checkBounds(text);
  // WeChat never sends a DTD; refusing one rules out entity-expansion tricks
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new WechatXmlError('malformed XML: DOCTYPE/ENTITY declarations are not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new WechatXmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = doc.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new WechatXmlError('malformed XML: the root element must be <xml> with child elements');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    else if (v && typeof v === 'object') out[k] = JSON.stringify(v); // nested blocks (e.g. ScanCodeInfo) kept as JSON
  }
  return out;
}

const builder = new XMLBuilder({ cdataPropName: '__cdata', suppressEmptyNode: false });

/** Builds <xml> with string values in CDATA and numbers bare, as WeChat writes them. */
export function buildWechatXml(fields: Record<string, string | number>): string {
  const xml: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) xml[k] = typeof v === 'number' ? v : { __cdata: v };
  return builder.build({ xml }) as string;
}
