export { ContactsModule } from './contacts.module';
export { ContactBook } from './contact-book.service';
export { Contact, ContactStatuses } from './contact.entity';
export type { ContactStatus } from './contact.entity';
