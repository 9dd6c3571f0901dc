// 派单: picks the department for a case from the routing table (lexicons/routing.json) and the
// department list (lexicons/departments.json). The most specific matching rule wins; when no
// rule matches, the case goes to the district government of its place (属地), then to the centre.
import { z } from 'zod';
import { REQUEST_TYPES } from '../nlp/types';
import { districtOfStreet, loadGazetteer, type Gazetteer } from '../places/gazetteer';
import { readJsonFile, shippedJson } from '../shipped/store';

export const DEPARTMENT_KINDS = ['city-bureau', 'district', 'utility', 'centre'] as const;

export const departmentSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(2),
  shortName: z.string().min(2),
  kind: z.enum(DEPARTMENT_KINDS),
  /** for district governments: the district or county it governs */
  district: z.string().optional(),
  /** 分管领导: who supervision (督办) escalates to */
  supervisor: z.string().min(2),
  phone: z.string().regex(/^0553-\d{7,8}$/),
  aliases: z.array(z.string()).default([]),
});
export type Department = z.infer<typeof departmentSchema>;

export const departmentsFileSchema = z
  .object({ city: z.string(), departments: z.array(departmentSchema).min(1) })
  .superRefine((f, ctx) => {
    const codes = new Set<string>();
    for (const d of f.departments) {
      if (codes.has(d.code)) ctx.addIssue({ code: 'custom', message: `duplicate department code ${d.code}` });
      codes.add(d.code);
      if ((d.kind === 'district') !== Boolean(d.district)) {
        ctx.addIssue({ code: 'custom', message: `${d.code}: district governments, and only they, name a district` });
      }
    }
    if (f.departments.filter((d) => d.kind === 'centre').length !== 1) ctx.addIssue({ code: 'custom', message: 'exactly one centre' });
  });

/** A rule's department: a department code, or '@district' for the district government of the place. */
export const DISTRICT_TARGET = '@district';

export const routingRuleSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** rule family, for reading the table and for tests */
  family: z.string(),
  description: z.string(),
  categories: z.array(z.string()).min(1).optional(),
  types: z.array(z.enum(REQUEST_TYPES)).min(1).optional(),
  /** every group must match; a group matches when any of its terms is in the text or the keywords */
  keywords: z.array(z.array(z.string().min(1)).min(1)).min(1).optional(),
  /** the rule does not apply when any of these appears in the text */
  exclude: z.array(z.string().min(1)).optional(),
  districts: z.array(z.string()).min(1).optional(),
  streets: z.array(z.string()).min(1).optional(),
  department: z.string(),
  confidence: z.number().min(0).max(1).optional(),
});
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const routingTableSchema = z.object({
  version: z.number().int(),
  city: z.string(),
  fallback: z.object({ district: z.boolean(), centre: z.string() }),
  rules: z.array(routingRuleSchema).refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, { message: 'duplicate rule id' }),
});
export type RoutingTable = z.infer<typeof routingTableSchema>;

export interface RouteInput {
  category: string | null;
  requestType: string | null;
  keywords: string[];
  text: string;
  place: { district: string | null; street: string | null; community: string | null };
}
export interface RouteResult {
  department: string;
  ruleId: string;
  reason: string;
  confidence: number;
}

/** Place beats keyword beats request type beats category: a county-specific rule outranks a city-wide one. */
export function ruleSpecificity(r: RoutingRule): number {
  return (r.districts || r.streets ? 8 : 0) + (r.keywords?.length ?? 0) * 3 + (r.types ? 2 : 0) + (r.categories ? 1 : 0);
}

/** The rule id of the last resort: no rule and no place; such a case waits in 待派单 for the centre. */
export const UNROUTED_RULE = 'fallback-centre';

export interface Router {
  route(input: RouteInput): RouteResult;
  /**
   * Departments the centre may consider for a case (待派单), best first, each with why: every rule
   * that matches, then rules of the same category whose keywords did not match, then the 属地 government.
   */
  suggest(input: RouteInput, limit?: number): RouteResult[];
  rules: RoutingRule[]; // in evaluation order
  departments: Department[];
}

