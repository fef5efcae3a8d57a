import { createPersonalDataKeysTableV1, dropPersonalDataKeysTableV1 } from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The organisations' personal-data keys, as the keys topic brings them (crypto-shredding). */
export class PersonalDataKeys1765500000000 implements MigrationInterface {
  name = 'PersonalDataKeys1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await createPersonalDataKeysTableV1(q, 'notifications');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropPersonalDataKeysTableV1(q, 'notifications');
  }
}
