// node scripts/make-icon.mjs — writes images/icon.png, the extension icon (128×128 RGBA PNG).
//
// A plumb line: a beam at the top, a vertical line, and a plumb bob (a circle drawn
// to a point) on a dark rounded square. Drawn from simple shapes, 4×4 supersampled
// for smooth edges, and encoded with node:zlib alone (no image library).
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SAMPLES = 4; // per axis
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'images', 'icon.png');

const BACKGROUND = [0x17, 0x2a, 0x3f]; // dark slate blue
const LINE = [0xe6, 0xed, 0xf3]; // off-white
const BOB = [0xf2, 0xb1, 0x34]; // amber

// Shapes, in pixel units (x right, y down); each returns whether a point is inside.
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

// The bob: a circle and the cone from its tangent points down to the tip.
const BOB_X = 64, BOB_Y = 82, BOB_R = 17, TIP_Y = 110;
const sinA = BOB_R / (TIP_Y - BOB_Y);
const tanA = sinA / Math.sqrt(1 - sinA * sinA);
const tangentY = BOB_Y + BOB_R * sinA;
const bob = (x, y) =>
  circle(BOB_X, BOB_Y, BOB_R)(x, y) || (y >= tangentY && y <= TIP_Y && Math.abs(x - BOB_X) <= (TIP_Y - y) * tanA);

const background = roundedRect(0, 0, SIZE, SIZE, 24);
const beam = roundedRect(36, 20, 92, 27, 3.5);
const line = roundedRect(62, 24, 66, 66, 0); // from the beam into the bob's cap
const cap = roundedRect(58, 61, 70, 68, 2);
const bobHighlight = circle(BOB_X - 6, BOB_Y - 6, 4.5); // a small light spot on the bob

/** The colour at one sample point, [r, g, b, a] with a in 0..1. */
function sample(x, y) {
  if (!background(x, y)) return [0, 0, 0, 0];
  if (bob(x, y)) return bobHighlight(x, y) ? [0xf8, 0xd2, 0x7c, 1] : [...BOB, 1];
  if (cap(x, y)) return [...BOB, 1];
  if (beam(x, y) || line(x, y)) return [...LINE, 1];
  return [...BACKGROUND, 1];
}

// Raw image: one filter byte (0, none) per row, then RGBA pixels.
const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let py = 0; py < SIZE; py++) {
  const row = py * (1 + SIZE * 4);
  raw[row] = 0;
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [cr, cg, cb, ca] = sample(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        r += cr * ca; g += cg * ca; b += cb * ca; a += ca;
      }
    }
    const o = row + 1 + px * 4;
    const n = SAMPLES * SAMPLES;
    // Colour averaged over the covered samples (straight, not premultiplied, alpha).
    raw[o] = a ? Math.round(r / a) : 0;
    raw[o + 1] = a ? Math.round(g / a) : 0;
    raw[o + 2] = a ? Math.round(b / a) : 0;
    raw[o + 3] = Math.round((a / n) * 255);
  }
}

// CRC-32 (ISO-HDLC), as PNG chunks need it.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0); // width
header.writeUInt32BE(SIZE, 4); // height
header[8] = 8; // bit depth
header[9] = 6; // colour type: RGBA
header[10] = 0; // compression: deflate
header[11] = 0; // filter method
header[12] = 0; // no interlace

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, png);
console.log(`${path.relative(process.cwd(), OUT)}: ${SIZE}×${SIZE}, ${png.length} bytes`);
