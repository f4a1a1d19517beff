/*
 * crypto.h: the only interface that touches key material and plaintext.
 *
 * Key hierarchy:
 *   root key (32 bytes; key file, environment; never stored with the data)
 *     wraps  KMS key material (one 32-byte key per KMS key, stored wrapped)
 *       wraps  a fresh 32-byte data key per secret version (stored wrapped)
 *         seals  the secret value (AES-256-GCM)
 * Every ciphertext carries a one-byte format version and is bound by AAD to
 * its identity, so a row copied elsewhere does not open.
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
#define CRYPTO_FORMAT_V1	0x01

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

/* ---- random ---- */

/* CSPRNG bytes (OpenSSL RAND_bytes).  STATUS_INTERNAL on failure. */
enum status	 random_bytes(void *buf, size_t len);
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

/* ---- keyring: the root key and a cache of unwrapped KMS key material ---- */

struct keyring;

/* Takes ownership of root_key (even on failure). */
enum status	 keyring_new(struct secret_buf *root_key, struct keyring **out);
void		 keyring_free(struct keyring *kr);

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
