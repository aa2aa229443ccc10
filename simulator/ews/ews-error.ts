/**
 * Two ways an EWS request fails, as in Exchange: an EwsError becomes an error response message for one item
 * (HTTP 200, ResponseClass="Error"); an EwsFault aborts the whole request as a SOAP fault (HTTP 500).
 */

export interface MessageXmlValue {
  name: string;
  value: string;
}

export class EwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Pre-rendered XML placed inside m:MessageXml (already escaped). */
    readonly messageXml?: string,
  ) {
    super(message);
    this.name = 'EwsError';
  }
}

export class EwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: {
      /** Pre-rendered XML placed inside t:MessageXml (already escaped). */
      messageXml?: string;
      httpStatus?: number;
      faultCode?: string;
      /** The detail message; Exchange sometimes makes the faultstring longer than the e:Message. */
      detailMessage?: string;
    } = {},
  ) {
    super(message);
    this.name = 'EwsFault';
  }
}
