/*
 * envelope.c: seals and opens one secret version's value.
 *
 * Each seal draws a fresh 32-byte data key, seals the value under it and
 * wraps the data key under the KMS key's material, both with key_wrap's
 * format.  Both AADs bind the ciphertext to its identity (account, secret
 * ARN, version id, and for the value whether it is SecretString or
 * SecretBinary), encoded as a sequence of 4-byte big-endian lengths each
 * followed by its bytes, so that no two different identities encode alike
 * ("12" + "3x" is not "123" + "x").  A row copied to another secret, version
 * or account, or with its value type flipped, fails to open.  The data key
 * exists unwrapped only inside envelope_seal / envelope_open, in a
 * secret_buf that is wiped before they return.
 *
 * envelope_seal / envelope_open keep the first format (data key wrapped with
 * key_wrap under raw KMS material).  Versions written since KMS keys have
 * versions keep their data key as a KMS ciphertext blob (kms_blob.c, made
 * by core/kms_key.c) and use only the value half here: envelope_seal_value
 * and envelope_open_value; envelope_unwrap_data_key lets a legacy data key
 * be re-wrapped into that form.
 *
 * Any failure to seal is STATUS_ENCRYPTION_FAILURE and any failure to open
 * STATUS_DECRYPTION_FAILURE, whatever the cause, so callers and clients
 * learn nothing about which check failed.
 *
 * Thread-safety: no shared state; safe from any thread.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#define ENVELOPE_VALUE_CONTEXT	"sesame-secret-v1"
#define ENVELOPE_KEY_CONTEXT	"sesame-datakey-v1"

/* Append s as length(4, big-endian) | bytes; *off advances. */
static void
envelope_aad_put(unsigned char *buf, size_t *off, const char *s, size_t len)
{
	buf[(*off)++] = (unsigned char)(len >> 24);
	buf[(*off)++] = (unsigned char)(len >> 16);
	buf[(*off)++] = (unsigned char)(len >> 8);
	buf[(*off)++] = (unsigned char)len;
	memcpy(buf + *off, s, len);
	*off += len;
}

/*
 * Build the AAD for the value (is_value) or for the wrapped data key.
 * The result is malloc'd; it holds identifiers only, nothing secret.
 */
static enum status
envelope_aad_build(const struct envelope_aad *aad, bool is_value,
    unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_INTERNAL;
	const char	*fields[5];
	size_t		 lens[5], field_count, total = 0, off = 0, i;
	unsigned char	*buf = NULL;

	if (aad == NULL || aad->account_id == NULL || aad->secret_arn == NULL ||
	    aad->version_id == NULL)
		goto out;
	fields[0] = is_value ? ENVELOPE_VALUE_CONTEXT : ENVELOPE_KEY_CONTEXT;
	fields[1] = aad->account_id;
	fields[2] = aad->secret_arn;
	fields[3] = aad->version_id;
	fields[4] = aad->is_binary ? "binary" : "string";
	field_count = is_value ? 5 : 4;
	for (i = 0; i < field_count; i++) {
		lens[i] = strlen(fields[i]);
		/* Bounded: identifiers are short, and total cannot wrap. */
		if (lens[i] > UINT16_MAX)
			goto out;
		total += 4 + lens[i];
	}
	st = STATUS_NO_MEMORY;
	if ((buf = malloc(total)) == NULL)
		goto out;
	for (i = 0; i < field_count; i++)
		envelope_aad_put(buf, &off, fields[i], lens[i]);
	*out = buf;
	*out_len = total;
	buf = NULL;
	st = STATUS_OK;
out:
	free(buf);
	return st;
}

enum status
envelope_seal(const struct secret_buf *kms_key, const struct envelope_aad *aad,
    const struct secret_buf *plain, struct sealed_value *out)
{
	enum status	 st = STATUS_ENCRYPTION_FAILURE;
	struct secret_buf *data_key = NULL;
	unsigned char	*value_aad = NULL, *key_aad = NULL;
	unsigned char	*ciphertext = NULL, *wrapped_key = NULL;
	size_t		 value_aad_len, key_aad_len;
	size_t		 ciphertext_len, wrapped_key_len;

	if (kms_key == NULL || kms_key->len != CRYPTO_KEY_LEN ||
	    plain == NULL || out == NULL)
		goto out;
	if (envelope_aad_build(aad, true, &value_aad, &value_aad_len) !=
	    STATUS_OK ||
	    envelope_aad_build(aad, false, &key_aad, &key_aad_len) != STATUS_OK)
		goto out;

	if ((data_key = secret_buf_new(CRYPTO_KEY_LEN)) == NULL)
		goto out;
	if (random_bytes(data_key->data, CRYPTO_KEY_LEN) != STATUS_OK)
		goto out;
	data_key->len = CRYPTO_KEY_LEN;

	if (key_wrap(data_key, value_aad, value_aad_len, plain->data,
	    plain->len, &ciphertext, &ciphertext_len) != STATUS_OK)
		goto out;
	if (key_wrap(kms_key, key_aad, key_aad_len, data_key->data,
	    data_key->len, &wrapped_key, &wrapped_key_len) != STATUS_OK)
		goto out;

	out->ciphertext = ciphertext;
	out->ciphertext_len = ciphertext_len;
	out->wrapped_key = wrapped_key;
	out->wrapped_key_len = wrapped_key_len;
	ciphertext = NULL;
	wrapped_key = NULL;
	st = STATUS_OK;
out:
	secret_buf_free(data_key);
	free(value_aad);
	free(key_aad);
	free(ciphertext);
	free(wrapped_key);
	return st;
}

