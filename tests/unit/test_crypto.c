/*
 * test_crypto.c: unit tests for src/crypto: secret_buf, encodings, key
 * wrapping, envelopes (round trips and every way a ciphertext can be moved
 * or altered), the keyring and its cache, and root key files.
 *
 * Root key file tests work in a fresh mkdtemp directory and remove it.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/crypto.h"

static const struct envelope_aad test_identity = {
	.account_id = "123456789012",
	.secret_arn =
	    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
	.version_id = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE",
	.is_binary = false,
};

static struct secret_buf *
test_random_key(void)
{
	struct secret_buf *key;

	key = secret_buf_new(CRYPTO_KEY_LEN);
	assert_non_null(key);
	assert_int_equal(random_bytes(key->data, CRYPTO_KEY_LEN), STATUS_OK);
	key->len = CRYPTO_KEY_LEN;
	return key;
}

static void
test_seal(const struct secret_buf *kms_key, const struct envelope_aad *aad,
    const char *value, struct sealed_value *sealed)
{
	struct secret_buf *plain;

	plain = secret_buf_from(value, strlen(value));
	assert_non_null(plain);
	assert_int_equal(envelope_seal(kms_key, aad, plain, sealed), STATUS_OK);
	secret_buf_free(plain);
}

static void
test_open_fails(const struct secret_buf *kms_key,
    const struct envelope_aad *aad, const struct sealed_value *sealed)
{
	struct secret_buf *plain = NULL;

	assert_int_equal(envelope_open(kms_key, aad, sealed, &plain),
	    STATUS_DECRYPTION_FAILURE);
	assert_null(plain);
}

/* ---- secret_buf ---- */

static void
test_secret_buf_is_terminated_and_grows_on_append(void **state)
{
	struct secret_buf *sb;
	unsigned char	 chunk[1000];
	size_t		 i;

	sb = secret_buf_new(0);
	assert_non_null(sb);
	assert_int_equal(sb->len, 0);
	assert_true(sb->cap > sb->len);
	assert_int_equal(sb->data[0], '\0');
	for (i = 0; i < 20; i++) {
		memset(chunk, 'a' + (int)i, sizeof(chunk));
		assert_int_equal(secret_buf_append(sb, chunk, sizeof(chunk)),
		    STATUS_OK);
		assert_int_equal(sb->len, (i + 1) * sizeof(chunk));
		assert_true(sb->cap > sb->len);
		assert_int_equal(sb->data[sb->len], '\0');
	}
	for (i = 0; i < 20 * sizeof(chunk); i++)
		assert_int_equal(sb->data[i], 'a' + (int)(i / sizeof(chunk)));
	assert_int_equal(secret_buf_append(sb, NULL, 0), STATUS_OK);
	assert_int_equal(sb->len, 20 * sizeof(chunk));
	secret_buf_free(sb);
	secret_buf_free(NULL);
}

static void
test_secret_buf_append_from_itself_across_growth(void **state)
{
	struct secret_buf *sb;
	size_t		 len;

	sb = secret_buf_from("abc", 3);
	assert_non_null(sb);
	/* Doubling the contents again and again forces several moves. */
	while (sb->len < 3 * 4096) {
		len = sb->len;
		assert_int_equal(secret_buf_append(sb, sb->data, len),
		    STATUS_OK);
		assert_int_equal(sb->len, 2 * len);
	}
	assert_memory_equal(sb->data, "abcabcabc", 9);
	assert_memory_equal(sb->data + sb->len - 3, "abc", 3);
	secret_buf_free(sb);
}

