-- Bastion API keys in PostgreSQL: one row per key, only its hash (never the key itself).
CREATE TABLE IF NOT EXISTS api_keys (
  id                char(16)    PRIMARY KEY,           -- the key id (16 hex digits, part of the key)
  hash              text        NOT NULL,              -- sha256:<base64url> of the whole key
  owner             text        NOT NULL,              -- the principal's subject
  client_id         text,
  scopes            text[]      NOT NULL DEFAULT '{}',
  roles             text[]      NOT NULL DEFAULT '{}',
  name              text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL,              -- keys do not live forever
  revoked_at        timestamptz,
  allowed_addresses text[],                            -- addresses or CIDR ranges; NULL: any
  signing_key       jsonb                              -- { "alg": "ed25519", "key": <public JWK> } for key + signature
);
CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner);
