/*
 * crypto.h: the only interface that touches key material and plaintext.
 *
 * Key hierarchy (docs/keys.md draws it):
 *   root key (32 bytes; key file, environment or PKCS#11 token; never
 *   stored with the data; numbered by generation, see keyring)
 *     wraps  KMS key material (32 bytes per KMS key version, stored wrapped)
 *       wraps  a fresh 32-byte data key per secret version (stored as a KMS
 *              ciphertext blob)
 *         seals  the secret value (AES-256-GCM)
 * Every ciphertext carries a one-byte format version and is bound by AAD to
 * its identity, so a row copied elsewhere does not open.  Format bytes:
 *   0x01  key_wrap:        0x01 | nonce(12) | ciphertext | tag(16)
 *   0x02  KMS ciphertext:  0x02 | key id(36) | key version(4) | key_wrap blob
 *   0x03  root-wrapped:    0x03 | root generation(4) | key_wrap blob
 *
 * Plaintext and keys only ever live in a struct secret_buf: locked where the
 * system allows, excluded from core dumps, wiped when freed.
 * All functions are thread-safe unless stated otherwise.
 */
#ifndef SESAME_CRYPTO_H
#define SESAME_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#define CRYPTO_KEY_LEN		32	/* AES-256 */
#define CRYPTO_NONCE_LEN	12
#define CRYPTO_TAG_LEN		16
#define CRYPTO_FORMAT_V1	0x01	/* key_wrap */
#define CRYPTO_FORMAT_KMS_V1	0x02	/* KMS ciphertext blob */
#define CRYPTO_FORMAT_ROOT_V2	0x03	/* keyring blob with its generation */

/* ---- secret_buf: the only carrier of plaintext values, keys, passwords ---- */

struct secret_buf {
	unsigned char	*data;
	size_t		 len;
	size_t		 cap;
};

/* NULL on allocation failure.  Memory is mlock'd (best effort) and
 * MADV_DONTDUMP'd; data is NUL-terminated at data[len] for convenience
 * (cap includes room for it). */
struct secret_buf	*secret_buf_new(size_t cap);
struct secret_buf	*secret_buf_from(const void *data, size_t len);
/* Wipes with OPENSSL_cleanse, unlocks, frees.  NULL is allowed. */
void			 secret_buf_free(struct secret_buf *sb);
/* Append, growing (the old block is wiped).  STATUS_NO_MEMORY on failure. */
enum status		 secret_buf_append(struct secret_buf *sb, const void *data,
			    size_t len);
/* Constant-time equality of contents (lengths compared first). */
bool			 secret_buf_equal(const struct secret_buf *a,
			    const struct secret_buf *b);

/* ---- digests (digest.c) ---- */

/* SHA-256 of data, through a digest fetched once. */
enum status	 crypto_sha256(const void *data, size_t len,
		    unsigned char out[32]);

/* ---- random ---- */

/* CSPRNG bytes (OpenSSL RAND_bytes).  STATUS_INTERNAL on failure. */
enum status	 random_bytes(void *buf, size_t len);
/* The same generator's bytes for identifiers that are public and
 * unguessable only to stay unique (request and audit event ids), served
 * from a per-thread buffer refilled 512 bytes at a time.  Never for keys,
 * tokens or anything that must stay secret.  len <= 64. */
enum status	 random_id_bytes(void *buf, size_t len);
/* Uniform integer in [0, bound), bound > 0, no modulo bias. */
enum status	 random_uniform(uint32_t bound, uint32_t *out);
/* len characters drawn uniformly from alphabet into out (not terminated). */
enum status	 random_string(const char *alphabet, size_t len, char *out);

/* ---- root key ---- */

/* Read a 32-byte root key from a file holding 64 hex characters (plus an
 * optional newline).  Refuses files readable or writable by group/other
 * (STATUS_INVALID_REQUEST with a message naming the problem, not the key). */
enum status	 root_key_load_file(const char *path, struct secret_buf **out,
		    struct error *err);
/* Parse a root key given as 64 hex characters (e.g. from SESAME_ROOT_KEY). */
enum status	 root_key_parse_hex(const char *hex, struct secret_buf **out,
		    struct error *err);
