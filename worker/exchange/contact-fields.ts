/**
 * A contact's fields as the gateway takes them (protocol-neutral): what a CRM keeps of a person. The `fields` of a
 * CreateContact / UpdateContact payload, written by rc_internal_ContactFields / rc.fn_contactfields.
 *
 * Create: every key present, null where not set (categories [] when none). Update: only the keys to change;
 * null clears the field. An address on update carries only the parts to change (null clears a part); null for
 * the whole address clears all of it.
 */
export interface PostalAddress {
  street?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  countryOrRegion?: string | null;
}

export interface ContactFields {
  givenName?: string | null;
  middleName?: string | null;
  surname?: string | null;
  /** Never cleared: Exchange always keeps a display name (the SQL API refuses '' on update). */
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
  /** http(s) URL. */
  webPage?: string | null;
  /** 'YYYY-MM-DD'. */
  birthday?: string | null;
  /** The contact's notes (its plain-text body). */
  notes?: string | null;
  /** [] clears them. */
  categories?: string[];
}
