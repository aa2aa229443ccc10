/**
 * jest setupFiles: every simulator a test starts validates requests against Exchange's schemas (through
 * $RC_EWS_SCHEMA_DIR, the simulator's default schema folder) whenever they are present: RC_EWS_SCHEMA_DIR, default
 * ../shared/ews-schema relative to the repository root. Absent: the variable is removed, simulators check
 * well-formedness only, and tests/integration/simulator-schema-validation.test.ts says so.
 */
import { hasEwsSchemas } from '../../simulator/ews/schema-loader';
import { ewsSchemaDir } from './simulator-ews-schema';

const dir = ewsSchemaDir();
if (hasEwsSchemas(dir)) process.env.RC_EWS_SCHEMA_DIR = dir;
else delete process.env.RC_EWS_SCHEMA_DIR;
