/*
 * kms_crypto.c: the cryptographic operations of the KMS API: Encrypt,
 * Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext and
 * GenerateRandom.
 *
 * Plaintext arrives and leaves as base64 in JSON (jansson's allocator wipes
 * those copies, api_json_alloc_init) and lives in struct secret_buf in
 * between.  The encryption context is a JSON map of strings, handed to
 * core/ as pairs; it is the AAD of the ciphertext.  Only SYMMETRIC_DEFAULT
 * keys exist here, so any other algorithm is InvalidKeyUsageException.
 * DryRun runs every check and then answers DryRunOperationException.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/kms_internal.h"

#define SYMMETRIC_DEFAULT	"SYMMETRIC_DEFAULT"
#define MSG_DRY_RUN		"The request would have succeeded, but the " \
				"DryRun option is set."

struct context_pairs {
	struct kms_context_pair	*pairs;
	size_t			 count;
};

/* The encryption context map into pairs (strings borrowed from in). */
static enum status
context_from_json(const json_t *in, const char *name, struct context_pairs *out,
    struct error *err)
{
	const json_t	*map = json_object_get(in, name);
	const char	*key;
	json_t		*value;
	size_t		 n = 0;

	memset(out, 0, sizeof(*out));
	if (map == NULL || json_is_null(map))
		return STATUS_OK;
	if (json_object_size(map) == 0)
		return STATUS_OK;
	if ((out->pairs = calloc(json_object_size(map),
	    sizeof(*out->pairs))) == NULL)
		return STATUS_NO_MEMORY;
	json_object_foreach((json_t *)map, key, value) {
		if (!json_is_string(value)) {
			free(out->pairs);
			out->pairs = NULL;
			return error_set(err, STATUS_SERIALIZATION,
			    "class com.amazon.coral.value.json.numbers."
			    "TruncatingBigNumber can not be converted to an "
			    "String");
		}
		out->pairs[n].key = key;
		out->pairs[n].value = json_string_value(value);
		n++;
	}
	out->count = n;
	return STATUS_OK;
}

static enum status
algorithm_check(const json_t *in, const char *name, struct error *err)
{
	const char *alg = api_string(in, name);

	if (alg != NULL && strcmp(alg, SYMMETRIC_DEFAULT) != 0)
		return error_set(err, STATUS_KMS_INVALID_KEY_USAGE, "The "
		    "encryption algorithm %s is not compatible with the key "
		    "spec SYMMETRIC_DEFAULT of the KMS key.", alg);
	return STATUS_OK;
}

static enum status
blob_from_json(const json_t *in, const char *name, struct secret_buf **out,
    struct error *err)
{
	const char *s = api_string(in, name);

	if (s == NULL)
		return error_set(err, STATUS_VALIDATION, "1 validation error "
		    "detected: Value null at '%c%s' failed to satisfy "
		    "constraint: Member must not be null", name[0] + 32,
		    name + 1);
	if (base64_decode_secret(s, strlen(s), out) != STATUS_OK)
		return error_set(err, STATUS_SERIALIZATION, "'%s' can not be "
		    "converted to a Blob: Base64 encoded value is not valid.",
		    name);
	return STATUS_OK;
}

/* Base64 of len bytes as a JSON string (the copy wiped on free). */
static json_t *
blob_json(const unsigned char *data, size_t len)
{
	json_t	*j;
	char	*b64 = NULL;

	if (base64_encode(data, len, &b64) != STATUS_OK)
		return NULL;
	j = json_string(b64);
	explicit_bzero(b64, strlen(b64));
	free(b64);
	return j;
}

static bool
is_dry_run(const json_t *in)
{
	return api_bool(in, "DryRun", false);
}

