#!/usr/bin/env node
/**
 * `npm start`: the demo storefront on PORT (default 3000) with the Alipay sandbox embedded as its
 * gateway on PORT+1 (or SANDBOX_PORT). With ALIPAY_PARTNER and keys in the environment it talks
 * to a real gateway instead. See demo/.env.example. The only file that starts listening.
 */
import { configFromEnv } from './config.js';
import { startDemo } from './start.js';

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv();
  } catch (e) {
    console.error(`✖ ${(e as Error).message}`);
    process.exit(2);
  }
  const running = await startDemo({ ...config, log: (line) => console.log(`  · ${line}`) });
  const { url, sandboxUrl, demo } = running;
  const lines = [
    '',
    `  Lantern & Leaf, an alipay-kit demo shop (${demo.gateway.mode === 'sandbox' ? 'sandbox' : 'LIVE gateway'})`,
    '',
    `  Storefront          ${url}/`,
    `  Admin               ${url}/admin`,
  ];
  if (sandboxUrl) lines.push(`  Sandbox dashboard   ${sandboxUrl}/`);
  else lines.push(`  Gateway             ${demo.gateway.url}`);
  // The generated demo password is meant to be read here; a configured one is never printed.
  lines.push(
    config.adminPasswordGenerated
      ? `  Admin password      ${config.adminPassword}   (set ADMIN_PASSWORD to choose one)`
      : '  Admin password      from ADMIN_PASSWORD',
  );
  lines.push(`  Partner / signing   ${demo.gateway.partner} / ${demo.gateway.signType}`);
  const proxy = config.trustProxy;
  lines.push(
    `  Trust proxy         ${proxy === false || proxy === undefined ? 'none: X-Forwarded-For ignored (TRUST_PROXY)' : Array.isArray(proxy) ? proxy.join(', ') : `${proxy} hop(s)`}`,
  );
  lines.push(
    `  Order sweeper       ${config.sweepIntervalSeconds > 0 ? `every ${config.sweepIntervalSeconds} s (SWEEP_INTERVAL_SECONDS)` : 'off (SWEEP_INTERVAL_SECONDS=0)'}`,
  );
  lines.push(`  Data                ${config.dataDir}`, '', '  Ctrl+C to stop.', '');
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n  ${signal}: shutting down…`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  if (err?.code === 'EADDRINUSE') console.error(`✖ ${err.message}. Set PORT (and SANDBOX_PORT) to free ports.`);
  else console.error(`✖ ${err?.message ?? String(e)}`);
  process.exit(1);
});