static void
test_secret_buf_equal_compares_length_and_contents(void **state)
{
	struct secret_buf *a, *b, *c, *d, *e1, *e2;

	a = secret_buf_from("secret", 6);
	b = secret_buf_from("secret", 6);
	c = secret_buf_from("secreT", 6);
	d = secret_buf_from("secret!", 7);
	e1 = secret_buf_new(10);
	e2 = secret_buf_from(NULL, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_non_null(d);
	assert_non_null(e1);
	assert_non_null(e2);
	assert_true(secret_buf_equal(a, b));
	assert_false(secret_buf_equal(a, c));
	assert_false(secret_buf_equal(a, d));
	assert_true(secret_buf_equal(e1, e2));
	assert_false(secret_buf_equal(a, NULL));
	secret_buf_free(a);
	secret_buf_free(b);
	secret_buf_free(c);
	secret_buf_free(d);
	secret_buf_free(e1);
	secret_buf_free(e2);
}

/* ---- random ---- */

static void
test_random_uniform_stays_in_bounds(void **state)
{
	uint32_t	 v = 7;
	int		 i;

	assert_int_not_equal(random_uniform(0, &v), STATUS_OK);
	for (i = 0; i < 100; i++) {
		assert_int_equal(random_uniform(1, &v), STATUS_OK);
		assert_int_equal(v, 0);
		assert_int_equal(random_uniform(3, &v), STATUS_OK);
		assert_true(v < 3);
		assert_int_equal(random_uniform(UINT32_MAX, &v), STATUS_OK);
		assert_true(v < UINT32_MAX);
	}
}

/* Ids from the per-thread buffer: across several refills no two draws
 * are equal, and oversized or missing buffers are refused. */
static void
test_random_id_bytes_never_repeat(void **state)
{
	static unsigned char ids[200][16];
	unsigned char	 big[65];

	assert_int_not_equal(random_id_bytes(NULL, 16), STATUS_OK);
	assert_int_not_equal(random_id_bytes(big, sizeof(big)), STATUS_OK);
	for (int i = 0; i < 200; i++)
		assert_int_equal(random_id_bytes(ids[i], 16), STATUS_OK);
	for (int i = 0; i < 200; i++)
		for (int j = i + 1; j < 200; j++)
			assert_memory_not_equal(ids[i], ids[j], 16);
}

static void
test_random_string_draws_from_alphabet(void **state)
{
	char	 s[256];
	size_t	 i;

	assert_int_equal(random_string("xyz", sizeof(s), s), STATUS_OK);
	for (i = 0; i < sizeof(s); i++)
		assert_non_null(strchr("xyz", s[i]));
	assert_int_not_equal(random_string("", 4, s), STATUS_OK);
}

/* ---- encodings ---- */

static void
test_hex_encode_is_lowercase(void **state)
{
	const unsigned char in[] = { 0x00, 0x9f, 0xab, 0xff };
	char		 out[2 * sizeof(in) + 1];

	hex_encode(in, sizeof(in), out);
	assert_string_equal(out, "009fabff");
}

static void
test_base64_rfc4648_vectors(void **state)
{
	static const char *const plain[] = {
		"", "f", "fo", "foo", "foob", "fooba", "foobar",
	};
	static const char *const encoded[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
	};
	struct secret_buf *dec;
	char		*enc;
	size_t		 i;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		assert_int_equal(base64_encode((const unsigned char *)plain[i],
		    strlen(plain[i]), &enc), STATUS_OK);
		assert_string_equal(enc, encoded[i]);
		free(enc);
		dec = NULL;
		assert_int_equal(base64_decode_secret(encoded[i],
		    strlen(encoded[i]), &dec), STATUS_OK);
		assert_int_equal(dec->len, strlen(plain[i]));
		assert_memory_equal(dec->data, plain[i], dec->len);
		assert_int_equal(dec->data[dec->len], '\0');
		secret_buf_free(dec);
	}
}

static void
test_base64_round_trips_every_byte_and_length(void **state)
{
	unsigned char	 in[300];
	struct secret_buf *dec;
	char		*enc;
	size_t		 len, i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	for (len = 0; len <= sizeof(in); len++) {
		assert_int_equal(base64_encode(in, len, &enc), STATUS_OK);
		assert_int_equal(strlen(enc), (len + 2) / 3 * 4);
		dec = NULL;
		assert_int_equal(base64_decode_secret(enc, strlen(enc), &dec),
		    STATUS_OK);
		assert_int_equal(dec->len, len);
		assert_memory_equal(dec->data, in, len);
		secret_buf_free(dec);
		free(enc);
	}
}

