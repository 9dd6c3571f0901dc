// The city's place gazetteer (lexicons/places/wuhu.json): schema, loader and lookups. Production
// data: places are read by the NLP, routing and staff sessions.
import { z } from 'zod';
import { readJsonFile, shippedJson } from '../shipped/store';

const name = z.string().min(2).max(30);
const uniqueList = (suffix: RegExp | null) =>
  z.array(suffix ? name.regex(suffix) : name).refine((xs) => new Set(xs).size === xs.length, { message: 'duplicate name' });

export const streetSchema = z.object({
  name: name.regex(/(街道|镇|乡)$/),
  aliases: uniqueList(null),
  communities: uniqueList(/(社区|村)$/).min(1),
  roads: uniqueList(/(路|街|大道|巷)$/).min(1),
});
export const districtSchema = z.object({
  name: name.regex(/(区|县|市)$/),
  aliases: uniqueList(null),
  streets: z.array(streetSchema).min(1),
});
export const landmarkSchema = z.object({ name, district: name, street: name });

export const gazetteerSchema = z
  .object({ city: name, districts: z.array(districtSchema).min(1), landmarks: z.array(landmarkSchema) })
  .superRefine((g, ctx) => {
    const districtNames = new Set<string>();
    for (const d of g.districts) {
      if (districtNames.has(d.name)) ctx.addIssue({ code: 'custom', message: `duplicate district ${d.name}` });
      districtNames.add(d.name);
      const streets = new Set<string>();
      for (const s of d.streets) {
        if (streets.has(s.name)) ctx.addIssue({ code: 'custom', message: `duplicate street ${d.name}/${s.name}` });
        streets.add(s.name);
      }
    }
    for (const l of g.landmarks) {
      const d = g.districts.find((x) => x.name === l.district);
      if (!d || !d.streets.some((s) => s.name === l.street)) {
        ctx.addIssue({ code: 'custom', message: `landmark ${l.name}: unknown place ${l.district}/${l.street}` });
      }
    }
  });
export type Gazetteer = z.infer<typeof gazetteerSchema>;
export type GazetteerDistrict = z.infer<typeof districtSchema>;
export type GazetteerStreet = z.infer<typeof streetSchema>;

export const GAZETTEER_FILE = 'places/wuhu.json';
const shipped = shippedJson(GAZETTEER_FILE, gazetteerSchema);

/** The shipped gazetteer (read once), or another file's. */
export function loadGazetteer(file?: string): Gazetteer {
  return file === undefined ? shipped() : readJsonFile(file, gazetteerSchema);
}

/** The district a street belongs to, for messages that name only a street or community. */
export function districtOfStreet(g: Gazetteer, street: string): string | null {
  for (const d of g.districts) if (d.streets.some((s) => s.name === street)) return d.name;
  return null;
}
