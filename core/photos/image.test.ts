import { deflateSync } from 'node:zlib';
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { chunk, COMMENT_TEXT, jpegWithGps, pngWithGps, TEST_GPS, XMP_TEXT } from '../../test/support/photos';
import { cleanPhoto, orientationApp1, PHOTO_LIMITS, PhotoError, sniffPhotoType } from './image';

describe('photo type by content', () => {
  it('tells JPEG and PNG by their bytes, not by a name', () => {
    expect(sniffPhotoType(jpegWithGps())).toBe('image/jpeg');
    expect(sniffPhotoType(pngWithGps())).toBe('image/png');
    expect(sniffPhotoType(Buffer.from('GIF89a......'))).toBeNull();
    expect(sniffPhotoType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('refuses other files, truncated images and oversized ones with Chinese messages', () => {
    expect(() => cleanPhoto(Buffer.from('%PDF-1.7 not an image'))).toThrow('只能上传 JPEG 或 PNG 图片');
    const j = jpegWithGps();
    expect(() => cleanPhoto(j.subarray(0, j.length - 40))).toThrow(PhotoError);
    // JPEG magic bytes and nothing behind them
    expect(() => cleanPhoto(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toThrow(/不是可读取的/);
    const p = pngWithGps();
    const broken = Buffer.from(p);
    broken[50] ^= 0xff; // inside the eXIf chunk's data: its CRC no longer matches
    expect(() => cleanPhoto(broken)).toThrow(/校验和错误/);
    expect(() => cleanPhoto(Buffer.concat([j, Buffer.alloc(PHOTO_LIMITS.maxBytes)]))).toThrow('图片过大');
  });

  it('refuses a small file that declares too many pixels (a decompression bomb for the thumbnails)', () => {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(10_000, 0);
    ihdr.writeUInt32BE(10_000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    const bomb = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
    expect(bomb.length).toBeLessThan(120);
    expect(() => cleanPhoto(bomb)).toThrow('总像素不超过 4000 万');
  });

  it('reads the real dimensions from SOF and IHDR', () => {
    expect(cleanPhoto(jpegWithGps(33, 21))).toMatchObject({ mime: 'image/jpeg', width: 33, height: 21 });
    expect(cleanPhoto(pngWithGps(19, 5))).toMatchObject({ mime: 'image/png', width: 19, height: 5 });
  });
});

describe('metadata stripping', () => {
  it('JPEG: the EXIF GPS block, XMP and comment are gone and the image still decodes', async () => {
    const original = jpegWithGps(24, 18);
    // the fixture really carries a position (read by exifr, an independent EXIF reader)
    const before = await exifr.gps(original);
    expect(before.latitude).toBeCloseTo(TEST_GPS.lat, 3);
    expect(before.longitude).toBeCloseTo(TEST_GPS.lng, 3);
    const clean = cleanPhoto(original);
    expect(clean.removed).toEqual(['APP1', 'APP1', 'COM']);
    expect(await exifr.gps(clean.bytes)).toBeUndefined();
    expect(await exifr.parse(clean.bytes, { xmp: true, tiff: true })).toBeUndefined();
    const text = clean.bytes.toString('latin1');
    expect(text).not.toContain('Exif');
    expect(text).not.toContain(XMP_TEXT.slice(0, 20));
    expect(text).not.toContain(COMMENT_TEXT);
    const decoded = jpeg.decode(clean.bytes, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([24, 18]);
    // the pixels are the original's: stripping touches no image data
    expect(Buffer.from(decoded.data)).toEqual(Buffer.from(jpeg.decode(original, { useTArray: true }).data));
    // cleaning twice changes nothing
    expect(cleanPhoto(clean.bytes).bytes).toEqual(clean.bytes);
  });

  it('JPEG: a phone photo keeps its Orientation (alone) so it is not shown on its side', async () => {
    // a phone's file: its EXIF says "turn 90°" (6) beside the GPS block
    const phone = jpegWithGps(24, 18);
    const original = Buffer.concat([phone.subarray(0, 2), orientationApp1(6), phone.subarray(2)]);
    expect((await exifr.parse(original, { tiff: true }))?.Orientation).toBe('Rotate 90 CW');
    const clean = cleanPhoto(original);
    // exifr, an independent reader: the orientation is there, the position is not
    expect((await exifr.parse(clean.bytes, { tiff: true, gps: true }))?.Orientation).toBe('Rotate 90 CW');
    expect(await exifr.gps(clean.bytes)).toBeUndefined();
    // shown turned: the width and height a page lays out are swapped
    expect([clean.width, clean.height]).toEqual([18, 24]);
    const decoded = jpeg.decode(clean.bytes, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([24, 18]);
    expect(cleanPhoto(clean.bytes).bytes).toEqual(clean.bytes);
  });

  it('PNG: eXIf, tEXt, iTXt and tIME are dropped and the image still decodes', async () => {
    const original = pngWithGps(12, 9);
    expect((await exifr.gps(original))?.latitude).toBeCloseTo(TEST_GPS.lat, 3);
    const clean = cleanPhoto(original);
    expect(clean.removed.sort()).toEqual(['eXIf', 'iTXt', 'tEXt', 'tIME']);
    expect(await exifr.gps(clean.bytes)).toBeUndefined();
    const text = clean.bytes.toString('latin1');
    for (const s of ['eXIf', 'tEXt', 'iTXt', 'tIME', COMMENT_TEXT]) expect(text).not.toContain(s);
    const decoded = PNG.sync.read(clean.bytes);
    expect([decoded.width, decoded.height]).toEqual([12, 9]);
    expect(decoded.data).toEqual(PNG.sync.read(original).data);
  });

  it('drops bytes appended after the end of the image', () => {
    const tail = Buffer.from('PK\x03\x04 hidden archive');
    expect(cleanPhoto(Buffer.concat([jpegWithGps(), tail])).bytes.includes(tail)).toBe(false);
    expect(cleanPhoto(Buffer.concat([pngWithGps(), tail])).bytes.includes(tail)).toBe(false);
  });
});
