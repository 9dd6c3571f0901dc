import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './document';
import { renderDocsPage } from './page';

describe('the API document groups its operations under Chinese names', () => {
  it('every tag, in the document and on /api/docs, is named in Chinese', () => {
    const doc = buildOpenApiDocument() as { tags: { name: string }[]; paths: Record<string, Record<string, { tags: string[] }>> };
    expect(doc.tags.length).toBeGreaterThan(5);
    for (const t of doc.tags) expect(t.name, t.name).toMatch(/[\u4e00-\u9fff]/);
    const names = new Set(doc.tags.map((t) => t.name));
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(names.has(op.tags[0]), op.tags[0]).toBe(true);
    const page = renderDocsPage(doc as never);
    expect(page).toContain('>工单办理<');
    expect(page).not.toMatch(/id="tag-(Cases|Opinion|Admin)"/);
  });
});
