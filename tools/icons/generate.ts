// `npx tsx tools/icons/generate.ts`: rasterizes public/icons/icon.svg into the PNG icons the web app
// manifest lists. The PNGs are committed (the build does not run this), so rerun it after editing
// the SVG. sharp comes with @huggingface/transformers; it renders SVG through librsvg.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import sharp from 'sharp';

const iconsDir = resolve(import.meta.dirname, '../../public/icons');
const sourceSvg = resolve(iconsDir, 'icon.svg');

/** The icon's own background colour: a maskable icon's margin must be the same colour. */
const ICON_BACKGROUND = '#1f2a44';

/**
 * A maskable icon may be cropped to any shape inside its central 80% circle (the "safe zone").
 * The artwork is drawn at this share of the canvas so the microphone stays well inside it.
 */
const MASKABLE_ART_SHARE = 0.7;

async function renderSquare(svg: Buffer, size: number, out: string): Promise<void> {
  // Rendering at the target density keeps edges sharp instead of scaling a small raster up.
  await sharp(svg, { density: Math.ceil((72 * size) / 512) })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(out);
}

async function renderMaskable(svg: Buffer, size: number, out: string): Promise<void> {
  const artSize = Math.round(size * MASKABLE_ART_SHARE);
  const art = await sharp(svg, { density: Math.ceil((72 * artSize) / 512) })
    .resize(artSize, artSize)
    .png()
    .toBuffer();
  const offset = Math.round((size - artSize) / 2);
  // Full-bleed background: the rounded corners of the regular icon would show as white
  // wedges once a launcher applies its own mask.
  await sharp({ create: { width: size, height: size, channels: 4, background: ICON_BACKGROUND } })
    .composite([{ input: art, left: offset, top: offset }])
    .png({ compressionLevel: 9 })
    .toFile(out);
}

async function main(): Promise<void> {
  mkdirSync(iconsDir, { recursive: true });
  const svg = await readFile(sourceSvg);
  await renderSquare(svg, 192, resolve(iconsDir, 'icon-192.png'));
  await renderSquare(svg, 512, resolve(iconsDir, 'icon-512.png'));
  await renderMaskable(svg, 512, resolve(iconsDir, 'icon-maskable-512.png'));
  // iOS ignores the manifest's icons and uses this one when added to the home screen.
  await renderSquare(svg, 180, resolve(iconsDir, 'apple-touch-icon-180.png'));
  console.log(`icons written to ${iconsDir}`);
}

await main();
