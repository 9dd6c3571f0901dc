// WeChat's flat <xml>…</xml> documents: every child is a string (CDATA or not), numbers kept as text.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({ parseTagValue: false, trimValues: true, ignoreAttributes: true, cdataPropName: false, processEntities: true });

export class WechatXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatXmlError';
  }
}

/** The <xml> root's children as strings; throws WechatXmlError on anything else. */
export function parseWechatXml(text: string): Record<string, string> {
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
