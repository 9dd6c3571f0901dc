// The OpenAPI 3.1 document, generated from the route table (./routes.ts): zod 4's own
// z.toJSONSchema turns each request and response schema into JSON Schema (draft 2020-12, the
// dialect OpenAPI 3.1 uses), so the document cannot drift from what the routes validate.
import { STAFF_ROLE_LABELS } from '../../core/auth/staff';
import { z, type ZodType } from 'zod';
import { SESSION_COOKIE } from '../../core/auth/login';
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
  const other = Object.entries(r.otherContent ?? {}).map(([t, s]) => [t, { schema: jsonSchema(s, 'output') }]);
  return { description: r.description, content: Object.fromEntries([...types.map((t) => [t, { schema }]), ...other]) };
}

type Security = Record<string, string[]>[];
/** staff: a bearer token, or the session cookie (with X-CSRF-Token on a state-changing request: api/auth.ts) */
function staffSecurity(method: RouteDoc['method']): Security {
  return [{ staffBearer: [] }, method === 'GET' ? { staffSession: [] } : { staffSession: [], staffCsrf: [] }];
}
function security(d: RouteDoc): Security {
  const fixed: Record<Exclude<Auth, 'staff' | 'optional-staff'>, Security> = {
    public: [],
    'open311-key': [{ open311Key: [] }],
    'hotline-signature': [{ hotlineSignature: [] }],
    'wechat-signature': [{ wechatSignature: [] }],
  };
  if (d.auth === 'staff') return staffSecurity(d.method);
  if (d.auth === 'optional-staff') return [{}, ...staffSecurity(d.method)];
  return fixed[d.auth];
}

/** the name each group of operations has in the document and on the page (ROUTE_DOCS keeps short English keys) */
export const TAG_NAMES: Record<string, string> = {
  System: '系统', Residents: '市民', Channels: '渠道接入', Auth: '登录与会话', Cases: '工单办理', Triage: '人工复核',
  Statistics: '统计', Opinion: '舆情', Admin: '系统管理', Open311: 'Open311 接口',
  'Knowledge base': '知识库与答复模板',
};
const tagName = (tag: string) => TAG_NAMES[tag] ?? tag;

/** the page's and the tags' words for each group of operations */
const TAG_DESCRIPTIONS: Record<string, string> = {
  System: '健康检查与本文档 (health and this document)',
  Residents: '居民：留言、查询、评价、补充材料、公开选登 (residents: tracking number + 查询码)',
  Channels: '渠道接入：12345 热线、微信 (signed webhooks)',
  Auth: '工作人员登录：会话 Cookie 或 Bearer 令牌 (staff sign-in: session cookie or bearer token)',
  Cases: '工单办理与工作台 (cases and the desk); department users see their own department’s cases',
  Triage: '人工复核 (centre and admins)',
  Statistics: '统计：三率、排名、热点、每月一题',
  Opinion: '舆情：话题、预警、预警规则、日报周报 (staff)',
  Admin: '系统管理：账号、API 令牌、审计日志 (admins; an API token also needs the admin scope)',
  Open311: 'Open311 GeoReport v2',
  'Knowledge base': '知识库与答复模板：检索、建议、存入知识库 (knowledge base and reply templates)',
};

function operationId(d: RouteDoc): string {
  return `${d.method.toLowerCase()}${openApiPath(d).replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`;
}

function operation(d: RouteDoc): unknown {
  const params = parameters(d);
  const roles = d.roles ? `角色 roles: ${d.roles.map((r) => `${STAFF_ROLE_LABELS[r]}（${r}）`).join('、')}。` : '';
  const description = [d.description, roles].filter(Boolean).join(' ');
  return {
    operationId: operationId(d),
    summary: d.summary,
    ...(description ? { description } : {}),
    tags: [tagName(d.tag)],
    security: security(d),
    ...(d.roles ? { 'x-roles': [...d.roles] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(d.body
      ? { requestBody: { required: !d.body.optional, ...(d.body.description ? { description: d.body.description } : {}), content: { [d.body.contentType]: { schema: jsonSchema(d.body.schema, 'input') } } } }
      : {}),
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
      description: '留言受理、工单办理、统计与公开服务的接口。Staff authenticate with a bearer API token, or with the session cookie from POST /api/v1/auth/login plus the X-CSRF-Token header on state-changing requests. Errors: { error: { code, message, details?, requestId } } (Open311: the GeoReport v2 error list).',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(docs.map((d) => d.tag))].map((key) => ({ name: tagName(key), ...(TAG_DESCRIPTIONS[key] ? { description: TAG_DESCRIPTIONS[key] } : {}) })),
    paths,
    components: {
      securitySchemes: {
        staffBearer: { type: 'http', scheme: 'bearer', description: 'a staff API token: Authorization: Bearer <token> (scopes: read for GET, write for other methods, admin for /api/v1/admin); no CSRF token needed' },
        staffSession: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'the session cookie POST /api/v1/auth/login sets (HttpOnly, SameSite=Strict; 12 h at most, 2 h idle)' },
        staffCsrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'with the session cookie, on every state-changing request: the csrfToken that login, /auth/me and /session answer (else 403)' },
        open311Key: { type: 'apiKey', in: 'query', name: 'api_key', description: 'an Open311 API key (also accepted as the api_key form field); made by `npm run cli -- open311 key add --name NAME`' },
        hotlineSignature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: 'sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<body>"> with HOTLINE_WEBHOOK_SECRET' },
        wechatSignature: { type: 'apiKey', in: 'query', name: 'signature', description: 'WeChat\'s sha1 signature over token, timestamp and nonce' },
      },
    },
  };
}
