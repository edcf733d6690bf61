/**
 * Gateway XML replies (protocol §1.5) to a typed result, with fast-xml-parser. No entity
 * expansion beyond the five predefined entities (DOCTYPE and custom entities are refused), a
 * size limit, and no dependence on element order or on whitespace between elements.
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeText, normalizeCharset, type Charset } from '../charset.js';
import { AlipayResponseError } from '../errors.js';
import { decodeXmlText, malformed } from '../lib/xml-text.js';

/** Default size limit of a gateway XML reply: 1 MiB. */
export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;

/** The single object under `<response>` (§1.5): its element name and its leaf children. */
export interface GatewayXmlObject {
  /** `trade` for single_trade_query; `secmerchant` in the §11.3 emulator shape. */
  name: string;
  /** Leaf children as `name → text`, entity-decoded, untrimmed (§2.5 decision). Null prototype. */
  fields: Record<string, string>;
}

/** A parsed gateway XML reply, fields spelled as in the XML. */
export interface GatewayXmlResult {
  /** `T` = request accepted; `F` = rejected (§1.5). */
  is_success: 'T' | 'F';
  /** The gateway's error code, verbatim, when `is_success=F`. */
  error?: string;
  /** The `<request>` echo (unsigned) as `name → value`, first occurrence wins. Null prototype. */
  request: Record<string, string>;
  /** The signed business object, when there is a `<response>`. */
  response?: GatewayXmlObject;
  sign?: string;
  sign_type?: string;
}

/** Options of {@link parseGatewayXml}. */
export interface ParseGatewayXmlOptions {
  /** Refuse bodies larger than this many bytes (strings: UTF-16 code units). Default 1 MiB. */
  maxBytes?: number;
  /**
   * Charset to decode a byte body with, e.g. from the HTTP `Content-Type`. Default: the XML
   * declaration's `encoding` (GBK or UTF-8, §1.3 "Response encoding"), else UTF-8.
   */
  charset?: Charset;
}

type XNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false, // entities are decoded by decodeXmlText: predefined ones only
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Keep names such as `toString` verbatim (the default renames them to `__toString`, which would
  // silently change the signed pairs). Safe: the tree is read with own-key lookups only.
  onDangerousProperty: (name: string) => name,
});

function unexpected(why: string): AlipayResponseError {
  return new AlipayResponseError('ERR_RESPONSE_UNEXPECTED', `gateway XML has an unexpected shape: ${why}`);
}

/** Decode a byte body: explicit charset, else the declaration, else UTF-8. */
function bytesToText(bytes: Uint8Array, charset: Charset | undefined): string {
  let cs = charset;
  if (!cs) {
    let head = '';
    for (let i = 0; i < Math.min(bytes.length, 200); i++) head += String.fromCharCode(bytes[i]!);
    const m = /^(?:\uFEFF|\xEF\xBB\xBF)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(head);
    if (m) {
      cs = normalizeCharset(m[1]);
      if (!cs) throw unexpected('the XML declaration names an unsupported encoding');
    }
  }
  return decodeText(bytes, cs ?? 'utf-8');
}

function nameOf(node: XNode): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return undefined;
}

function isBlank(node: XNode, name: string): boolean {
  if (name === '#comment') return true;
  return name === '#text' && /^\s*$/.test(String(node['#text']));
}

/** Element children, skipping comments and whitespace; other text is unexpected. */
function elements(kids: unknown, where: string): Array<{ name: string; node: XNode }> {
  const out: Array<{ name: string; node: XNode }> = [];
  for (const n of kids as XNode[]) {
    const name = nameOf(n);
    if (name === undefined || isBlank(n, name)) continue;
    if (name === '#text' || name === '#cdata') throw unexpected(`text found directly inside <${where}>`);
    out.push({ name, node: n });
  }
  return out;
}

/** Text of a leaf element; `undefined` when it has element children. */
function leafText(node: XNode, name: string): string | undefined {
  let text = '';
  for (const k of node[name] as XNode[]) {
    const kn = nameOf(k);
    if (kn === '#text') text += decodeXmlText(String(k['#text']));
    else if (kn === '#cdata') for (const c of k['#cdata'] as XNode[]) text += String(c['#text'] ?? '');
    else if (kn === '#comment') continue;
    else return undefined;
  }
  return text;
}

function attr(node: XNode, name: string): string | undefined {
  const a = node[':@'] as Record<string, unknown> | undefined;
  if (!a || !Object.prototype.hasOwnProperty.call(a, name)) return undefined;
  return decodeXmlText(String(a[name]));
}

