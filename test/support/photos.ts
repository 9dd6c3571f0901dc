// Small JPEG and PNG files for tests, encoded here (jpeg-js, pngjs) and given the metadata a phone
// writes: an EXIF block with GPS coordinates, XMP and a comment (JPEG); eXIf, tEXt, iTXt, tIME (PNG).
import { crc32 } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** a GPS position written into the test files (a point in the sea, not a resident's address) */
export const TEST_GPS = { lat: 30.5, lng: 122.25 };

function pixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 4;
    data[i] = (x * 255) / Math.max(1, width - 1);
    data[i + 1] = (y * 255) / Math.max(1, height - 1);
    data[i + 2] = 128;
    data[i + 3] = 255;
  }
  return data;
}

function rational3(deg: number): Buffer {
  const b = Buffer.alloc(24);
  const d = Math.floor(deg);
  const m = Math.floor((deg - d) * 60);
  const s = Math.round(((deg - d) * 60 - m) * 60 * 100);
  [[d, 1], [m, 1], [s, 100]].forEach(([n, q], k) => { b.writeUInt32BE(n, k * 8); b.writeUInt32BE(q, k * 8 + 4); });
  return b;
}

/** the TIFF structure of an EXIF block holding IFD0 → GPS IFD with latitude and longitude (big-endian) */
export function exifWithGps(gps = TEST_GPS): Buffer {
  const t = Buffer.alloc(128);
  t.write('MM', 0, 'latin1');
  t.writeUInt16BE(42, 2);
  t.writeUInt32BE(8, 4);
  // IFD0: one entry, GPSInfo → 26
  t.writeUInt16BE(1, 8);
  t.writeUInt16BE(0x8825, 10); t.writeUInt16BE(4, 12); t.writeUInt32BE(1, 14); t.writeUInt32BE(26, 18);
  t.writeUInt32BE(0, 22);
  // GPS IFD at 26: four entries
  t.writeUInt16BE(4, 26);
  const entry = (k: number, tag: number, type: number, count: number, value: (o: number) => void) => {
    const o = 28 + k * 12;
    t.writeUInt16BE(tag, o); t.writeUInt16BE(type, o + 2); t.writeUInt32BE(count, o + 4); value(o + 8);
  };
  entry(0, 1, 2, 2, (o) => t.write('N\0', o, 'latin1'));
  entry(1, 2, 5, 3, (o) => t.writeUInt32BE(80, o));
  entry(2, 3, 2, 2, (o) => t.write('E\0', o, 'latin1'));
  entry(3, 4, 5, 3, (o) => t.writeUInt32BE(104, o));
  t.writeUInt32BE(0, 76);
  rational3(gps.lat).copy(t, 80);
  rational3(gps.lng).copy(t, 104);
  return t;
}

function segment(marker: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = 0xff; h[1] = marker; h.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([h, body]);
}

export const XMP_TEXT = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="30,30.0N"/></x:xmpmeta>';
export const COMMENT_TEXT = 'shot-by-test-phone';

/** a baseline JPEG with APP1 EXIF (GPS), APP1 XMP and a COM segment right after SOI */
export function jpegWithGps(width = 16, height = 12): Buffer {
  const plain = jpeg.encode({ data: pixels(width, height), width, height }, 90).data;
  const meta = Buffer.concat([
    segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifWithGps()])),
    segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(XMP_TEXT)])),
    segment(0xfe, Buffer.from(COMMENT_TEXT)),
  ]);
  return Buffer.concat([plain.subarray(0, 2), meta, plain.subarray(2)]);
}

export function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** a PNG with eXIf (GPS), tEXt, iTXt and tIME chunks after IHDR */
export function pngWithGps(width = 10, height = 7): Buffer {
  const png = new PNG({ width, height });
  pixels(width, height).copy(png.data);
  const plain = PNG.sync.write(png);
  const ihdrEnd = 8 + 12 + 13;
  const time = Buffer.from([0x07, 0xea, 12, 2, 10, 30, 0]);
  const meta = Buffer.concat([
    chunk('eXIf', exifWithGps()),
    chunk('tEXt', Buffer.from(`Comment\0${COMMENT_TEXT}`, 'latin1')),
    chunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(XMP_TEXT)])),
    chunk('tIME', time),
  ]);
  return Buffer.concat([plain.subarray(0, ihdrEnd), meta, plain.subarray(ihdrEnd)]);
}
