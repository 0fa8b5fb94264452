import { words } from '../text.js';
import { maskSecret } from '../mask.js';
import {
  CH_AT,
  CH_COMMA,
  CH_DASH,
  CH_DIGIT,
  CH_DOLLAR,
  CH_DOT,
  CH_LETTER,
  CH_SPACE,
  type Classifier,
  type ValueShape,
} from '../types.js';
import { defineClassifier, parseDate } from './common.js';

// ---------------------------------------------------------------------------------------------
// Password hashes and passwords

const STRUCTURED_HASH_RE = new RegExp(
  [
    String.raw`^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$`, // bcrypt
    String.raw`^\$argon2(?:id|i|d)\$(?:v=\d+\$)?m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$`, // argon2
    String.raw`^\$(?:scrypt|7)\$[./A-Za-z0-9$=+,]{20,}$`, // scrypt
    String.raw`^\$[156]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}$`, // md5/sha-crypt
    String.raw`^\$(?:y|gy|sha1|md5|apr1)\$[./A-Za-z0-9$]{20,}$`, // yescrypt, apr1, ...
    String.raw`^(?:pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt_sha256|bcrypt|scrypt|sha1|md5)\$[^\s]{20,}$`, // Django
    String.raw`^\$pbkdf2(?:-sha\d+)?\$\d+\$[./A-Za-z0-9+=]+\$[./A-Za-z0-9+=]+$`, // passlib pbkdf2
    String.raw`^\{(?:SSHA|SHA|SSHA256|SSHA512|SHA256|SHA512|MD5|SMD5|CRYPT|PBKDF2[-\w]*)\}[A-Za-z0-9+/=$.]{8,}$`, // LDAP
    String.raw`^sha(?:1|256|512)\$[A-Za-z0-9]*\$[0-9a-f]{40,128}$`,
    String.raw`^\$[PH]\$[./A-Za-z0-9]{31}$`, // phpass (WordPress, phpBB)
    String.raw`^\*[0-9A-F]{40}$`, // MySQL 4.1+ PASSWORD()
  ].join('|'),
);
const HEX_DIGEST_RE =
  /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}|[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64}|[0-9A-F]{128})$/;

function hashStrength(s: ValueShape): number {
  const first = s.text[0];
  if (first === '$' || first === '{' || first === '*' || (s.flags & CH_DOLLAR) !== 0) {
    return STRUCTURED_HASH_RE.test(s.text) ? 0.98 : 0;
  }
  return (s.length === 32 || s.length === 40 || s.length === 64 || s.length === 128) &&
    HEX_DIGEST_RE.test(s.text)
    ? 0.2
    : 0;
}

