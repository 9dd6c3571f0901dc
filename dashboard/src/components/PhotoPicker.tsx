// 图片 on the resident's forms: JPEG/PNG, at most 4 a message, 5 MB each. The server checks the bytes
// and strips the location; this only spares a resident an upload that would be refused.
import { useState } from 'react';

export const MAX_PHOTOS = 4;
const MAX_BYTES = 5 * 1024 * 1024;

export function PhotoPicker({ files, onChange, error }: { files: File[]; onChange: (files: File[]) => void; error?: string }) {
  const [local, setLocal] = useState<string | null>(null);
  const pick = (e: React.ChangeEvent<HTMLInputElement>) => {
    const chosen = [...files, ...Array.from(e.target.files ?? [])];
    e.target.value = '';
    if (chosen.length > MAX_PHOTOS) return setLocal(`最多上传 ${MAX_PHOTOS} 张图片`);
    const big = chosen.find((f) => f.size > MAX_BYTES);
    if (big) return setLocal(`图片“${big.name}”过大：每张不超过 5 MB`);
    setLocal(null);
    onChange(chosen);
  };
  const shown = local ?? error;
  return (
    <div className={`photo-picker ${shown ? 'has-error' : ''}`}>
      <span>图片（可选，JPEG 或 PNG，最多 {MAX_PHOTOS} 张，每张不超过 5 MB；位置等拍摄信息会被删除）</span>
      {/* the browser's own file button speaks the browser's language: ours says 选择图片 */}
      <label className="button file-button">
        选择图片
        <input type="file" name="photos" accept="image/jpeg,image/png" multiple onChange={pick} data-testid="photo-input" className="visually-hidden" />
      </label>
      {!files.length && <span className="small muted"> 未选择图片</span>}
      {files.length > 0 && (
        <ul className="photo-list">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              {f.name}（{Math.max(1, Math.round(f.size / 1024))} KB）
              <button type="button" className="link" onClick={() => onChange(files.filter((_, k) => k !== i))}>移除</button>
            </li>
          ))}
        </ul>
      )}
      {shown && <span className="field-error" data-testid="error-photos">{shown}</span>}
    </div>
  );
}

/** thumbnails that open the full image */
export function PhotoStrip({ photos, src }: { photos: { id: number; width: number; height: number }[]; src: (id: number) => string }) {
  if (!photos.length) return null;
  return (
    <div className="photo-strip" data-testid="photo-strip">
      {photos.map((p) => (
        <a key={p.id} href={src(p.id)} target="_blank" rel="noreferrer">
          <img src={src(p.id)} alt={`图片 ${p.width}×${p.height}`} width={96} height={Math.max(1, Math.round((96 * p.height) / p.width))} loading="lazy" />
        </a>
      ))}
    </div>
  );
}