static void
test_base64_decode_is_strict(void **state)
{
	static const char *const bad[] = {
		"Zg",		/* missing padding */
		"Zg=",		/* short padding */
		"Zm9",		/* not a multiple of 4 */
		"Zg=a",		/* character after padding */
		"Z===",		/* too much padding */
		"====",		/* padding only */
		"Zg==Zm9v",	/* padding before the end */
		"Zm9v\n",	/* trailing newline */
		" Zm9v",	/* leading space */
		"Zm 9",		/* embedded space */
		"Zm9v\r\n",	/* CRLF */
		"Zm-v",		/* URL-safe alphabet */
		"Zm_v",		/* URL-safe alphabet */
		"Zh==",		/* non-zero unused bits */
		"Zm9=",		/* non-zero unused bits */
		"Zm9\xc3",	/* non-ASCII */
	};
	struct secret_buf *dec;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dec = NULL;
		assert_int_equal(base64_decode_secret(bad[i], strlen(bad[i]),
		    &dec), STATUS_INVALID_PARAMETER);
		assert_null(dec);
	}
	/* An embedded NUL counts: the length, not the terminator, rules. */
	dec = NULL;
	assert_int_equal(base64_decode_secret("Zm\0v", 4, &dec),
	    STATUS_INVALID_PARAMETER);
	assert_null(dec);
}

/* ---- key wrapping ---- */

static void
test_key_wrap_format_and_round_trip(void **state)
{
	struct secret_buf *kek = test_random_key(), *plain = NULL;
	unsigned char	*blob = NULL, *blob2 = NULL;
	size_t		 blob_len = 0, blob2_len = 0;

	assert_int_equal(key_wrap(kek, "aad", 3, "material", 8, &blob,
	    &blob_len), STATUS_OK);
	assert_int_equal(blob_len, 1 + CRYPTO_NONCE_LEN + 8 + CRYPTO_TAG_LEN);
	assert_int_equal(blob[0], CRYPTO_FORMAT_V1);
	assert_int_equal(key_unwrap(kek, "aad", 3, blob, blob_len, &plain),
	    STATUS_OK);
	assert_int_equal(plain->len, 8);
	assert_memory_equal(plain->data, "material", 8);
	/* Fresh nonce each time: same input, different blob. */
	assert_int_equal(key_wrap(kek, "aad", 3, "material", 8, &blob2,
	    &blob2_len), STATUS_OK);
	assert_int_equal(blob2_len, blob_len);
	assert_memory_not_equal(blob, blob2, blob_len);
	secret_buf_free(plain);
	free(blob);
	free(blob2);
	secret_buf_free(kek);
}

