// The zod schemas of the Open311 GeoReport v2 routes: what they validate with, and what the OpenAPI
// document is generated from.
import { z } from 'zod';

export const formatParam = z.enum(['json', 'xml']);

export const open311ErrorSchema = z.array(z.object({ code: z.number().int(), description: z.string() })).meta({ id: 'Open311Errors' });

const w3cDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(new Date(s).getTime()), '须为 W3C 日期时间，如 2026-12-01T08:00:00+08:00')
  .transform((s) => new Date(s));

export const requestsQuerySchema = z.object({
  jurisdiction_id: z.string().max(100).optional(),
  service_request_id: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined))
    .refine((l) => !l || l.length <= 1000, '最多 1000 个 service_request_id'),
  service_code: z.string().max(100).optional(),
  start_date: w3cDate.optional(),
  end_date: w3cDate.optional(),
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim().toLowerCase()) : undefined))
    .refine((l) => !l || l.every((x) => x === 'open' || x === 'closed'), 'status 须为 open 或 closed'),
  extensions: z.enum(['true', 'false']).optional(),
});

export const singleQuerySchema = z.object({ jurisdiction_id: z.string().max(100).optional(), extensions: z.enum(['true', 'false']).optional() });

export const servicesQuerySchema = z.object({ jurisdiction_id: z.string().max(100).optional() });

export const serviceSchema = z
  .object({
    service_code: z.string(), service_name: z.string(), description: z.string(), metadata: z.boolean(),
    type: z.enum(['realtime', 'batch', 'blackbox']), keywords: z.string(), group: z.string(),
  })
  .meta({ id: 'Open311Service' });

export const serviceDefinitionSchema = z
  .object({
    service_code: z.string(),
    attributes: z.array(
      z.object({
        variable: z.boolean(), code: z.string(), datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
        required: z.boolean(), datatype_description: z.string(), order: z.number().int(), description: z.string(),
        values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
      }),
    ),
  })
  .meta({ id: 'Open311ServiceDefinition' });

export const serviceRequestSchema = z
  .object({
    service_request_id: z.string(), status: z.enum(['open', 'closed']), status_notes: z.string().nullable(),
    service_name: z.string().nullable(), service_code: z.string().nullable(), description: z.string(),
    agency_responsible: z.string().nullable(), service_notice: z.string().nullable(),
    requested_datetime: z.string(), updated_datetime: z.string(), expected_datetime: z.string().nullable(),
    address: z.string().nullable(), address_id: z.string().nullable(), zipcode: z.string().nullable(),
    lat: z.number().nullable(), long: z.number().nullable(), media_url: z.string().nullable(),
    extended_attributes: z.object({ status: z.string(), status_label: z.string(), channel: z.string() }).optional(),
  })
  .meta({ id: 'Open311ServiceRequest' });

export const postResponseSchema = z.array(
  z.object({ service_request_id: z.string(), token: z.string(), service_notice: z.string().nullable(), account_id: z.string().nullable() }),
);

export const tokenResponseSchema = z.array(z.object({ service_request_id: z.string(), token: z.string() }));

export const discoverySchema = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.string(), formats: z.array(z.string()) })),
});
