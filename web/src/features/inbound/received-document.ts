/**
 * The document shown inside the sandboxed frame of a received HTML message (M41). The HTML
 * was sanitized on the server; this adds defence in depth: a Content-Security-Policy that lets
 * the frame load nothing but our own attachments (inline `cid:` images) and, only after the
 * user asked, remote images; no scripts at all (the frame has no allow-scripts either).
 * Quoted history (marked `data-mr-quote` by the server) is hidden until asked for.
 */
export interface DocumentOptions {
  html: string;
  origin: string;
  inlineImages: { contentId: string; attachmentId: string }[];
  showImages: boolean;
  showQuoted: boolean;
}

const REMOTE = /^https?:\/\//i;

export function receivedDocument(o: DocumentOptions): string {
  const doc = new DOMParser().parseFromString(
    `<!doctype html><html><body>${o.html}</body></html>`,
    'text/html',
  );
  const byCid = new Map(o.inlineImages.map((i) => [i.contentId.toLowerCase(), i.attachmentId]));
  for (const img of Array.from(doc.querySelectorAll('img'))) {
    const cid = img.getAttribute('data-mr-cid');
    const remote = img.getAttribute('data-mr-src');
    img.removeAttribute('srcset');
    if (cid) {
      const id = byCid.get(cid.toLowerCase());
      if (id) img.setAttribute('src', `${o.origin}/api/attachments/${encodeURIComponent(id)}`);
    } else if (remote && o.showImages && REMOTE.test(remote)) {
      img.setAttribute('src', remote);
      img.setAttribute('referrerpolicy', 'no-referrer');
    } else if (remote) {
      img.setAttribute('data-mr-blocked', '');
    }
  }
  const imgSrc = `data: ${o.origin}${o.showImages ? ' https: http:' : ''}`;
  const csp = `default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'; font-src 'none'; form-action 'none'; base-uri 'none'`;
  const fold = o.showQuoted
    ? ''
    : '[data-mr-quote], [data-mr-quote="outlook"] ~ * { display: none !important; }';
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<style>
html, body { margin: 0; padding: 0; background: transparent; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1b1e; overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; }
img[data-mr-blocked] { display: inline-block; min-width: 24px; min-height: 16px; background: #f1f3f5; border: 1px dashed #ced4da; }
table { max-width: 100%; }
blockquote { margin: 0 0 0 0.8ex; padding-left: 1ex; border-left: 2px solid #ced4da; }
${fold}
</style></head><body>${doc.body.innerHTML}</body></html>`;
}
