// Residents' photos: the type is told by the bytes (magic number, then the frame header read for the
// real dimensions), never by the file name or Content-Type; what is stored is a copy without the
// metadata a phone writes (EXIF with GPS, XMP, comments, text chunks, timestamps).
//
// Hand-written rather than a library: exif-be-gone and piexifjs drop the EXIF APP1 only (COM, other
// APPn and PNG text chunks stay) and validate nothing; png-chunks-extract/encode are unmaintained since
// 2017. Walking the segments once gives the type check, the dimensions and the copy together.
import { crc32 } from 'node:zlib';

// maxPixels: a few KB of PNG can declare 144 megapixels, which a browser decodes to ~576 MB for a thumbnail
export const PHOTO_LIMITS = { maxBytes: 5 * 1024 * 1024, maxCount: 4, maxSide: 12_000, maxPixels: 40_000_000 } as const;

export type PhotoType = 'image/jpeg' | 'image/png';

export interface CleanPhoto {
  mime: PhotoType;
  width: number;
  height: number;
  /** the image without its metadata */
  bytes: Buffer;
  /** how many metadata segments or chunks were removed */
  removed: string[];
}

/** the file is not a JPEG or PNG we can read; `message` is for the resident (Chinese) */
export class PhotoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoError';
  }
}

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** the type the bytes say, or null */
export function sniffPhotoType(b: Buffer): PhotoType | null {
  if (b.length >= 3 && JPEG_MAGIC.every((x, i) => b[i] === x)) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_MAGIC)) return 'image/png';
  return null;
}

const NOT_IMAGE = '文件不是可读取的 JPEG 或 PNG 图片';

function checkSides(width: number, height: number): void {
  if (width < 1 || height < 1) throw new PhotoError(`${NOT_IMAGE}（图片尺寸为 0）`);
  if (width > PHOTO_LIMITS.maxSide || height > PHOTO_LIMITS.maxSide) throw new PhotoError(`图片尺寸过大：最长边不超过 ${PHOTO_LIMITS.maxSide} 像素`);
  if (width * height > PHOTO_LIMITS.maxPixels) throw new PhotoError(`图片尺寸过大：总像素不超过 ${PHOTO_LIMITS.maxPixels / 10_000} 万`);
}

/** Checks and cleans a JPEG or PNG; throws PhotoError for anything else. */
export function cleanPhoto(b: Buffer): CleanPhoto {
  if (b.length > PHOTO_LIMITS.maxBytes) throw new PhotoError(`图片过大：每张不超过 ${PHOTO_LIMITS.maxBytes / 1024 / 1024} MB`);
  const type = sniffPhotoType(b);
  if (type === 'image/jpeg') return cleanJpeg(b);
  if (type === 'image/png') return cleanPng(b);
  throw new PhotoError('只能上传 JPEG 或 PNG 图片');
}

// SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);

/**
 * Keeps the segments decoding needs (tables, frame, scans, restart intervals), APP0 JFIF (the
 * colour space of plain YCbCr files) and APP14 Adobe (the colour transform of CMYK/YCCK files);
 * drops every other APPn (EXIF and GPS in APP1, XMP, ICC, maker notes, thumbnails) and COM; of the
 * EXIF only the Orientation tag is written back, in a segment of its own.
 * Anything after EOI is dropped too.
 */
