// /api/docs/openapi.json and /api/docs: the document built once per app from the route table.
import { Hono } from 'hono';
import type { AppEnv } from '../deps';
import { buildOpenApiDocument } from './document';
import { renderDocsPage } from './page';

export function docsRoutes() {
  let doc: Record<string, unknown> | undefined;
  let page: string | undefined;
  const document = () => (doc ??= buildOpenApiDocument());
  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => c.json(document()))
    .get('/', (c) => c.html((page ??= renderDocsPage(document()))));
}
