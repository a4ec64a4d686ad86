/**
 * Hostile strings per redaction pattern, shared by the linear-time test and `bench/redaction.ts`: each
 * repeats a prefix that almost matches, the shape that makes a backtracking matcher re-scan the rest of
 * the string from every occurrence. `make(n)` returns exactly `n` characters.
 */
type Make = (length: number) => string;

const repeat = (unit: string): Make => (n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const prefixed = (head: string, unit: string): Make => (n) => (head + unit.repeat(n)).slice(0, n);

export const ADVERSARIAL_INPUTS: Record<string, Record<string, Make>> = {
  jwt: {
    'repeated -eyJaa': repeat('-eyJaa'),
    'eyJ then one long segment': prefixed('eyJ', 'a'),
    'eyJ segments with one dot each': repeat('eyJaaaa.'),
    'token_eyJ without dots': repeat('token_eyJ'),
    'two dots, no third part, repeated': repeat('eyJhbGciOiJI.eyJzdWIi.'),
  },
  authScheme: {
    'repeated Bearer ': repeat('Bearer '),
    'Bearer then only spaces': prefixed('Bearer', ' '),
    'scheme, space, 3 characters': repeat('Bearer abc,'),
  },
  apiKey: {
    'repeated bst_': repeat('bst_'),
    'bst_ with 11 characters': repeat('-bst_aaaaaaaaaaa '),
    'xbst_ mid-word': repeat('xbst_0123456789abcdef'),
    // The string recheck's fuzzer once reported for this pattern (a false positive: linear in V8, ≈ 8 µs/KB).
    'recheck fuzz report: near-miss key ids, then NUL-separated ones': (n) => {
      const half = Math.ceil(n / 2);
      return ('s' + 'bst_b00bbb_b_b0'.repeat(Math.ceil(half / 15)).slice(0, half) + '0bbst_t' + 'bst_b00bb0\x00'.repeat(Math.ceil(half / 11))).slice(0, n);
    },
  },
  pem: {
    'repeated BEGIN': repeat('-----BEGIN '),
    'BEGIN with a long label': repeat('-----BEGIN AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA '),
    'BEGIN PRIVATE KEY, no END, repeated': repeat('-----BEGIN RSA PRIVATE KEY-----\n-----END CERTIFICATE-----\n'),
  },
  keyValue: {
    'repeated token': repeat('token'),
    'repeated token= without value': repeat('token= '),
    'long prefix before token': repeat('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaatoken'),
    'quoted key, separator spaces': repeat(`'password'    `),
    'url-encoded separators': repeat('access_token%3D%26'),
    'word boundaries everywhere': repeat('a-'),
    'names glued together': repeat('authtokensecretcookie'),
    'name, spaces, no separator': repeat('password    x'),
  },
  userinfo: {
    'repeated scheme://': repeat('a://'),
    'scheme://user: repeated': repeat('a://b:'),
    'scheme:// then colons': prefixed('abc://', ':'),
    'user:password without @, repeated': repeat('a://user:pass '),
    'long scheme-like runs': repeat('abcdefghijklmnopqrstuvwxyz0123456789+.-://'),
  },
  card: {
    'digits with spaces': prefixed('4', ' 4'),
    'long digit run': repeat('4'),
    'digit groups of 12': repeat('4111 1111 1111 '),
  },
  email: {
    'local part without @': repeat('a'),
    'repeated a@': repeat('a@'),
    'repeated a@b.': repeat('a@b.'),
    'long local part then @': prefixed('a'.repeat(64), '@b'),
    'domain labels without end': prefixed('a@', 'b.'),
  },
};
