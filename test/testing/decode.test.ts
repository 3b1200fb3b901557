import { decodeHitLine } from '../../src/testing';
import { DECODE_LIMITS } from '../../src/testing/decode';

const SAMPLE_LINE =
  'wt?p=600,order.s2s.confirmation,,,,,1733300000000,0,,&eid=2170000000000000001&X-WT-IP=203.0.113.7' +
  '&X-WT-UA=Mozilla%2F5.0%20(X11)&ov=79.7&oi=A-1001&cr=EUR&ba=SKU-1%3BSKU-2&co=39.9%3B39.8&qn=1%3B2&st=conf%3Bconf';

const META = { trackId: '123451234512345', method: 'GET', receivedAt: 1733300000500 } as const;

/** Builds a valid order hit line whose product parameters are `productQuery`. */
function orderLineWithProducts(productQuery: string): string {
  return `wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&ov=10&oi=A-1&${productQuery}`;
}

describe('decodeHitLine', () => {
  describe('sample order hit', () => {
    const hit = decodeHitLine(SAMPLE_LINE, META);

    test('copies meta and line', () => {
      expect(hit.trackId).toBe('123451234512345');
      expect(hit.method).toBe('GET');
      expect(hit.receivedAt).toBe(1733300000500);
      expect(hit.line).toBe(SAMPLE_LINE);
    });

    test('decodes p fields', () => {
      expect(hit.page).toEqual({
        version: '600',
        contentId: 'order.s2s.confirmation',
        clientTimeMs: 1733300000000,
        referrer: '0',
      });
    });

    test('decodes visitor fields', () => {
      expect(hit.eid).toBe('2170000000000000001');
      expect(hit.ip).toBe('203.0.113.7');
      expect(hit.userAgent).toBe('Mozilla/5.0 (X11)');
      expect(hit.clientHints).toEqual({});
    });

    test('decodes order', () => {
      expect(hit.order).toEqual({ id: 'A-1001', value: '79.7', currency: 'EUR', parameters: {} });
    });

    test('decodes products', () => {
      expect(hit.products).toEqual([
        { id: 'SKU-1', cost: '39.9', quantity: '1', status: 'conf', categories: {} },
        { id: 'SKU-2', cost: '39.8', quantity: '2', status: 'conf', categories: {} },
      ]);
    });

    test('keeps every parameter decoded', () => {
      expect(hit.params).toEqual({
        p: '600,order.s2s.confirmation,,,,,1733300000000,0,,',
        eid: '2170000000000000001',
        'X-WT-IP': '203.0.113.7',
        'X-WT-UA': 'Mozilla/5.0 (X11)',
        ov: '79.7',
        oi: 'A-1001',
        cr: 'EUR',
        ba: 'SKU-1;SKU-2',
        co: '39.9;39.8',
        qn: '1;2',
        st: 'conf;conf',
      });
    });

    test('reports no problems', () => {
      expect(hit.problems).toEqual([]);
    });
  });

  test('p fields decoded separately', () => {
    const hit = decodeHitLine(
      'wt?p=600,shop%2Cconfirm%20page,,,,,1733300000000,https%3A%2F%2Fshop.example%2Fcart,,&eid=2170000000000000001',
      META,
    );

    expect(hit.page.contentId).toBe('shop,confirm page');
    expect(hit.page.referrer).toBe('https://shop.example/cart');
    expect(hit.params['p']).toBe('600,shop,confirm page,,,,,1733300000000,https://shop.example/cart,,');
    expect(hit.problems).toEqual([]);
  });

  test('product columns aligned with categories', () => {
    const hit = decodeHitLine(
      orderLineWithProducts(
        'ba=A%3BB%3BC&co=1%3B2%3B3&qn=1%3B1%3B4&st=conf%3Bconf%3Bconf&ca1=Shoes%3B%3BBags&ca2=x%3By%3Bz',
      ),
      META,
    );

    expect(hit.products).toEqual([
      { id: 'A', cost: '1', quantity: '1', status: 'conf', categories: { '1': 'Shoes', '2': 'x' } },
      { id: 'B', cost: '2', quantity: '1', status: 'conf', categories: { '1': '', '2': 'y' } },
      { id: 'C', cost: '3', quantity: '4', status: 'conf', categories: { '1': 'Bags', '2': 'z' } },
    ]);
    expect(hit.problems).toEqual([]);
  });

  test('st single value applies to all rows', () => {
    const hit = decodeHitLine(orderLineWithProducts('ba=A%3BB%3BC&co=1%3B2%3B3&qn=1%3B1%3B1&st=conf'), META);

    expect(hit.products.map((product) => product.status)).toEqual(['conf', 'conf', 'conf']);
    expect(hit.problems).toEqual([]);
  });

  test('product column length mismatch', () => {
    const hit = decodeHitLine(orderLineWithProducts('ba=A%3BB&co=1%3B2%3B3&qn=1%3B1&st=conf%3Bconf'), META);

    expect(hit.problems).toEqual(['product columns have different lengths (ba 2, co 3)']);
    expect(hit.products).toHaveLength(2);
    expect(hit.products[1]).toEqual({ id: 'B', cost: '2', quantity: '1', status: 'conf', categories: {} });
  });

  test('product column shorter than ba', () => {
    const hit = decodeHitLine(orderLineWithProducts('ba=A%3BB%3BC&co=1%3B2&qn=1&st=conf'), META);

    expect(hit.problems).toEqual(['product columns have different lengths (ba 3, co 2, qn 1)']);
    expect(hit.products[2]).toEqual({ id: 'C', status: 'conf', categories: {} });
  });

  test('product columns without ba', () => {
    const hit = decodeHitLine(orderLineWithProducts('co=1%3B2&qn=1%3B1'), META);

    expect(hit.problems).toEqual(['missing ba, but product columns are present (co, qn)']);
    expect(hit.products.map((product) => product.id)).toEqual(['', '']);
  });

  test('unknown product status', () => {
    const hit = decodeHitLine(orderLineWithProducts('ba=A&co=1&qn=1&st=bought'), META);

    expect(hit.problems).toEqual(['unknown product status "bought"']);
  });

  test('malformed escapes produce problems', () => {
    const line =
      'wt?p=600,bad%ZZname,,,,,1733300000000,0,,&eid=2170000000000000001&X-WT-UA=Mozilla%2&ov=1&oi=A%E0%A4&ba%=x';

    const decode = (): unknown => decodeHitLine(line, META);
    expect(decode).not.toThrow();

    const hit = decodeHitLine(line, META);
    expect(hit.page.contentId).toBe('bad%ZZname');
    expect(hit.userAgent).toBe('Mozilla%2');
    expect(hit.order?.id).toBe('A%E0%A4');
    expect(hit.params['ba%']).toBe('x');
    expect(hit.problems).toEqual([
      'invalid percent-encoding in p: "600,bad%ZZname,,,,,1733300000000,0,,"',
      'invalid percent-encoding in X-WT-UA: "Mozilla%2"',
      'invalid percent-encoding in oi: "A%E0%A4"',
      'invalid percent-encoding in parameter name "ba%": "ba%"',
      'invalid percent-encoding in p field 2: "bad%ZZname"',
    ]);
  });

  test.each([
    [''],
    ['%'],
    ['wt?'],
    ['wt?&&&=&='],
    ['wt?p=%'],
    ['wt?p=,,,,,,,,,,,,,,,,'],
    ['wt?ba=%3B%3B&co=%E0&st=%3B&ca1=%'],
    ['wt?ba=&qn=1'],
    ['wt?p=600,\ud800,,,,,1733300000000,0,,&eid=\udfff'],
    ['wt?constructor=1&toString=2&hasOwnProperty=3&__proto__=4'],
  ])('arbitrary line %j does not throw', (line) => {
    const decode = (): unknown => decodeHitLine(line, META);

    expect(decode).not.toThrow();
  });

  test('missing eid', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000000,0,,&ov=1&oi=A-1', META);

    expect(hit.eid).toBeUndefined();
    expect(hit.problems).toEqual(['missing eid']);
  });

  test('eid not 19 digits', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000000,0,,&eid=abc&ov=1', META);

    expect(hit.eid).toBe('abc');
    expect(hit.problems).toEqual(['eid is not 19 digits: "abc"']);
  });

  test('missing ov with oi', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&oi=A-1', META);

    expect(hit.order).toEqual({ id: 'A-1', parameters: {} });
    expect(hit.problems).toEqual(['missing ov']);
  });

  test('missing ov with purchased products', () => {
    const hit = decodeHitLine(
      'wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&ba=A&co=1&qn=1&st=conf',
      META,
    );

    expect(hit.order).toBeUndefined();
    expect(hit.problems).toEqual(['missing ov']);
  });

  test('ov not a number', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&ov=1.000%2C50', META);

    expect(hit.order?.value).toBe('1.000,50');
    expect(hit.problems).toEqual(['ov is not a number: "1.000,50"']);
  });

  test('ov with decimal comma', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&ov=79%2C70', META);

    expect(hit.order?.value).toBe('79,70');
    expect(hit.problems).toEqual([]);
  });

  test('order cb parameters', () => {
    const hit = decodeHitLine(
      'wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&ov=5&cb761=paypal&cb563=2.5&cb99=x%20y',
      META,
    );

    expect(hit.order?.parameters).toEqual({ '761': 'paypal', '563': '2.5', '99': 'x y' });
  });

  test('client time not 13 digits', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000,0,,&eid=2170000000000000001', META);

    expect(hit.page.clientTimeMs).toBeUndefined();
    expect(hit.problems).toEqual(['p client time is not 13 digits']);
  });

  test('p with wrong field count', () => {
    const hit = decodeHitLine('wt?p=600,a,b,,,,,1733300000000,0,,&eid=2170000000000000001', META);

    expect(hit.problems).toEqual(['p has 11 fields, expected 10', 'p client time is not 13 digits']);
  });

  test('missing p', () => {
    const hit = decodeHitLine('wt?eid=2170000000000000001', META);

    expect(hit.page).toEqual({ version: '', contentId: '', clientTimeMs: undefined, referrer: '' });
    expect(hit.problems).toEqual(['missing p']);
  });

  test('line without wt prefix', () => {
    const hit = decodeHitLine('xx?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001', META);

    expect(hit.problems).toEqual([
      'line does not start with "wt?": "xx?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001"',
    ]);
    expect(hit.eid).toBe('2170000000000000001');
  });

  test('beacon line starting with ?', () => {
    const hit = decodeHitLine('?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001', META);

    expect(hit.page.contentId).toBe('order');
    expect(hit.problems).toEqual([]);
  });

  test('duplicate parameter keeps last', () => {
    const hit = decodeHitLine(
      'wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&eid=2170000000000000002',
      META,
    );

    expect(hit.eid).toBe('2170000000000000002');
    expect(hit.problems).toEqual(['duplicate parameter eid, the last value is kept']);
  });

  test('unencoded plus', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&X-WT-UA=a+b', META);

    expect(hit.userAgent).toBe('a+b');
    expect(hit.problems).toEqual(['unencoded "+" in X-WT-UA']);
  });

  test('__proto__ parameter stays a plain value', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&__proto__=x', META);

    expect(Object.getPrototypeOf(hit.params)).toBe(Object.prototype);
    expect(Object.keys(hit.params)).toContain('__proto__');
    expect(hit.params['__proto__']).toBe('x');
  });

  test('client hints from parameters', () => {
    const hit = decodeHitLine(
      'wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001' +
        '&X-WT-SEC-CH-UA=%22Chromium%22%3Bv%3D%22124%22&X-WT-SEC-CH-UA-MOBILE=%3F0&X-WT-SEC-CH-UA-PLATFORM=%22Linux%22',
      META,
    );

    expect(hit.clientHints).toEqual({
      'X-WT-SEC-CH-UA': '"Chromium";v="124"',
      'X-WT-SEC-CH-UA-MOBILE': '?0',
      'X-WT-SEC-CH-UA-PLATFORM': '"Linux"',
    });
  });

  test('visitor fields from headers', () => {
    const hit = decodeHitLine('wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&X-WT-IP=198.51.100.1', {
      ...META,
      headers: {
        'x-wt-ip': '203.0.113.9',
        'x-wt-ua': 'HeaderAgent/1.0',
        'x-wt-sec-ch-ua-mobile': '?1',
        'user-agent': 'axios/1.0',
      },
    });

    expect(hit.ip).toBe('198.51.100.1');
    expect(hit.userAgent).toBe('HeaderAgent/1.0');
    expect(hit.clientHints).toEqual({ 'X-WT-SEC-CH-UA-MOBILE': '?1' });
  });

  describe('limits', () => {
    test('decodes many columns without ba', () => {
      const categories = Array.from({ length: 900 }, (_unused, index) => `ca${index + 1}=a`).join('&');
      const hit = decodeHitLine(orderLineWithProducts(categories), META);
      expect(hit.products).toHaveLength(1);
      expect(hit.products[0].categories['900']).toBe('a');
    });

    test('cuts parameters after the limit', () => {
      const extra = Array.from({ length: DECODE_LIMITS.parameters + 5 }, (_unused, index) => `cb${index + 1}=x`).join('&');
      const hit = decodeHitLine(orderLineWithProducts(extra), META);
      expect(Object.keys(hit.params)).toHaveLength(DECODE_LIMITS.parameters);
      expect(hit.problems).toContain(`more than ${DECODE_LIMITS.parameters} parameters, so the rest of the line is not decoded`);
    });

    test('skips millions of empty pairs', () => {
      const hit = decodeHitLine(`${orderLineWithProducts('ba=a')}${'&'.repeat(5_000_000)}&co=1`, META);
      expect(hit.products).toEqual([{ id: 'a', cost: '1', categories: {} }]);
    });

    test('cuts products after the limit', () => {
      const hit = decodeHitLine(orderLineWithProducts(`ba=${';'.repeat(10_000_000)}&ca1=${';'.repeat(10_000_000)}`), META);
      expect(hit.products).toHaveLength(DECODE_LIMITS.products);
      expect(hit.problems).toContain(`10000001 products in 2 columns, so only the first ${DECODE_LIMITS.products} are decoded`);
    });

    test('cuts products by cells', () => {
      const columns = Array.from({ length: 400 }, (_unused, index) => `ca${index + 1}=${';'.repeat(999)}`).join('&');
      const hit = decodeHitLine(orderLineWithProducts(`ba=${';'.repeat(999)}&${columns}`), META);
      expect(hit.products).toHaveLength(Math.floor(DECODE_LIMITS.productCells / 401));
    });

    test('counts a cut column in full', () => {
      const hit = decodeHitLine(orderLineWithProducts(`ba=a&co=${';'.repeat(20_000)}`), META);
      expect(hit.problems).toContain('product columns have different lengths (ba 1, co 20001)');
    });
  });
});
