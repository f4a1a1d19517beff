/*
 * test_kms_formats.c: unit tests for the wrapping formats of the KMS work:
 * KMS ciphertext blobs (crypto/kms_blob.c), root-wrapped blobs with their
 * generation (crypto/keyring.c), rotation links, and the split envelope
 * (envelope_seal_value / envelope_open_value / envelope_unwrap_data_key).
 *
 * Every format is checked for its version byte, for refusing any altered
 * byte, and for being bound to what it protects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "core/kms_internal.h"
#include "crypto/crypto.h"

#define KEY_ID		"0b3c1f5e-7a2d-4c8e-9f10-2b3c4d5e6f70"
#define OTHER_KEY_ID	"1b3c1f5e-7a2d-4c8e-9f10-2b3c4d5e6f70"

static struct secret_buf *
random_key(void)
{
	struct secret_buf *key = NULL;

	assert_int_equal(root_key_generate(&key), STATUS_OK);
	assert_int_equal(key->len, CRYPTO_KEY_LEN);
	return key;
}

static const struct kms_context_pair context[] = {
	{ "SecretARN", "arn:aws:secretsmanager:us-east-1:123456789012:"
	    "secret:db-AbCdEf" },
	{ "SecretVersionId", "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE" },
};

/* ---- KMS ciphertext blobs ---- */

static void
test_kms_blob_round_trip_names_key_and_version(void **state)
{
	struct secret_buf *material = random_key(), *plain = NULL;
	struct kms_blob_header h;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(kms_blob_seal(material, KEY_ID, 7, context, 2,
	    "hello", 5, &blob, &blob_len), STATUS_OK);
	assert_int_equal(blob[0], CRYPTO_FORMAT_KMS_V1);
	assert_int_equal(blob_len, KMS_BLOB_HEADER_LEN + 1 + CRYPTO_NONCE_LEN +
	    5 + CRYPTO_TAG_LEN);
	assert_int_equal(kms_blob_header_parse(blob, blob_len, &h), STATUS_OK);
	assert_string_equal(h.key_id, KEY_ID);
	assert_int_equal(h.key_version, 7);
	assert_int_equal(kms_blob_open(material, context, 2, blob, blob_len,
	    &plain), STATUS_OK);
	assert_int_equal(plain->len, 5);
	assert_memory_equal(plain->data, "hello", 5);
	secret_buf_free(plain);
	free(blob);
	secret_buf_free(material);
}

static void
test_kms_blob_any_altered_byte_fails(void **state)
{
	struct secret_buf *material = random_key(), *plain = NULL;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(kms_blob_seal(material, KEY_ID, 1, context, 2,
	    "secret", 6, &blob, &blob_len), STATUS_OK);
	for (size_t i = 0; i < blob_len; i++) {
		blob[i] ^= 0x01;
		assert_int_equal(kms_blob_open(material, context, 2, blob,
		    blob_len, &plain), STATUS_DECRYPTION_FAILURE);
		assert_null(plain);
		blob[i] ^= 0x01;
	}
	/* Truncated or extended blobs fail too. */
	assert_int_equal(kms_blob_open(material, context, 2, blob,
	    blob_len - 1, &plain), STATUS_DECRYPTION_FAILURE);
	assert_int_equal(kms_blob_open(material, context, 2, blob,
	    KMS_BLOB_HEADER_LEN, &plain), STATUS_DECRYPTION_FAILURE);
	assert_int_equal(kms_blob_open(material, context, 2, blob, blob_len,
	    &plain), STATUS_OK);
	secret_buf_free(plain);
	free(blob);
	secret_buf_free(material);
}