export function cleanJpeg(b: Buffer): CleanPhoto {
  const out: Buffer[] = [b.subarray(0, 2)];
  const removed: string[] = [];
  let pos = 2;
  let size: { width: number; height: number } | null = null;
  let sawScan = false;
  let orientation = 0;
  const bad = (why: string) => new PhotoError(`${NOT_IMAGE}（${why}）`);
  for (;;) {
    if (pos + 1 >= b.length) throw bad('文件不完整');
    if (b[pos] !== 0xff) throw bad('段标记错误');
    // fill bytes before a marker
    while (b[pos + 1] === 0xff && pos + 2 < b.length) pos++;
    const marker = b[pos + 1];
    if (marker === 0xd9) {
      out.push(b.subarray(pos, pos + 2));
      break;
    }
    if (standalone(marker)) {
      out.push(b.subarray(pos, pos + 2));
      pos += 2;
      continue;
    }
    if (pos + 4 > b.length) throw bad('文件不完整');
    const len = b.readUInt16BE(pos + 2);
    const end = pos + 2 + len;
    if (len < 2 || end > b.length) throw bad('段长度错误');
    const seg = b.subarray(pos, end);
    const body = b.subarray(pos + 4, end);
    if (isSof(marker)) {
      if (len < 8) throw bad('帧头过短');
      size = { height: body.readUInt16BE(1), width: body.readUInt16BE(3) };
      out.push(seg);
    } else if (marker === 0xe0) {
      if (body.subarray(0, 5).toString('latin1') === 'JFIF\0') out.push(len > 16 ? jfifWithoutThumbnail(seg) : seg);
      else removed.push('APP0');
    } else if (marker === 0xee && body.subarray(0, 5).toString('latin1') === 'Adobe') {
      out.push(seg);
    } else if ((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe) {
      if (marker === 0xe1) orientation ||= exifOrientation(body);
      removed.push(marker === 0xfe ? 'COM' : `APP${marker - 0xe0}`);
    } else {
      out.push(seg);
    }
    pos = end;
    if (marker === 0xda) {
      if (!size) throw bad('扫描数据前缺少帧头');
      sawScan = true;
      // entropy-coded data runs to the next marker that is not stuffing (FF00) or a restart (FFD0–D7)
      let i = pos;
      while (i + 1 < b.length && !(b[i] === 0xff && b[i + 1] !== 0x00 && !(b[i + 1] >= 0xd0 && b[i + 1] <= 0xd7) && b[i + 1] !== 0xff)) i++;
      if (i + 1 >= b.length) throw bad('缺少结束标记');
      out.push(b.subarray(pos, i));
      pos = i;
    }
  }
  if (!size || !sawScan) throw bad('缺少帧头或图像数据');
  checkSides(size.width, size.height);
  // a phone stores its pixels as the sensor saw them and says how to turn them (EXIF Orientation):
  // that one tag is written back, alone, so the photo is not shown on its side
  if (orientation > 1) out.splice(out[1] && out[1][1] === 0xe0 ? 2 : 1, 0, orientationApp1(orientation));
  const shown = orientation >= 5 ? { width: size.height, height: size.width } : size;
  return { mime: 'image/jpeg', ...shown, bytes: Buffer.concat(out), removed };
}

/** The EXIF Orientation (1–8) in an APP1 body ("Exif\0\0" + TIFF), or 0 when there is none or it is unreadable. */
export function exifOrientation(body: Buffer): number {
  if (body.length < 14 || body.subarray(0, 6).toString('latin1') !== 'Exif\0\0') return 0;
  const t = body.subarray(6);
  const le = t.subarray(0, 2).toString('latin1') === 'II';
  if (!le && t.subarray(0, 2).toString('latin1') !== 'MM') return 0;
  const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
  const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
  if (u16(2) !== 0x2a) return 0;
  const ifd = u32(4);
  if (ifd + 2 > t.length) return 0;
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > t.length) return 0;
    // tag 0x0112, type SHORT, one value, stored in the entry's first two value bytes
    if (u16(e) === 0x0112 && u16(e + 2) === 3) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 0;
    }
  }
  return 0;
}

/** an APP1 segment holding only EXIF Orientation: "Exif\0\0", a little-endian TIFF header, IFD0 with one entry */
export function orientationApp1(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(0x2a, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8);
  tiff.writeUInt16LE(0x0112, 10);
  tiff.writeUInt16LE(3, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** a JFIF APP0 with its embedded thumbnail cut off (the thumbnail is a picture of its own) */
function jfifWithoutThumbnail(seg: Buffer): Buffer {
  const head = Buffer.from(seg.subarray(0, 4 + 14));
  head.writeUInt16BE(16, 2);
  head[4 + 12] = 0; // Xthumbnail
  head[4 + 13] = 0; // Ythumbnail
  return head;
}

/** the chunks kept: the critical ones and those that change how the pixels look; never text, time or EXIF */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD', 'pHYs']);

/** Keeps IHDR, PLTE, IDAT, IEND and the rendering chunks; drops eXIf, tEXt, zTXt, iTXt, tIME, iCCP and the rest. */
export function cleanPng(b: Buffer): CleanPhoto {
  const bad = (why: string) => new PhotoError(`${NOT_IMAGE}（${why}）`);
  const out: Buffer[] = [b.subarray(0, 8)];
  const removed: string[] = [];
  let pos = 8;
  let size: { width: number; height: number } | null = null;
  let idat = false;
  for (let first = true; ; first = false) {
    if (pos + 12 > b.length) throw bad('文件不完整');
    const len = b.readUInt32BE(pos);
    const type = b.subarray(pos + 4, pos + 8).toString('latin1');
    const end = pos + 12 + len;
    if (!/^[A-Za-z]{4}$/.test(type) || end > b.length) throw bad('数据块错误');
    if (crc32(b.subarray(pos + 4, pos + 8 + len)) !== b.readUInt32BE(pos + 8 + len)) throw bad(`${type} 校验和错误`);
    if (first) {
      if (type !== 'IHDR' || len !== 13) throw bad('缺少 IHDR');
      size = { width: b.readUInt32BE(pos + 8), height: b.readUInt32BE(pos + 12) };
    }
    if (PNG_KEEP.has(type)) out.push(b.subarray(pos, end));
    else if (type[0] === type[0].toUpperCase()) throw bad(`未知的关键数据块 ${type}`);
    else removed.push(type);
    if (type === 'IDAT') idat = true;
    pos = end;
    if (type === 'IEND') break;
  }
  if (!size || !idat) throw bad('缺少图像数据');
  checkSides(size.width, size.height);
  return { mime: 'image/png', ...size, bytes: Buffer.concat(out), removed };
}
