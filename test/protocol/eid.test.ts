import { decodeCookieValue, eidFromWt3Value, readEidFromCookieHeader } from '../../src/protocol/eid';

const TRACK_ID = '111111111111111';
const EID = '2170000000000000001';

describe('readEidFromCookieHeader', () => {
  it.each([
    ['encoded wt3_eid among other cookies', `sid=s%3Aabc.def; wt3_eid=%3B${TRACK_ID}%7C${EID}%232170000000600000000; other=1`],
    ['wt3_eid with raw | and #', `wt3_eid=%3B${TRACK_ID}|${EID}#2170000000600000000`],
    ['wt3_eid without leading separator', `wt3_eid=${TRACK_ID}|${EID}#2170000000600000000`],
    ['wt3_eid without # part', `wt3_eid=%3B${TRACK_ID}%7C${EID}`],
  ])('reads %s', (_case, header) => {
    expect(readEidFromCookieHeader(header, TRACK_ID)?.eid).toBe(EID);
  });

  const twoAccounts = 'wt3_eid=%3B222222222222222%7C2170000000000000009%232170000000500000000'
    + `%3B${TRACK_ID}%7C${EID}%232170000000600000000`;

  it('picks the entry of the configured track ID', () => {
    expect(readEidFromCookieHeader(twoAccounts, TRACK_ID)?.eid).toBe(EID);
  });

  it('finds nothing for an unknown track ID', () => {
    expect(readEidFromCookieHeader(twoAccounts, '333333333333333')).toBeUndefined();
  });

  it('does not match a track ID inside another one', () => {
    expect(readEidFromCookieHeader(`wt3_eid=%3B9${TRACK_ID}%7C${EID}`, TRACK_ID)).toBeUndefined();
  });

  it.each([
    ['entry without EID', `wt3_eid=%3B${TRACK_ID}`],
    ['empty value', 'wt3_eid='],
    ['broken escape at the end', `wt3_eid=%3B${TRACK_ID}%7C${EID}%E0%A4%A`],
    ['cookie-parser JSON value', 'wtstp_eid=j:{"$gt":""}'],
    ['EID with letters', 'wtstp_eid=217000000000000000a'],
    ['EID of 20 digits', 'wtstp_eid=21700000000000000011'],
    ['no equals sign', 'wt3_eid'],
    ['only separators', ';;;==;'],
  ])('never returns a broken EID for %s', (_case, header) => {
    const reading = readEidFromCookieHeader(header, TRACK_ID);
    expect(reading === undefined || /^\d{19}$/.test(reading.eid)).toBe(true);
  });

  it('keeps the clean EID before a broken escape', () => {
    expect(readEidFromCookieHeader(`wt3_eid=%3B${TRACK_ID}%7C${EID}%23%E0%A4%A`, TRACK_ID)?.eid).toBe(EID);
  });

  it('prefers wtstp_eid over wt3_eid', () => {
    const header = `wtstp_eid=2170000000000000005; wt3_eid=%3B${TRACK_ID}%7C${EID}`;
    expect(readEidFromCookieHeader(header, TRACK_ID)).toEqual({ eid: '2170000000000000005', source: 'wtstp_eid' });
  });

  it('falls back to wt3_eid when wtstp_eid is garbage', () => {
    const header = `wtstp_eid=garbage; wt3_eid=%3B${TRACK_ID}%7C${EID}`;
    expect(readEidFromCookieHeader(header, TRACK_ID)).toEqual({ eid: EID, source: 'wt3_eid' });
  });

  it('reads wteid_<trackId>', () => {
    expect(readEidFromCookieHeader(`wteid_${TRACK_ID}=4138210064900146323`, TRACK_ID)?.source).toBe('wteid');
  });

  it('follows the configured source order', () => {
    const header = `wtstp_eid=2170000000000000005; wt3_eid=%3B${TRACK_ID}%7C${EID}`;
    expect(readEidFromCookieHeader(header, TRACK_ID, ['wt3_eid', 'wtstp_eid'])?.eid).toBe(EID);
  });

  it('ignores sources left out of the configuration', () => {
    expect(readEidFromCookieHeader('wtstp_eid=2170000000000000005', TRACK_ID, ['wt3_eid'])).toBeUndefined();
  });

  it('uses the first of two cookies with one name', () => {
    expect(readEidFromCookieHeader('wtstp_eid=2170000000000000005; wtstp_eid=2170000000000000006', TRACK_ID)?.eid)
      .toBe('2170000000000000005');
  });

  it('returns undefined without a header', () => {
    expect(readEidFromCookieHeader(undefined, TRACK_ID)).toBeUndefined();
  });
});

describe('eidFromWt3Value', () => {
  it('takes the first valid entry of a repeated track ID', () => {
    expect(eidFromWt3Value(`;${TRACK_ID}|bad#1;${TRACK_ID}|${EID}#2`, TRACK_ID)).toBe(EID);
  });
});

describe('decodeCookieValue', () => {
  it('decodes ASCII escapes around a broken one', () => {
    expect(decodeCookieValue('%3Ba%7Cb%E0%A4%A')).toBe(';a|b%E0%A4%A');
  });
});