static void
test_kms_blob_unknown_version_byte_is_refused(void **state)
{
	struct secret_buf *material = random_key(), *plain = NULL;
	struct kms_blob_header h;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(kms_blob_seal(material, KEY_ID, 1, NULL, 0, "x", 1,
	    &blob, &blob_len), STATUS_OK);
	for (int v = 0; v < 256; v++) {
		if (v == CRYPTO_FORMAT_KMS_V1)
			continue;
		blob[0] = (unsigned char)v;
		assert_int_equal(kms_blob_header_parse(blob, blob_len, &h),
		    STATUS_DECRYPTION_FAILURE);
		assert_int_equal(kms_blob_open(material, NULL, 0, blob,
		    blob_len, &plain), STATUS_DECRYPTION_FAILURE);
	}
	free(blob);
	secret_buf_free(material);
}

static void
test_kms_blob_context_must_match_exactly(void **state)
{
	struct secret_buf *material = random_key(), *plain = NULL;
	struct kms_context_pair reordered[2] = { context[1], context[0] };
	struct kms_context_pair changed[2] = { context[0], context[1] };
	struct kms_context_pair split[2] = { { "a", "bc" }, { "d", "" } };
	struct kms_context_pair joined[2] = { { "a", "b" }, { "cd", "" } };
	unsigned char	*blob = NULL, *blob2 = NULL;
	size_t		 blob_len = 0, blob2_len = 0;

	changed[1].value = "another-version";
	assert_int_equal(kms_blob_seal(material, KEY_ID, 1, context, 2, "v", 1,
	    &blob, &blob_len), STATUS_OK);
	/* The order of the pairs does not matter... */
	assert_int_equal(kms_blob_open(material, reordered, 2, blob, blob_len,
	    &plain), STATUS_OK);
	secret_buf_free(plain);
	plain = NULL;
	/* ...their content does, and so does a missing or extra pair. */
	assert_int_equal(kms_blob_open(material, changed, 2, blob, blob_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	assert_int_equal(kms_blob_open(material, context, 1, blob, blob_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	assert_int_equal(kms_blob_open(material, NULL, 0, blob, blob_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	/* Length prefixes keep "a"="bc" apart from "a"="b","cd"="". */
	assert_int_equal(kms_blob_seal(material, KEY_ID, 1, split, 2, "v", 1,
	    &blob2, &blob2_len), STATUS_OK);
	assert_int_equal(kms_blob_open(material, joined, 2, blob2, blob2_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	assert_null(plain);
	free(blob);
	free(blob2);
	secret_buf_free(material);
}

static void
test_kms_blob_header_swap_to_other_key_fails(void **state)
{
	struct secret_buf *material = random_key(), *plain = NULL;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(kms_blob_seal(material, KEY_ID, 3, NULL, 0, "v", 1,
	    &blob, &blob_len), STATUS_OK);
	memcpy(blob + 1, OTHER_KEY_ID, KMS_KEY_ID_LEN);
	assert_int_equal(kms_blob_open(material, NULL, 0, blob, blob_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	memcpy(blob + 1, KEY_ID, KMS_KEY_ID_LEN);
	blob[1 + KMS_KEY_ID_LEN + 3] = 2;	/* version 3 -> 2 */
	assert_int_equal(kms_blob_open(material, NULL, 0, blob, blob_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	free(blob);
	secret_buf_free(material);
}

static void
test_kms_blob_wrong_material_fails(void **state)
{
	struct secret_buf *material = random_key(), *other = random_key();
	struct secret_buf *plain = NULL;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(kms_blob_seal(material, KEY_ID, 1, NULL, 0, "v", 1,
	    &blob, &blob_len), STATUS_OK);
	assert_int_equal(kms_blob_open(other, NULL, 0, blob, blob_len, &plain),
	    STATUS_DECRYPTION_FAILURE);
	assert_null(plain);
	free(blob);
	secret_buf_free(material);
	secret_buf_free(other);
}

static void
test_kms_blob_refuses_bad_key_ids(void **state)
{
	struct secret_buf *material = random_key();
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(kms_blob_seal(material, "not-a-key-id", 1, NULL, 0,
	    "v", 1, &blob, &blob_len), STATUS_ENCRYPTION_FAILURE);
	assert_int_equal(kms_blob_seal(material, KEY_ID, 0, NULL, 0, "v", 1,
	    &blob, &blob_len), STATUS_ENCRYPTION_FAILURE);
	assert_null(blob);
	secret_buf_free(material);
}

/* ---- root-wrapped blobs and generations ---- */

static struct keyring *
keyring_at(struct secret_buf *root, uint32_t generation)
{
	struct keyring	*kr = NULL;

	assert_int_equal(keyring_new_generation(root, generation, &kr),
	    STATUS_OK);
	return kr;
}

static void
test_root_blob_records_its_generation(void **state)
{
	struct secret_buf *root = random_key(), *material = random_key();
	struct keyring	*kr = keyring_at(root, 5);
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;
	uint32_t	 g = 0;

	assert_int_equal(keyring_wrap(kr, "label", material, &blob, &blob_len),
	    STATUS_OK);
	assert_int_equal(blob[0], CRYPTO_FORMAT_ROOT_V2);
	assert_int_equal(keyring_blob_generation(blob, blob_len, &g),
	    STATUS_OK);
	assert_int_equal(g, 5);
	free(blob);
	secret_buf_free(material);
	keyring_free(kr);
}

static void
test_root_blob_generation_header_is_authenticated(void **state)
{
	struct secret_buf *root = random_key(), *material = random_key();
	struct secret_buf *same = secret_buf_from(root->data, root->len);
	struct secret_buf *got = NULL;
	struct keyring	*kr = keyring_at(root, 1);
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	/* The same key held as generations 1 and 2: changing the header's
	 * generation picks a key that would open the body, yet fails. */
	assert_int_equal(keyring_add(kr, 2, same), STATUS_OK);
	assert_int_equal(keyring_wrap(kr, "label", material, &blob, &blob_len),
	    STATUS_OK);
	blob[4] = 2;
	assert_int_equal(keyring_unwrap(kr, "label", blob, blob_len, &got),
	    STATUS_DECRYPTION_FAILURE);
	blob[4] = 1;
	for (size_t i = 0; i < blob_len; i++) {
		blob[i] ^= 0x80;
		assert_int_equal(keyring_unwrap(kr, "label", blob, blob_len,
		    &got), STATUS_DECRYPTION_FAILURE);
		assert_null(got);
		blob[i] ^= 0x80;
	}
	assert_int_equal(keyring_unwrap(kr, "label", blob, blob_len, &got),
	    STATUS_OK);
	assert_true(secret_buf_equal(got, material));
	secret_buf_free(got);
	free(blob);
	secret_buf_free(material);
	keyring_free(kr);
}

static void
test_root_blob_opens_under_its_generation_only(void **state)
{
	struct secret_buf *k1 = random_key(), *k2 = random_key();
	struct secret_buf *material = random_key(), *got = NULL;
	struct keyring	*kr = keyring_at(k1, 1);
	struct keyring	*only2 = keyring_at(secret_buf_from(k2->data, k2->len),
	    2);
	unsigned char	*old_blob = NULL, *new_blob = NULL;
	size_t		 old_len = 0, new_len = 0;

	assert_int_equal(keyring_wrap(kr, "k", material, &old_blob, &old_len),
	    STATUS_OK);
	assert_int_equal(keyring_add(kr, 2, k2), STATUS_OK);
	assert_int_equal(keyring_set_wrap_generation(kr, 2), STATUS_OK);
	assert_int_equal(keyring_wrap(kr, "k", material, &new_blob, &new_len),
	    STATUS_OK);
	/* The keyring holding both opens both. */
	assert_int_equal(keyring_unwrap(kr, "k", old_blob, old_len, &got),
	    STATUS_OK);
	secret_buf_free(got);
	got = NULL;
	assert_int_equal(keyring_unwrap(kr, "k", new_blob, new_len, &got),
	    STATUS_OK);
	secret_buf_free(got);
	got = NULL;
	/* A keyring holding only generation 2 opens only the new blob. */
	assert_int_equal(keyring_unwrap(only2, "k", old_blob, old_len, &got),
	    STATUS_DECRYPTION_FAILURE);
	assert_int_equal(keyring_unwrap(only2, "k", new_blob, new_len, &got),
	    STATUS_OK);
	secret_buf_free(got);
	free(old_blob);
	free(new_blob);
	secret_buf_free(material);
	keyring_free(kr);
	keyring_free(only2);
}

static void
test_legacy_root_blob_is_generation_one(void **state)
{
	struct secret_buf *root = random_key(), *material = random_key();
	struct secret_buf *got = NULL;
	struct keyring	*kr;
	unsigned char	*legacy = NULL, aad[64];
	size_t		 legacy_len = 0, n = 0;
	uint32_t	 g = 0;
	const char	*parts[2] = { "sesame-root-v1", "legacy-label" };

	/* The format before generations: key_wrap with the plain AAD. */
	for (int i = 0; i < 2; i++) {
		size_t len = strlen(parts[i]);

		aad[n++] = 0;
		aad[n++] = 0;
		aad[n++] = 0;
		aad[n++] = (unsigned char)len;
		memcpy(aad + n, parts[i], len);
		n += len;
	}
	assert_int_equal(key_wrap(root, aad, n, material->data, material->len,
	    &legacy, &legacy_len), STATUS_OK);
	assert_int_equal(keyring_blob_generation(legacy, legacy_len, &g),
	    STATUS_OK);
	assert_int_equal(g, 1);
	kr = keyring_at(root, 1);
	assert_int_equal(keyring_unwrap(kr, "legacy-label", legacy, legacy_len,
	    &got), STATUS_OK);
	assert_true(secret_buf_equal(got, material));
	secret_buf_free(got);
	free(legacy);
	secret_buf_free(material);
	keyring_free(kr);
}

static void
test_link_carries_next_key_under_current(void **state)
{
	struct secret_buf *k1 = random_key(), *k2 = random_key();
	struct secret_buf *k1_copy = secret_buf_from(k1->data, k1->len);
	struct secret_buf *k1_again = secret_buf_from(k1->data, k1->len);
	struct secret_buf *got = NULL, *material = random_key();
	struct keyring	*admin = keyring_at(k1, 1), *server;
	unsigned char	*link = NULL, *blob = NULL;
	size_t		 link_len = 0, blob_len = 0;

	assert_int_equal(keyring_add(admin, 2, k2), STATUS_OK);
	assert_int_equal(keyring_link_make(admin, 2, 1, &link, &link_len),
	    STATUS_OK);
	assert_int_equal(keyring_set_wrap_generation(admin, 2), STATUS_OK);
	assert_int_equal(keyring_wrap(admin, "m", material, &blob, &blob_len),
	    STATUS_OK);
	/* A process with only the old key follows the link. */
	server = keyring_at(k1_copy, 1);
	assert_int_equal(keyring_unwrap(server, "m", blob, blob_len, &got),
	    STATUS_DECRYPTION_FAILURE);
	assert_int_equal(keyring_link_open(server, 2, link, link_len),
	    STATUS_OK);
	assert_true(keyring_has_generation(server, 2));
	assert_int_equal(keyring_unwrap(server, "m", blob, blob_len, &got),
	    STATUS_OK);
	assert_true(secret_buf_equal(got, material));
	secret_buf_free(got);
	/* A link is bound to its target generation. */
	assert_int_equal(keyring_link_open(server, 3, link, link_len),
	    STATUS_DECRYPTION_FAILURE);
	/* An altered link opens for no one, a right key included. */
	keyring_free(server);
	link[link_len - 1] ^= 1;
	server = keyring_at(k1_again, 1);
	assert_int_equal(keyring_link_open(server, 2, link, link_len),
	    STATUS_DECRYPTION_FAILURE);
	assert_false(keyring_has_generation(server, 2));
	free(link);
	free(blob);
	secret_buf_free(material);
	keyring_free(admin);
	keyring_free(server);
}

static void
test_check_of_next_generation_verifies_only_with_next_key(void **state)
{
	struct secret_buf *k1 = random_key(), *k2 = random_key();
	struct secret_buf *k2_copy = secret_buf_from(k2->data, k2->len);
	struct keyring	*kr = keyring_at(k1, 1), *next;
	unsigned char	*check = NULL;
	size_t		 check_len = 0;
	uint32_t	 g = 0;

	assert_int_equal(keyring_add(kr, 2, k2), STATUS_OK);
	assert_int_equal(keyring_check_make_for(kr, 2, &check, &check_len),
	    STATUS_OK);
	assert_int_equal(keyring_blob_generation(check, check_len, &g),
	    STATUS_OK);
	assert_int_equal(g, 2);
	next = keyring_at(k2_copy, 2);
	assert_int_equal(keyring_check_verify(next, check, check_len),
	    STATUS_OK);
	keyring_free(next);
	next = keyring_at(random_key(), 2);
	assert_int_equal(keyring_check_verify(next, check, check_len),
	    STATUS_DECRYPTION_FAILURE);
	free(check);
	keyring_free(next);
	keyring_free(kr);
}

static void
test_adding_a_generation_twice_needs_the_same_key(void **state)
{
	struct secret_buf *k1 = random_key();
	struct secret_buf *again = secret_buf_from(k1->data, k1->len);
	struct keyring	*kr = keyring_at(k1, 1);

	assert_int_equal(keyring_add(kr, 1, again), STATUS_OK);
	assert_int_equal(keyring_add(kr, 1, random_key()),
	    STATUS_DECRYPTION_FAILURE);
	keyring_free(kr);
}

/* The load hook is asked for a missing generation, once per unwrap. */
static int load_calls;
static struct secret_buf *load_key;

static enum status
test_load(void *arg, struct keyring *kr, uint32_t generation)
{
	load_calls++;
	if (generation != 2 || load_key == NULL)
		return STATUS_NOT_FOUND;
	return keyring_add(kr, 2, secret_buf_from(load_key->data,
	    load_key->len));
}

static void
test_load_hook_supplies_missing_generation(void **state)
{
	struct secret_buf *k2 = random_key(), *material = random_key();
	struct secret_buf *got = NULL;
	struct keyring	*writer = keyring_at(secret_buf_from(k2->data,
	    k2->len), 2);
	struct keyring	*reader = keyring_at(random_key(), 1);
	struct keyring_hooks hooks = { NULL, test_load, NULL, NULL };
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(keyring_wrap(writer, "x", material, &blob, &blob_len),
	    STATUS_OK);
	keyring_set_hooks(reader, &hooks);
	load_calls = 0;
	load_key = NULL;
	assert_int_equal(keyring_unwrap(reader, "x", blob, blob_len, &got),
	    STATUS_DECRYPTION_FAILURE);
	assert_int_equal(load_calls, 1);
	load_key = k2;
	assert_int_equal(keyring_unwrap_cached(reader, "x", blob, blob_len,
	    &got), STATUS_OK);
	assert_true(secret_buf_equal(got, material));
	secret_buf_free(got);
	load_key = NULL;
	free(blob);
	secret_buf_free(k2);
	secret_buf_free(material);
	keyring_free(writer);
	keyring_free(reader);
}

/* ---- the split envelope ---- */

static const struct envelope_aad identity = {
	.account_id = "123456789012",
	.secret_arn =
	    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
	.version_id = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE",
	.is_binary = false,
};

static void
test_value_half_is_bound_to_identity(void **state)
{
	struct secret_buf *data_key = random_key(), *plain, *got = NULL;
	struct envelope_aad other = identity;
	unsigned char	*ct = NULL;
	size_t		 ct_len = 0;

	plain = secret_buf_from("s3cret", 6);
	assert_int_equal(envelope_seal_value(data_key, &identity, plain, &ct,
	    &ct_len), STATUS_OK);
	assert_int_equal(ct[0], CRYPTO_FORMAT_V1);
	assert_int_equal(envelope_open_value(data_key, &identity, ct, ct_len,
	    &got), STATUS_OK);
	assert_true(secret_buf_equal(got, plain));
	secret_buf_free(got);
	got = NULL;
	other.version_id = "another";
	assert_int_equal(envelope_open_value(data_key, &other, ct, ct_len,
	    &got), STATUS_DECRYPTION_FAILURE);
	other = identity;
	other.is_binary = true;
	assert_int_equal(envelope_open_value(data_key, &other, ct, ct_len,
	    &got), STATUS_DECRYPTION_FAILURE);
	assert_null(got);
	free(ct);
	secret_buf_free(plain);
	secret_buf_free(data_key);
}

static void
test_legacy_envelope_data_key_can_be_rewrapped(void **state)
{
	struct secret_buf *kms_key = random_key(), *plain, *data_key = NULL;
	struct secret_buf *got = NULL;
	struct sealed_value sealed;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	memset(&sealed, 0, sizeof(sealed));
	plain = secret_buf_from("value", 5);
	assert_int_equal(envelope_seal(kms_key, &identity, plain, &sealed),
	    STATUS_OK);
	assert_int_equal(envelope_unwrap_data_key(kms_key, &identity,
	    sealed.wrapped_key, sealed.wrapped_key_len, &data_key), STATUS_OK);
	/* The data key, now a KMS blob, still opens the old value. */
	assert_int_equal(kms_blob_seal(kms_key, KEY_ID, 2, NULL, 0,
	    data_key->data, data_key->len, &blob, &blob_len), STATUS_OK);
	assert_int_equal(envelope_open_value(data_key, &identity,
	    sealed.ciphertext, sealed.ciphertext_len, &got), STATUS_OK);
	assert_true(secret_buf_equal(got, plain));
	secret_buf_free(got);
	secret_buf_free(data_key);
	data_key = NULL;
	sealed.wrapped_key[sealed.wrapped_key_len - 1] ^= 1;
	assert_int_equal(envelope_unwrap_data_key(kms_key, &identity,
	    sealed.wrapped_key, sealed.wrapped_key_len, &data_key),
	    STATUS_DECRYPTION_FAILURE);
	free(blob);
	sealed_value_cleanup(&sealed);
	secret_buf_free(plain);
	secret_buf_free(kms_key);
}

/* ---- data keys kept once opened (core/data_key_cache.c) ---- */

static struct secret_buf *
key_of(unsigned char fill)
{
	struct secret_buf *k = secret_buf_new(CRYPTO_KEY_LEN);

	assert_non_null(k);
	memset(k->data, fill, CRYPTO_KEY_LEN);
	k->len = CRYPTO_KEY_LEN;
	return k;
}

/* Whether the cache answers for these inputs (a copy of dk if so). */
static bool
cached(const char *arn, const unsigned char *wrapped, size_t wrapped_len,
    const struct kms_context_pair *pairs, size_t pair_count,
    const struct secret_buf *dk)
{
	struct data_key_id	 id;
	struct secret_buf	*got = NULL;
	bool			 hit;

	(void)data_key_id_make(&id, arn, wrapped, wrapped_len, pairs,
	    pair_count);
	hit = data_key_cache_get(&id, &got) == STATUS_OK;
	if (hit) {
		assert_int_equal(got->len, CRYPTO_KEY_LEN);
		assert_memory_equal(got->data, dk->data, CRYPTO_KEY_LEN);
		assert_ptr_not_equal(got, dk);	/* a copy */
	} else
		assert_null(got);
	secret_buf_free(got);
	return hit;
}

static void
put(const char *arn, const unsigned char *wrapped, size_t wrapped_len,
    const struct kms_context_pair *pairs, const struct secret_buf *dk)
{
	struct data_key_id id;

	(void)data_key_id_make(&id, arn, wrapped, wrapped_len, pairs, 2);
	data_key_cache_put(&id, dk);
}

static void
test_data_key_cache_answers_only_the_same_inputs(void **state)
{
	static const char arn[] = "arn:aws:kms:us-east-1:111122223333:key/"
	    "11111111-2222-3333-4444-555555555555";
	struct kms_context_pair	 pairs[2] = {
		{ "SecretARN", "arn:aws:secretsmanager:us-east-1:111122223333:"
		    "secret:a-AbCdEf" },
		{ "SecretVersionId", "v1" },
	};
	struct kms_context_pair	 other[2] = { pairs[0], { "SecretVersionId",
	    "v2" } };
	struct kms_context_pair	 moved[2] = { { "SecretARNS", "ecretVersionId" },
	    { "", "v1" } };
	unsigned char		 wrapped[60], altered[60], huge[200];
	struct secret_buf	*dk = key_of(0x5a);
	struct data_key_id	 id;

	(void)state;
	memset(wrapped, 0x11, sizeof(wrapped));
	memcpy(altered, wrapped, sizeof(altered));
	altered[59] ^= 1;
	memset(huge, 0x22, sizeof(huge));
	data_key_cache_clear();
	assert_false(cached(arn, wrapped, sizeof(wrapped), pairs, 2, dk));
	put(arn, wrapped, sizeof(wrapped), pairs, dk);
	assert_true(cached(arn, wrapped, sizeof(wrapped), pairs, 2, dk));
	/* Any input that differs is a miss: the key, the bytes, the context
	 * (also when only the split between its parts moves). */
	assert_false(cached("arn:aws:kms:us-east-1:111122223333:key/other",
	    wrapped, sizeof(wrapped), pairs, 2, dk));
	assert_false(cached(arn, altered, sizeof(altered), pairs, 2, dk));
	assert_false(cached(arn, wrapped, sizeof(wrapped) - 1, pairs, 2, dk));
	assert_false(cached(arn, wrapped, sizeof(wrapped), other, 2, dk));
	assert_false(cached(arn, wrapped, sizeof(wrapped), moved, 2, dk));
	assert_false(cached(arn, wrapped, sizeof(wrapped), pairs, 1, dk));
	/* Wrapped keys longer than any Sesame makes are not kept. */
	assert_false(data_key_id_make(&id, arn, huge, sizeof(huge), pairs, 2));
	put(arn, huge, sizeof(huge), pairs, dk);
	assert_false(cached(arn, huge, sizeof(huge), pairs, 2, dk));
	data_key_cache_clear();
	assert_false(cached(arn, wrapped, sizeof(wrapped), pairs, 2, dk));
	secret_buf_free(dk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kms_blob_round_trip_names_key_and_version),
		cmocka_unit_test(test_kms_blob_any_altered_byte_fails),
		cmocka_unit_test(test_kms_blob_unknown_version_byte_is_refused),
		cmocka_unit_test(test_kms_blob_context_must_match_exactly),
		cmocka_unit_test(test_kms_blob_header_swap_to_other_key_fails),
		cmocka_unit_test(test_kms_blob_wrong_material_fails),
		cmocka_unit_test(test_kms_blob_refuses_bad_key_ids),
		cmocka_unit_test(test_root_blob_records_its_generation),
		cmocka_unit_test(
		    test_root_blob_generation_header_is_authenticated),
		cmocka_unit_test(test_root_blob_opens_under_its_generation_only),
		cmocka_unit_test(test_legacy_root_blob_is_generation_one),
		cmocka_unit_test(test_link_carries_next_key_under_current),
		cmocka_unit_test(
		    test_check_of_next_generation_verifies_only_with_next_key),
		cmocka_unit_test(test_adding_a_generation_twice_needs_the_same_key),
		cmocka_unit_test(test_load_hook_supplies_missing_generation),
		cmocka_unit_test(test_value_half_is_bound_to_identity),
		cmocka_unit_test(test_legacy_envelope_data_key_can_be_rewrapped),
		cmocka_unit_test(test_data_key_cache_answers_only_the_same_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
