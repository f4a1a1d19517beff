/*
 * kms_blob.c: the ciphertext blobs of the KMS API (Encrypt, GenerateDataKey,
 * ReEncrypt) and of secret versions' data keys.
 *
 *	0x02 | key id (36 ASCII) | key version (4, big-endian) | key_wrap blob
 *
 * A blob names the KMS key and the version of its material that sealed it,
 * so Decrypt needs no KeyId and a rotated key still opens what older
 * versions sealed.  The key_wrap blob is sealed with AAD = header |
 * encryption context; the context is encoded canonically (sorted by key,
 * every string length-prefixed), so {"a":"b"} and {"a":"b","c":"d"} or a
 * reordered map never collide, and a blob opens only with exactly the
 * context it was sealed with -- as AWS KMS treats the encryption context.
 *
 * Every failure to open -- not a KMS blob, wrong material, wrong context,
 * an altered byte anywhere -- is STATUS_DECRYPTION_FAILURE, no detail.
 *
 * Thread-safety: no shared state; safe from any thread.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

/* Context strings are bounded by the callers (KMS: 8 KiB in all). */
#define KMS_BLOB_CONTEXT_MAX	(1U << 20)

static int
kms_context_compare(const void *a, const void *b)
{
	const struct kms_context_pair *const *x = a, *const *y = b;

	return strcmp((*x)->key, (*y)->key);
}

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* header | count | (len key len value)* in key order; malloc'd. */
static enum status
kms_blob_aad_build(const unsigned char *header,
    const struct kms_context_pair *context, size_t count, unsigned char **out,
    size_t *out_len)
{
	const struct kms_context_pair **sorted = NULL;
	unsigned char	*buf = NULL;
	size_t		 total = KMS_BLOB_HEADER_LEN + 4, off, i;
	enum status	 st = STATUS_INTERNAL;

	if (count > UINT16_MAX || (context == NULL && count > 0))
		goto out;
	st = STATUS_NO_MEMORY;
	if (count > 0 && (sorted = calloc(count, sizeof(*sorted))) == NULL)
		goto out;
	st = STATUS_INTERNAL;
	for (i = 0; i < count; i++) {
		size_t kl, vl;

		if (context[i].key == NULL || context[i].value == NULL)
			goto out;
		kl = strlen(context[i].key);
		vl = strlen(context[i].value);
		if (kl > KMS_BLOB_CONTEXT_MAX || vl > KMS_BLOB_CONTEXT_MAX ||
		    total > KMS_BLOB_CONTEXT_MAX * 4)
			goto out;
		total += 8 + kl + vl;
		sorted[i] = &context[i];
	}
	if (count > 1)
		qsort(sorted, count, sizeof(*sorted), kms_context_compare);
	st = STATUS_NO_MEMORY;
	if ((buf = malloc(total)) == NULL)
		goto out;
	memcpy(buf, header, KMS_BLOB_HEADER_LEN);
	off = KMS_BLOB_HEADER_LEN;
	put_u32(buf + off, (uint32_t)count);
	off += 4;
	for (i = 0; i < count; i++) {
		size_t kl = strlen(sorted[i]->key), vl = strlen(sorted[i]->value);

		put_u32(buf + off, (uint32_t)kl);
		memcpy(buf + off + 4, sorted[i]->key, kl);
		off += 4 + kl;
		put_u32(buf + off, (uint32_t)vl);
		memcpy(buf + off + 4, sorted[i]->value, vl);
		off += 4 + vl;
	}
	*out = buf;
	*out_len = total;
	buf = NULL;
	st = STATUS_OK;
out:
	free(sorted);
	free(buf);
	return st;
}

static bool
kms_key_id_is_valid(const char *key_id)
{
	if (key_id == NULL || strlen(key_id) != KMS_KEY_ID_LEN)
		return false;
	for (const char *p = key_id; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		    *p == '-'))
			return false;
	return true;
}

enum status
kms_blob_seal(const struct secret_buf *material, const char *key_id,
    uint32_t key_version, const struct kms_context_pair *context,
    size_t context_count, const void *plain, size_t plain_len,
    unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_ENCRYPTION_FAILURE;
	unsigned char	 header[KMS_BLOB_HEADER_LEN];
	unsigned char	*aad = NULL, *inner = NULL, *blob = NULL;
	size_t		 aad_len, inner_len = 0;

	if (material == NULL || material->len != CRYPTO_KEY_LEN ||
	    !kms_key_id_is_valid(key_id) || key_version == 0 || out == NULL ||
	    out_len == NULL || (plain == NULL && plain_len > 0))
		goto out;
	header[0] = CRYPTO_FORMAT_KMS_V1;
	memcpy(header + 1, key_id, KMS_KEY_ID_LEN);
	put_u32(header + 1 + KMS_KEY_ID_LEN, key_version);
	if (kms_blob_aad_build(header, context, context_count, &aad,
	    &aad_len) != STATUS_OK)
		goto out;
	if (key_wrap(material, aad, aad_len, plain, plain_len, &inner,
	    &inner_len) != STATUS_OK)
		goto out;
	if ((blob = malloc(KMS_BLOB_HEADER_LEN + inner_len)) == NULL)
		goto out;
	memcpy(blob, header, KMS_BLOB_HEADER_LEN);
	memcpy(blob + KMS_BLOB_HEADER_LEN, inner, inner_len);
	*out = blob;
	*out_len = KMS_BLOB_HEADER_LEN + inner_len;
	blob = NULL;
	st = STATUS_OK;
out:
	free(aad);
	free(inner);
	free(blob);
	return st;
}

enum status
kms_blob_header_parse(const unsigned char *blob, size_t blob_len,
    struct kms_blob_header *out)
{
	struct kms_blob_header h;
	const unsigned char *v;

	if (blob == NULL || out == NULL || blob_len <= KMS_BLOB_HEADER_LEN ||
	    blob[0] != CRYPTO_FORMAT_KMS_V1)
		return STATUS_DECRYPTION_FAILURE;
	memcpy(h.key_id, blob + 1, KMS_KEY_ID_LEN);
	h.key_id[KMS_KEY_ID_LEN] = '\0';
	if (!kms_key_id_is_valid(h.key_id))
		return STATUS_DECRYPTION_FAILURE;
	v = blob + 1 + KMS_KEY_ID_LEN;
	h.key_version = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
	    (uint32_t)v[2] << 8 | (uint32_t)v[3];
	if (h.key_version == 0)
		return STATUS_DECRYPTION_FAILURE;
	*out = h;
	return STATUS_OK;
}

enum status
kms_blob_open(const struct secret_buf *material,
    const struct kms_context_pair *context, size_t context_count,
    const unsigned char *blob, size_t blob_len, struct secret_buf **out)
{
	enum status	 st = STATUS_DECRYPTION_FAILURE;
	struct kms_blob_header h;
	unsigned char	*aad = NULL;
	size_t		 aad_len;

	if (material == NULL || material->len != CRYPTO_KEY_LEN || out == NULL)
		goto out;
	if (kms_blob_header_parse(blob, blob_len, &h) != STATUS_OK)
		goto out;
	if (kms_blob_aad_build(blob, context, context_count, &aad, &aad_len) !=
	    STATUS_OK)
		goto out;
	if (key_unwrap(material, aad, aad_len, blob + KMS_BLOB_HEADER_LEN,
	    blob_len - KMS_BLOB_HEADER_LEN, out) != STATUS_OK)
		goto out;
	st = STATUS_OK;
out:
	free(aad);
	return st;
}
