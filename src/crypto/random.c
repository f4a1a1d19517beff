/*
 * random.c: every random number the server uses comes from here, and all of
 * it from OpenSSL's CSPRNG (RAND_bytes).
 *
 * random_uniform rejects the low draws that would make some residues more
 * likely than others (OpenBSD's arc4random_uniform), so passwords and ids
 * built from it are exactly uniform over their alphabet.
 *
 * random_id_bytes hands out the same generator's output from a per-thread
 * buffer: a request needs two ids, and each RAND_bytes call costs a lock
 * round and a getpid(2) (OpenSSL's fork check), a few percent of a
 * GetSecretValue.  The bytes are public once used (they name requests), so
 * the buffer is neither locked nor wiped; nothing secret is drawn from it.
 * The server does not fork without exec, so no two processes share one.
 *
 * Thread-safety: all functions are safe to call from any thread (OpenSSL 3's
 * default RAND is per-thread; the id buffer is thread-local).
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/crypto.h"

#define ID_POOL_SIZE	512

static _Thread_local unsigned char id_pool[ID_POOL_SIZE];
static _Thread_local size_t id_pool_left;

enum status
random_id_bytes(void *buf, size_t len)
{
	if (buf == NULL || len > 64)
		return STATUS_INTERNAL;
	if (id_pool_left < len) {
		if (RAND_bytes(id_pool, sizeof(id_pool)) != 1) {
			id_pool_left = 0;
			return STATUS_INTERNAL;
		}
		id_pool_left = sizeof(id_pool);
	}
	/* Taken from the end, and never handed out twice. */
	id_pool_left -= len;
	memcpy(buf, id_pool + id_pool_left, len);
	return STATUS_OK;
}

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