static void
test_key_unwrap_refuses_wrong_key_or_label(void **state)
{
	struct secret_buf *kek = test_random_key(), *other = test_random_key();
	struct secret_buf *plain = NULL;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(key_wrap(kek, "label-a", 7, "material", 8, &blob,
	    &blob_len), STATUS_OK);
	assert_int_equal(key_unwrap(other, "label-a", 7, blob, blob_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	assert_int_equal(key_unwrap(kek, "label-b", 7, blob, blob_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	assert_int_equal(key_unwrap(kek, NULL, 0, blob, blob_len, &plain),
	    STATUS_DECRYPTION_FAILURE);
	assert_int_equal(key_unwrap(kek, "label-a", 6, blob, blob_len,
	    &plain), STATUS_DECRYPTION_FAILURE);
	assert_null(plain);
	free(blob);
	secret_buf_free(kek);
	secret_buf_free(other);
}

static void
test_key_unwrap_refuses_unknown_version_and_short_blobs(void **state)
{
	struct secret_buf *kek = test_random_key(), *plain = NULL;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0, len;

	assert_int_equal(key_wrap(kek, NULL, 0, "", 0, &blob, &blob_len),
	    STATUS_OK);
	assert_int_equal(blob_len, 1 + CRYPTO_NONCE_LEN + CRYPTO_TAG_LEN);
	assert_int_equal(key_unwrap(kek, NULL, 0, blob, blob_len, &plain),
	    STATUS_OK);
	assert_int_equal(plain->len, 0);
	secret_buf_free(plain);
	plain = NULL;

	blob[0] = 0x02;
	assert_int_equal(key_unwrap(kek, NULL, 0, blob, blob_len, &plain),
	    STATUS_DECRYPTION_FAILURE);
	blob[0] = 0x00;
	assert_int_equal(key_unwrap(kek, NULL, 0, blob, blob_len, &plain),
	    STATUS_DECRYPTION_FAILURE);
	blob[0] = CRYPTO_FORMAT_V1;
	for (len = 0; len < blob_len; len++)
		assert_int_equal(key_unwrap(kek, NULL, 0, blob, len, &plain),
		    STATUS_DECRYPTION_FAILURE);
	assert_int_equal(key_unwrap(kek, NULL, 0, NULL, 0, &plain),
	    STATUS_DECRYPTION_FAILURE);
	assert_null(plain);
	free(blob);
	secret_buf_free(kek);
}

/* ---- envelope ---- */

static void
test_envelope_round_trip_string(void **state)
{
	struct secret_buf *kms_key = test_random_key(), *plain = NULL;
	struct sealed_value sealed;
	const char	*value =
	    "{\"username\":\"admin\",\"password\":\"hunter2\"}";

	test_seal(kms_key, &test_identity, value, &sealed);
	assert_int_equal(sealed.ciphertext[0], CRYPTO_FORMAT_V1);
	assert_int_equal(sealed.ciphertext_len,
	    1 + CRYPTO_NONCE_LEN + strlen(value) + CRYPTO_TAG_LEN);
	assert_int_equal(sealed.wrapped_key_len,
	    1 + CRYPTO_NONCE_LEN + CRYPTO_KEY_LEN + CRYPTO_TAG_LEN);
	assert_null(memmem(sealed.ciphertext, sealed.ciphertext_len, "hunter2",
	    7));
	assert_int_equal(envelope_open(kms_key, &test_identity, &sealed,
	    &plain), STATUS_OK);
	assert_int_equal(plain->len, strlen(value));
	assert_string_equal((const char *)plain->data, value);
	secret_buf_free(plain);
	sealed_value_cleanup(&sealed);
	assert_null(sealed.ciphertext);
	assert_null(sealed.wrapped_key);
	sealed_value_cleanup(NULL);
	secret_buf_free(kms_key);
}

static void
test_envelope_round_trip_binary(void **state)
{
	struct secret_buf *kms_key = test_random_key(), *plain, *opened = NULL;
	struct envelope_aad aad = test_identity;
	struct sealed_value sealed;
	unsigned char	 bytes[256];
	size_t		 i;

	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (unsigned char)i;
	aad.is_binary = true;
	plain = secret_buf_from(bytes, sizeof(bytes));
	assert_non_null(plain);
	assert_int_equal(envelope_seal(kms_key, &aad, plain, &sealed),
	    STATUS_OK);
	assert_int_equal(envelope_open(kms_key, &aad, &sealed, &opened),
	    STATUS_OK);
	assert_true(secret_buf_equal(plain, opened));
	secret_buf_free(opened);
	secret_buf_free(plain);
	sealed_value_cleanup(&sealed);
	secret_buf_free(kms_key);
}

static void
test_envelope_detects_any_flipped_byte(void **state)
{
	struct secret_buf *kms_key = test_random_key();
	struct sealed_value sealed;
	size_t		 i;

	test_seal(kms_key, &test_identity, "s3cr3t-value", &sealed);
	for (i = 0; i < sealed.ciphertext_len; i++) {
		sealed.ciphertext[i] ^= 0x01;
		test_open_fails(kms_key, &test_identity, &sealed);
		sealed.ciphertext[i] ^= 0x01;
	}
	for (i = 0; i < sealed.wrapped_key_len; i++) {
		sealed.wrapped_key[i] ^= 0x80;
		test_open_fails(kms_key, &test_identity, &sealed);
		sealed.wrapped_key[i] ^= 0x80;
	}
	/* Truncation and extension fail too. */
	sealed.ciphertext_len--;
	test_open_fails(kms_key, &test_identity, &sealed);
	sealed.ciphertext_len++;
	sealed.wrapped_key_len--;
	test_open_fails(kms_key, &test_identity, &sealed);
	sealed.wrapped_key_len++;
	sealed_value_cleanup(&sealed);
	secret_buf_free(kms_key);
}

static void
test_envelope_refuses_other_identity(void **state)
{
	struct secret_buf *kms_key = test_random_key();
	struct secret_buf *other_key = test_random_key();
	struct envelope_aad aad;
	struct sealed_value sealed;

	test_seal(kms_key, &test_identity, "value", &sealed);

	aad = test_identity;
	aad.account_id = "210987654321";
	test_open_fails(kms_key, &aad, &sealed);
	aad = test_identity;
	aad.secret_arn =
	    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-XxXxXx";
	test_open_fails(kms_key, &aad, &sealed);
	aad = test_identity;
	aad.version_id = "EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE";
	test_open_fails(kms_key, &aad, &sealed);
	aad = test_identity;
	aad.is_binary = true;
	test_open_fails(kms_key, &aad, &sealed);
	test_open_fails(other_key, &test_identity, &sealed);

	sealed_value_cleanup(&sealed);
	secret_buf_free(kms_key);
	secret_buf_free(other_key);
}

static void
test_ciphertext_moved_to_other_secret_fails(void **state)
{
	struct secret_buf *kms_key = test_random_key();
	struct envelope_aad aad_b = test_identity;
	struct sealed_value a, b, mixed;

	aad_b.secret_arn =
	    "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-QwErTy";
	test_seal(kms_key, &test_identity, "value of a", &a);
	test_seal(kms_key, &aad_b, "value of b", &b);

	/* a's whole row presented as b's. */
	test_open_fails(kms_key, &aad_b, &a);
	/* a's value with b's (valid) data key, and the other way round. */
	mixed = b;
	mixed.ciphertext = a.ciphertext;
	mixed.ciphertext_len = a.ciphertext_len;
	test_open_fails(kms_key, &aad_b, &mixed);
	mixed = a;
	mixed.wrapped_key = b.wrapped_key;
	mixed.wrapped_key_len = b.wrapped_key_len;
	test_open_fails(kms_key, &test_identity, &mixed);

	sealed_value_cleanup(&a);
	sealed_value_cleanup(&b);
	secret_buf_free(kms_key);
}

static void
test_envelope_aad_fields_do_not_run_together(void **state)
{
	struct secret_buf *kms_key = test_random_key();
	struct envelope_aad aad = { "12", "3abc", "v1", false };
	struct envelope_aad shifted = { "123", "abc", "v1", false };
	struct sealed_value sealed;

	test_seal(kms_key, &aad, "value", &sealed);
	test_open_fails(kms_key, &shifted, &sealed);
	sealed_value_cleanup(&sealed);
	secret_buf_free(kms_key);
}

static void
test_envelope_seal_refuses_bad_arguments(void **state)
{
	struct secret_buf *kms_key = test_random_key(), *plain;
	struct secret_buf *short_key;
	struct envelope_aad aad = test_identity;
	struct sealed_value sealed = { 0 };

	plain = secret_buf_from("v", 1);
	short_key = secret_buf_from("short", 5);
	assert_int_equal(envelope_seal(short_key, &aad, plain, &sealed),
	    STATUS_ENCRYPTION_FAILURE);
	aad.version_id = NULL;
	assert_int_equal(envelope_seal(kms_key, &aad, plain, &sealed),
	    STATUS_ENCRYPTION_FAILURE);
	assert_null(sealed.ciphertext);
	assert_null(sealed.wrapped_key);
	secret_buf_free(plain);
	secret_buf_free(short_key);
	secret_buf_free(kms_key);
}

/* ---- keyring ---- */

static struct keyring *
test_keyring(struct secret_buf *root_key)
{
	struct keyring	*kr = NULL;

	assert_int_equal(keyring_new(root_key, &kr), STATUS_OK);
	assert_non_null(kr);
	return kr;
}

static void
test_keyring_check_accepts_right_root_key_only(void **state)
{
	struct secret_buf *root = test_random_key();
	struct secret_buf *same = secret_buf_from(root->data, root->len);
	struct keyring	*kr = test_keyring(root);
	struct keyring	*kr_same = test_keyring(same);
	struct keyring	*kr_other = test_keyring(test_random_key());
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(keyring_check_make(kr, &blob, &blob_len), STATUS_OK);
	assert_int_equal(keyring_check_verify(kr, blob, blob_len), STATUS_OK);
	assert_int_equal(keyring_check_verify(kr_same, blob, blob_len),
	    STATUS_OK);
	assert_int_equal(keyring_check_verify(kr_other, blob, blob_len),
	    STATUS_DECRYPTION_FAILURE);
	blob[blob_len - 1] ^= 1;
	assert_int_equal(keyring_check_verify(kr, blob, blob_len),
	    STATUS_DECRYPTION_FAILURE);
	free(blob);
	keyring_free(kr);
	keyring_free(kr_same);
	keyring_free(kr_other);
}

static void
test_keyring_unwrap_is_bound_to_label(void **state)
{
	struct keyring	*kr = test_keyring(test_random_key());
	struct secret_buf *material = test_random_key(), *got = NULL;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;
	const char	*label = "arn:aws:kms:us-east-1:123456789012:key/one";

	assert_int_equal(keyring_wrap(kr, label, material, &blob, &blob_len),
	    STATUS_OK);
	assert_int_equal(keyring_unwrap(kr, label, blob, blob_len, &got),
	    STATUS_OK);
	assert_true(secret_buf_equal(got, material));
	secret_buf_free(got);
	got = NULL;
	assert_int_equal(keyring_unwrap(kr,
	    "arn:aws:kms:us-east-1:123456789012:key/two", blob, blob_len, &got),
	    STATUS_DECRYPTION_FAILURE);
	assert_int_equal(keyring_unwrap_cached(kr, "root-key-check", blob,
	    blob_len, &got), STATUS_DECRYPTION_FAILURE);
	assert_null(got);
	free(blob);
	secret_buf_free(material);
	keyring_free(kr);
}

static void
test_keyring_cache_returns_same_material_as_copies(void **state)
{
	struct keyring	*kr = test_keyring(test_random_key());
	struct secret_buf *material = test_random_key();
	struct secret_buf *first = NULL, *second = NULL;
	unsigned char	*blob = NULL;
	size_t		 blob_len = 0;

	assert_int_equal(keyring_wrap(kr, "key-a", material, &blob, &blob_len),
	    STATUS_OK);
	assert_int_equal(keyring_unwrap_cached(kr, "key-a", blob, blob_len,
	    &first), STATUS_OK);
	assert_int_equal(keyring_unwrap_cached(kr, "key-a", blob, blob_len,
	    &second), STATUS_OK);
	assert_true(secret_buf_equal(first, material));
	assert_true(secret_buf_equal(second, material));
	assert_ptr_not_equal(first, second);
	assert_ptr_not_equal(first->data, second->data);
	/* The caller's copy is its own: scribbling on it leaves the cache. */
	memset(first->data, 0, first->len);
	secret_buf_free(second);
	second = NULL;
	assert_int_equal(keyring_unwrap_cached(kr, "key-a", blob, blob_len,
	    &second), STATUS_OK);
	assert_true(secret_buf_equal(second, material));
	secret_buf_free(first);
	secret_buf_free(second);
	free(blob);
	secret_buf_free(material);
	keyring_free(kr);
}

static void
test_keyring_cache_does_not_return_stale_material(void **state)
{
	struct keyring	*kr = test_keyring(test_random_key());
	struct secret_buf *old = test_random_key(), *new = test_random_key();
	struct secret_buf *got = NULL;
	unsigned char	*old_blob = NULL, *new_blob = NULL;
	size_t		 old_len = 0, new_len = 0;

	assert_int_equal(keyring_wrap(kr, "key-a", old, &old_blob, &old_len),
	    STATUS_OK);
	assert_int_equal(keyring_wrap(kr, "key-a", new, &new_blob, &new_len),
	    STATUS_OK);
	assert_int_equal(keyring_unwrap_cached(kr, "key-a", old_blob, old_len,
	    &got), STATUS_OK);
	assert_true(secret_buf_equal(got, old));
	secret_buf_free(got);
	got = NULL;
	/* Same label, new blob: the cached old material must not come back. */
	assert_int_equal(keyring_unwrap_cached(kr, "key-a", new_blob, new_len,
	    &got), STATUS_OK);
	assert_true(secret_buf_equal(got, new));
	secret_buf_free(got);
	got = NULL;
	/* An altered blob is not served from the cache either. */
	new_blob[new_len / 2] ^= 1;
	assert_int_equal(keyring_unwrap_cached(kr, "key-a", new_blob, new_len,
	    &got), STATUS_DECRYPTION_FAILURE);
	assert_null(got);
	free(old_blob);
	free(new_blob);
	secret_buf_free(old);
	secret_buf_free(new);
	keyring_free(kr);
}

static void
test_keyring_cache_stays_correct_past_its_bound(void **state)
{
	struct keyring	*kr = test_keyring(test_random_key());
	struct secret_buf *material, *got;
	unsigned char	*blob;
	size_t		 blob_len;
	char		 label[32];
	unsigned char	 first_blob[128];
	size_t		 first_len = 0;
	int		 i;

	/* More labels than the cache holds, so eviction runs. */
	for (i = 0; i < 5000; i++) {
		snprintf(label, sizeof(label), "key-%d", i);
		material = secret_buf_from(label, strlen(label));
		assert_non_null(material);
		assert_int_equal(keyring_wrap(kr, label, material, &blob,
		    &blob_len), STATUS_OK);
		if (i == 0) {
			assert_true(blob_len <= sizeof(first_blob));
			memcpy(first_blob, blob, blob_len);
			first_len = blob_len;
		}
		got = NULL;
		assert_int_equal(keyring_unwrap_cached(kr, label, blob,
		    blob_len, &got), STATUS_OK);
		assert_true(secret_buf_equal(got, material));
		secret_buf_free(got);
		secret_buf_free(material);
		free(blob);
	}
	got = NULL;
	assert_int_equal(keyring_unwrap_cached(kr, "key-0", first_blob,
	    first_len, &got), STATUS_OK);
	assert_int_equal(got->len, 5);
	assert_memory_equal(got->data, "key-0", 5);
	secret_buf_free(got);
	keyring_free(kr);
}

static void
test_keyring_new_takes_root_key_even_on_failure(void **state)
{
	struct keyring	*kr = NULL;

	/* A short key is refused, and freed (ASan would report a leak). */
	assert_int_not_equal(keyring_new(secret_buf_from("short", 5), &kr),
	    STATUS_OK);
	assert_null(kr);
	keyring_free(NULL);
}

/* ---- root key files ---- */

struct test_dir {
	char	 path[64];
	char	 key_path[128];
};

static int
test_dir_setup(void **state)
{
	struct test_dir	*td;

	if ((td = calloc(1, sizeof(*td))) == NULL)
		return -1;
	snprintf(td->path, sizeof(td->path), "/tmp/sesame-test-XXXXXX");
	if (mkdtemp(td->path) == NULL) {
		free(td);
		return -1;
	}
	snprintf(td->key_path, sizeof(td->key_path), "%s/root.key", td->path);
	*state = td;
	return 0;
}

static int
test_dir_teardown(void **state)
{
	struct test_dir	*td = *state;

	unlink(td->key_path);
	rmdir(td->path);
	free(td);
	return 0;
}

static void
test_write_file(const char *path, const char *contents, mode_t mode)
{
	FILE	*f;

	unlink(path);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(contents, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

#define TEST_KEY_HEX \
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1F"

static void
test_root_key_file_with_loose_permissions_is_refused(void **state)
{
	struct test_dir	*td = *state;
	struct secret_buf *key = NULL;
	struct error	 err;
	const mode_t	 loose[] = { 0644, 0640, 0604, 0660, 0602, 0620 };
	char		 want[32];
	size_t		 i;

	for (i = 0; i < sizeof(loose) / sizeof(loose[0]); i++) {
		test_write_file(td->key_path, TEST_KEY_HEX "\n", loose[i]);
		error_clear(&err);
		assert_int_equal(root_key_load_file(td->key_path, &key, &err),
		    STATUS_INVALID_REQUEST);
		assert_null(key);
		snprintf(want, sizeof(want), "permissions %04o",
		    (unsigned)loose[i]);
		assert_non_null(strstr(err.message, want));
		assert_non_null(strstr(err.message, "chmod 600"));
		assert_null(strstr(err.message, "0a0b0c"));
	}
}

static void
test_root_key_file_private_is_accepted(void **state)
{
	struct test_dir	*td = *state;
	struct secret_buf *key = NULL, *want = NULL;
	struct error	 err;

	assert_int_equal(root_key_parse_hex(TEST_KEY_HEX, &want, &err),
	    STATUS_OK);
	assert_int_equal(want->len, CRYPTO_KEY_LEN);
	assert_int_equal(want->data[0], 0x00);
	assert_int_equal(want->data[31], 0x1f);

	test_write_file(td->key_path, TEST_KEY_HEX "\n", 0600);
	assert_int_equal(root_key_load_file(td->key_path, &key, &err),
	    STATUS_OK);
	assert_true(secret_buf_equal(key, want));
	secret_buf_free(key);
	key = NULL;

	test_write_file(td->key_path, TEST_KEY_HEX, 0400);
	assert_int_equal(root_key_load_file(td->key_path, &key, &err),
	    STATUS_OK);
	assert_true(secret_buf_equal(key, want));
	secret_buf_free(key);
	secret_buf_free(want);
}

static void
test_root_key_bad_hex_is_refused(void **state)
{
	struct test_dir	*td = *state;
	static const char *const bad[] = {
		"",
		TEST_KEY_HEX "\n\n",
		TEST_KEY_HEX "00",
		TEST_KEY_HEX " ",
		TEST_KEY_HEX "\r\n",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1",
		"g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1G",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e:f",
		" 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	};
	struct secret_buf *key = NULL;
	struct error	 err;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		test_write_file(td->key_path, bad[i], 0600);
		error_clear(&err);
		assert_int_equal(root_key_load_file(td->key_path, &key, &err),
		    STATUS_INVALID_REQUEST);
		assert_null(key);
		assert_non_null(strstr(err.message, "64 hex characters"));
	}
	assert_int_equal(root_key_parse_hex(TEST_KEY_HEX "\n", &key, &err),
	    STATUS_INVALID_REQUEST);
	assert_int_equal(root_key_parse_hex("zz", &key, &err),
	    STATUS_INVALID_REQUEST);
	assert_null(key);
	assert_int_equal(root_key_load_file("/nonexistent/sesame/root.key",
	    &key, &err), STATUS_IO);
	assert_null(key);
}

static void
test_root_key_generate_file_is_private_and_loadable(void **state)
{
	struct test_dir	*td = *state;
	struct secret_buf *key = NULL;
	struct error	 err;
	struct stat	 sb;

	unlink(td->key_path);
	assert_int_equal(root_key_generate_file(td->key_path, &err),
	    STATUS_OK);
	assert_int_equal(stat(td->key_path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(sb.st_size, 65);
	assert_int_equal(root_key_load_file(td->key_path, &key, &err),
	    STATUS_OK);
	assert_int_equal(key->len, CRYPTO_KEY_LEN);
	secret_buf_free(key);
	/* Never overwrites an existing key. */
	assert_int_equal(root_key_generate_file(td->key_path, &err),
	    STATUS_EXISTS);
	assert_int_equal(stat(td->key_path, &sb), 0);
	assert_int_equal(sb.st_size, 65);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secret_buf_is_terminated_and_grows_on_append),
		cmocka_unit_test(test_secret_buf_append_from_itself_across_growth),
		cmocka_unit_test(test_secret_buf_equal_compares_length_and_contents),
		cmocka_unit_test(test_random_uniform_stays_in_bounds),
		cmocka_unit_test(test_random_id_bytes_never_repeat),
		cmocka_unit_test(test_random_string_draws_from_alphabet),
		cmocka_unit_test(test_hex_encode_is_lowercase),
		cmocka_unit_test(test_base64_rfc4648_vectors),
		cmocka_unit_test(test_base64_round_trips_every_byte_and_length),
		cmocka_unit_test(test_base64_decode_is_strict),
		cmocka_unit_test(test_key_wrap_format_and_round_trip),
		cmocka_unit_test(test_key_unwrap_refuses_wrong_key_or_label),
		cmocka_unit_test(test_key_unwrap_refuses_unknown_version_and_short_blobs),
		cmocka_unit_test(test_envelope_round_trip_string),
		cmocka_unit_test(test_envelope_round_trip_binary),
		cmocka_unit_test(test_envelope_detects_any_flipped_byte),
		cmocka_unit_test(test_envelope_refuses_other_identity),
		cmocka_unit_test(test_ciphertext_moved_to_other_secret_fails),
		cmocka_unit_test(test_envelope_aad_fields_do_not_run_together),
		cmocka_unit_test(test_envelope_seal_refuses_bad_arguments),
		cmocka_unit_test(test_keyring_check_accepts_right_root_key_only),
		cmocka_unit_test(test_keyring_unwrap_is_bound_to_label),
		cmocka_unit_test(test_keyring_cache_returns_same_material_as_copies),
		cmocka_unit_test(test_keyring_cache_does_not_return_stale_material),
		cmocka_unit_test(test_keyring_cache_stays_correct_past_its_bound),
		cmocka_unit_test(test_keyring_new_takes_root_key_even_on_failure),
		cmocka_unit_test_setup_teardown(
		    test_root_key_file_with_loose_permissions_is_refused,
		    test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_root_key_file_private_is_accepted,
		    test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(test_root_key_bad_hex_is_refused,
		    test_dir_setup, test_dir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_root_key_generate_file_is_private_and_loadable,
		    test_dir_setup, test_dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
