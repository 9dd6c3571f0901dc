// The residents' photos of a case, as thumbnails in the drawer (the images come with the session cookie).
import { useEffect, useState } from 'react';
import { call, v1, type CasePhoto } from '../api';
import { PhotoStrip } from './PhotoPicker';

export function CasePhotos({ caseId }: { caseId: number }) {
  const [photos, setPhotos] = useState<CasePhoto[]>([]);
  useEffect(() => {
    let live = true;
    call(v1.cases[':id'].photos.$get({ param: { id: String(caseId) } })).then((r) => live && setPhotos(r.items), () => live && setPhotos([]));
    return () => { live = false; };
  }, [caseId]);
  if (!photos.length) return null;
  return (
    <div data-testid="case-photos">
      <div className="small muted">居民上传的图片（{photos.length}，已删除位置等拍摄信息）</div>
      <PhotoStrip photos={photos} src={(id) => `/api/v1/cases/${caseId}/photos/${id}`} />
    </div>
  );
}