enum status
envelope_open(const struct secret_buf *kms_key, const struct envelope_aad *aad,
    const struct sealed_value *sealed, struct secret_buf **out)
{
	enum status	 st = STATUS_DECRYPTION_FAILURE;
	struct secret_buf *data_key = NULL, *plain = NULL;
	unsigned char	*value_aad = NULL, *key_aad = NULL;
	size_t		 value_aad_len, key_aad_len;

	if (kms_key == NULL || kms_key->len != CRYPTO_KEY_LEN ||
	    sealed == NULL || out == NULL)
		goto out;
	if (envelope_aad_build(aad, true, &value_aad, &value_aad_len) !=
	    STATUS_OK ||
	    envelope_aad_build(aad, false, &key_aad, &key_aad_len) != STATUS_OK)
		goto out;

	if (key_unwrap(kms_key, key_aad, key_aad_len, sealed->wrapped_key,
	    sealed->wrapped_key_len, &data_key) != STATUS_OK)
		goto out;
	if (data_key->len != CRYPTO_KEY_LEN)
		goto out;
	if (key_unwrap(data_key, value_aad, value_aad_len, sealed->ciphertext,
	    sealed->ciphertext_len, &plain) != STATUS_OK)
		goto out;

	*out = plain;
	plain = NULL;
	st = STATUS_OK;
out:
	secret_buf_free(data_key);
	secret_buf_free(plain);
	free(value_aad);
	free(key_aad);
	return st;
}

void
sealed_value_cleanup(struct sealed_value *sv)
{
	if (sv == NULL)
		return;
	free(sv->ciphertext);
	free(sv->wrapped_key);
	memset(sv, 0, sizeof(*sv));
}

enum status
envelope_seal_value(const struct secret_buf *data_key,
    const struct envelope_aad *aad, const struct secret_buf *plain,
    unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_ENCRYPTION_FAILURE;
	unsigned char	*value_aad = NULL;
	size_t		 value_aad_len;

	if (data_key == NULL || data_key->len != CRYPTO_KEY_LEN ||
	    plain == NULL || out == NULL || out_len == NULL)
		goto out;
	if (envelope_aad_build(aad, true, &value_aad, &value_aad_len) !=
	    STATUS_OK)
		goto out;
	if (key_wrap(data_key, value_aad, value_aad_len, plain->data,
	    plain->len, out, out_len) != STATUS_OK)
		goto out;
	st = STATUS_OK;
out:
	free(value_aad);
	return st;
}

enum status
envelope_open_value(const struct secret_buf *data_key,
    const struct envelope_aad *aad, const unsigned char *ciphertext,
    size_t ciphertext_len, struct secret_buf **out)
{
	enum status	 st = STATUS_DECRYPTION_FAILURE;
	unsigned char	*value_aad = NULL;
	size_t		 value_aad_len;

	if (data_key == NULL || data_key->len != CRYPTO_KEY_LEN || out == NULL)
		goto out;
	if (envelope_aad_build(aad, true, &value_aad, &value_aad_len) !=
	    STATUS_OK)
		goto out;
	if (key_unwrap(data_key, value_aad, value_aad_len, ciphertext,
	    ciphertext_len, out) != STATUS_OK)
		goto out;
	st = STATUS_OK;
out:
	free(value_aad);
	return st;
}

enum status
envelope_unwrap_data_key(const struct secret_buf *kms_key,
    const struct envelope_aad *aad, const unsigned char *wrapped,
    size_t wrapped_len, struct secret_buf **out)
{
	enum status	 st = STATUS_DECRYPTION_FAILURE;
	struct secret_buf *data_key = NULL;
	unsigned char	*key_aad = NULL;
	size_t		 key_aad_len;

	if (kms_key == NULL || kms_key->len != CRYPTO_KEY_LEN || out == NULL)
		goto out;
	if (envelope_aad_build(aad, false, &key_aad, &key_aad_len) !=
	    STATUS_OK)
		goto out;
	if (key_unwrap(kms_key, key_aad, key_aad_len, wrapped, wrapped_len,
	    &data_key) != STATUS_OK || data_key->len != CRYPTO_KEY_LEN)
		goto out;
	*out = data_key;
	data_key = NULL;
	st = STATUS_OK;
out:
	secret_buf_free(data_key);
	free(key_aad);
	return st;
}
