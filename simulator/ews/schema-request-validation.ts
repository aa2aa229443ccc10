/**
 * Which request validation the simulator runs, and the EWS part of it: with Exchange's schemas (messages.xsd +
 * types.xsd, from `schemaDir` or $RC_EWS_SCHEMA_DIR) every request's operation element (first child of
 * soap:Body, strict) and SOAP headers (lax: those the schema declares) are validated and a violation becomes
 * Exchange's ErrorSchemaValidation fault; without schemas only well-formedness is checked (parse-request.ts).
 * The schemas are read from where they are, never copied; compiled models are shared per folder.
 */
import path from 'node:path';
import type { Element } from '@xmldom/xmldom';
import { SchemaModel } from './schema-compiler';
import { hasEwsSchemas, loadSchemaFiles } from './schema-loader';
import { InstanceValidator, type SchemaViolation } from './schema-validator';
import { schemaValidationFault } from './soap-fault';
import { childElement, childElements, SOAP_NS } from './xml';

export interface RequestValidation {
  mode: 'schema' | 'well-formed';
  /** Absolute schema folder in 'schema' mode. */
  schemaDir?: string;
  /** One line for logs and the admin API. */
  description: string;
  /** Throws the ErrorSchemaValidation fault for a request that breaks the schema; no-op without schemas. */
  validate(operation: Element): void;
}

const validators = new Map<string, InstanceValidator>();

function validatorFor(dir: string): InstanceValidator {
  let validator = validators.get(dir);
  if (!validator) {
    validator = new InstanceValidator(new SchemaModel(loadSchemaFiles(dir)));
    validators.set(dir, validator);
  }
  return validator;
}

/** The first violation in document order: SOAP headers first, then the operation. */
export function findSchemaViolation(
  validator: InstanceValidator,
  operation: Element,
): SchemaViolation | undefined {
  const envelope = operation.parentNode?.parentNode as Element | null | undefined;
  const header = envelope && childElement(envelope, 'Header', SOAP_NS);
  if (header) {
    for (const h of childElements(header)) {
      const violation = validator.validateLax(h);
      if (violation) return violation;
    }
  }
  return validator.validateStrict(operation);
}

/**
 * `schemaDir` (explicit; an error when it lacks the schemas) or else $RC_EWS_SCHEMA_DIR (a warning through
 * `warn` when it lacks them, then well-formedness only).
 */
export function requestValidation(schemaDir?: string, warn?: (message: string) => void): RequestValidation {
  const fromEnv = schemaDir === undefined;
  const configured = schemaDir ?? process.env.RC_EWS_SCHEMA_DIR;
  if (configured) {
    const dir = path.resolve(configured);
    if (hasEwsSchemas(dir)) {
      const validator = validatorFor(dir);
      return {
        mode: 'schema',
        schemaDir: dir,
        description: `EWS schema validation of every request (${path.join(dir, 'messages.xsd')})`,
        validate: (operation) => {
          const v = findSchemaViolation(validator, operation);
          if (v) throw schemaValidationFault(v.line, v.position, v.message);
        },
      };
    }
    const problem = `no messages.xsd and types.xsd in ${dir}`;
    if (!fromEnv) throw new Error(`EWS schema folder: ${problem}`);
    warn?.(`RC_EWS_SCHEMA_DIR: ${problem}; requests are only checked for well-formedness`);
  }
  return {
    mode: 'well-formed',
    description:
      'well-formedness checks only (no EWS schema; set --schema-dir or RC_EWS_SCHEMA_DIR to a folder with messages.xsd and types.xsd)',
    validate: () => undefined,
  };
}
