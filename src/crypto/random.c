/*
 * random.c: every random number the server uses comes from here, and all of
 * it from OpenSSL's CSPRNG (RAND_bytes).
 *
 * random_uniform rejects the low draws that would make some residues more
 * likely than others (OpenBSD's arc4random_uniform), so passwords and ids
 * built from it are exactly uniform over their alphabet.
 *
 * Thread-safety: all functions are safe to call from any thread (OpenSSL 3's
 * default RAND is per-thread).
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/crypto.h"

enum status
random_bytes(void *buf, size_t len)
{
	unsigned char	*p = buf;
	size_t		 chunk;

	if (buf == NULL && len > 0)
		return STATUS_INTERNAL;
	while (len > 0) {
		chunk = len > INT_MAX ? INT_MAX : len;
		if (RAND_bytes(p, (int)chunk) != 1)
			return STATUS_INTERNAL;
		p += chunk;
		len -= chunk;
	}
	return STATUS_OK;
}

enum status
random_uniform(uint32_t bound, uint32_t *out)
{
	uint32_t	 r = 0, min;
	enum status	 st;

	if (bound == 0 || out == NULL)
		return STATUS_INTERNAL;
	/*
	 * 2^32 mod bound == (2^32 - bound) mod bound; draws below it are the
	 * surplus that would bias the low residues, so they are redrawn.  At
	 * most half the range is rejected, so the loop ends quickly.
	 */
	min = -bound % bound;
	for (;;) {
		if ((st = random_bytes(&r, sizeof(r))) != STATUS_OK)
			return st;
		if (r >= min)
			break;
	}
	*out = r % bound;
	return STATUS_OK;
}

enum status
random_string(const char *alphabet, size_t len, char *out)
{
	enum status	 st = STATUS_INTERNAL;
	size_t		 alphabet_len, i;
	uint32_t	 pick;

	if (alphabet == NULL || (out == NULL && len > 0))
		goto out;
	alphabet_len = strlen(alphabet);
	if (alphabet_len == 0 || alphabet_len > UINT32_MAX)
		goto out;
	for (i = 0; i < len; i++) {
		if ((st = random_uniform((uint32_t)alphabet_len, &pick)) !=
		    STATUS_OK)
			goto out;
		out[i] = alphabet[pick];
	}
	st = STATUS_OK;
out:
	/* A half-drawn string may already be a prefix of someone's secret. */
	if (st != STATUS_OK && out != NULL && len > 0)
		OPENSSL_cleanse(out, len);
	return st;
}