export const PASSWORD_HASH: Classifier = defineClassifier({
  id: 'SECRET.PASSWORD_HASH',
  name: 'Password hash',
  description: 'Stored password hashes (bcrypt, argon2, scrypt, crypt, PBKDF2, LDAP, hex digests).',
  categories: ['SECRET'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: [
    '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW',
    'pbkdf2_sha256$600000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA=',
    '$P$BZqGHu6zWZ.j5sT8x0F2lOaD0l7Hx41',
  ],
  names: {
    strong: words(`
        password_hash passwordhash user_pass authentication_string pass_hash_md5 password_digest
        pwd_hash passwd_hash pass_hash pw_hash hashed_password encrypted_password
        crypted_password password_encrypted password_hashed hashed_pwd pwdhash password passwd
        pwd pass user_password pin_hash secret_hash
      `),
    weak: words('hash digest credential credentials'),
    context: words(`
        user users account accounts login auth credential credentials member members
      `),
    exclude: words(`
        reset changed updated expires expiry expiration policy hint length strength last
        required flag is has attempts count algo algorithm type version file checksum content
        md5_file etag commit block tx transaction image blob object row record rate fail through
        thru mark score exam boarding season day bus ski
      `),
  },
  value: {
    minDistinct: 2,
    minLength: 13,
    maxLength: 300,
    requires: CH_DIGIT,
    forbids: CH_SPACE | CH_AT,
    test: hashStrength,
    negatives: { UUIDS: 0.2 },
    mask: (v: string) => maskSecret(v, v.startsWith('$') ? 7 : 4),
  },
});

const ISO_TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?$/;

export const PASSWORD: Classifier = defineClassifier({
  id: 'SECRET.PASSWORD',
  name: 'Plain-text password',
  description:
    'Passwords, passphrases and PINs stored in clear; recognised by column name, hashes excluded.',
  categories: ['SECRET'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['hunter2', 'Winter2024!', 'correct horse battery staple'],
  names: {
    strong: words(`
        password passwd pwd pass user_pass pass_word passcode passphrase pass_phrase
        user_password plain_password password_plain plaintext_password clear_password pin
        pin_code pincode_secret secret_answer security_answer login_password db_password
        smtp_password admin_password mot_de_passe contrasena kennwort passwort
      `),
    context: words('user users account accounts login auth credential credentials'),
    exclude: words(`
        hash hashed digest encrypted crypted salt reset changed updated expires expiry
        expiration at date time ts policy hint length strength last required flag is has
        attempts count algo algorithm type version token question enabled set must change age
        history min max boarding zip postal code_type board pinned pins pinyin rate fail through
        thru mark score exam season day bus ski status result
      `),
  },
  value: {
    minDistinct: 2,
    minLength: 3,
    maxLength: 128,
    test: (s: ValueShape) => {
      if (hashStrength(s) > 0) return 0; // hashes belong to SECRET.PASSWORD_HASH
      if (s.spaces > 5 || ISO_TIMESTAMP_RE.test(s.text) || parseDate(s.text)) return 0;
      if (s.text === 'true' || s.text === 'false') return 0;
      return 0.02;
    },
    negatives: { TIMESTAMPS: 0.1, FREE_TEXT: 0.3, SMALL_INT_RANGE: 0.2 },
    maxStrength: 0.02,
    mask: () => '********',
  },
});

// ---------------------------------------------------------------------------------------------
// Cloud keys, private keys, tokens

const AWS_ACCESS_KEY_RE =
  /^(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z2-7]{16}$/;
const AWS_SECRET_RE = /^[A-Za-z0-9/+=]{40}$/;

export const AWS_ACCESS_KEY: Classifier = defineClassifier({
  id: 'SECRET.AWS_ACCESS_KEY',
  name: 'AWS access key',
  description: 'AWS access key ids (AKIA…/ASIA…) and, by column name, secret access keys.',
  categories: ['SECRET'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['AKIAIOSFODNN7EXAMPLE'],
  names: {
    strong: words(`
        aws_access_key_id aws_access_key access_key_id aws_key aws_key_id aws_secret_access_key
        aws_secret_key secret_access_key aws_secret accesskeyid awsaccesskeyid
      `),
    weak: words('access_key'),
    context: words('aws s3 iam amazon cloud'),
    exclude: words('rotated created last count flag enabled age date status used'),
  },
  value: {
    minDistinct: 1,
    minLength: 20,
    maxLength: 40,
    requires: CH_LETTER,
    forbids: CH_SPACE | CH_DASH | CH_DOT | CH_AT,
    test: (s: ValueShape) => {
      if (s.length === 20) return AWS_ACCESS_KEY_RE.test(s.text) ? 0.97 : 0;
      // Secret keys are 40 base64 characters with mixed case and digits: weak alone.
      return s.length === 40 &&
        s.digits > 0 &&
        s.upper > 0 &&
        s.upper < s.letters &&
        AWS_SECRET_RE.test(s.text)
        ? 0.15
        : 0;
    },
    mask: (v: string) => maskSecret(v, 4),
  },
});

const PRIVATE_KEY_RE =
  /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/;

export const PRIVATE_KEY: Classifier = defineClassifier({
  id: 'SECRET.PRIVATE_KEY',
  name: 'Private key',
  description: 'PEM/OpenSSH/PGP private keys and PuTTY key files.',
  categories: ['SECRET'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow…\n-----END RSA PRIVATE KEY-----'],
  names: {
    strong: words(`
        private_key privatekey priv_key privkey ssh_private_key ssh_key rsa_private_key rsa_key
        pem_key private_key_pem signing_key tls_key ssl_key key_pem pgp_private_key
        gpg_private_key
      `),
    weak: words('pem secret_key'),
    exclude: words(`
        id fingerprint path file name created rotated count flag type public pub length size
        algorithm
      `),
  },
  value: {
    minDistinct: 1,
    minLength: 30,
    maxLength: 20000,
    requires: CH_DASH,
    test: (s: ValueShape) =>
      PRIVATE_KEY_RE.test(s.text) || s.text.startsWith('PuTTY-User-Key-File-') ? 0.99 : 0,
    mask: (v: string) => (PRIVATE_KEY_RE.exec(v)?.[0] ?? 'PuTTY-User-Key-File') + '…[redacted]',
  },
});

const KNOWN_TOKEN_RE = new RegExp(
  [
    String.raw`^gh[pousr]_[A-Za-z0-9]{36,255}$`, // GitHub
    String.raw`^github_pat_[A-Za-z0-9_]{70,255}$`,
    String.raw`^glpat-[A-Za-z0-9_-]{20,}$`, // GitLab
    String.raw`^xox[abposr]-[A-Za-z0-9-]{10,}$`, // Slack
    String.raw`^(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{20,}$`, // Stripe
    String.raw`^whsec_[A-Za-z0-9]{24,}$`,
    String.raw`^AIza[0-9A-Za-z_-]{35}$`, // Google API key
    String.raw`^ya29\.[0-9A-Za-z_-]{20,}$`, // Google OAuth access token
    String.raw`^sk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{20,}$`, // OpenAI / Anthropic style
    String.raw`^SK[0-9a-fA-F]{32}$`, // Twilio
    String.raw`^SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}$`, // SendGrid
    String.raw`^npm_[A-Za-z0-9]{36}$`, // npm
    String.raw`^pypi-[A-Za-z0-9_-]{50,}$`,
    String.raw`^dop_v1_[a-f0-9]{64}$`, // DigitalOcean
    String.raw`^shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}$`, // Shopify
    String.raw`^(?:Bearer|Token)\s+[A-Za-z0-9._~+/=-]{20,}$`,
    String.raw`^EAA[A-Za-z0-9]{80,}$`, // Facebook
    String.raw`^hf_[A-Za-z0-9]{30,}$`, // Hugging Face
    String.raw`^AC[0-9a-f]{32}$`, // Twilio account SID
    String.raw`^1//0[A-Za-z0-9_-]{30,}$`, // Google OAuth refresh token
  ].join('|'),
);
const GENERIC_TOKEN_RE = /^[A-Za-z0-9_\-+/]{20,256}={0,2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tokenStrength(s: ValueShape): number {
  if (KNOWN_TOKEN_RE.test(s.text)) return 0.95;
  if (s.spaces > 0) return 0;
  if (s.length === 36 && UUID_RE.test(s.text)) return 0.1;
  if (!GENERIC_TOKEN_RE.test(s.text)) return 0;
  // Random tokens mix character classes; a long all-lower word-like string is not one.
  const mixed = s.digits > 0 && s.letters > 0 && (s.upper > 0 || s.digits >= 4);
  return mixed ? 0.15 : 0;
}

export const API_TOKEN: Classifier = defineClassifier({
  id: 'SECRET.API_TOKEN',
  name: 'API key or token',
  description:
    'Vendor API keys with known prefixes (GitHub, Stripe, Slack, Google, …) and, by column name, generic secrets.',
  categories: ['SECRET'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  names: {
    strong: words(`
        api_key apikey api_token api_secret access_token auth_token refresh_token bearer_token
        secret_key client_secret app_secret app_key token personal_access_token pat
        webhook_secret signing_secret session_token oauth_token private_token x_api_key secret
        secret_token github_token slack_token stripe_key consumer_secret shared_secret
        master_key encryption_key hmac_key license_key service_key integration_key credentials
        credential
      `),
    weak: words('key auth'),
    context: words(`
        integration integrations credential credentials oauth auth webhook webhooks api secrets
        tokens
      `),
    exclude: words(`
        type expires expiry expiration at date count id name scope scopes hint last4 prefix hash
        hashed length flag is has enabled usage limit rate created updated revoked rotated
        status ttl version fingerprint public pub primary foreign sort partition cache group map
        lookup index tokens input output total max prompt completion position pos lemma word
        stem lexer cursor page next pagination csrf xsrf nonce idempotency unsubscribe invite
        invitation verification confirmation tracking question santa
      `),
  },
  value: {
    minDistinct: 2,
    minLength: 20,
    maxLength: 512,
    requires: CH_LETTER,
    forbids: CH_AT | CH_COMMA,
    test: tokenStrength,
    negatives: { UUIDS: 0.6 },
    mask: (v: string) => maskSecret(v, /^[a-z]{2,4}_/i.test(v) ? v.indexOf('_') + 1 : 4),
  },
});

const JWT_RE = /^eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*$/;

export const JWT: Classifier = defineClassifier({
  id: 'SECRET.JWT',
  name: 'JSON Web Token',
  description: 'Signed or unsigned JWTs (header.payload.signature, base64url).',
  categories: ['SECRET'],
  sensitivity: 'RESTRICTED',
  threshold: 0.6,
  examples: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl'],
  names: {
    strong: words('jwt jwt_token id_token jwt_access_token bearer_jwt'),
    weak: words('access_token token session_token auth_token'),
    exclude: words('expires expiry at date count id hash flag type'),
  },
  value: {
    minDistinct: 1,
    minLength: 20,
    maxLength: 8192,
    requires: CH_DOT | CH_LETTER,
    forbids: CH_SPACE | CH_AT,
    test: (s: ValueShape) => (JWT_RE.test(s.text) ? 0.97 : 0),
    mask: (v: string) => maskSecret(v, 3),
  },
});

export const SECRET_CLASSIFIERS: readonly Classifier[] = [
  PASSWORD_HASH,
  PASSWORD,
  AWS_ACCESS_KEY,
  PRIVATE_KEY,
  API_TOKEN,
  JWT,
];
