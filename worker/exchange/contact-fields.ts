/**
 * A contact's fields as the gateway takes them (protocol-neutral): what a CRM keeps of a person. On update
 * every field is optional; null clears it.
 */
export interface PostalAddress {
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  countryOrRegion: string | null;
}

export interface ContactFields {
  givenName?: string | null;
  middleName?: string | null;
  surname?: string | null;
  displayName?: string | null;
  companyName?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  emailAddress1?: string | null;
  emailAddress2?: string | null;
  emailAddress3?: string | null;
  businessPhone?: string | null;
  homePhone?: string | null;
  mobilePhone?: string | null;
  businessFax?: string | null;
  businessAddress?: PostalAddress | null;
  homeAddress?: PostalAddress | null;
  webPage?: string | null;
  /** 'YYYY-MM-DD'. */
  birthday?: string | null;
  notes?: string | null;
  categories?: string[];
}
