// External ids as they appear in the files. Customers are numbered in signup order, orders and
// sessions in time order, events in file order; product ids live on the catalogue.
import type { World } from './types';

export function customerId(world: World, i: number): string {
  const width = Math.max(6, String(world.population.customers).length);
  return `C${String(i + 1).padStart(width, '0')}`;
}

export function orderId(n: number): string {
  return `O${String(n).padStart(7, '0')}`;
}

export function sessionId(n: number): string {
  return `S${n}`;
}

export function eventId(n: number): string {
  return `E${n}`;
}
