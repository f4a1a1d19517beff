/*
 * wrap.c: AES-256-GCM sealing of small values under a 32-byte key, in the
 * one wire format every ciphertext in Sesame uses:
 *
 *	version(1) | nonce(12) | ciphertext | tag(16)
 *
 * The version byte is authenticated too (it is the first AAD byte, before
 * the caller's AAD), so it cannot be swapped for another format's without
 * the tag failing.  Nonces are random: with 96-bit random nonces a key may
 * seal about 2^32 values before the collision risk matters, far above what
 * one data key (one value) or one KMS key or the root key will seal.
 *
 * key_unwrap reports every failure to open -- short blob, unknown version,
 * wrong key, wrong AAD, altered byte -- as STATUS_DECRYPTION_FAILURE without
 * saying which, and leaves no partial plaintext behind.
 *
 * Thread-safety: the one shared object is the cipher, fetched once and
 * read-only after; safe from any thread.
 */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/crypto.h"

#define WRAP_OVERHEAD	(1 + CRYPTO_NONCE_LEN + CRYPTO_TAG_LEN)
/* Far above any value Sesame seals (64 KiB); keeps EVP's int lengths safe. */
#define WRAP_MAX_LEN	(INT_MAX / 2)

static EVP_CIPHER	*wrap_cipher_fetched;
static pthread_once_t	 wrap_cipher_once = PTHREAD_ONCE_INIT;

static void
wrap_cipher_fetch(void)
{
	wrap_cipher_fetched = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

/*
 * OpenSSL 3 looks EVP_aes_256_gcm() up in its provider store at every
 * init; fetched once, that lookup is gone (about 12,000 instructions per
 * value opened).  Kept for the process's life; the implicit form remains
 * the fallback should the fetch fail.
 */
static const EVP_CIPHER *
wrap_cipher(void)
{
	pthread_once(&wrap_cipher_once, wrap_cipher_fetch);
	return wrap_cipher_fetched != NULL ? wrap_cipher_fetched :
	    EVP_aes_256_gcm();
}

enum status
key_wrap(const struct secret_buf *kek, const void *aad, size_t aad_len,
    const void *plain, size_t plain_len, unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_INTERNAL;
	EVP_CIPHER_CTX	*ctx = NULL;
	unsigned char	*blob = NULL, *nonce, *ct, *tag;
	const unsigned char version = CRYPTO_FORMAT_V1;
	size_t		 blob_len;
	int		 n;

	if (kek == NULL || kek->len != CRYPTO_KEY_LEN || out == NULL ||
	    out_len == NULL || (aad == NULL && aad_len > 0) ||
	    (plain == NULL && plain_len > 0) || aad_len > WRAP_MAX_LEN ||
	    plain_len > WRAP_MAX_LEN)
		goto out;

	st = STATUS_NO_MEMORY;
	blob_len = WRAP_OVERHEAD + plain_len;
	if ((blob = malloc(blob_len)) == NULL)
		goto out;
	blob[0] = version;
	nonce = blob + 1;
	ct = nonce + CRYPTO_NONCE_LEN;
	tag = ct + plain_len;
	if ((st = random_bytes(nonce, CRYPTO_NONCE_LEN)) != STATUS_OK)
		goto out;

	st = STATUS_ENCRYPTION_FAILURE;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		goto out;
	if (EVP_EncryptInit_ex(ctx, wrap_cipher(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CRYPTO_NONCE_LEN,
	    NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, kek->data, nonce) != 1)
		goto out;
	if (EVP_EncryptUpdate(ctx, NULL, &n, &version, 1) != 1)
		goto out;
	if (aad_len > 0 &&
	    EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1)
		goto out;
	if (plain_len > 0 &&
	    (EVP_EncryptUpdate(ctx, ct, &n, plain, (int)plain_len) != 1 ||
	    (size_t)n != plain_len))
		goto out;
	if (EVP_EncryptFinal_ex(ctx, ct + plain_len, &n) != 1 || n != 0)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CRYPTO_TAG_LEN,
	    tag) != 1)
		goto out;

	*out = blob;
	*out_len = blob_len;
	blob = NULL;
	st = STATUS_OK;
out:
	if (st != STATUS_OK)
		ERR_clear_error();
	EVP_CIPHER_CTX_free(ctx);
	free(blob);
	return st;
}

enum status
key_unwrap(const struct secret_buf *kek, const void *aad, size_t aad_len,
    const unsigned char *wrapped, size_t wrapped_len, struct secret_buf **out)
{
	enum status	 st = STATUS_DECRYPTION_FAILURE;
	EVP_CIPHER_CTX	*ctx = NULL;
	struct secret_buf *plain = NULL;
	const unsigned char *nonce, *ct, *tag;
	unsigned char	 tag_copy[CRYPTO_TAG_LEN];
	size_t		 ct_len;
	int		 n;

	if (kek == NULL || kek->len != CRYPTO_KEY_LEN || out == NULL ||
	    (aad == NULL && aad_len > 0) || aad_len > WRAP_MAX_LEN) {
		st = STATUS_INTERNAL;
		goto out;
	}
	if (wrapped == NULL || wrapped_len < WRAP_OVERHEAD ||
	    wrapped_len - WRAP_OVERHEAD > WRAP_MAX_LEN)
		goto out;
	if (wrapped[0] != CRYPTO_FORMAT_V1)
		goto out;
	nonce = wrapped + 1;
	ct = nonce + CRYPTO_NONCE_LEN;
	ct_len = wrapped_len - WRAP_OVERHEAD;
	tag = ct + ct_len;
	/* EVP's SET_TAG takes a non-const pointer. */
	memcpy(tag_copy, tag, sizeof(tag_copy));

	if ((plain = secret_buf_new(ct_len)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if (EVP_DecryptInit_ex(ctx, wrap_cipher(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CRYPTO_NONCE_LEN,
	    NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, kek->data, nonce) != 1)
		goto out;
	if (EVP_DecryptUpdate(ctx, NULL, &n, wrapped, 1) != 1)
		goto out;
	if (aad_len > 0 &&
	    EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1)
		goto out;
	if (ct_len > 0 &&
	    (EVP_DecryptUpdate(ctx, plain->data, &n, ct, (int)ct_len) != 1 ||
	    (size_t)n != ct_len))
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CRYPTO_TAG_LEN,
	    tag_copy) != 1)
		goto out;
	/* Only here is the plaintext known to be authentic. */
	if (EVP_DecryptFinal_ex(ctx, plain->data + ct_len, &n) != 1 || n != 0)
		goto out;
	plain->len = ct_len;
	plain->data[plain->len] = '\0';

	*out = plain;
	plain = NULL;
	st = STATUS_OK;
out:
	if (st != STATUS_OK)
		ERR_clear_error();
	EVP_CIPHER_CTX_free(ctx);
	secret_buf_free(plain);
	return st;
}
