import { decodeHitLine, markHits, startCollector, type Collector, type MarkedHit } from '../../src/testing';

const TRACK_ID = '123451234512345';
const OTHER_TRACK_ID = '543215432154321';
const PAGE = 'p=600,order.s2s.confirmation,,,,,1733300000000,0,,';

function orderLine(orderId: string, extra = ''): string {
  return `wt?${PAGE}&eid=2170000000000000001&X-WT-IP=203.0.113.7&ov=10&oi=${orderId}${extra}`;
}

function decode(line: string, trackId = TRACK_ID) {
  return decodeHitLine(line, { trackId, method: 'GET', receivedAt: 1733300000000 });
}

describe('markHits', () => {
  test('clean order hit unmarked', () => {
    const [hit] = markHits([decode(orderLine('A-1'))]);

    expect(hit.marks).toEqual({ missingEid: false, duplicateOrderId: false, missingParameters: [] });
  });

  test('hit without EID marked', () => {
    const [hit] = markHits([decode(`wt?${PAGE}&ov=10&oi=A-1`)]);

    expect(hit.marks.missingEid).toBe(true);
  });

  test('same order ID marks both hits', () => {
    const hits = markHits([decode(orderLine('A-1')), decode(orderLine('A-2')), decode(orderLine('A-1'))]);

    expect(hits.map((hit) => hit.marks.duplicateOrderId)).toEqual([true, false, true]);
  });

  test('same order ID on other track ID unmarked', () => {
    const hits = markHits([decode(orderLine('A-1')), decode(orderLine('A-1'), OTHER_TRACK_ID)]);

    expect(hits.map((hit) => hit.marks.duplicateOrderId)).toEqual([false, false]);
  });

  test('missing ov and oi listed', () => {
    const [hit] = markHits([decode(`wt?${PAGE}&eid=2170000000000000001`)]);

    expect(hit.marks.missingParameters).toEqual(['ov', 'oi']);
  });

  test('missing p listed', () => {
    const [hit] = markHits([decode('wt?eid=2170000000000000001&ov=10&oi=A-1')]);

    expect(hit.marks.missingParameters).toEqual(['p']);
  });

  test('input order kept', () => {
    const hits = markHits([decode(orderLine('A-1')), decode(orderLine('A-2'))]);

    expect(hits.map((hit) => hit.order?.id)).toEqual(['A-1', 'A-2']);
  });
});

describe('collector page', () => {
  let collector: Collector;

  beforeEach(async () => {
    collector = await startCollector();
  });

  afterEach(async () => {
    await collector.close();
  });

  async function sendHit(line: string): Promise<void> {
    const response = await fetch(`${collector.url}/${TRACK_ID}/${line}`);
    await response.arrayBuffer();
  }

  async function fetchPage(): Promise<string> {
    const response = await fetch(`${collector.url}/`);
    return response.text();
  }

  /** Fetches the page and returns its table rows, newest first. */
  async function fetchRows(): Promise<string[]> {
    const html = await fetchPage();
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    return body.match(/<tr[^>]*>.*?<\/tr>/gs) ?? [];
  }

  test('served as HTML on GET /', async () => {
    const response = await fetch(`${collector.url}/`);
    await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  test('page request not recorded', async () => {
    await fetchPage();

    expect(collector.requests).toHaveLength(0);
  });

  test('empty collector says so', async () => {
    const html = await fetchPage();

    expect(html).toContain('No hits received yet.');
  });

  test('hits listed newest first', async () => {
    await sendHit(orderLine('A-1'));
    await sendHit(orderLine('A-2'));

    const rows = await fetchRows();

    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('<code>A-2</code>');
    expect(rows[1]).toContain('<code>A-1</code>');
  });

  test('decoded fields shown', async () => {
    await sendHit(orderLine('A-1', '&cr=EUR&ba=SKU-1%3BSKU-2&co=39.9%3B39.8&qn=1%3B2&st=conf&X-WT-UA=Firefox%2F126.0'));

    const [row] = await fetchRows();

    expect(row).toContain('<time datetime="');
    expect(row).toContain('<td class="number">10</td>');
    expect(row).toContain('<td>EUR</td>');
    expect(row).toContain('<li><code>SKU-1</code> &times; 1 = 39.9</li><li><code>SKU-2</code> &times; 2 = 39.8</li>');
    expect(row).toContain('<code>2170000000000000001</code>');
    expect(row).toContain('<code>203.0.113.7</code>');
    expect(row).toContain('Firefox/126.0');
  });

  test('clean hit shows no problem', async () => {
    await sendHit(orderLine('A-1'));

    const [row] = await fetchRows();

    expect(row).toMatch(/^<tr>/);
    expect(row).toContain('<span class="ok">none</span>');
  });

  test('hit without EID marked', async () => {
    await sendHit(`wt?${PAGE}&ov=10&oi=A-1`);

    const [row] = await fetchRows();

    expect(row).toMatch(/^<tr class="marked">/);
    expect(row).toContain('<span class="mark">no EID</span>');
  });

  test('repeated order ID marked', async () => {
    await sendHit(orderLine('A-1'));
    await sendHit(orderLine('A-1'));

    const rows = await fetchRows();

    expect(rows.filter((row) => row.includes('<span class="mark">repeated order ID</span>'))).toHaveLength(2);
  });

  test('missing parameter marked', async () => {
    await sendHit(`wt?${PAGE}&eid=2170000000000000001&oi=A-1`);

    const [row] = await fetchRows();

    expect(row).toMatch(/^<tr class="marked">/);
    expect(row).toContain('<span class="mark">missing ov</span>');
  });

  test('mark not repeated as problem', async () => {
    await sendHit(`wt?${PAGE}&oi=A-1`);

    const [row] = await fetchRows();

    expect(row).not.toContain('<li>missing eid</li>');
    expect(row).not.toContain('<li>missing ov</li>');
  });

  test('other decoder problems listed', async () => {
    await sendHit(orderLine('A-1', '&st=sold'));

    const [row] = await fetchRows();

    expect(row).toContain('<li>unknown product status &quot;sold&quot;</li>');
  });

  test('values HTML-escaped', async () => {
    await sendHit(orderLine('A-1', `&X-WT-UA=${encodeURIComponent('<script>alert("x")</script>')}`));

    const [row] = await fetchRows();

    expect(row).not.toContain('<script>');
    expect(row).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  test('hits.json carries marks', async () => {
    await sendHit(orderLine('A-1'));
    await sendHit(`wt?${PAGE}&ov=10&oi=A-1`);

    const response = await fetch(`${collector.url}/hits.json`);
    const hits = (await response.json()) as MarkedHit[];

    expect(hits.map((hit) => hit.marks)).toEqual([
      { missingEid: true, duplicateOrderId: true, missingParameters: [] },
      { missingEid: false, duplicateOrderId: true, missingParameters: [] },
    ]);
  });
});