/* Create path (O_EXCL, mode 0600) holding a fresh random key in hex. */
enum status	 root_key_generate_file(const char *path, struct error *err);
/* A fresh random 32-byte key. */
enum status	 root_key_generate(struct secret_buf **out);
/* Replace path atomically (a temporary file, fsync, rename, fsync of the
 * directory) with key in hex, mode 0600. */
enum status	 root_key_write_file(const char *path,
		    const struct secret_buf *key, struct error *err);

/* ---- root key held by a PKCS#11 token (root_key_pkcs11.c) ----
 * The token holds an AES-256 key (CKO_SECRET_KEY, label key_label,
 * sensitive, not extractable) that never leaves it; the 32-byte root key is
 * stored in wrapped_file, encrypted by the token with CKM_AES_GCM:
 *	0x01 | iv(12) | ciphertext(32) | tag(16),  AAD "sesame-root-pkcs11-v1"
 * Loading asks the token to decrypt that file; storing asks it to encrypt
 * (creating the token key first when none has the label). */

struct pkcs11_config {
	const char		*module;	/* path of the PKCS#11 module */
	const char		*token_label;	/* NULL: the first token */
	const char		*key_label;
	const struct secret_buf	*pin;		/* the user PIN */
	const char		*wrapped_file;
};

enum status	 root_key_pkcs11_load(const struct pkcs11_config *cfg,
		    struct secret_buf **out, struct error *err);
enum status	 root_key_pkcs11_store(const struct pkcs11_config *cfg,
		    const struct secret_buf *root_key, struct error *err);
/* Read a PIN (or another short secret) from a file that must not be
 * accessible by group or others; one trailing newline is dropped. */
enum status	 secret_file_load(const char *path, struct secret_buf **out,
		    struct error *err);

/* ---- key wrapping (AES-256-GCM with AAD) ----
 * Wire format: version(1) | nonce(12) | ciphertext | tag(16). */

enum status	 key_wrap(const struct secret_buf *kek, const void *aad,
		    size_t aad_len, const void *plain, size_t plain_len,
		    unsigned char **out, size_t *out_len);
/* STATUS_DECRYPTION_FAILURE on any mismatch (wrong key, AAD, tamper). */
enum status	 key_unwrap(const struct secret_buf *kek, const void *aad,
		    size_t aad_len, const unsigned char *wrapped,
		    size_t wrapped_len, struct secret_buf **out);

/* ---- envelope: one secret version's value ---- */

struct envelope_aad {
	const char	*account_id;
	const char	*secret_arn;
	const char	*version_id;
	bool		 is_binary;	/* SecretBinary vs SecretString */
};

struct sealed_value {
	unsigned char	*ciphertext;	/* version | nonce | ct | tag */
	size_t		 ciphertext_len;
	unsigned char	*wrapped_key;	/* data key wrapped by KMS key material */
	size_t		 wrapped_key_len;
};

/* Seal plain under a fresh data key; the data key is wrapped under
 * kms_key (the KMS key's material) with AAD binding it to the same
 * identity.  On success out's buffers are malloc'd (free with
 * sealed_value_cleanup).  STATUS_ENCRYPTION_FAILURE on failure. */
enum status	 envelope_seal(const struct secret_buf *kms_key,
		    const struct envelope_aad *aad, const struct secret_buf *plain,
		    struct sealed_value *out);
/* STATUS_DECRYPTION_FAILURE when anything does not match. */
enum status	 envelope_open(const struct secret_buf *kms_key,
		    const struct envelope_aad *aad, const struct sealed_value *sealed,
		    struct secret_buf **out);
void		 sealed_value_cleanup(struct sealed_value *sv);

/* The value half of an envelope, for callers that manage the data key
 * themselves (secret versions whose data key is a KMS ciphertext blob):
 * AES-256-GCM under data_key with the same value AAD as envelope_seal.
 * *out is malloc'd.  STATUS_ENCRYPTION_FAILURE / DECRYPTION_FAILURE. */
enum status	 envelope_seal_value(const struct secret_buf *data_key,
		    const struct envelope_aad *aad,
		    const struct secret_buf *plain, unsigned char **out,
		    size_t *out_len);
enum status	 envelope_open_value(const struct secret_buf *data_key,
		    const struct envelope_aad *aad,
		    const unsigned char *ciphertext, size_t ciphertext_len,
		    struct secret_buf **out);
/* The data key of a legacy envelope (wrapped_key in format 0x01 under
 * kms_key), so it can be re-wrapped.  STATUS_DECRYPTION_FAILURE. */
