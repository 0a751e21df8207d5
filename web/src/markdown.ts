import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { highlightBlock } from './highlight';

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    code({ text, lang }) {
      const l = (lang ?? '').split(/\s/)[0] || null;
      return `<pre><code class="hljs">${highlightBlock(text, l)}</code></pre>`;
    },
  },
});

/** Markdown → sanitised HTML (no scripts, no event handlers, no javascript: links). */
export function renderMarkdown(md: string): string {
  const html = marked.parse(md, { async: false }) as string;
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
