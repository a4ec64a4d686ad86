import { describe, expect, it } from 'vitest';
import { certificateSubject, formatDistinguishedName, parseDistinguishedName, sameDistinguishedName } from '../../../src/authentication/mtls/distinguished-name.js';
import { parseSubjectAltNames, sameEmail } from '../../../src/authentication/mtls/subject-alt-names.js';

describe('distinguished names (RFC 4514)', () => {
  it('parses RDNs most specific first, with escapes, hex pairs and multi-valued RDNs', () => {
    expect(parseDistinguishedName('CN=svc,O=Acme\\, Inc,C=US')).toEqual([[['cn', 'svc']], [['o', 'Acme, Inc']], [['c', 'US']]]);
    expect(parseDistinguishedName('CN=a\\2Bb + OU=ops,2.5.4.10=Acme')).toEqual([[['cn', 'a+b'], ['ou', 'ops']], [['o', 'Acme']]]);
    expect(parseDistinguishedName('CN=caf\\C3\\A9,emailAddress=x@y.example')).toEqual([[['cn', 'café']], [['emailaddress', 'x@y.example']]]);
    expect(parseDistinguishedName('CN=\\ spaced\\ ')).toEqual([[['cn', ' spaced ']]]);
  });

  it.each(['CN', 'CN=a,=b', 'CN=#0403616263', 'CN=a\\', 'CN=\\ff'])('refuses %s', (text) => {
    expect(parseDistinguishedName(text)).toBeUndefined();
  });

  it("reads Node's X509Certificate.subject (most significant first, escaped, ' + ' joined) in RFC 4514 order", () => {
    const node = 'C=US\nO=Acme\\, Inc\nOU=u1 + CN=svc\nCN=a\\"b=c\\\\d';
    expect(certificateSubject(node)).toEqual([[['cn', 'a"b=c\\d']], [['ou', 'u1'], ['cn', 'svc']], [['o', 'Acme, Inc']], [['c', 'US']]]);
    // A newline inside a value is escaped by Node (\0A): it cannot pose as a second RDN.
    expect(certificateSubject('O=good\nCN=a\\0AO=evil')).toEqual([[['cn', 'a\nO=evil']], [['o', 'good']]]);
  });

  it('compares RDN by RDN: types case-insensitively, values exactly, multi-valued RDNs in any order', () => {
    const subject = certificateSubject('C=US\nO=Acme\nOU=ops + CN=svc')!;
    expect(sameDistinguishedName(subject, parseDistinguishedName('cn=svc+ou=ops,o=Acme,c=US')!)).toBe(true);
    expect(sameDistinguishedName(subject, parseDistinguishedName('CN=svc+OU=ops,O=acme,C=US')!)).toBe(false);
    expect(sameDistinguishedName(subject, parseDistinguishedName('CN=svc+OU=ops,O=Acme')!)).toBe(false);
    expect(sameDistinguishedName(certificateSubject('O=good\nCN=a\\0AO=evil')!, parseDistinguishedName('CN=a,O=evil,O=good')!)).toBe(false);
  });

  it('formats a DN back to RFC 4514 text', () => {
    expect(formatDistinguishedName(parseDistinguishedName('CN=a\\,b,O=Acme')!)).toBe('CN=a\\,b,O=Acme');
  });
});

describe('subject alternative names', () => {
  it("parses Node's list, decoding the JSON-quoted values it uses for names holding separators", () => {
    expect(parseSubjectAltNames('DNS:a.example, DNS:"b\\u002c DNS:evil.example", URI:spiffe://acme/ns/x, email:a@b.c, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1')).toEqual({
      dns: ['a.example', 'b, DNS:evil.example'],
      uri: ['spiffe://acme/ns/x'],
      email: ['a@b.c'],
      ip: ['10.0.0.1', '::1'],
    });
    expect(parseSubjectAltNames(undefined)).toEqual({ dns: [], uri: [], email: [], ip: [] });
    expect(parseSubjectAltNames('DNS:"unterminated')).toBeUndefined();
  });

  it('compares e-mail addresses with a case-sensitive local part and a case-insensitive domain', () => {
    expect(sameEmail('Ops@Acme.Example', 'Ops@acme.example')).toBe(true);
    expect(sameEmail('ops@acme.example', 'Ops@acme.example')).toBe(false);
  });
});