enum status	 envelope_unwrap_data_key(const struct secret_buf *kms_key,
		    const struct envelope_aad *aad, const unsigned char *wrapped,
		    size_t wrapped_len, struct secret_buf **out);

/* ---- KMS ciphertext blobs (kms_blob.c) ----
 *	0x02 | key id (36 ASCII) | key version (4, big-endian) | key_wrap blob
 * The key_wrap blob seals the plaintext under that version's material with
 * AAD = the 41-byte header | the encryption context, encoded as
 * count(4) then, sorted by key (bytewise), len(4) key len(4) value.  The
 * header is thus authenticated: changing the key id or version fails. */

#define KMS_KEY_ID_LEN		36	/* a UUID */
#define KMS_BLOB_HEADER_LEN	(1 + KMS_KEY_ID_LEN + 4)

struct kms_context_pair {
	const char	*key;
	const char	*value;
};

struct kms_blob_header {
	char		 key_id[KMS_KEY_ID_LEN + 1];
	uint32_t	 key_version;
};

/* STATUS_ENCRYPTION_FAILURE on failure; *out is malloc'd. */
enum status	 kms_blob_seal(const struct secret_buf *material,
		    const char *key_id, uint32_t key_version,
		    const struct kms_context_pair *context, size_t context_count,
		    const void *plain, size_t plain_len, unsigned char **out,
		    size_t *out_len);
/* Which key and version a blob names.  STATUS_DECRYPTION_FAILURE when it
 * is not a KMS blob. */
enum status	 kms_blob_header_parse(const unsigned char *blob,
		    size_t blob_len, struct kms_blob_header *out);
/* STATUS_DECRYPTION_FAILURE on any mismatch (material, context, tamper). */
enum status	 kms_blob_open(const struct secret_buf *material,
		    const struct kms_context_pair *context, size_t context_count,
		    const unsigned char *blob, size_t blob_len,
		    struct secret_buf **out);

/* ---- keyring: the root keys and a cache of unwrapped KMS key material ----
 * Blobs made by keyring_wrap record the root key generation that wrapped
 * them (format 0x03); legacy blobs (0x01) are generation 1.  See keyring.c. */

struct keyring;

/* Takes ownership of root_key (even on failure); keyring_new is
 * generation 1. */
enum status	 keyring_new(struct secret_buf *root_key, struct keyring **out);
enum status	 keyring_new_generation(struct secret_buf *root_key,
		    uint32_t generation, struct keyring **out);
void		 keyring_free(struct keyring *kr);
/* Add the root key of another generation (takes ownership).  Adding a
 * generation again is OK with the same key, STATUS_DECRYPTION_FAILURE with
 * another. */
enum status	 keyring_add(struct keyring *kr, uint32_t generation,
		    struct secret_buf *root_key);
bool		 keyring_has_generation(struct keyring *kr, uint32_t generation);
/* The generation new blobs are wrapped under (must be held). */
enum status	 keyring_set_wrap_generation(struct keyring *kr,
		    uint32_t generation);
uint32_t	 keyring_wrap_generation(struct keyring *kr);
/* The generation recorded in a blob's header.  STATUS_DECRYPTION_FAILURE
 * when it is no keyring blob. */
enum status	 keyring_blob_generation(const unsigned char *blob,
		    size_t blob_len, uint32_t *out);

struct keyring_hooks {
	/* Before each wrap: bring the wrap generation up to date. */
	enum status	(*refresh)(void *arg, struct keyring *kr);
	/* A blob names a generation the keyring lacks: add it if possible. */
	enum status	(*load)(void *arg, struct keyring *kr,
			    uint32_t generation);
	/* Called once with arg when the hooks are replaced or the keyring
	 * is freed (may be NULL). */
	void		(*release)(void *arg);
	void		*arg;
};

/* Install (or with NULL remove) the hooks; they are called without the
 * keyring's lock held and may call keyring_add / set_wrap_generation. */
void		 keyring_set_hooks(struct keyring *kr,
		    const struct keyring_hooks *hooks);
/* A copy of the root key of generation (for `rotate-root-key` to hand
 * the new key to its source).  STATUS_NOT_FOUND when not held. */
enum status	 keyring_root_copy(struct keyring *kr, uint32_t generation,
		    struct secret_buf **out);

