/** Markup built by `html`: interpolating it into another `html` template does not escape it again. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an element's content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: Value): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * The one way pages build markup: every interpolated value is escaped unless it is markup built here, so data
 * from the index or a release name (attacker-chosen text) can never become markup.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  return new SafeHtml(
    strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''),
  );
}

export interface PageContext {
  /** who is signed in (shown in the header, and written in the log of each action) */
  user: string;
  /** the token every form that acts must carry (see csrf.ts) */
  csrfToken: string;
  allowActions: boolean;
}

const NAV = [
  { href: '/', label: 'Pipeline' },
  { href: '/search', label: 'Search' },
  { href: '/torrents', label: 'Torrent journey' },
  { href: '/queues', label: 'Queues' },
];

/** The page around every view: no script, one stylesheet of its own. */
export function layout(title: string, current: string, context: PageContext, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Minato console</title>
        <link rel="stylesheet" href="/static/console.css" />
      </head>
      <body>
        <header>
          <p class="brand">Minato console</p>
          <nav aria-label="Main">
            <ul>
              ${NAV.map(
                (item) =>
                  html`<li>
                    <a href="${item.href}" ${item.href === current ? html` aria-current="page"` : ''}
                      >${item.label}</a
                    >
                  </li>`,
              )}
            </ul>
          </nav>
          <p class="who">Signed in as ${context.user}${context.allowActions ? '' : ' · read-only'}</p>
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `.text;
}

/** A POST form with the CSRF token, for the few actions the console allows. */
export function actionForm(
  action: string,
  context: PageContext,
  fields: Record<string, string>,
  label: string,
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">
    <input type="hidden" name="_csrf" value="${context.csrfToken}" />
    ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
    <button type="submit">${label}</button>
  </form>`;
}

/** A table's header row: one column heading a name. */
export function columnHeads(names: readonly string[]): SafeHtml {
  return html`<thead>
    <tr>
      ${names.map((name) => html`<th scope="col">${name}</th>`)}
    </tr>
  </thead>`;
}