/**
 * Parse a gateway XML reply.
 *
 * Throws `AlipayResponseError`: `ERR_RESPONSE_TOO_LARGE` over the size limit,
 * `ERR_XML_MALFORMED` for text that is not well-formed XML or that declares a DOCTYPE or uses
 * an entity other than `&amp; &lt; &gt; &quot; &apos;`, `ERR_RESPONSE_UNEXPECTED` when the root
 * is not `<alipay>`, `is_success` is not `T`/`F`, or `<response>` does not hold exactly one
 * object of leaf elements (§1.5 decision). It never verifies: call {@link verifyGatewayXml}.
 *
 * @example
 * ```ts
 * const r = parseGatewayXml('<alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>')
 * r.is_success // 'F'
 * r.error // 'TRADE_NOT_EXIST'
 * ```
 */
export function parseGatewayXml(body: string | Uint8Array, options: ParseGatewayXmlOptions = {}): GatewayXmlResult {
  const max = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  let text: string;
  if (body instanceof Uint8Array) {
    if (body.length > max)
      throw new AlipayResponseError('ERR_RESPONSE_TOO_LARGE', `gateway XML is larger than ${max} bytes`);
    text = bytesToText(body, options.charset);
  } else if (typeof body === 'string') {
    if (body.length > max)
      throw new AlipayResponseError('ERR_RESPONSE_TOO_LARGE', `gateway XML is larger than ${max} bytes`);
    text = body;
  } else {
    throw new TypeError('parseGatewayXml: body must be a string or a Uint8Array');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw malformed('DOCTYPE and entity declarations are refused');
  // XML 1.0 forbids NUL and most C0 controls anywhere in a document.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text))
    throw malformed('control characters are not allowed in XML');
  let tree: XNode[];
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw malformed(`${valid.err.msg.slice(0, 120)} (line ${valid.err.line})`);
    tree = parser.parse(text) as XNode[];
  } catch (e) {
    if (e instanceof AlipayResponseError) throw e;
    throw malformed('the parser refused it', e);
  }
  const roots = elements(tree, 'document');
  if (roots.length !== 1 || roots[0]!.name !== 'alipay') throw unexpected('the root element must be <alipay>');
  const root = roots[0]!;
  const kids = elements(root.node.alipay, 'alipay');

  const result: { is_success?: string; error?: string; sign?: string; sign_type?: string } = {};
  const request = Object.create(null) as Record<string, string>;
  let response: GatewayXmlObject | undefined;
  const seen = new Set<string>();
  for (const { name, node } of kids) {
    if (
      seen.has(name) &&
      (name === 'is_success' ||
        name === 'error' ||
        name === 'sign' ||
        name === 'sign_type' ||
        name === 'request' ||
        name === 'response')
    ) {
      throw unexpected(`<${name}> appears more than once`);
    }
    seen.add(name);
    if (name === 'is_success' || name === 'error' || name === 'sign' || name === 'sign_type') {
      const t = leafText(node, name);
      if (t === undefined) throw unexpected(`<${name}> must hold text only`);
      result[name] = t.trim();
    } else if (name === 'request') {
      for (const p of elements(node.request, 'request')) {
        if (p.name !== 'param') continue;
        const key = attr(p.node, 'name');
        const value = leafText(p.node, 'param');
        if (key === undefined || value === undefined) throw unexpected('<param> needs a name attribute and text');
        if (!Object.prototype.hasOwnProperty.call(request, key)) request[key] = value;
      }
    } else if (name === 'response') {
      const objs = elements(node.response, 'response');
      if (objs.length !== 1) throw unexpected('<response> must hold exactly one object (§1.5)');
      const obj = objs[0]!;
      const fields = Object.create(null) as Record<string, string>;
      for (const c of elements(obj.node[obj.name], obj.name)) {
        const t = leafText(c.node, c.name);
        if (t === undefined) throw unexpected(`<${obj.name}><${c.name}> must be a leaf element (§1.5)`);
        if (Object.prototype.hasOwnProperty.call(fields, c.name))
          throw unexpected(`<${obj.name}><${c.name}> appears more than once`);
        fields[c.name] = t;
      }
      response = { name: obj.name, fields };
    }
    // Other elements are ignored: the client reads by name and tolerates extras (§5.3 decision).
  }
  if (result.is_success !== 'T' && result.is_success !== 'F') throw unexpected('<is_success> must be T or F');
  const out: GatewayXmlResult = { is_success: result.is_success, request };
  if (result.error !== undefined) out.error = result.error;
  if (response) out.response = response;
  if (result.sign !== undefined) out.sign = result.sign;
  if (result.sign_type !== undefined) out.sign_type = result.sign_type;
  return out;
}
