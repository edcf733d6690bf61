/**
 * The mapi XML envelope, exactly as protocol §1.5 decides: children of `<alipay>` in the order
 * `is_success`, `error` (F only), `request`, `response`, `sign`, `sign_type`; `<sign>` iff
 * `<response>`; one flat object under `<response>` with empty values omitted.
 *
 * @module
 */

/** Escape XML text content (and attribute values, quotes included). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const DECL = '<?xml version="1.0" encoding="utf-8"?>\n';

/** The bare failure envelope of §1.5: `<alipay><is_success>F</is_success><error>CODE</error></alipay>`. */
export function xmlFailure(code: string): string {
  return `${DECL}<alipay><is_success>F</is_success><error>${escapeXml(code)}</error></alipay>`;
}

/** The bare success envelope (forex_refund, §6.4). */
export function xmlBareSuccess(): string {
  return `${DECL}<alipay><is_success>T</is_success></alipay>`;
}

/** A signed success: request echo, one object under `<response>`, then `sign` and `sign_type`. */
export function xmlSignedSuccess(input: {
  request: ReadonlyArray<readonly [string, string]>;
  objectName: string;
  fields: ReadonlyArray<readonly [string, string]>;
  sign: string;
  signType: string;
}): string {
  let out = `${DECL}<alipay><is_success>T</is_success><request>`;
  for (const [k, v] of input.request) out += `<param name="${escapeXml(k)}">${escapeXml(v)}</param>`;
  out += `</request><response><${input.objectName}>`;
  for (const [k, v] of input.fields) {
    if (v === '') continue; // §1.5: empty values omitted
    out += `<${k}>${escapeXml(v)}</${k}>`;
  }
  out += `</${input.objectName}></response><sign>${escapeXml(input.sign)}</sign><sign_type>${escapeXml(input.signType)}</sign_type></alipay>`;
  return out;
}
