/**
 * Bind the demo to ports: the storefront on `port`, the embedded sandbox on `sandbox.port`.
 * Both servers listen first (so port 0 works), then the apps are built with the real URLs and
 * attached. Used by `server.ts` (npm start) and by the end-to-end tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDemo, type Demo, type DemoOptions, type DemoSandboxOptions } from './app.js';
import type { DemoConfig } from './config.js';
import { ensurePrivateDataDir, lockDownDataFiles } from './data-dir.js';

export interface RunningDemo {
  demo: Demo;
  /** Storefront base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Sandbox base URL (its dashboard is at `/`), when embedded. */
  sandboxUrl?: string;
  close(): Promise<void>;
}

export interface StartOptions extends Pick<
  DemoConfig,
  | 'port'
  | 'host'
  | 'dataDir'
  | 'publicUrl'
  | 'adminPassword'
  | 'adminPasswordGenerated'
  | 'tokenSecret'
  | 'ledgerUrl'
  | 'gateway'
  | 'trustProxy'
> {
  sandbox?: Partial<Omit<DemoSandboxOptions, 'publicBaseUrl'>> & { port: number };
  /** See {@link DemoOptions.sweepIntervalSeconds}. */
  sweepIntervalSeconds?: number;
  /** See {@link DemoOptions.adminClock}. */
  adminClock?: () => number;
  /** See {@link DemoOptions.now}. */
  now?: () => Date;
  webDir?: string;
  log?: (line: string) => void;
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve(`http://${h === '0.0.0.0' || h === '[::]' ? 'localhost' : h}:${a.port}`);
    });
  });
}

function shut(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

export async function startDemo(options: StartOptions): Promise<RunningDemo> {
  // Keys, secrets and SQLite files: the folder 0700, its files 0600.
  ensurePrivateDataDir(options.dataDir);
  const shop = createServer();
  const sandboxServer = options.sandbox ? createServer() : undefined;
  // Until the apps exist (a few ms), answer 503 rather than hang.
  const notYet = (_req: unknown, res: import('node:http').ServerResponse) => {
    res.statusCode = 503;
    res.end('starting');
  };
  shop.on('request', notYet);
  sandboxServer?.on('request', notYet);
  try {
    const url = await listen(shop, options.port, options.host);
    const sandboxUrl = sandboxServer ? await listen(sandboxServer, options.sandbox!.port, options.host) : undefined;
    const { port: _p, ...sandboxRest } = options.sandbox ?? { port: 0 };
    const demoOptions: DemoOptions = {
      publicUrl: options.publicUrl ?? url,
      dataDir: options.dataDir,
      adminPassword: options.adminPassword,
      adminPasswordGenerated: options.adminPasswordGenerated,
      tokenSecret: options.tokenSecret,
      ...(options.ledgerUrl ? { ledgerUrl: options.ledgerUrl } : {}),
      ...(options.gateway ? { gateway: options.gateway } : {}),
      ...(sandboxUrl ? { sandbox: { ...sandboxRest, publicBaseUrl: sandboxUrl } } : {}),
      ...(options.sweepIntervalSeconds !== undefined ? { sweepIntervalSeconds: options.sweepIntervalSeconds } : {}),
      ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
      ...(options.adminClock ? { adminClock: options.adminClock } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.webDir ? { webDir: options.webDir } : {}),
      ...(options.log ? { log: options.log } : {}),
    };
    const demo = await createDemo(demoOptions);
    lockDownDataFiles(options.dataDir);
    shop.off('request', notYet);
    shop.on('request', demo.app);
    if (sandboxServer && demo.sandbox) {
      sandboxServer.off('request', notYet);
      sandboxServer.on('request', demo.sandbox.app);
    }
    return {
      demo,
      url,
      ...(sandboxUrl ? { sandboxUrl } : {}),
      async close() {
        await Promise.all([shut(shop), sandboxServer ? shut(sandboxServer) : undefined]);
        await demo.close();
      },
    };
  } catch (e) {
    await Promise.all([shut(shop), sandboxServer ? shut(sandboxServer) : undefined]);
    throw e;
  }
}
