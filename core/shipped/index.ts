// Loads every file the product ships (lexicons/: dictionary and stop words, gazetteer, departments,
// routing, SLA policy, calendars, duplicate topics, accounts, NLP cues and thresholds, sentiment
// words, models) once, at start-up, and checks them against each other. A broken file stops the
// process with the file and the field named (ShippedFileError). Each entry point calls loadShipped()
// first and passes the result down (AppDeps.shipped, WorkerDeps.shipped); the NLP readers, used
// through module-level functions, answer from the same cache (core/shipped/store.ts).
import path from 'node:path';
import { createRouter, DISTRICT_TARGET, loadDepartments, loadRoutingTable, type Department, type Router, type RoutingTable } from '../cases/routing';
import { loadSla, type Sla } from '../cases/sla';
import { loadAccounts, type Account } from '../demo/accounts';
import { loadGazetteer, GAZETTEER_FILE, type Gazetteer } from '../places/gazetteer';
// the NLP modules declare their shipped files on import (cues, thresholds, word lists, models)
import '../nlp/analyze';
import '../nlp/category';
import '../cases/duplicates';
import '../opinion/config';
import { currentLexiconDir, loadRegistered, ShippedFileError, shippedPath, useLexiconDir } from './store';

export { ShippedFileError, DEFAULT_LEXICON_DIR } from './store';

/** What the services take from lexicons/, loaded and checked at start-up. */
export interface Shipped {
  /** the folder it was read from */
  dir: string;
  sla: Sla;
  departments: Department[];
  routing: RoutingTable;
  gazetteer: Gazetteer;
  /** the router built from routing, departments and gazetteer */
  router: Router;
  accounts: Account[];
}

/** Checks that span files: every department, district and street a file names exists. */
function crossCheck(s: Omit<Shipped, 'router' | 'sla' | 'dir'>): void {
  const codes = new Set(s.departments.map((d) => d.code));
  const districts = new Set(s.gazetteer.districts.map((d) => d.name));
  const streets = new Set(s.gazetteer.districts.flatMap((d) => d.streets.map((x) => x.name)));
  const routing = shippedPath('routing.json');
  s.routing.rules.forEach((r, i) => {
    if (r.department !== DISTRICT_TARGET && !codes.has(r.department)) {
      throw new ShippedFileError(routing, `rules.${i}.department`, `unknown department "${r.department}" (not in departments.json)`);
    }
    r.districts?.forEach((d, j) => {
      if (!districts.has(d)) throw new ShippedFileError(routing, `rules.${i}.districts.${j}`, `unknown district "${d}" (not in ${GAZETTEER_FILE})`);
    });
    r.streets?.forEach((st, j) => {
      if (!streets.has(st)) throw new ShippedFileError(routing, `rules.${i}.streets.${j}`, `unknown street "${st}" (not in ${GAZETTEER_FILE})`);
    });
  });
  if (!codes.has(s.routing.fallback.centre)) {
    throw new ShippedFileError(routing, 'fallback.centre', `unknown department "${s.routing.fallback.centre}" (not in departments.json)`);
  }
  s.departments.forEach((d, i) => {
    if (d.district && !districts.has(d.district)) {
      throw new ShippedFileError(shippedPath('departments.json'), `departments.${i}.district`, `unknown district "${d.district}" (not in ${GAZETTEER_FILE})`);
    }
  });
  s.accounts.forEach((a, i) => {
    if (!codes.has(a.department)) throw new ShippedFileError(shippedPath('accounts.json'), `accounts.${i}.department`, `unknown department "${a.department}" (not in departments.json)`);
  });
}

let loaded: Shipped | undefined;

/**
 * Reads and checks every shipped file from `dir` (default lexicons/), once per process: a second
 * call with the same folder returns the same data. Throws ShippedFileError (or ModelFileError for a
 * model) naming the file and the field.
 */
export function loadShipped(opts: { dir?: string } = {}): Shipped {
  const dir = path.resolve(opts.dir ?? currentLexiconDir());
  if (loaded?.dir === dir) return loaded;
  const before = currentLexiconDir();
  useLexiconDir(dir);
  try {
    loadRegistered();
    const data = { departments: loadDepartments(), routing: loadRoutingTable(), gazetteer: loadGazetteer(), accounts: loadAccounts() };
    crossCheck(data);
    const sla = loadSla();
    loaded = { dir, sla, ...data, router: createRouter(data.routing, data.departments, data.gazetteer) };
    return loaded;
  } catch (err) {
    useLexiconDir(before); // a folder that does not load is not used
    throw err;
  }
}

/** For an entry point: the shipped data from the configured folder (LEXICON_DIR, default lexicons/),
 * or a message naming the file and the field and exit code 78. */
export function loadShippedOrExit(config: { LEXICON_DIR?: string }): Shipped {
  try {
    return loadShipped({ dir: config.LEXICON_DIR });
  } catch (err) {
    console.error(`shipped data error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(78);
  }
}
