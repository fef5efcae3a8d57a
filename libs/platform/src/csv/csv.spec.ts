import { neutraliseCell, toCsv } from './csv';

describe('CSV cells', () => {
  it.each(['=1+2', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://evil.example")'])(
    'quotes %j, which a spreadsheet would evaluate',
    (cell) => {
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
    },
  );

  it.each(['Kauno apskritis', 'UAB „=“', ' =1', '1=1', '', "'already quoted"])('leaves %j as it is', (cell) => {
    expect(neutraliseCell(cell)).toBe(cell);
  });

  it('leaves numbers and empty cells alone, negative numbers included', () => {
    expect([neutraliseCell(-3), neutraliseCell(0.25), neutraliseCell(null)]).toEqual([-3, 0.25, null]);
  });

  it('writes every CSV with a BOM, CRLF, quoting, and neutralised cells and headers', () => {
    const csv = toCsv({ columns: ['region', '=cmd', 'n'], rows: [['=1+2', 'a,b', -1]] });

    expect(csv).toBe('\uFEFFregion,\'=cmd,n\r\n\'=1+2,"a,b",-1\r\n');
  });
});