export function createRouter(table: RoutingTable, departments: Department[], gazetteer: Gazetteer): Router {
  const byCode = new Map(departments.map((d) => [d.code, d]));
  for (const r of table.rules) {
    if (r.department !== DISTRICT_TARGET && !byCode.has(r.department)) throw new Error(`routing rule ${r.id}: unknown department ${r.department}`);
  }
  if (!byCode.has(table.fallback.centre)) throw new Error(`routing fallback: unknown centre ${table.fallback.centre}`);
  const districtGov = new Map(departments.filter((d) => d.kind === 'district').map((d) => [d.district!, d]));
  const districtNames = new Map<string, string>();
  for (const d of gazetteer.districts) {
    districtNames.set(d.name, d.name);
    for (const a of d.aliases) districtNames.set(a, d.name);
  }
  // stable sort: equal specificity keeps file order, so staff can reason about ties by reading the file
  const rules = table.rules.map((r, i) => ({ r, i, s: ruleSpecificity(r) })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.r);

  function resolveDistrict(place: RouteInput['place']): { district: string | null; fromStreet: boolean } {
    const named = place.district ? districtNames.get(place.district) ?? null : null;
    if (named) return { district: named, fromStreet: false };
    const viaStreet = place.street ? districtOfStreet(gazetteer, place.street) : null;
    return { district: viaStreet, fromStreet: Boolean(viaStreet) };
  }

  /** Every rule that matches, in evaluation order; `loose`: rules of the case's category whose keywords did not match (for suggestions). */
  function* matches(input: RouteInput, loose = false): Generator<RouteResult> {
    const text = input.text;
    const kw = new Set(input.keywords);
    const has = (term: string) => text.includes(term) || kw.has(term);
    const { district } = resolveDistrict(input.place);
    for (const r of rules) {
      if (r.categories && !(input.category && r.categories.includes(input.category))) continue;
      if (loose && !r.categories) continue;
      if (!loose && r.types && !(input.requestType && (r.types as string[]).includes(input.requestType))) continue;
      if (r.districts && !(district && r.districts.includes(district))) continue;
      if (r.streets && !(input.place.street && r.streets.includes(input.place.street))) continue;
      if (!loose && r.exclude?.some((t) => text.includes(t))) continue;
      const hits: string[] = [];
      if (!loose && r.keywords && !r.keywords.every((g) => { const t = g.find(has); if (t) hits.push(t); return Boolean(t); })) continue;
      let department = r.department;
      if (department === DISTRICT_TARGET) {
        const gov = district ? districtGov.get(district) : undefined;
        if (!gov) continue; // a 属地 rule cannot apply without a place
        department = gov.code;
      }
      const because = [hits.length ? `关键词「${hits.join('、')}」` : null, r.categories ? `分类「${input.category}」` : null, r.types ? `类型「${input.requestType}」` : null, r.districts ? `属地「${district}」` : null]
        .filter(Boolean).join('，');
      if (loose) {
        yield { department, ruleId: r.id, reason: `同类诉求常由此办理：${r.description}（分类「${input.category}」）`, confidence: 0.25 };
        continue;
      }
      yield {
        department,
        ruleId: r.id,
        reason: `命中派单规则：${r.description}${because ? `（${because}）` : ''}`,
        confidence: r.confidence ?? Math.min(0.95, 0.55 + 0.1 * ruleSpecificity(r)),
      };
    }
  }

  function route(input: RouteInput): RouteResult {
    const first = matches(input).next();
    if (!first.done) return first.value;
    return fallback(input);
  }

  function fallback(input: RouteInput): RouteResult {
    const { district, fromStreet } = resolveDistrict(input.place);
    if (table.fallback.district && district) {
      const gov = districtGov.get(district);
      if (gov) {
        return {
          department: gov.code,
          ruleId: 'fallback-district',
          reason: `无专项规则命中，按属地派至${gov.name}${fromStreet ? `（由街道「${input.place.street}」推定）` : ''}`,
          confidence: fromStreet ? 0.35 : 0.4,
        };
      }
    }
    const centre = byCode.get(table.fallback.centre)!;
    return { department: centre.code, ruleId: UNROUTED_RULE, reason: `无规则命中且属地不明，由${centre.name}人工派单`, confidence: 0.2 };
  }

  function suggest(input: RouteInput, limit = 3): RouteResult[] {
    const out: RouteResult[] = [];
    // the centre reads the rule's description, not its id (the id stays in ruleId)
    const add = (r: RouteResult) => {
      if (out.length < limit && r.ruleId !== UNROUTED_RULE && !out.some((x) => x.department === r.department)) out.push({ ...r, reason: r.reason.replace(/^命中派单规则：/, '') });
    };
    for (const r of matches(input)) add(r);
    for (const r of matches(input, true)) add(r);
    add(fallback(input));
    return out;
  }

  return { route, suggest, rules, departments };
}

const shippedDepartments = shippedJson('departments.json', departmentsFileSchema);
const shippedRouting = shippedJson('routing.json', routingTableSchema);

/** lexicons/departments.json (read once), or another file's. */
export function loadDepartments(file?: string): Department[] {
  return (file === undefined ? shippedDepartments() : readJsonFile(file, departmentsFileSchema)).departments;
}

/** lexicons/routing.json (read once), or another file's. */
export function loadRoutingTable(file?: string): RoutingTable {
  return file === undefined ? shippedRouting() : readJsonFile(file, routingTableSchema);
}

let defaultRouter: Router | null = null;

/** The router of the shipped table, departments and gazetteer (built once). */
export function shippedRouter(): Router {
  defaultRouter ??= createRouter(loadRoutingTable(), loadDepartments(), loadGazetteer());
  return defaultRouter;
}

/** Routes with the shipped table, departments and gazetteer (loaded once). */
export function routeCase(input: RouteInput): RouteResult {
  return shippedRouter().route(input);
}
