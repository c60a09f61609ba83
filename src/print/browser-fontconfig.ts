import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The fontconfig the print browser runs with, in place of the machine's: its only "system"
 * fonts are KaTeX's TrueType files from node_modules, and its rendering settings are fixed. So
 * neither the fonts a machine has installed nor its /etc/fonts settings can reach a PDF: every
 * glyph comes from the fonts the documents carry (src/render/fonts/), and the bytes are the same
 * on every machine with the same browser. (With no font at all, Chromium fails to load web fonts
 * now and then; one local font directory avoids that.) Linux only: other systems ignore it.
 */
export function writeBrowserFontconfig(profileDir: string): string {
  const katexFonts = join(dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css')), 'fonts');
  const file = join(profileDir, 'fonts.conf');
  writeFileSync(file, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${escapeXml(katexFonts)}</dir>
  <cachedir>${escapeXml(join(profileDir, 'fontconfig-cache'))}</cachedir>
  <match target="font">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>false</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintnone</const></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
    <edit name="embeddedbitmap" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
`);
  return file;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
