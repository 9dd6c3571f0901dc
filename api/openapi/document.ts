// The OpenAPI 3.1 document, generated from the route table (./routes.ts): zod 4's own
// z.toJSONSchema turns each request and response schema into JSON Schema (draft 2020-12, the
// dialect OpenAPI 3.1 uses), so the document cannot drift from what the routes validate.
import { z, type ZodType } from 'zod';
import { ROUTE_DOCS, type Auth, type ResponseDoc, type RouteDoc } from './routes';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete s.$schema;
  return s;
}

/** Hono's `/a/:id` as OpenAPI's `/a/{id}` */
export function openApiPath(d: RouteDoc): string {
  return d.docPath ?? d.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

function parameters(d: RouteDoc): unknown[] {
  const out: unknown[] = [];
  const add = (where: 'path' | 'query', schema: ZodType | undefined) => {
    if (!schema) return;
    const s = jsonSchema(schema, 'input');
    const required = new Set((s.required as string[] | undefined) ?? []);
    for (const [name, p] of Object.entries((s.properties as Record<string, JsonSchema>) ?? {})) {
      const { description, ...rest } = p;
      out.push({ name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest });
    }
  };
  add('path', d.params);
  for (const p of d.pathParams ?? []) out.push({ name: p.name, in: 'path', required: true, description: p.description, schema: jsonSchema(p.schema, 'input') });
  add('query', d.query);
  return out;
}

function response(r: ResponseDoc): unknown {
  if (!r.schema) return { description: r.description };
  const schema = jsonSchema(r.schema, 'output');
  const types = [r.contentType ?? 'application/json', ...(r.alsoAs ?? [])];
  return { description: r.description, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
}

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  public: [],
  'optional-staff': [{}, { staffBearer: [] }],
  staff: [{ staffBearer: [] }],
  'open311-key': [{ open311Key: [] }],
  'hotline-signature': [{ hotlineSignature: [] }],
  'wechat-signature': [{ wechatSignature: [] }],
};

function operationId(d: RouteDoc): string {
  return `${d.method.toLowerCase()}${openApiPath(d).replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`;
}

function operation(d: RouteDoc): unknown {
  const params = parameters(d);
  return {
    operationId: operationId(d),
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    tags: [d.tag],
    security: SECURITY[d.auth],
    ...(params.length ? { parameters: params } : {}),
    ...(d.body ? { requestBody: { required: true, content: { [d.body.contentType]: { schema: jsonSchema(d.body.schema, 'input') } } } } : {}),
    responses: Object.fromEntries(Object.entries(d.responses).map(([status, r]) => [status, response(r)])),
  };
}

export function buildOpenApiDocument(docs: readonly RouteDoc[] = ROUTE_DOCS): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of docs) (paths[openApiPath(d)] ??= {})[d.method.toLowerCase()] = operation(d);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Minsheng 民声 API',
      version: '0.1.0',
      description: '留言受理、工单办理、统计与公开服务的接口。Errors: { error: { code, message, details?, requestId } } (Open311: the GeoReport v2 error list).',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(docs.map((d) => d.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        staffBearer: { type: 'http', scheme: 'bearer', description: 'a staff token: Authorization: Bearer <token>' },
        open311Key: { type: 'apiKey', in: 'query', name: 'api_key', description: 'an Open311 API key (also accepted as the api_key form field); made by `npm run cli -- open311 key add --name NAME`' },
        hotlineSignature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: 'sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<body>"> with HOTLINE_WEBHOOK_SECRET' },
        wechatSignature: { type: 'apiKey', in: 'query', name: 'signature', description: 'WeChat\'s sha1 signature over token, timestamp and nonce' },
      },
    },
  };
}
