import { describe, expect, it } from 'vitest';
import type { Area, AreaDirectory } from '../../../console/src/app/env.js';
import { matchAreas, normaliseName } from '../../../console/src/broadcast/cap/area-match.js';
import { parseCap, referencedIdentifiers } from '../../../console/src/broadcast/cap/cap-alert.js';
import { XmlError, parseXml } from '../../../console/src/broadcast/cap/xml.js';
import { BroadcastError } from '../../../console/src/broadcast/errors.js';

const alertXml = (info = '', extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<!-- from the provincial steering committee -->
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>TN-2026-0042</identifier>
  <sender>pcttkcn@tayninh.gov.vn</sender>
  <sent>2026-11-30T14:00:00+07:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>${extra}
  <info>
    <language>vi-VN</language>
    <category>Met</category>
    <event>Lũ quét</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <expires>2026-11-30T18:00:00+07:00</expires>
    <headline>Cảnh báo lũ quét &amp; sạt lở</headline>
    <description><![CDATA[Mưa lớn <100 mm> trong 3 giờ]]></description>
    <area><areaDesc>Xã Tân Lập; Thôn Bàu Sen</areaDesc></area>${info}
  </info>
</alert>`;

function refusal(fn: () => unknown): BroadcastError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BroadcastError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('the strict XML parser', () => {
  it('reads elements, entities, CDATA and comments, and ignores namespace prefixes', () => {
    const root = parseXml(
      '<?xml version="1.0"?><c:a xmlns:c="x" k="1 &lt; 2"><b>x &#x1EA1;&#7841;</b><!-- n --><d/></c:a>',
    );
    expect(root.name).toBe('a');
    expect(root.attributes.k).toBe('1 < 2');
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['b', 'x ạạ'],
      ['d', ''],
    ]);
  });

  it('refuses malformed documents with the position, and DOCTYPE (entity expansion) outright', () => {
    for (const bad of [
      '<a><b></a>',
      '<a>',
      '<a x=1/>',
      '<a>&bogus;</a>',
      '<a/><b/>',
      '',
      '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
      '<a x="1" x="2"/>',
    ]) {
      expect(() => parseXml(bad), bad).toThrow(XmlError);
    }
    expect(() => parseXml('<a>\n  <b></c>\n</a>')).toThrow(/line 2/);
  });
});

describe('CAP 1.2 alerts', () => {
  it('parses the subset we use, with repeated elements as lists and times as epoch ms', () => {
    const alert = parseCap(alertXml());
    expect(alert.identifier).toBe('TN-2026-0042');
    expect(alert.msgType).toBe('Alert');
    const info = alert.info[0];
    expect(info?.headline).toBe('Cảnh báo lũ quét & sạt lở');
    expect(info?.description).toBe('Mưa lớn <100 mm> trong 3 giờ');
    expect(info?.expires).toBe(Date.parse('2026-11-30T11:00:00Z'));
    expect(info?.area[0]?.areaDesc).toBe('Xã Tân Lập; Thôn Bàu Sen');
  });

  it('names the field at fault', () => {
    expect(refusal(() => parseCap(alertXml().replace('Immediate', 'Soon'))).field).toBe(
      'alert.info.0.urgency',
    );
    expect(
      refusal(() => parseCap(alertXml().replace('<sent>2026-11-30T14:00:00+07:00</sent>', ''))).field,
    ).toBe('alert.sent');
    expect(refusal(() => parseCap(alertXml().replace('2026-11-30T18:00:00+07:00', 'tomorrow'))).field).toBe(
      'alert.info.0.expires',
    );
    const update = alertXml().replace('<msgType>Alert</msgType>', '<msgType>Update</msgType>');
    expect(refusal(() => parseCap(update)).field).toBe('alert.references');
    const malformed = refusal(() => parseCap(alertXml().replace('</event>', '</evnt>')));
    expect(malformed.status).toBe(400);
    expect(malformed.message).toMatch(
      /malformed XML: <\/evnt> does not close <event> at line \d+, column \d+/,
    );
    expect(refusal(() => parseCap('<alert><identifier>x</identifier></alert>')).field).toBe('alert');
  });

  it('reads references as identifiers', () => {
    expect(
      referencedIdentifiers('a@b,ID-1,2026-11-30T14:00:00+07:00 a@b,ID-2,2026-11-30T15:00:00+07:00'),
    ).toEqual(['ID-1', 'ID-2']);
  });
});

describe('CAP areas to our areas', () => {
  const tree: Area[] = [
    { id: 'tay-ninh', parentId: null, name: 'Tỉnh Tây Ninh', kind: 'province', requiresApproval: false },
    { id: 'tan-lap', parentId: 'tay-ninh', name: 'Xã Tân Lập', kind: 'commune', requiresApproval: false },
    { id: 'bau-sen', parentId: 'tan-lap', name: 'Thôn Bàu Sen', kind: 'village', requiresApproval: false },
    {
      id: 'phuoc-vinh',
      parentId: 'tay-ninh',
      name: 'Xã Phước Vinh',
      kind: 'commune',
      requiresApproval: false,
    },
  ];
  const areas = {
    get: (id: string) => tree.find((a) => a.id === id),
    list: () => tree,
  } as unknown as AreaDirectory;
  const info = (areaDesc: string, geocode: { valueName: string; value: string }[] = []) => {
    const base = parseCap(alertXml()).info[0];
    if (!base) throw new Error('no info');
    return { ...base, area: [{ areaDesc, geocode }] };
  };

  it('matches names regardless of case, diacritics and the unit word, and geocodes as area ids', () => {
    expect(normaliseName('  Xã  Đồng   Nai ')).toBe('xa dong nai');
    expect(matchAreas(areas, info('xa tan lap; Bàu Sen; Xã Không Có'))).toEqual({
      areaIds: ['bau-sen', 'tan-lap'],
      unmatched: ['Xã Không Có'],
    });
    expect(matchAreas(areas, info('anything', [{ valueName: 'xaso-area', value: 'phuoc-vinh' }]))).toEqual({
      areaIds: ['phuoc-vinh'],
      unmatched: [],
    });
  });
});
