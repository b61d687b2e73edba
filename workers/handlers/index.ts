// The dispatch table: one handler per job of the catalogue (checked when the worker boots).
import type { JobHandlers } from '../job-handler';
import { importHandler } from './import.handler';

export const handlers: JobHandlers = {
  import: importHandler,
};
