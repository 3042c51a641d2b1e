import { describe, expect, it } from 'vitest';
import { html } from './html.js';
import { posterSource } from './poster.js';

describe('console markup', () => {
  it('escapes every interpolated value, and only once when markup is nested', () => {
    const name = `<script>alert("x")</script> & 'co'`;
    const out = html`<p title="${name}">${html`<b>${name}</b>`}${[1, null, false, 'a<b']}</p>`.text;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</b>1a&lt;b</p>',
    );
  });

  it("loads a document's poster from TMDB_IMAGE_BASE_URL, whatever CDN it was written with", () => {
    const base = 'http://127.0.0.1:8787/t/p/w500/';
    expect(posterSource('https://image.tmdb.org/t/p/w500/abc.jpg', base)).toBe(
      'http://127.0.0.1:8787/t/p/w500/abc.jpg',
    );
    expect(posterSource('/abc.jpg', base)).toBe('http://127.0.0.1:8787/t/p/w500/abc.jpg');
    expect(posterSource('javascript:alert(1)', base)).toBeNull();
    expect(posterSource(null, base)).toBeNull();
  });
});
