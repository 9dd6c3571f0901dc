// Loading nodejieba's dictionaries once instead of twice. nodejieba's load() builds the segmenter
// (cppjieba::Jieba: the dictionary trie, the HMM model and the TF-IDF extractor sharing them) and
// then a TextRank extractor that reads the same dictionary path again into a trie of its own: a
// second copy of the full dictionary (about 110 MB of native memory) for a function Minsheng never
// calls (keywords are picked in JS from the segmenter's tokens, core/nlp/keywords.ts). Here the
// dictionary and HMM paths given to load() are named pipes served by a worker thread: the first
// reader (the segmenter) gets the full dictionary, the second (TextRank) a one-word one. The HMM
// model's pipe is the barrier between the two: it is read only after the segmenter's dictionary
// reader has closed, so the second dictionary can never reach the first reader.
// Where no pipe can be made (no `mkfifo` binary, a file system without FIFOs) or the worker does
// not come up, load() reads the files themselves, as before: the same segmentation, more memory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface JiebaFiles {
  DEFAULT_DICT: string;
  DEFAULT_HMM_DICT: string;
  DEFAULT_USER_DICT: string;
  DEFAULT_IDF_DICT: string;
  DEFAULT_STOP_WORD_DICT: string;
}

export interface JiebaLoader {
  load(opts: { dict: string; hmmDict: string; userDict: string; idfDict: string; stopWordDict: string }): unknown;
}

/** the dictionary the TextRank extractor gets: one line "word freq tag", as cppjieba's DictTrie requires at least one */
export const TEXTRANK_DICT = '的 1 uj\n';

// plain JS run by the worker: it reads the files, says it is ready, then writes each pipe in turn.
// Nothing it does blocks: a pipe is opened for writing without blocking (ENXIO while no reader has
// it open: tried again a millisecond later), written without blocking, and the worker stops as soon
// as the main thread says load() is over (returned or threw) or the pipes are gone; so a load()
// that reads the pipes fewer times than expected never leaves a thread stuck in open(2), which
// would hold the process's exit.
const SERVER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { O_WRONLY, O_NONBLOCK } = fs.constants;
const flag = new Int32Array(workerData.flag); // [0]: 1 ready, 2 failed; [1]: 1 once load() is over
let parts;
try {
  const dict = fs.readFileSync(workerData.dictFile);
  const hmm = fs.readFileSync(workerData.hmmFile);
  parts = [[workerData.dictPipe, dict], [workerData.hmmPipe, hmm], [workerData.dictPipe, Buffer.from(workerData.second)], [workerData.hmmPipe, hmm]];
  Atomics.store(flag, 0, 1);
} catch (err) {
  Atomics.store(flag, 0, 2);
}
Atomics.notify(flag, 0);
const over = () => Atomics.load(flag, 1) !== 0;
// a millisecond's pause, cut short when load() is over
const pause = () => Atomics.wait(flag, 1, 0, 1);
serving: for (const [pipe, buf] of parts || []) {
  let fd;
  for (;;) {
    if (over()) break serving;
    try {
      fd = fs.openSync(pipe, O_WRONLY | O_NONBLOCK);
      break;
    } catch (err) {
      if (err.code !== 'ENXIO') break serving; // the pipes are gone
      pause();
    }
  }
  try {
    for (let off = 0; off < buf.length; ) {
      try {
        off += fs.writeSync(fd, buf, off, buf.length - off);
      } catch (err) {
        if (err.code !== 'EAGAIN' || over()) break serving; // the reader closed: load() gave up
        pause();
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
`;

/** How load() read the dictionary: 'pipe' (one copy) or 'files' (the fallback: two copies). */
export type JiebaLoadMode = 'pipe' | 'files';

/**
 * Calls jieba.load() with the shipped files, the TextRank extractor's dictionary replaced by a
 * one-word one when named pipes work here. `mkfifo` is the binary's path or name (tests give a
 * missing one to take the fallback); `tmpRoot` the folder the pipes' folder is made in (the OS's
 * temporary folder). Any failure before the dictionary is in (no temporary folder, no mkfifo, no
 * worker, a failed load through the pipes) loads the files themselves.
 */
export function loadJiebaOnce(jieba: JiebaLoader, files: JiebaFiles, opts: LoadJiebaOptions = {}): JiebaLoadMode {
  const plain = { dict: files.DEFAULT_DICT, hmmDict: files.DEFAULT_HMM_DICT, userDict: files.DEFAULT_USER_DICT, idfDict: files.DEFAULT_IDF_DICT, stopWordDict: files.DEFAULT_STOP_WORD_DICT };
  if (loadThroughPipes(jieba, plain, opts)) return 'pipe';
  jieba.load(plain);
  return 'files';
}

export interface LoadJiebaOptions {
  mkfifo?: string;
  readyTimeoutMs?: number;
  tmpRoot?: string;
  /** given the pipes' worker once load() is over (tests watch it exit) */
  onWorker?: (worker: Worker | undefined) => void;
}

type LoadOpts = Parameters<JiebaLoader['load']>[0];

/** true when load() read the dictionary through the pipes; false when nothing was loaded that way */
function loadThroughPipes(jieba: JiebaLoader, plain: LoadOpts, opts: LoadJiebaOptions): boolean {
  let dir: string | undefined;
  let worker: Worker | undefined;
  let flag: Int32Array | undefined;
  try {
    dir = mkdtempSync(path.join(opts.tmpRoot ?? os.tmpdir(), 'minsheng-jieba-'));
    const dictPipe = path.join(dir, 'dict.utf8');
    const hmmPipe = path.join(dir, 'hmm_model.utf8');
    // execFile, not a shell: only the mkfifo binary itself is needed
    execFileSync(opts.mkfifo ?? 'mkfifo', ['-m', '600', dictPipe, hmmPipe], { stdio: 'ignore', timeout: 10_000 });
    flag = new Int32Array(new SharedArrayBuffer(8));
    worker = new Worker(SERVER, {
      eval: true,
      workerData: { flag: flag.buffer, dictFile: plain.dict, hmmFile: plain.hmmDict, dictPipe, hmmPipe, second: TEXTRANK_DICT },
    });
    worker.unref();
    worker.on('error', () => {}); // after ready it only writes pipes load() reads; before, the flag says
    // the worker reads the files before it says it is ready; only then does load() open the pipes
    // (a load() waiting on a pipe nobody writes would block this thread for good)
    Atomics.wait(flag, 0, 0, opts.readyTimeoutMs ?? 30_000);
    if (Atomics.load(flag, 0) !== 1) {
      void worker.terminate();
      return false;
    }
    jieba.load({ ...plain, dict: dictPipe, hmmDict: hmmPipe });
    return true;
  } catch {
    return false;
  } finally {
    if (flag) {
      // load() is over: the worker stops, whatever it was still to write
      Atomics.store(flag, 1, 1);
      Atomics.notify(flag, 1);
    }
    opts.onWorker?.(worker);
    try {
      if (dir) rmSync(dir, { recursive: true, force: true });
    } catch {
      // a folder of two empty pipes left in the temporary folder
    }
  }
}
