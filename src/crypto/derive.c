/*
 * derive.c: keys derived from the root key, and MACs made with them.
 *
 * A derived key is HKDF-SHA256 (RFC 5869) of the root key with a fixed salt
 * and the caller's label as info, so each purpose ("sesame audit hmac v1")
 * gets an independent key and nothing new has to be stored: whoever holds
 * the root key can re-derive it, whoever holds the data folder cannot.
 * Derived keys live in struct secret_buf like every other key; the HMAC
 * functions here are the only code that uses them.
 *
 * Thread-safety: no shared state; safe from any thread.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto/crypto.h"

#define DERIVE_SALT	"sesame-derive-v1"

enum status
root_key_derive(const struct secret_buf *root_key, const char *label,
    struct secret_buf **out)
{
	enum status	 st = STATUS_INTERNAL;
	struct secret_buf *key = NULL;
	EVP_KDF		*kdf = NULL;
	EVP_KDF_CTX	*ctx = NULL;
	OSSL_PARAM	 params[5];
	char		 digest[] = "SHA256";

	if (root_key == NULL || root_key->len == 0 || label == NULL)
		goto out;
	if ((key = secret_buf_new(CRYPTO_KEY_LEN)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) == NULL ||
	    (ctx = EVP_KDF_CTX_new(kdf)) == NULL)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    digest, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    root_key->data, root_key->len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    (void *)DERIVE_SALT, strlen(DERIVE_SALT));
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
	    (void *)label, strlen(label));
	params[4] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, key->data, CRYPTO_KEY_LEN, params) != 1)
		goto out;
	key->len = CRYPTO_KEY_LEN;
	key->data[key->len] = '\0';
	*out = key;
	key = NULL;
	st = STATUS_OK;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	secret_buf_free(key);
	return st;
}

enum status
key_mac(const struct secret_buf *key, const void *data, size_t len,
    unsigned char out[CRYPTO_MAC_LEN])
{
	unsigned int	 out_len = 0;

	if (key == NULL || key->len == 0 || (data == NULL && len > 0))
		return STATUS_INTERNAL;
	if (HMAC(EVP_sha256(), key->data, (int)key->len,
	    (const unsigned char *)data, len, out, &out_len) == NULL ||
	    out_len != CRYPTO_MAC_LEN)
		return STATUS_INTERNAL;
	return STATUS_OK;
}

bool
key_mac_verify(const struct secret_buf *key, const void *data, size_t len,
    const unsigned char expected[CRYPTO_MAC_LEN])
{
	unsigned char	 mac[CRYPTO_MAC_LEN];
	bool		 ok;

	if (key_mac(key, data, len, mac) != STATUS_OK)
		return false;
	ok = CRYPTO_memcmp(mac, expected, CRYPTO_MAC_LEN) == 0;
	OPENSSL_cleanse(mac, sizeof(mac));
	return ok;
}
