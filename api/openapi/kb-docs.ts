// 知识库 and 答复模板 routes for the OpenAPI document (spread into ROUTE_DOCS).
import { z } from 'zod';
import { caseParam, entryBody, fromCaseBody, idParam, listQuery, suggestQuery, WRITERS } from '../routes/kb/index';
import { EDITORS, idParam as templateIdParam, listQuery as templateListQuery, renderQuery, REPLIERS, templateBody } from '../routes/reply-templates/index';
import { errorBody } from './responses';
import type { ResponseDoc, RouteDoc } from './routes';

const err = (description: string): ResponseDoc => ({ description, schema: errorBody });
const E400 = err('输入不合规：逐字段中文说明 (validation failed, field by field)');
const E401 = err('未登录或令牌无效 (not signed in, or a bad staff token)');
const E403 = err('无权访问 (not allowed for this role, or not the department’s entry or case)');
const E404 = err('不存在 (not found)');
const time = z.string().meta({ format: 'date-time' });
const date = z.string().meta({ format: 'date' }).nullable();

const entry = z.object({
  id: z.number().int(), question: z.string(), answer: z.string(), category: z.string().nullable(), departmentCode: z.string().nullable(),
  validFrom: date.describe('first day it may be suggested (inclusive, Asia/Shanghai); null: open'), validTo: date.describe('last day (inclusive); null: open'),
  createdBy: z.string(), sourceCaseId: z.number().int().nullable(), createdAt: time, updatedAt: time,
  validNow: z.boolean().describe('inside its validity window today: the desk may suggest it'),
});
/** a saved entry: what the server masked (core/nlp/pii.ts) before storing it */
const saved = entry.extend({
  masked: z.number().int().describe('how many pieces of personal data (mobile, ID card, name, …) were masked in question and answer before storing; a landline in the answer is kept (offices give theirs)'),
  maskedKinds: z.array(z.enum(['mobile', 'landline', 'id_card', 'bank_card', 'plate', 'email', 'name'])),
});
const template = z.object({ id: z.number().int(), name: z.string(), body: z.string(), category: z.string().nullable(), createdBy: z.string(), createdAt: time, updatedAt: time });
const json = (schema: z.ZodType) => ({ contentType: 'application/json', schema });
const tag = 'Knowledge base';

export function kbDocs(): RouteDoc[] {
  return [
    {
      method: 'GET', path: '/api/v1/kb/entries', summary: '知识库: entries, newest first (q: Chinese full text, every word must match)', tag, auth: 'staff', query: listQuery,
      responses: { 200: { description: 'a page of entries', schema: z.object({ total: z.number().int(), items: z.array(entry) }) }, 400: E400, 401: E401 },
    },
    { method: 'GET', path: '/api/v1/kb/entries/:id', summary: 'One entry', tag, auth: 'staff', params: idParam, responses: { 200: { description: 'the entry', schema: entry }, 400: E400, 401: E401, 404: E404 } },
    {
      method: 'POST', path: '/api/v1/kb/entries', summary: 'Add an entry (centre and admins: any; a department: its own)', tag, auth: 'staff', roles: WRITERS, body: json(entryBody),
      responses: { 201: { description: 'added (personal data masked)', schema: saved }, 400: E400, 401: E401, 403: E403 },
    },
    {
      method: 'PUT', path: '/api/v1/kb/entries/:id', summary: 'Replace an entry’s fields (a field left out is cleared)', tag, auth: 'staff', roles: WRITERS, params: idParam, body: json(entryBody),
      responses: { 200: { description: 'as stored (personal data masked)', schema: saved }, 400: E400, 401: E401, 403: E403, 404: E404 },
    },
    {
      method: 'DELETE', path: '/api/v1/kb/entries/:id', summary: 'Delete an entry (its text stays in the audit trail)', tag, auth: 'staff', roles: WRITERS, params: idParam,
      responses: { 200: { description: 'deleted', schema: z.object({ deleted: z.number().int() }) }, 400: E400, 401: E401, 403: E403, 404: E404 },
    },
    {
      method: 'POST', path: '/api/v1/kb/entries/from-case/:caseId', summary: '存入知识库: a case’s sent reply becomes an entry (question: the case’s text unless given; its tracking number and the resident’s form of address become placeholders)', tag, auth: 'staff', roles: WRITERS,
      params: caseParam, body: json(fromCaseBody),
      responses: { 201: { description: 'added (personal data masked)', schema: saved }, 400: E400, 401: E401, 403: E403, 404: E404, 409: err('the case has no reply the residents received') },
    },
    {
      method: 'GET', path: '/api/v1/kb/suggestions', summary: 'The best 5 entries valid today for a case (the desk asks for 咨询 cases)', tag, auth: 'staff', query: suggestQuery,
      description: 'score: 0…1, the share of the query’s weight (BM25F over jieba tokens and character pairs, core/kb/rank.ts) the entry matches; matched: the lexemes found.',
      responses: { 200: { description: 'ranked, best first', schema: z.object({ caseId: z.number().int(), items: z.array(z.object({ entry, score: z.number(), matched: z.array(z.string()), filledAnswer: z.string().describe('the answer with its placeholders filled for this case') })) }) }, 400: E400, 401: E401, 403: E403, 404: E404 },
    },
    {
      method: 'GET', path: '/api/v1/reply-templates', summary: '答复模板: the templates (with a category: its own and the general ones)', tag, auth: 'staff', query: templateListQuery,
      responses: { 200: { description: 'the templates and the placeholders they may use', schema: z.object({ placeholders: z.array(z.string()), items: z.array(template) }) }, 400: E400, 401: E401 },
    },
    {
      method: 'POST', path: '/api/v1/reply-templates', summary: 'Add a template', tag, auth: 'staff', roles: EDITORS, body: json(templateBody),
      responses: { 201: { description: 'added', schema: template }, 400: E400, 401: E401, 403: E403, 409: err('the name is taken') },
    },
    {
      method: 'PUT', path: '/api/v1/reply-templates/:id', summary: 'Replace a template', tag, auth: 'staff', roles: EDITORS, params: templateIdParam, body: json(templateBody),
      responses: { 200: { description: 'as stored', schema: template }, 400: E400, 401: E401, 403: E403, 404: E404, 409: err('the name is taken') },
    },
    {
      method: 'DELETE', path: '/api/v1/reply-templates/:id', summary: 'Delete a template', tag, auth: 'staff', roles: EDITORS, params: templateIdParam,
      responses: { 200: { description: 'deleted', schema: z.object({ deleted: z.number().int() }) }, 400: E400, 401: E401, 403: E403, 404: E404 },
    },
    {
      method: 'GET', path: '/api/v1/reply-templates/:id/render', summary: 'A template filled from a case ({居民称呼} {受理编号} {承办单位})', tag, auth: 'staff', roles: REPLIERS,
      params: templateIdParam, query: renderQuery,
      responses: { 200: { description: 'the text', schema: z.object({ templateId: z.number().int(), caseId: z.number().int(), text: z.string() }) }, 400: E400, 401: E401, 403: E403, 404: E404 },
    },
  ];
}
