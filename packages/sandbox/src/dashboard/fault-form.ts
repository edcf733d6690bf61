/**
 * The dashboard's faults: the "Set faults" form (its field names are the `alipay-sandbox serve`
 * flag names, so the form and the CLI share one parser and one validation), the list of active
 * faults in words with a one-click clear per scope, and the reading of both forms.
 *
 * @module
 */
import { FAULT_FLAG_OPTIONS, faultsFromFlags } from '../cli/fault-flags.js';
import { SERVICES } from '../gateway/services.js';
import { esc } from '../lib/html.js';
import type { FaultConfig, FaultScope } from '../types.js';

type Flag = keyof typeof FAULT_FLAG_OPTIONS;

/** One input of the form. `p` = probability 0..1, `n` = non-negative number, `on` = checkbox, `tf` = true/false select. */
interface Field {
  flag: Flag;
  key: keyof FaultConfig;
  label: string;
  input: 'p' | 'n' | 'on' | 'tf';
}

/** Every fault flag, in the order shown, with the {@link FaultConfig} key it sets. */
export const FAULT_FORM_FIELDS: readonly Field[] = Object.freeze([
  { flag: 'latency', key: 'latencyMs', label: 'Latency (ms)', input: 'n' },
  { flag: '5xx', key: 'http5xx', label: 'HTTP 500 (probability)', input: 'p' },
  { flag: 'timeout-rate', key: 'timeout', label: 'Never answer (probability)', input: 'p' },
  { flag: 'truncate-xml', key: 'truncateXml', label: 'Truncate XML (probability)', input: 'p' },
  {
    flag: 'refund-system-error',
    key: 'refundSystemError',
    label: 'forex_refund answers SYSTEM_ERROR (probability)',
    input: 'p',
  },
  {
    flag: 'refund-system-error-applied',
    key: 'refundSystemErrorApplied',
    label: '… and the refund is executed anyway',
    input: 'tf',
  },
  { flag: 'cut-file-stream', key: 'cutFileStream', label: 'Cut file downloads mid-stream (probability)', input: 'p' },
  {
    flag: 'duplicate-notifications',
    key: 'duplicateNotifications',
    label: 'Extra copies of each notification',
    input: 'n',
  },
  {
    flag: 'out-of-order',
    key: 'outOfOrderNotifications',
    label: 'Hold notifications, deliver newest first',
    input: 'on',
  },
  { flag: 'mangle-sign-plus', key: 'mangleSignPlus', label: 'Raw "+" in the return sign (§1.4 rule 6)', input: 'on' },
  { flag: 'gbk-responses', key: 'gbkResponses', label: 'Answer XML in GBK (§1.3)', input: 'on' },
]);

/** Values a fault scope's service can take: the gateway services, and the notification types the notification faults match. */
export const SCOPE_SERVICES: readonly string[] = Object.freeze([
  ...Object.keys(SERVICES),
  'trade_status_sync',
  'refund_status_sync',
]);

function control(f: Field): string {
  const id = `f-${f.flag}`;
  const label = `<label for="${id}">${esc(f.label)}</label>`;
  switch (f.input) {
    case 'on':
      return `<div class="field check"><input type="checkbox" id="${id}" name="${f.flag}">${label}</div>`;
    case 'tf':
      return `<div class="field">${label}<select id="${id}" name="${f.flag}"><option value="">default (true)</option><option>true</option><option>false</option></select></div>`;
    default:
      return `<div class="field">${label}<input type="number" id="${id}" name="${f.flag}" min="0"${f.input === 'p' ? ' max="1" step="any"' : ' step="1"'} inputmode="decimal" class="w-num"></div>`;
  }
}

