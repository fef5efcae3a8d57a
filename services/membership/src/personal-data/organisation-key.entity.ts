import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An organisation's personal-data key, wrapped with the master key (PERSONAL_DATA_KEY): what its
 * events' personal fields are sealed with. Shredded on erasure: the wrapped key is gone for good.
 */
@Entity({ name: 'organisation_keys' })
export class OrganisationKey {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'wrapped_key', type: 'text', nullable: true })
  wrappedKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'shredded_at', type: 'timestamptz', nullable: true })
  shreddedAt!: Date | null;
}
