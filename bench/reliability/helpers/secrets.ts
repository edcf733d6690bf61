// Capture every log line and error text produced by a test file, and scan them for secrets:
// the MD5 key, private-key material (PEM lines / base64 body), and every `sign` value that went
// over the wire in either direction (style.md §7).
import { isAlipayError } from '@alipay-kit/core';

export class SecretWatch {
  readonly lines: string[] = [];
  readonly secrets = new Set<string>();

  /** A secret that must never show up. Short values are ignored (they would match by chance). */
  secret(value: string | undefined | null): void {
    if (typeof value === 'string' && value.length >= 16) this.secrets.add(value);
  }

  /** A PEM private key: its base64 body and each 64-character line. */
  privateKey(pem: string): void {
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    this.secret(body);
    for (const line of pem.split('\n')) if (!line.startsWith('-----')) this.secret(line.trim());
  }

  /** Every `sign` in a form body, query string, or XML reply. */
  signsIn(text: string): void {
    for (const m of text.matchAll(/(?:^|[?&])sign=([^&]*)/g)) {
      let v = m[1]!;
      try {
        v = decodeURIComponent(v.replace(/\+/g, ' '));
      } catch {
        /* keep raw */
      }
      this.secret(v);
      this.secret(m[1]);
    }
    for (const m of text.matchAll(/<sign>([^<]*)<\/sign>/g)) this.secret(m[1]);
  }

  line(text: string): void {
    this.lines.push(text);
  }

  /** A logger for server-kit (router, client) that records each line with its fields. */
  logger(prefix = '') {
    const rec = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      this.line(`${prefix}${level} ${message} ${JSON.stringify(fields ?? {})}`);
    return { info: rec('info'), warn: rec('warn'), error: rec('error') };
  }

  /** Record everything an error could print: message, stack, JSON, code, cause chain. */
  error(e: unknown): void {
    for (
      let cur = e, depth = 0;
      cur !== undefined && cur !== null && depth < 5;
      cur = (cur as { cause?: unknown }).cause, depth++
    ) {
      if (cur instanceof Error) {
        this.lines.push(`${cur.name}: ${cur.message}`, cur.stack ?? '');
        try {
          this.lines.push(JSON.stringify(cur));
        } catch {
          /* cyclic */
        }
        if (isAlipayError(cur)) this.lines.push(`${cur.code} ${cur.gatewayCode ?? ''} ${cur.field ?? ''}`);
      } else this.lines.push(String(cur));
    }
  }

  /**
   * Lines that contain a secret, with the secret's first 6 characters for the report. Secrets are
   * grouped by length and each line is scanned with one sliding window per length (a soak run
   * holds tens of thousands of signs and lines; `includes` for each pair would be quadratic).
   */
  leaks(): string[] {
    const byLength = new Map<number, Set<string>>();
    for (const s of this.secrets) {
      let set = byLength.get(s.length);
      if (!set) byLength.set(s.length, (set = new Set()));
      set.add(s);
    }
    const out: string[] = [];
    for (const line of this.lines) {
      for (const [len, set] of byLength) {
        for (let i = 0; i + len <= line.length; i++) {
          const w = line.slice(i, i + len);
          if (set.has(w)) {
            out.push(`${w.slice(0, 6)}… in: ${line.slice(0, 200)}`);
            break;
          }
        }
      }
    }
    return out;
  }
}
