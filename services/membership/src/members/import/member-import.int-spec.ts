import { coordinatorToken } from '@valley/platform/testing';
import { uniqueTopicPrefix } from '@valley/testing';
import { stringify } from 'csv-stringify/sync';
import { randomLithuanianCompanyCode } from '@valley/contracts';
import { HistoryEntry } from '../../history/history-entry.entity';
import { MembershipHarness, startMembership } from '../../../test/membership-test-kit';
import { Member } from '../member.entity';
import { IMPORT_COLUMNS } from './member-import.service';

type Row = Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>;

function row(overrides: Row = {}): Row {
  return {
    legalName: 'Kauno Tiksli Mechanika UAB',
    registrationCode: randomLithuanianCompanyCode(),
    country: 'LT',
    region: 'Kauno apskritis',
    organisationType: 'business',
    sizeClass: 'small',
    sectorCodes: 'C25.62; C28.41',
    focusAreas: 'innovation_technologies;cooperation',
    website: 'https://tiksli-mechanika.example',
    description: 'CNC machining.',
    contactName: 'Rūta Petrauskienė',
    contactEmail: 'ruta@tiksli-mechanika.example',
    contactPhone: '+370 612 34567',
    contactLanguage: 'lt',
    publicListing: 'true',
    announcements: 'false',
    membershipType: 'full',
    admittedOn: '2023-05-04',
    ...overrides,
  };
}

const csv = (rows: Row[]) => stringify(rows, { header: true, columns: [...IMPORT_COLUMNS] });

describe('membership: bulk import of members from CSV', () => {
  let m: MembershipHarness;

  beforeAll(async () => {
    m = await startMembership(uniqueTopicPrefix());
  });

  afterAll(async () => m?.app.close());

  const upload = (content: string | Buffer, name = 'members.csv') =>
    m.http
      .post('/members/import')
      .set('Authorization', `Bearer ${coordinatorToken('jurgita@pazangiosinovacijos.example')}`)
      .attach('file', Buffer.from(content), { filename: name, contentType: 'text/csv' });

  it('imports the good rows whole and lists each refused row with its line and reason', async () => {
    const existing = await m.admitted();
    const existingCode = (await m.db.getRepository(Member).findOneByOrFail({ id: existing })).registrationCode;
    const repeated = randomLithuanianCompanyCode();
    const rows = [
      row({ legalName: 'Good One UAB' }), // line 2
      row({ registrationCode: '302512341' }), // 3: bad check digit
      row({ sectorCodes: 'C26.13' }), // 4: unknown NACE class
      row({ legalName: 'Good Two UAB', registrationCode: repeated, membershipType: 'founding', admittedOn: '' }), // 5
      row({ registrationCode: repeated }), // 6: repeats line 5
      row({ registrationCode: existingCode }), // 7: already a member
      row({ contactEmail: 'not-an-email', publicListing: 'maybe' }), // 8: two reasons
      row({ admittedOn: '2999-01-01' }), // 9
    ];
    const before = await m.db.getRepository(Member).count();

    const response = await upload(csv(rows)).expect(201);

    expect(response.body.rows).toBe(8);
    expect(response.body.imported.map((r: { line: number; legalName: string }) => [r.line, r.legalName])).toEqual([
      [2, 'Good One UAB'],
      [5, 'Good Two UAB'],
    ]);
    const refused = Object.fromEntries(
      response.body.refused.map((r: { line: number; reasons: string[] }) => [r.line, r.reasons.join(' | ')]),
    );
    expect(Object.keys(refused).map(Number)).toEqual([3, 4, 6, 7, 8, 9]);
    expect(refused[3]).toMatch(/registrationCode must be a Lithuanian company code/);
    expect(refused[4]).toMatch(/sectorCodes must hold NACE Rev. 2 codes/);
    expect(refused[6]).toBe('registrationCode repeats line 5');
    expect(refused[7]).toMatch(/already a member/);
    expect(refused[8]).toMatch(/contact\.email must be an email/);
    expect(refused[8]).toMatch(/consent\.publicListing/);
    expect(refused[9]).toMatch(/admittedOn must not be in the future/);

    expect(await m.db.getRepository(Member).count()).toBe(before + 2);
    for (const imported of response.body.imported) {
      const member = await m.db.getRepository(Member).findOneByOrFail({ id: imported.memberId });
      expect(await m.outboxTypes(member.id)).toEqual(['MemberAdmitted']);
      const history = await m.db.getRepository(HistoryEntry).findBy({ subjectId: member.id });
      expect(history).toEqual([
        expect.objectContaining({ action: 'imported', actor: 'jurgita@pazangiosinovacijos.example' }),
      ]);
    }
    const two = await m.db.getRepository(Member).findOneByOrFail({ id: response.body.imported[1].memberId });
    expect(two).toMatchObject({
      membershipType: 'founding',
      sectorCodes: ['C25.62', 'C28.41'],
      focusAreas: ['innovation_technologies', 'cooperation'],
      consent: { publicListing: true, announcements: false },
      contact: { name: 'Rūta Petrauskienė', phone: '+370 612 34567', language: 'lt' },
    });
    const one = await m.db.getRepository(Member).findOneByOrFail({ id: response.body.imported[0].memberId });
    expect(one.admittedOn).toBe('2023-05-04');
  });

  it('importing the same file again imports nothing twice', async () => {
    const content = csv([row(), row()]);
    const first = await upload(content).expect(201);
    expect(first.body.imported).toHaveLength(2);
    const before = await m.snapshot();
    const again = await upload(content).expect(201);
    expect(again.body.imported).toEqual([]);
    expect(again.body.refused.map((r: { line: number }) => r.line)).toEqual([2, 3]);
    expect(await m.snapshot()).toEqual(before);
  });

  it.each([
    ['an unknown column', 'legalName,vatNumber\nA,B\n', /unknown columns: vatNumber/],
    ['missing columns', 'legalName\nA\n', /missing columns: registrationCode/],
    ['a broken quote', `${IMPORT_COLUMNS.join(',')}\n"unterminated,${'x,'.repeat(16)}x\n`, /not a readable CSV/],
  ])('refuses a file with %s (400, nothing imported)', async (_, content, message) => {
    const before = await m.snapshot();
    const response = await upload(content).expect(400);
    expect(response.body).toMatchObject({
      code: 'IMPORT_FILE_INVALID',
      message: [expect.stringMatching(message)],
      fields: [{ field: 'file', messages: [expect.stringMatching(message)] }],
    });
    expect(await m.snapshot()).toEqual(before);
  });

  it('needs a file, and a coordinator', async () => {
    await m.http.post('/members/import').set('Authorization', `Bearer ${coordinatorToken()}`).send({}).expect(400);
    await m.http
      .post('/members/import')
      .attach('file', Buffer.from(csv([row()])), 'members.csv')
      .expect(401);
  });

  it('refuses a file over 5 MB with 413', async () => {
    await upload(Buffer.alloc(5 * 1024 * 1024 + 1, 'a')).expect(413);
  });
});
