/*
 * digest.c: SHA-256 through a digest fetched from OpenSSL once.
 *
 * OpenSSL 3's one-shot SHA256() and EVP_sha256() look the algorithm up in
 * the provider store on every call (a lock and a hash lookup); the keyring
 * hashes a wrapped blob on every cached unwrap, that is on every
 * GetSecretValue, where the lookup cost 2% of the server's CPU.  Fetched
 * once and kept for the process's life; the implicit form remains the
 * fallback should the fetch fail.
 *
 * Thread-safety: any thread (pthread_once).
 */
#include <pthread.h>

#include <openssl/evp.h>

#include "crypto/crypto.h"

static EVP_MD		*sha256_fetched;
static pthread_once_t	 sha256_once = PTHREAD_ONCE_INIT;

static void
sha256_fetch(void)
{
	sha256_fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
}

enum status
crypto_sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int	 out_len = 0;

	pthread_once(&sha256_once, sha256_fetch);
	if (EVP_Digest(data, len, out, &out_len, sha256_fetched != NULL ?
	    sha256_fetched : EVP_sha256(), NULL) != 1 || out_len != 32)
		return STATUS_INTERNAL;
	return STATUS_OK;
}
