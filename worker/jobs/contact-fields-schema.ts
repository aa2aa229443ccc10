/**
 * The zod schema of a contact's `fields` in a CreateContact / UpdateContact payload (worker/exchange/contact-fields.ts):
 * strict, every key optional, so one schema serves create (every key) and update (the changed keys). The SQL
 * helpers already validated the values; this catches a payload written by anything else.
 */
import { z } from 'zod';
import type { ContactFields } from '../exchange/contact-fields';

const text = z.string().nullable().optional();
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .nullable()
  .optional();

const postalAddress = z
  .object({
    street: text,
    city: text,
    state: text,
    postalCode: text,
    countryOrRegion: text,
  })
  .strict()
  .nullable()
  .optional();

export const contactFieldsSchema: z.ZodType<ContactFields> = z
  .object({
    givenName: text,
    middleName: text,
    surname: text,
    displayName: text,
    companyName: text,
    department: text,
    jobTitle: text,
    emailAddress1: text,
    emailAddress2: text,
    emailAddress3: text,
    businessPhone: text,
    homePhone: text,
    mobilePhone: text,
    businessFax: text,
    businessAddress: postalAddress,
    homeAddress: postalAddress,
    webPage: text,
    birthday: isoDate,
    notes: text,
    categories: z.array(z.string()).optional(),
  })
  .strict();
