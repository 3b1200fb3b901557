/** HTML text that is already escaped, so that `html` inserts it as it is. */
class SafeHtml {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Template tag for HTML: every interpolated value is escaped, except SafeHtml from another `html`
 * template. Arrays are joined, and undefined, null and false insert nothing, so `${cond && html`...`}`
 * works for optional parts.
 */
function html(strings, ...values) {
  let text = strings[0];
  values.forEach((value, index) => {
    text += render(value) + strings[index + 1];
  });
  return new SafeHtml(text);
}

function render(value) {
  if (value === undefined || value === null || value === false) {
    return '';
  }
  if (Array.isArray(value)) {
    return value.map(render).join('');
  }
  if (value instanceof SafeHtml) {
    return value.text;
  }
  return String(value).replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/**
 * Renders a whole page of the demo as a string: `<title>` is "title · siteName", `head` goes into the
 * head, `header` into the top bar, and `body` below a heading that repeats the title.
 */
function renderPage({ title, siteName, style, head, header, body }) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title} · ${siteName}</title>
${head}
<style>${new SafeHtml(style)}</style>
</head>
<body>
<header>${header}</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.toString();
}

module.exports = { html, renderPage };
