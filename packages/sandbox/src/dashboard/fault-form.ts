/**
 * The dashboard's "Set faults" form and its reading. Field names are the `alipay-sandbox serve`
 * flag names (cli/fault-flags.ts), so the form and the CLI share one parser and one validation;
 * the result then goes through `control.setFaults` like the control API's.
 *
 * @module
 */
import { FAULT_FLAG_OPTIONS, faultsFromFlags } from '../cli/fault-flags.js';
import { esc } from '../lib/html.js';
import type { FaultConfig, FaultScope } from '../types.js';

type Flag = keyof typeof FAULT_FLAG_OPTIONS;

/** One input of the form. `p` = probability 0..1, `n` = non-negative number, `on` = checkbox, `tf` = true/false select. */
interface Field {
  flag: Flag;
  label: string;
  input: 'p' | 'n' | 'on' | 'tf';
}

/** Every fault flag, in the order shown. */
export const FAULT_FORM_FIELDS: readonly Field[] = Object.freeze([
  { flag: 'latency', label: 'Latency (ms)', input: 'n' },
  { flag: '5xx', label: 'HTTP 500 (probability)', input: 'p' },
  { flag: 'timeout-rate', label: 'Never answer (probability)', input: 'p' },
  { flag: 'truncate-xml', label: 'Truncate XML (probability)', input: 'p' },
  { flag: 'refund-system-error', label: 'forex_refund answers SYSTEM_ERROR (probability)', input: 'p' },
  { flag: 'refund-system-error-applied', label: '… and the refund is executed anyway', input: 'tf' },
  { flag: 'cut-file-stream', label: 'Cut file downloads mid-stream (probability)', input: 'p' },
  { flag: 'duplicate-notifications', label: 'Extra copies of each notification', input: 'n' },
  { flag: 'out-of-order', label: 'Hold notifications, deliver newest first', input: 'on' },
  { flag: 'mangle-sign-plus', label: 'Raw "+" in the return sign (§1.4 rule 6)', input: 'on' },
  { flag: 'gbk-responses', label: 'Answer XML in GBK (§1.3)', input: 'on' },
]);

function control(f: Field): string {
  const id = `f-${f.flag}`;
  const label = `<label for="${id}">${esc(f.label)}</label>`;
  switch (f.input) {
    case 'on':
      return `<div class="row"><input type="checkbox" id="${id}" name="${f.flag}">${label}</div>`;
    case 'tf':
      return `<div class="row">${label}<select id="${id}" name="${f.flag}"><option value="">default (true)</option><option>true</option><option>false</option></select></div>`;
    default:
      return `<div class="row">${label}<input type="number" id="${id}" name="${f.flag}" min="0"${f.input === 'p' ? ' max="1" step="any"' : ' step="1"'} inputmode="decimal" class="w-num"></div>`;
  }
}

/** The form (POST `action`); an empty field leaves that fault off. It replaces the faults of the chosen scope. */
export function faultForm(action: string, partners: string[]): string {
  const options = ['<option value="">every partner</option>', ...partners.map((p) => `<option>${esc(p)}</option>`)].join('');
  return `<form method="post" action="${esc(action)}" aria-labelledby="fault-form-title">
<h2 id="fault-form-title">Set faults</h2>
<div class="row"><label for="f-scope-partner">Partner</label><select id="f-scope-partner" name="scope_partner">${options}</select>
<label for="f-scope-service">Service</label><input id="f-scope-service" name="scope_service" placeholder="every service" class="w-wide"></div>
${FAULT_FORM_FIELDS.map(control).join('\n')}
<p><button class="small" type="submit">Set faults for this scope</button></p>
</form>`;
}

/** Read a posted form: the scope and the faults (throws `RangeError` naming the flag for a bad value). */
export function faultsFromForm(body: Record<string, unknown>): { scope: FaultScope | undefined; faults: FaultConfig } {
  const flags: Record<string, string | boolean> = {};
  for (const f of FAULT_FORM_FIELDS) {
    const raw = body[f.flag];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    flags[f.flag] = f.input === 'on' ? true : raw.trim();
  }
  const scope: FaultScope = {};
  if (typeof body.scope_partner === 'string' && body.scope_partner !== '') scope.partner = body.scope_partner;
  if (typeof body.scope_service === 'string' && body.scope_service.trim() !== '') scope.service = body.scope_service.trim();
  return { scope: Object.keys(scope).length > 0 ? scope : undefined, faults: faultsFromFlags(flags) ?? {} };
}