enum status
kms_op_encrypt(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct context_pairs	 ctx;
	struct secret_buf	*plain = NULL;
	unsigned char		*blob = NULL;
	size_t			 blob_len = 0;
	char			*arn = NULL;
	json_t			*o = NULL;
	enum status		 st;

	memset(&ctx, 0, sizeof(ctx));
	if ((st = algorithm_check(in, "EncryptionAlgorithm", err)) !=
	    STATUS_OK ||
	    (st = context_from_json(in, "EncryptionContext", &ctx, err)) !=
	    STATUS_OK ||
	    (st = blob_from_json(in, "Plaintext", &plain, err)) != STATUS_OK)
		goto out;
	if ((st = core_kms_encrypt(&call->core, api_string(in, "KeyId"),
	    ctx.pairs, ctx.count, plain, &blob, &blob_len, &arn, err)) !=
	    STATUS_OK)
		goto out;
	if (is_dry_run(in)) {
		st = error_set(err, STATUS_KMS_DRY_RUN, MSG_DRY_RUN);
		goto out;
	}
	if ((o = json_object()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "CiphertextBlob", blob_json(blob, blob_len));
	json_object_set_new(o, "KeyId", json_string(arn));
	json_object_set_new(o, "EncryptionAlgorithm",
	    json_string(SYMMETRIC_DEFAULT));
	*out = o;
	o = NULL;
out:
	json_decref(o);
	free(ctx.pairs);
	secret_buf_free(plain);
	free(blob);
	free(arn);
	return st;
}

enum status
kms_op_decrypt(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct context_pairs	 ctx;
	struct secret_buf	*blob = NULL, *plain = NULL;
	char			*arn = NULL;
	json_t			*o = NULL, *p;
	enum status		 st;

	memset(&ctx, 0, sizeof(ctx));
	if (api_has(in, "Recipient")) {
		st = error_set(err, STATUS_KMS_UNSUPPORTED, "Recipient (Nitro "
		    "Enclaves attestation) is not supported by this server.");
		goto out;
	}
	if ((st = algorithm_check(in, "EncryptionAlgorithm", err)) !=
	    STATUS_OK ||
	    (st = context_from_json(in, "EncryptionContext", &ctx, err)) !=
	    STATUS_OK ||
	    (st = blob_from_json(in, "CiphertextBlob", &blob, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = core_kms_decrypt(&call->core, api_string(in, "KeyId"),
	    ctx.pairs, ctx.count, blob->data, blob->len, &plain, &arn, err)) !=
	    STATUS_OK)
		goto out;
	if (is_dry_run(in)) {
		st = error_set(err, STATUS_KMS_DRY_RUN, MSG_DRY_RUN);
		goto out;
	}
	if ((o = json_object()) == NULL ||
	    (p = blob_json(plain->data, plain->len)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "KeyId", json_string(arn));
	json_object_set_new(o, "Plaintext", p);
	json_object_set_new(o, "EncryptionAlgorithm",
	    json_string(SYMMETRIC_DEFAULT));
	*out = o;
	o = NULL;
out:
	json_decref(o);
	free(ctx.pairs);
	secret_buf_free(blob);
	secret_buf_free(plain);
	free(arn);
	return st;
}

enum status
kms_op_reencrypt(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_reencrypt_input rin;
	struct context_pairs	 src, dst;
	struct secret_buf	*blob = NULL;
	unsigned char		*new_blob = NULL;
	size_t			 new_len = 0;
	char			*sarn = NULL, *darn = NULL;
	json_t			*o = NULL;
	enum status		 st;

	memset(&rin, 0, sizeof(rin));
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	if ((st = algorithm_check(in, "SourceEncryptionAlgorithm", err)) !=
	    STATUS_OK ||
	    (st = algorithm_check(in, "DestinationEncryptionAlgorithm",
	    err)) != STATUS_OK ||
	    (st = context_from_json(in, "SourceEncryptionContext", &src,
	    err)) != STATUS_OK ||
	    (st = context_from_json(in, "DestinationEncryptionContext", &dst,
	    err)) != STATUS_OK ||
	    (st = blob_from_json(in, "CiphertextBlob", &blob, err)) !=
	    STATUS_OK)
		goto out;
	rin.blob = blob->data;
	rin.blob_len = blob->len;
	rin.source_key_id = api_string(in, "SourceKeyId");
	rin.source_context = src.pairs;
	rin.source_context_count = src.count;
	rin.destination_key_id = api_string(in, "DestinationKeyId");
	rin.destination_context = dst.pairs;
	rin.destination_context_count = dst.count;
	if ((st = core_kms_reencrypt(&call->core, &rin, &new_blob, &new_len,
	    &sarn, &darn, err)) != STATUS_OK)
		goto out;
	if (is_dry_run(in)) {
		st = error_set(err, STATUS_KMS_DRY_RUN, MSG_DRY_RUN);
		goto out;
	}
	if ((o = json_object()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "CiphertextBlob", blob_json(new_blob, new_len));
	json_object_set_new(o, "SourceKeyId", json_string(sarn));
	json_object_set_new(o, "KeyId", json_string(darn));
	json_object_set_new(o, "SourceEncryptionAlgorithm",
	    json_string(SYMMETRIC_DEFAULT));
	json_object_set_new(o, "DestinationEncryptionAlgorithm",
	    json_string(SYMMETRIC_DEFAULT));
	*out = o;
	o = NULL;
out:
	json_decref(o);
	free(src.pairs);
	free(dst.pairs);
	secret_buf_free(blob);
	free(new_blob);
	free(sarn);
	free(darn);
	return st;
}

/* NumberOfBytes or KeySpec: exactly one of them, as AWS requires. */
static enum status
data_key_length(const json_t *in, size_t *out, struct error *err)
{
	const char	*spec = api_string(in, "KeySpec");
	bool		 has_bytes = api_has(in, "NumberOfBytes");

	if ((spec == NULL) == !has_bytes)
		return error_set(err, STATUS_VALIDATION, "Please specify either "
		    "number of bytes or key spec.");
	if (has_bytes)
		*out = (size_t)json_integer_value(json_object_get(in,
		    "NumberOfBytes"));
	else
		*out = strcmp(spec, "AES_128") == 0 ? 16 : 32;
	return STATUS_OK;
}

static enum status
generate_data_key(struct api_call *call, json_t *in, json_t **out,
    bool with_plaintext, struct error *err)
{
	struct context_pairs	 ctx;
	struct secret_buf	*plain = NULL;
	unsigned char		*blob = NULL;
	size_t			 blob_len = 0, key_len = 0;
	char			*arn = NULL;
	json_t			*o = NULL, *p;
	enum status		 st;

	memset(&ctx, 0, sizeof(ctx));
	if (api_has(in, "Recipient")) {
		st = error_set(err, STATUS_KMS_UNSUPPORTED, "Recipient (Nitro "
		    "Enclaves attestation) is not supported by this server.");
		goto out;
	}
	if ((st = data_key_length(in, &key_len, err)) != STATUS_OK ||
	    (st = context_from_json(in, "EncryptionContext", &ctx, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = core_kms_generate_data_key(&call->core,
	    api_string(in, "KeyId"), ctx.pairs, ctx.count, key_len,
	    with_plaintext ? &plain : NULL, &blob, &blob_len, &arn, err)) !=
	    STATUS_OK)
		goto out;
	if (is_dry_run(in)) {
		st = error_set(err, STATUS_KMS_DRY_RUN, MSG_DRY_RUN);
		goto out;
	}
	if ((o = json_object()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "CiphertextBlob", blob_json(blob, blob_len));
	if (with_plaintext) {
		if ((p = blob_json(plain->data, plain->len)) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		json_object_set_new(o, "Plaintext", p);
	}
	json_object_set_new(o, "KeyId", json_string(arn));
	*out = o;
	o = NULL;
out:
	json_decref(o);
	free(ctx.pairs);
	secret_buf_free(plain);
	free(blob);
	free(arn);
	return st;
}

enum status
kms_op_generate_data_key(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return generate_data_key(call, in, out, true, err);
}

enum status
kms_op_generate_data_key_without_plaintext(struct api_call *call, json_t *in,
    json_t **out, struct error *err)
{
	return generate_data_key(call, in, out, false, err);
}

enum status
kms_op_generate_random(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_buf	*bytes = NULL;
	json_t			*p;
	enum status		 st;

	if (api_has(in, "CustomKeyStoreId") || api_has(in, "Recipient"))
		return error_set(err, STATUS_KMS_UNSUPPORTED, "Custom key "
		    "stores and Recipient are not supported by this server.");
	if (!api_has(in, "NumberOfBytes"))
		return error_set(err, STATUS_VALIDATION, "Please specify the "
		    "number of bytes.");
	if ((st = core_kms_generate_random(&call->core,
	    (size_t)json_integer_value(json_object_get(in, "NumberOfBytes")),
	    &bytes, err)) != STATUS_OK)
		return st;
	p = blob_json(bytes->data, bytes->len);
	secret_buf_free(bytes);
	if (p == NULL || (*out = json_object()) == NULL) {
		json_decref(p);
		return STATUS_NO_MEMORY;
	}
	json_object_set_new(*out, "Plaintext", p);
	return STATUS_OK;
}
