import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { createValidationPipe, FieldError, toFieldErrors } from './validation';

class ContactDto {
  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsEmail()
  email!: string;

  @IsIn(['lt', 'en'])
  language!: string;
}

class SiteDto {
  @IsString()
  @IsNotEmpty()
  city!: string;

  @IsInt()
  @Min(1)
  employees!: number;
}

class RegisterOrganisationDto {
  @IsString()
  @IsNotEmpty()
  legalName!: string;

  @IsArray()
  @ArrayMinSize(1)
  @Matches(/^[A-U](\d{2}(\.\d{1,2})?)?$/, { each: true })
  sectorCodes!: string[];

  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => SiteDto)
  sites?: SiteDto[];
}

const body: ArgumentMetadata = { type: 'body', metatype: RegisterOrganisationDto, data: undefined };

function validInput() {
  return {
    legalName: 'UAB Tikslioji Mechanika',
    sectorCodes: ['C28.41', 'C25'],
    contact: { name: 'Rūta Petrauskienė', email: 'ruta@tiksli-mechanika.lt', language: 'lt' },
    sites: [
      { city: 'Kaunas', employees: 42 },
      { city: 'Marijampolė', employees: 7 },
    ],
  };
}

async function rejection(value: unknown): Promise<{ fields: FieldError[]; message: string[]; statusCode: number }> {
  try {
    await createValidationPipe().transform(value, body);
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    expect(error.getStatus()).toBe(400);
    return error.getResponse() as { fields: FieldError[]; message: string[]; statusCode: number };
  }
  throw new Error('expected a BadRequestException, but the input was accepted');
}

describe('createValidationPipe', () => {
  it('accepts valid input and turns it into the DTO class, nested objects included', async () => {
    const result = await createValidationPipe().transform(validInput(), body);

    expect(result).toBeInstanceOf(RegisterOrganisationDto);
    expect(result.contact).toBeInstanceOf(ContactDto);
    expect(result.sites[0]).toBeInstanceOf(SiteDto);
    expect(result).toEqual(validInput());
  });

  it('refuses an unknown field and names it', async () => {
    const response = await rejection({ ...validInput(), vatNumber: 'LT100012345' });

    expect(response.statusCode).toBe(400);
    expect(response.fields).toEqual([{ field: 'vatNumber', messages: ['property vatNumber should not exist'] }]);
    expect(response.message).toEqual(['property vatNumber should not exist']);
  });

  it('refuses an unknown nested field and names it by its path', async () => {
    const input = validInput();
    const response = await rejection({ ...input, contact: { ...input.contact, fax: '+370 37 000000' } });

    expect(response.fields).toEqual([{ field: 'contact.fax', messages: ['property contact.fax should not exist'] }]);
  });

  it('replaces only the field name itself in a message, not letters that happen to match it', async () => {
    const input = validInput();
    const response = await rejection({ ...input, contact: { ...input.contact, y: 1, rope: 2 } });

    expect(response.fields).toEqual([
      { field: 'contact.y', messages: ['property contact.y should not exist'] },
      { field: 'contact.rope', messages: ['property contact.rope should not exist'] },
    ]);
  });

  it('names a bad nested field by its path contact.email', async () => {
    const input = validInput();
    const response = await rejection({ ...input, contact: { ...input.contact, email: 'ruta(at)tiksli-mechanika.lt' } });

    expect(response.fields).toEqual([{ field: 'contact.email', messages: ['contact.email must be an email'] }]);
    expect(response.message).toEqual(['contact.email must be an email']);
  });

  it('names a bad field inside an array of objects by its index path', async () => {
    const input = validInput();
    input.sites[1].employees = 0;
    const response = await rejection(input);

    expect(response.fields).toEqual([
      { field: 'sites.1.employees', messages: ['sites.1.employees must not be less than 1'] },
    ]);
  });

  it('names a bad array element', async () => {
    const response = await rejection({ ...validInput(), sectorCodes: ['C28', 'Z99'] });

    expect(response.fields).toHaveLength(1);
    expect(response.fields[0].field).toBe('sectorCodes');
  });

  it('does not coerce types behind the caller’s back', async () => {
    const input = validInput();
    const response = await rejection({ ...input, sites: [{ city: 'Kaunas', employees: '42' }] });

    expect(response.fields.map((f) => f.field)).toEqual(['sites.0.employees']);
  });

  it('names every bad field in one response', async () => {
    const response = await rejection({
      legalName: '',
      sectorCodes: [],
      contact: { name: 'Rūta', email: 'nope', language: 'de' },
      extra: true,
    });

    expect(response.fields.map((f) => f.field).sort()).toEqual(
      ['contact.email', 'contact.language', 'extra', 'legalName', 'sectorCodes'].sort(),
    );
    expect(response.message.length).toBeGreaterThanOrEqual(5);
  });

  // class-validator's whitelist looks fields up in a plain object, where `toString` or
  // `constructor` are found on its prototype: such keys passed as declared (found by the input
  // properties, test/hardening/input-properties.int-spec.ts).
  it.each(['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'])(
    'refuses a field named %s, at the top and nested, like any unknown field',
    async (name) => {
      const input = validInput();
      const top = JSON.parse(`{${JSON.stringify(name)}: {"polluted": true}, "legalName": "UAB"}`);
      const response = await rejection({ ...input, ...top, legalName: input.legalName });
      expect(response.fields).toEqual([{ field: name, messages: [`property ${name} should not exist`] }]);

      const nested = JSON.parse(`{${JSON.stringify(name)}: "x"}`);
      const inContact = await rejection({ ...input, contact: { ...input.contact, ...nested } });
      expect(inContact.fields).toEqual([
        { field: `contact.${name}`, messages: [`property contact.${name} should not exist`] },
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('refuses a query parameter named like a prototype member', async () => {
    class Query {
      @IsOptional()
      @IsString()
      q?: string;
    }
    const query: ArgumentMetadata = { type: 'query', metatype: Query, data: undefined };
    const error = await createValidationPipe()
      .transform(JSON.parse('{"q":"x","constructor":"1"}'), query)
      .catch((e: BadRequestException) => e.getResponse() as { fields: FieldError[] });
    expect(error).toEqual(
      expect.objectContaining({
        fields: [{ field: 'constructor', messages: ['property constructor should not exist'] }],
      }),
    );
  });

  it('refuses a body that is not an object', async () => {
    await expect(createValidationPipe().transform('legalName=X', body)).rejects.toBeInstanceOf(BadRequestException);
  });
});

describe('toFieldErrors', () => {
  it('flattens nested errors into one entry per field path, rewriting the property in messages', () => {
    const fields = toFieldErrors([
      {
        property: 'contact',
        children: [{ property: 'email', constraints: { isEmail: 'email must be an email' }, children: [] }],
      },
      {
        property: 'legalName',
        constraints: { isNotEmpty: 'legalName should not be empty', isString: 'legalName must be a string' },
      },
    ]);

    expect(fields).toEqual([
      { field: 'contact.email', messages: ['contact.email must be an email'] },
      { field: 'legalName', messages: ['legalName should not be empty', 'legalName must be a string'] },
    ]);
  });
});
