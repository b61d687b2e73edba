// Runs in a worker thread (src/infra/thread.ts): fits BG/NBD and Gamma-Gamma, trains the calendar-aware
// tfjs model, backtests both on rolling windows and values every customer under each, so the job's
// event loop (and BullMQ's lock renewal) never waits on the numerics. Pure ML: no database here.
import { initBackend } from '../../src/ml/backend';
import type { EventLog } from '../../src/ml/clv/calendar';
import { describeCalendarModel, serializeCalendarModel } from '../../src/ml/clv/calendar';
import type { PurchaseLog } from '../../src/ml/clv/rfm';
import { computeCustomerValues, type ValueComputation, type ValueOptions } from '../../src/modules/customers/customer-value.compute';

export interface TrainCustomerValueInput {
  log: PurchaseLog;
  events: EventLog | null;
  customerIds: number[];
  clockMs: number;
  options: ValueOptions;
}

export type TrainCustomerValueOutput = Omit<ValueComputation, 'calendarModel'> & {
  calendar: { artifact: Uint8Array; description: Record<string, unknown>; training: unknown } | null;
  backend: string;
};

export async function trainCustomerValueThread(input: TrainCustomerValueInput): Promise<TrainCustomerValueOutput> {
  const backend = await initBackend();
  const { calendarModel, ...result } = await computeCustomerValues(input.log, input.customerIds, input.clockMs, input.options, input.events);
  if (!calendarModel) return { ...result, calendar: null, backend: backend.name };
  try {
    return {
      ...result,
      calendar: { artifact: await serializeCalendarModel(calendarModel), description: describeCalendarModel(calendarModel), training: calendarModel.training },
      backend: backend.name,
    };
  } finally {
    calendarModel.network.dispose();
  }
}
