import { describe, expect, it } from 'vitest';
import { katexStylesheet } from '../../src/render/katex-css.ts';

describe('katexStylesheet', () => {
  const css = katexStylesheet();

  it('inlines every font as one woff2 data URL', () => {
    const faces = css.match(/@font-face\s*\{[^}]*\}/g) ?? [];
    expect(faces.length).toBeGreaterThan(15);
    for (const face of faces) {
      expect(face).toMatch(/src:url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{100,}\) format\("woff2"\)/);
      expect(face).not.toMatch(/\.woff\b|\.ttf\b|format\("woff"\)|truetype/);
    }
    expect(css).toContain('font-family:KaTeX_Main');
  });

  it('references nothing outside the document', () => {
    const urls = css.match(/url\([^)]*\)/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !url.startsWith('url(data:'))).toEqual([]);
  });

  it('is computed once', () => {
    expect(katexStylesheet()).toBe(css);
  });
});
