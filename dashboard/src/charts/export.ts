// Client-side export of a chart: its data as CSV (UTF-8 with a BOM, so Excel reads the Chinese), and
// its drawing as PNG (the chart's SVG serialised, drawn on a canvas at twice the size on white).
export type CsvColumn<T> = [header: string, value: (row: T) => string | number | null | undefined];

function csvCell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  // quote what needs it; a leading = + - @ is neutralised so a spreadsheet does not run it as a formula
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [columns.map(([h]) => csvCell(h)).join(','), ...rows.map((r) => columns.map(([, f]) => csvCell(f(r))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv<T>(name: string, rows: readonly T[], columns: readonly CsvColumn<T>[]): void {
  download(`${name}.csv`, new Blob([toCsv(rows, columns)], { type: 'text/csv;charset=utf-8' }));
}

/** The chart's main SVG inside `root` (recharts also draws small SVG legend icons: take the largest). */
export function chartSvg(root: HTMLElement): SVGSVGElement | null {
  const all = [...root.querySelectorAll<SVGSVGElement>('svg.recharts-surface')];
  return all.sort((a, b) => b.clientWidth * b.clientHeight - a.clientWidth * a.clientHeight)[0] ?? null;
}

/** Draws the SVG (with a title above it) on a canvas and answers a PNG. */
export async function svgToPng(svg: SVGSVGElement, title: string, scale = 2): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // the page's font, so the Chinese labels are drawn as on screen
  clone.setAttribute('style', `font-family: ${getComputedStyle(svg).fontFamily}; background: #fff`);
  const xml = new XMLSerializer().serializeToString(clone);
  const img = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  await loaded;
  const head = 32;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil((height + head) * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height + head);
  ctx.fillStyle = '#111827';
  ctx.font = `600 15px ${getComputedStyle(svg).fontFamily || 'sans-serif'}`;
  ctx.fillText(title, 8, 21);
  ctx.drawImage(img, 0, head, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'));
}
