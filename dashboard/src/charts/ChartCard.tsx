// One card per chart: its title, the chart, and CSV / PNG export of exactly what it shows.
import { useRef, useState, type ReactNode } from 'react';
import { chartSvg, download, downloadCsv, svgToPng, type CsvColumn } from './export';

export function ChartCard<T>({
  title, note, file, rows, columns, wide, testId, actions, png: pngExport = true, children,
}: {
  title: string;
  note?: string;
  /** the download's file name, without extension */
  file: string;
  rows: readonly T[];
  columns: readonly CsvColumn<T>[];
  wide?: boolean;
  testId?: string;
  actions?: ReactNode;
  /** false for a card that shows a table, not a chart: CSV is its export */
  png?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const png = async () => {
    const svg = ref.current && chartSvg(ref.current);
    if (!svg) return setError('没有可导出的图形');
    try {
      download(`${file}.png`, await svgToPng(svg, note ? `${title}（${note}）` : title));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className={`card chart-card${wide ? ' wide' : ''}`} data-testid={testId} ref={ref}>
      <div className="card-head">
        <h3>{title} {note && <small className="muted">{note}</small>}</h3>
        <div className="chart-actions no-print">
          {actions}
          <button type="button" className="small-button" data-testid={testId ? `${testId}-csv` : undefined} disabled={!rows.length} onClick={() => downloadCsv(file, rows, columns)}>CSV</button>
          {pngExport && (
            <button type="button" className="small-button" data-testid={testId ? `${testId}-png` : undefined} disabled={!rows.length} onClick={() => void png()}>PNG</button>
          )}
        </div>
      </div>
      {error && <p className="error small">{error}</p>}
      {children}
    </div>
  );
}
