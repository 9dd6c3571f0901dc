// GeoReport v2 documents in JSON and XML: the same objects, the XML written by fast-xml-parser's
// builder under the element names the spec gives (services/service, service_requests/request…).
import { XMLBuilder } from 'fast-xml-parser';

export type Open311Format = 'json' | 'xml';

const builder = new XMLBuilder({ ignoreAttributes: true, format: false, suppressEmptyNode: false, processEntities: true });

/** null stays an empty element in XML (the spec's examples show empty tags for absent values); booleans as true/false */
function forXml(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(forXml);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, forXml(x)]));
  return String(v);
}

/** `root` wraps `items`, each as an `item` element: <services><service>…</service></services>. */
export function toXml(root: string, item: string, items: unknown[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build({ [root]: items.length ? { [item]: forXml(items) } : '' })}`;
}

/** A single document with its own root (discovery, service_definition). */
export function toXmlDocument(root: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build({ [root]: forXml(body) })}`;
}
