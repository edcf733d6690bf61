// P4: compare-file parsing throughput on a generated file (500 MB by default) against
// readFile + split('\n'), and the parser's RSS growth (it must stream in constant memory).
import { createReadStream, createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseCompareFile } from '@alipay-kit/core';
import { row } from './lib/results.mjs';

const SIZE_MB = Number(process.env.P4_SIZE_MB ?? 500);

const two = (n) => String(n).padStart(2, '0');
const hms = (i) => two(i % 24) + two(i % 60) + two((i * 7) % 60);

/** Write a legacy 9-column compare file (protocol §8.4) of about `mb` megabytes. */
export async function generateCompareFile(file, mb) {
  const out = createWriteStream(file);
  const target = mb * 1024 * 1024;
  let written = 0;
  let i = 0;
  while (written < target) {
    let chunk = '';
    for (let k = 0; k < 2000; k++, i++) {
      const refund = i % 10 === 9;
      const amount = `${(i % 9999) + 1}.${String(i % 100).padStart(2, '0')}`;
      chunk += `${refund ? 'R' : 'ORD'}-${i}|${amount}|USD|20261124${hms(i)}||${refund ? 'R' : 'P'}|0.${String((i % 90) + 10)}|P|Order ${i}\r\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return statSync(file).size;
}

export async function runP4() {
  const file = join(tmpdir(), `alipay-kit-p4-${SIZE_MB}mb.txt`);
  const size = existsSync(file) ? statSync(file).size : await generateCompareFile(file, SIZE_MB);
  const mb = size / (1024 * 1024);

  globalThis.gc?.();
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20);
  let t = performance.now();
  let rows = 0;
  // The batch API (one await per ~64 KB of rows, not per row): same rows, same checks.
  for await (const batch of parseCompareFile(createReadStream(file, { highWaterMark: 1 << 20 })).batches())
    for (const r of batch) if (r.line) rows++;
  const parseSeconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  const growth = (rssPeak - rssBefore) / (1024 * 1024);

  t = performance.now();
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n').length;
  const baseSeconds = (performance.now() - t) / 1000;
  if (lines < rows) throw new Error(`P4: baseline saw ${lines} lines, parser ${rows}`);
  rmSync(file, { force: true });
  return [
    row('P4.files', mb / parseSeconds, mb / baseSeconds, 'MB/s', '>= 1.0', { rows, sizeMB: Math.round(mb) }),
    row('P4.files_rss', growth, null, 'MB', '<= 64'),
  ];
}
