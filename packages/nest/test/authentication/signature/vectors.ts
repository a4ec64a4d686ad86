import { readFileSync } from 'node:fs';
import { messageOf, type HttpMessage } from '../../../src/authentication/signature/http-message.js';

/** RFC 9421 Appendix B and RFC 9530 vectors (read-only files shared by the project). */
const DIR = process.env.BASTION_VECTORS ?? '/work/shared/vectors';

export const rfc9421 = JSON.parse(readFileSync(`${DIR}/rfc9421_appendix_b.json`, 'utf8')) as {
  keys: Record<string, { public_key_pem?: string; private_key_pem?: string; base64?: string; jwk_private?: Record<string, string> }>;
  messages: Record<string, { headers_in_order: [string, string][]; body: string | null; method?: string; request_target?: string; url_for_libraries?: string }>;
  signatures_B2: {
    rfc_section: string;
    label: string;
    alg: string;
    keyid: string;
    message: string;
    signature_base: string;
    signature_input_header: string;
    signature_header: string;
    signature_input_member_value: string;
    signature_b64: string;
    deterministic: boolean;
  }[];
  proxy_example_B3: { signed_request: { headers_in_order: [string, string][]; method: string; request_target: string; body: string }; signature_base: string };
  transformations_B4: { cases: { description: string; signature_must_verify: boolean; message: { headers_in_order: [string, string][]; method: string; request_target: string } }[] };
};

export const rfc9530 = JSON.parse(readFileSync(`${DIR}/rfc9530_content_digest.json`, 'utf8')) as {
  cases: { context: string; field: string | null; alg: string; value_as_in_rfc: string; header_form: string | null; input_bytes_hex: string; locally_recomputed_matches: boolean | string }[];
  appendix_D_other_algorithms_verbatim: Record<string, string>;
  malformed_padding_example_from_source: { value: string };
};

/** A vector message as an {@link HttpMessage} (scheme https: the RFC's test requests are on https://example.com). */
export function vectorMessage(m: { headers_in_order: [string, string][]; method?: string; request_target?: string }): HttpMessage {
  const host = m.headers_in_order.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? 'example.com';
  return messageOf({ method: m.method ?? 'GET', url: `https://${host}${m.request_target ?? '/'}`, headers: m.headers_in_order });
}
