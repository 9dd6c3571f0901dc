// `npm run --silent bench -- photos [--runs N]`: how long checking and cleaning one photo takes
// (core/photos/image.ts), on a JPEG of random pixels just under the 5 MB limit and on a PNG of random
// pixels of about the same size. Test images are encoded here (jpeg-js, pngjs: dev dependencies).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { cleanPhoto } from '../../core/photos/image';

export async function runPhotos(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '10' } }, strict: true });
  const runs = Math.max(1, Number(values.runs) || 10);
  const { default: jpeg } = await import('jpeg-js');
  const { PNG } = await import('pngjs');
  const w = 1600, h = 1200;
  const samples = [
    { name: 'jpeg', bytes: Buffer.from(jpeg.encode({ data: randomBytes(w * h * 4), width: w, height: h }, 95).data) },
    { name: 'png', bytes: (() => { const p = new PNG({ width: 1100, height: 1100 }); randomBytes(1100 * 1100 * 4).copy(p.data); return PNG.sync.write(p); })() },
  ];
  const out: Record<string, { mb: number; msPerPhoto: number }> = {};
  for (const s of samples) {
    cleanPhoto(s.bytes);
    const t = performance.now();
    for (let i = 0; i < runs; i++) cleanPhoto(s.bytes);
    out[s.name] = { mb: Number((s.bytes.length / 1048576).toFixed(2)), msPerPhoto: Number(((performance.now() - t) / runs).toFixed(1)) };
    console.error(`${s.name}: ${out[s.name].mb} MB, ${out[s.name].msPerPhoto} ms per photo`);
  }
  console.log(JSON.stringify({ runs, ...out }));
  return 0;
}