/* A link: the root key of generation wrapped under the root key of
 * under_generation (both held).  It lets a process holding only the older
 * key follow a rotation; it must be destroyed when the rotation completes. */
enum status	 keyring_link_make(struct keyring *kr, uint32_t generation,
		    uint32_t under_generation, unsigned char **out,
		    size_t *out_len);
/* Open a link and add the key it holds as generation (the key it is
 * wrapped under must already be held). */
enum status	 keyring_link_open(struct keyring *kr, uint32_t generation,
		    const unsigned char *blob, size_t blob_len);

/* Wrap / unwrap material under the root key; label binds the blob to what it
 * protects (a KMS key ARN, an access key id, "root-key-check").  */
enum status	 keyring_wrap(struct keyring *kr, const char *label,
		    const struct secret_buf *material, unsigned char **out,
		    size_t *out_len);
enum status	 keyring_unwrap(struct keyring *kr, const char *label,
		    const unsigned char *wrapped, size_t wrapped_len,
		    struct secret_buf **out);
/* Like keyring_unwrap, but caches the result by label; the returned buffer
 * is a copy the caller frees. */
enum status	 keyring_unwrap_cached(struct keyring *kr, const char *label,
		    const unsigned char *wrapped, size_t wrapped_len,
		    struct secret_buf **out);

/* A blob that proves which root key a data folder was initialised with:
 * make it at init, verify it at start (STATUS_DECRYPTION_FAILURE when the
 * root key is not the one the data was written under). */
enum status	 keyring_check_make(struct keyring *kr, unsigned char **out,
		    size_t *out_len);
/* The check of one generation (a rotation makes the next one's ahead). */
enum status	 keyring_check_make_for(struct keyring *kr, uint32_t generation,
		    unsigned char **out, size_t *out_len);
enum status	 keyring_check_verify(struct keyring *kr,
		    const unsigned char *blob, size_t blob_len);

/* ---- passwords (GetRandomPassword and the rotators) ---- */

struct password_spec {
	uint32_t	 length;		/* 1..4096, default 32 */
	const char	*exclude_characters;	/* may be NULL */
	bool		 exclude_numbers;
	bool		 exclude_punctuation;
	bool		 exclude_uppercase;
	bool		 exclude_lowercase;
	bool		 include_space;
	bool		 require_each_included_type;	/* default true */
};

/* AWS's punctuation set: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ */
extern const char	 password_punctuation[];

void		 password_spec_default(struct password_spec *spec);
/* STATUS_INVALID_PARAMETER (with AWS's message) when the spec leaves no
 * character to draw from, or too few to include each required type. */
enum status	 password_generate(const struct password_spec *spec,
		    struct secret_buf **out, struct error *err);

/* ---- helpers ---- */

/* Hex encode (lowercase) len bytes into out (2*len+1 bytes). */
void		 hex_encode(const unsigned char *in, size_t len, char *out);
/* Base64 (standard alphabet, padded).  *out is malloc'd, NUL-terminated. */
enum status	 base64_encode(const unsigned char *in, size_t len, char **out);
/* Strict base64 decode into a secret_buf (values are secrets).
 * STATUS_INVALID_PARAMETER on bad input. */
enum status	 base64_decode_secret(const char *in, size_t in_len,
		    struct secret_buf **out);

/* ---- derived keys and MACs (derive.c) ---- */

#define CRYPTO_MAC_LEN		32	/* HMAC-SHA256 */

/* A 32-byte key for one purpose: HKDF-SHA256 of the root key, salt
 * "sesame-derive-v1", info label (e.g. "sesame audit hmac v1").  The same
 * root key and label always give the same key.  STATUS_NO_MEMORY or
 * STATUS_INTERNAL on failure. */
enum status	 root_key_derive(const struct secret_buf *root_key,
		    const char *label, struct secret_buf **out);
/* HMAC-SHA256 of data under key.  STATUS_INTERNAL on failure. */
enum status	 key_mac(const struct secret_buf *key, const void *data,
		    size_t len, unsigned char out[CRYPTO_MAC_LEN]);
/* Whether expected is the HMAC of data under key (constant time). */
bool		 key_mac_verify(const struct secret_buf *key, const void *data,
		    size_t len, const unsigned char expected[CRYPTO_MAC_LEN]);

#endif
