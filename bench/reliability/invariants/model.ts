// The model of one command sequence. Preconditions (`check`) read only this state, and only its
// deterministic parts (what the commands did, never what the system answered), so a sequence
// replays with the same commands enabled whatever the timing.
import type { FaultMap, InstName, World } from './world.js';

export interface ModelOrder {
  id: string;
  inst: InstName;
  amountMinor: number;
  /** The payment link /checkout answered with. */
  url: string;
  /** Refund ids used so far, with their amounts (for `repeat`). */
  refunds: Array<{ id: string; amountMinor: number }>;
}

/** A discrepancy injected at the end of the sequence (after I1–I4, before reconcile). */
export type Discrepancy = 'foreign_payment' | 'ledger_amount';

export interface Model {
  runId: string;
  orders: ModelOrder[];
  alive: Record<InstName, boolean>;
  /** Sandbox clock moved by commands in this sequence (kept under a few hours: one sequence = one Beijing day). */
  advancedMs: number;
  faults: FaultMap;
  partition: boolean;
  discrepancies: Discrepancy[];
  /** A finished earlier day whose reconcile report is known (for the mid-run download command). */
  prevDay: string | undefined;
  refundSeq: number;
  /** Clock skew per instance (ms ahead of the gateway). */
  skew: Partial<Record<InstName, number>>;
}

/** Per-run records for the checks and the report. */
export interface RunLog {
  violations: string[];
  notes: string[];
  /** POST /refunds answers: `<status> <body status or error code>` → count. */
  refundAnswers: Map<string, number>;
  forged: number;
}

export interface Real {
  w: World;
  log: RunLog;
  stats: Stats;
  /** Reconcile discrepancy ids per finished day, for the mid-run download command. */
  dayReports: Map<string, Set<string>>;
}

/** Counts over every sequence of a family, for the report. */
export class Stats {
  runs = 0;
  commands = new Map<string, number>();
  faults = new Map<string, number>();
  answers = new Map<string, number>();
  checks = new Map<string, number>();
  notes = new Map<string, number>();
  phaseMs = new Map<string, number>();
  cmdMs = new Map<string, number>();
  kills = 0;
  forged = 0;
  ordersChecked = 0;
  refundsChecked = 0;
  bump(map: Map<string, number>, key: string, n = 1): void {
    map.set(key, (map.get(key) ?? 0) + n);
  }
  static table(map: Map<string, number>): string {
    return [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  }
}

export function newRunLog(): RunLog {
  return { violations: [], notes: [], refundAnswers: new Map(), forged: 0 };
}

export function newModel(runId: string, alive: Record<InstName, boolean>, prevDay: string | undefined): Model {
  return {
    runId,
    orders: [],
    alive: { ...alive },
    advancedMs: 0,
    faults: {},
    partition: false,
    discrepancies: [],
    prevDay,
    refundSeq: 0,
    skew: {},
  };
}

/** The order a command's index points at (indices are taken modulo the orders created so far). */
export function orderAt(m: Model, idx: number): ModelOrder | undefined {
  return m.orders.length === 0 ? undefined : m.orders[idx % m.orders.length];
}

/** Integer minor units of a two-decimal amount string. */
export function minor(amount: string): number {
  return Math.round(Number(amount) * 100);
}

export function money(minorUnits: number): string {
  return (minorUnits / 100).toFixed(2);
}
