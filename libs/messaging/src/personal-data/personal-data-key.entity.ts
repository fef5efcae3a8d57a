import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A consumer's copy of an organisation's personal-data key, as the keys topic distributes it
 * (wrapped with the master key). Shredded: the key is gone and the row says so, so that the
 * organisation's sealed events are read without their personal fields rather than waited for.
 * Not part of any read model: a rebuild keeps these rows.
 */
@Entity({ name: 'personal_data_keys' })
export class PersonalDataKey {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'wrapped_key', type: 'text', nullable: true })
  wrappedKey!: string | null;

  @Column({ name: 'shredded_at', type: 'timestamptz', nullable: true })
  shreddedAt!: Date | null;
}
