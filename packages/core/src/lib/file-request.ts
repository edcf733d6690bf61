// Validation shared by forex_compare_file and forex_liquidation_file (§8.2). Internal.
import { checkFileDateRange, type FileDateRangeOptions } from '../services/file-date-range.js';
import { checkCommon, fail, readParams, type Out } from './validate.js';

export function validateFileRequest(
  params: unknown,
  service: 'forex_compare_file' | 'forex_liquidation_file',
  options: FileDateRangeOptions,
): Out {
  const p = readParams(params, service);
  checkCommon(p, service);
  const r = checkFileDateRange(p.start_date, p.end_date, options);
  if (!r.ok)
    fail(
      r.sentence === 'Illegal Date period!' ? 'ERR_INVALID_PARAMS' : 'ERR_INVALID_DATE',
      r.field,
      `${r.sentence} (§8.2)`,
    );
  return p;
}
