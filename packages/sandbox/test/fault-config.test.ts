/**
 * The issue-12 fault keys are validated like the others, settable through control.setFaults, the
 * control HTTP API and the dashboard form (whose field names are the CLI flag names), and shown.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_FLAG_OPTIONS } from '../src/cli/fault-flags.js';
import { FAULT_FORM_FIELDS } from '../src/dashboard/fault-form.js';
import { PARTNER_A, startSandbox, type Running } from './helpers.js';

let s: Running;
beforeEach(async () => {
  s = await startSandbox();
});
afterEach(() => s.close());

const postJson = (path: string, body: unknown) =>
  fetch(`${s.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const postForm = (path: string, fields: Record<string, string>) =>
  fetch(`${s.base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe('fault validation', () => {
  it('accepts the three keys with valid values', () => {
    s.sandbox.control.setFaults(
      { service: 'forex_refund' },
      { refundSystemError: 0.3, refundSystemErrorApplied: false, cutFileStream: 0.5 },
    );
    expect(
      s.sandbox.control.setFaults(undefined, {
        refundSystemError: 0,
        refundSystemErrorApplied: true,
        cutFileStream: 1,
      }),
    ).toBeUndefined();
  });

  it('rejects probabilities outside 0..1, a non-boolean Applied flag and unknown keys, naming the key', () => {
    const c = s.sandbox.control;
    expect(() => c.setFaults(undefined, { refundSystemError: 1.5 })).toThrow(
      /faults\.refundSystemError must be a probability/,
    );
    expect(() => c.setFaults(undefined, { cutFileStream: -0.1 })).toThrow(
      /faults\.cutFileStream must be a probability/,
    );
    expect(() => c.setFaults(undefined, { cutFileStream: '0.5' as never })).toThrow(RangeError);
    expect(() => c.setFaults(undefined, { refundSystemErrorApplied: 'false' as never })).toThrow(
      /faults\.refundSystemErrorApplied must be true or false/,
    );
    expect(() => c.setFaults(undefined, { refundSystemErrorApplies: true } as never)).toThrow(
      /faults\.refundSystemErrorApplies is not a fault/,
    );
    expect(() => c.setFaults(undefined, { gbkResponses: 1 as never })).toThrow(TypeError);
  });

  it('answers 400 over HTTP for bad values and lists what is set', async () => {
    expect((await postJson('/_sandbox/faults', { faults: { refundSystemErrorApplied: 'no' } })).status).toBe(400);
    expect((await postJson('/_sandbox/faults', { faults: { cutFileStreams: 1 } })).status).toBe(400);
    expect(
      (
        await postJson('/_sandbox/faults', {
          scope: { partner: PARTNER_A },
          faults: { cutFileStream: 0.25, refundSystemError: 0.5, refundSystemErrorApplied: false },
        })
      ).status,
    ).toBe(200);
    expect(await fetch(`${s.base}/_sandbox/faults`).then((r) => r.json())).toEqual([
      {
        scope: { partner: PARTNER_A },
        faults: { cutFileStream: 0.25, refundSystemError: 0.5, refundSystemErrorApplied: false },
      },
    ]);
  });
});

describe('dashboard fault form', () => {
  it('offers a field for every CLI fault flag', async () => {
    expect(FAULT_FORM_FIELDS.map((f) => f.flag).sort()).toEqual(Object.keys(FAULT_FLAG_OPTIONS).sort());
    const html = await fetch(`${s.base}/`).then((r) => r.text());
    for (const flag of ['refund-system-error', 'refund-system-error-applied', 'cut-file-stream']) {
      expect(html).toContain(`name="${flag}"`);
      expect(html).toMatch(new RegExp(`<label for="f-${flag}">`));
    }
    expect(html).toContain('No active faults');
  });

  it('sets the faults of a scope and shows them', async () => {
    const r = await postForm('/_sandbox/dashboard/faults', {
      scope_partner: PARTNER_A,
      scope_service: 'forex_refund',
      'refund-system-error': '0.3',
      'refund-system-error-applied': 'false',
      'cut-file-stream': '',
      'out-of-order': 'on',
      '5xx': '',
    });
    expect(r.status).toBe(303);
    const listed = await fetch(`${s.base}/_sandbox/faults`).then((x) => x.json());
    expect(listed).toEqual([
      {
        scope: { partner: PARTNER_A, service: 'forex_refund' },
        faults: { refundSystemError: 0.3, refundSystemErrorApplied: false, outOfOrderNotifications: true },
      },
    ]);
    const html = await fetch(`${s.base}/`).then((x) => x.text());
    expect(html).toContain('Active faults');
    expect(html).toContain(
      'forex_refund answers SYSTEM_ERROR: 30%, Hold notifications, deliver newest first, the refund is not executed',
    );
    // the same scope set again replaces its faults; every partner + every service = undefined scope
    await postForm('/_sandbox/dashboard/faults', { scope_partner: '', scope_service: '', 'cut-file-stream': '1' });
    expect(await fetch(`${s.base}/_sandbox/faults`).then((x) => x.json())).toContainEqual({
      scope: {},
      faults: { cutFileStream: 1 },
    });
  });

  it('redirects back with a notice naming the flag for a bad value, and changes nothing', async () => {
    const r = await postForm('/_sandbox/dashboard/faults', { 'refund-system-error': '2' });
    expect(r.status).toBe(303);
    const back = await fetch(`${s.base}${r.headers.get('location')}`).then((x) => x.text());
    expect(back).toContain('Faults not set: the value of --refund-system-error is not allowed');
    const r2 = await postForm('/_sandbox/dashboard/faults', { 'refund-system-error-applied': 'maybe' });
    expect(r2.status).toBe(303);
    expect(r2.headers.get('location')).toContain('flag=--refund-system-error-applied');
    expect(await fetch(`${s.base}/_sandbox/faults`).then((x) => x.json())).toEqual([]);
  });
});
