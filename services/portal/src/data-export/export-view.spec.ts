import { toExportNode } from './export-view';

describe('toExportNode', () => {
  it('keeps the JSON’s order and names, nesting records in records and lists', () => {
    expect(
      toExportNode({ legalName: 'UAB „Tikslas“', sectorCodes: ['C28', 'J62'], contact: { email: 'a@b.lt' } }),
    ).toEqual({
      fields: [
        { name: 'legalName', value: { text: 'UAB „Tikslas“' } },
        { name: 'sectorCodes', value: { items: [{ text: 'C28' }, { text: 'J62' }] } },
        { name: 'contact', value: { fields: [{ name: 'email', value: { text: 'a@b.lt' } }] } },
      ],
    });
  });

  it('says "none" for null, an empty list and an empty record; moments for the date format; yes or no for booleans', () => {
    expect([toExportNode(null), toExportNode([]), toExportNode({})]).toEqual([
      { none: true },
      { none: true },
      { none: true },
    ]);
    expect(toExportNode('2026-12-02T01:00:00.000Z')).toEqual({ moment: '2026-12-02T01:00:00.000Z' });
    expect(toExportNode('2026-12-02')).toEqual({ text: '2026-12-02' });
    expect([toExportNode(true), toExportNode(false), toExportNode(3)]).toEqual([
      { yes: true },
      { no: true },
      { text: '3' },
    ]);
  });
});