/** The form (POST `action`); an empty field leaves that fault off. It replaces the faults of the chosen scope. */
export function faultForm(action: string, partners: string[]): string {
  const partnerOptions = [
    '<option value="">every partner</option>',
    ...partners.map((p) => `<option>${esc(p)}</option>`),
  ].join('');
  const gateway = SCOPE_SERVICES.filter((s) => !s.endsWith('_sync'));
  const serviceOptions = `<option value="">every service</option><optgroup label="gateway.do services">${gateway.map((s) => `<option>${esc(s)}</option>`).join('')}</optgroup><optgroup label="notifications">${['trade_status_sync', 'refund_status_sync'].map((s) => `<option>${s}</option>`).join('')}</optgroup>`;
  return `<form method="post" action="${esc(action)}" aria-labelledby="fault-form-title">
<h2 id="fault-form-title">Set faults</h2>
<p class="muted">Choose a scope, fill in the faults you want (empty fields stay off), then set them: they replace that scope's faults. The notification faults match the notification type as their service.</p>
<div class="fields">
<div class="field"><label for="f-scope-partner">Partner</label><select id="f-scope-partner" name="scope_partner">${partnerOptions}</select></div>
<div class="field"><label for="f-scope-service">Service</label><select id="f-scope-service" name="scope_service">${serviceOptions}</select></div>
${FAULT_FORM_FIELDS.map(control).join('\n')}
</div>
<p><button class="small" type="submit">Set faults for this scope</button></p>
</form>`;
}

function describeValue(f: Field, v: unknown): string {
  if (f.input === 'p') return `${f.label.replace(/ \(probability\)$/, '')}: ${Math.round(Number(v) * 1000) / 10}%`;
  if (f.input === 'on') return f.label;
  if (f.input === 'tf') return v ? 'the refund is executed anyway' : 'the refund is not executed';
  return `${f.label.replace(/ \(ms\)$/, '')}: ${String(v)}${f.key === 'latencyMs' ? ' ms' : ''}`;
}

/** One scope's faults in words (`HTTP 500: 20%, Latency: 300 ms`). */
export function describeFaults(faults: FaultConfig): string {
  const parts = FAULT_FORM_FIELDS.filter(
    (f) => faults[f.key] !== undefined && faults[f.key] !== false && faults[f.key] !== 0,
  ).map((f) => describeValue(f, faults[f.key]));
  if (faults.refundSystemErrorApplied === false && !parts.some((p) => p.includes('not executed')))
    parts.push('the refund is not executed');
  return parts.length > 0 ? parts.join(', ') : 'nothing (an empty entry)';
}

/** The active faults, one line per scope with its own "Clear" button, and "Clear all". */
export function activeFaults(action: string, entries: Array<{ scope: FaultScope; faults: FaultConfig }>): string {
  if (entries.length === 0)
    return '<p class="muted" id="active-faults">No active faults: every call is answered normally.</p>';
  const items = entries
    .map((e) => {
      const scope = `${e.scope.partner ? `partner <code>${esc(e.scope.partner)}</code>` : 'every partner'} · ${e.scope.service ? `<code>${esc(e.scope.service)}</code>` : 'every service'}`;
      return `<li class="fault"><span><strong>${scope}</strong>: ${esc(describeFaults(e.faults))}</span>
<form method="post" action="${esc(action)}"><input type="hidden" name="scope_partner" value="${esc(e.scope.partner ?? '')}"><input type="hidden" name="scope_service" value="${esc(e.scope.service ?? '')}"><input type="hidden" name="scope_only" value="1"><button class="small danger" type="submit">Clear</button></form></li>`;
    })
    .join('');
  return `<div id="active-faults"><h2>Active faults</h2><ul class="faults">${items}</ul>
<form method="post" action="${esc(action)}"><button class="small danger" type="submit">Clear all faults</button></form></div>`;
}

/** The scope of a posted form; `undefined` = every fault (no `scope_only`) or the every-partner/every-service scope. */
export function scopeFromForm(body: Record<string, unknown>): FaultScope | undefined {
  if (body.scope_only !== '1') return undefined;
  const scope: FaultScope = {};
  if (typeof body.scope_partner === 'string' && body.scope_partner !== '') scope.partner = body.scope_partner;
  if (typeof body.scope_service === 'string' && body.scope_service.trim() !== '')
    scope.service = body.scope_service.trim();
  return scope;
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
  if (typeof body.scope_service === 'string' && body.scope_service.trim() !== '')
    scope.service = body.scope_service.trim();
  return { scope: Object.keys(scope).length > 0 ? scope : undefined, faults: faultsFromFlags(flags) ?? {} };
}
