/*
 * keyring.c: holds the root key, wraps and unwraps material under it, and
 * caches unwrapped KMS key material.
 *
 * Blobs are key_wrap's format with AAD = length-prefixed ("sesame-root-v1",
 * label), so a blob opens only under the label it was made for.  The cache
 * has one entry per label and remembers the SHA-256 of the blob the entry
 * came from: a lookup with a different blob (rotated or altered material) is
 * a miss and goes through key_unwrap, so it never returns stale or
 * unauthenticated material.  The cache is bounded (KEYRING_CACHE_MAX
 * entries, least recently used evicted first); evicted and freed entries are
 * wiped.  Callers always get their own copy.
 *
 * Only this file and envelope.c hold unwrapped keys; the root key never
 * leaves struct keyring.
 *
 * Thread-safety: all functions are safe to call concurrently on one keyring
 * (a mutex guards the cache; unwrapping happens outside it).  keyring_free
 * must not race with any other call.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "crypto/crypto.h"

#define KEYRING_CONTEXT		"sesame-root-v1"
#define KEYRING_CHECK_LABEL	"root-key-check"
#define KEYRING_CACHE_MAX	4096
#define KEYRING_BUCKET_COUNT	1024	/* power of two */

struct keyring_entry {
	struct keyring_entry	*bucket_next;
	struct keyring_entry	*lru_prev;	/* toward most recently used */
	struct keyring_entry	*lru_next;	/* toward least recently used */
	char			*label;
	uint32_t		 label_hash;
	unsigned char		 blob_digest[SHA256_DIGEST_LENGTH];
	struct secret_buf	*material;
};

struct keyring {
	struct secret_buf	*root_key;
	pthread_mutex_t		 lock;
	struct keyring_entry	*buckets[KEYRING_BUCKET_COUNT];
	struct keyring_entry	*lru_head;
	struct keyring_entry	*lru_tail;
	size_t			 entry_count;
};

/* FNV-1a; labels come from our own store, not straight from clients. */
static uint32_t
keyring_label_hash(const char *label)
{
	uint32_t	 h = 2166136261u;

	for (; *label != '\0'; label++) {
		h ^= (unsigned char)*label;
		h *= 16777619u;
	}
	return h;
}

/* AAD = len(4) | "sesame-root-v1" | len(4) | label, lengths big-endian. */
static enum status
keyring_aad_build(const char *label, unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_INTERNAL;
	const char	*fields[2] = { KEYRING_CONTEXT, label };
	unsigned char	*buf = NULL;
	size_t		 lens[2], total = 0, off = 0, i;

	if (label == NULL)
		goto out;
	for (i = 0; i < 2; i++) {
		lens[i] = strlen(fields[i]);
		if (lens[i] > UINT16_MAX)
			goto out;
		total += 4 + lens[i];
	}
	st = STATUS_NO_MEMORY;
	if ((buf = malloc(total)) == NULL)
		goto out;
	for (i = 0; i < 2; i++) {
		buf[off++] = (unsigned char)(lens[i] >> 24);
		buf[off++] = (unsigned char)(lens[i] >> 16);
		buf[off++] = (unsigned char)(lens[i] >> 8);
		buf[off++] = (unsigned char)lens[i];
		memcpy(buf + off, fields[i], lens[i]);
		off += lens[i];
	}
	*out = buf;
	*out_len = total;
	buf = NULL;
	st = STATUS_OK;
out:
	free(buf);
	return st;
}

static void
keyring_entry_free(struct keyring_entry *e)
{
	if (e == NULL)
		return;
	secret_buf_free(e->material);
	free(e->label);
	free(e);
}

/* The cache functions below are called with kr->lock held. */

static struct keyring_entry *
keyring_cache_find(struct keyring *kr, const char *label, uint32_t hash)
{
	struct keyring_entry *e;

	e = kr->buckets[hash & (KEYRING_BUCKET_COUNT - 1)];
	for (; e != NULL; e = e->bucket_next)
		if (e->label_hash == hash && strcmp(e->label, label) == 0)
			return e;
	return NULL;
}

static void
keyring_lru_unlink(struct keyring *kr, struct keyring_entry *e)
{
	if (e->lru_prev != NULL)
		e->lru_prev->lru_next = e->lru_next;
	else
		kr->lru_head = e->lru_next;
	if (e->lru_next != NULL)
		e->lru_next->lru_prev = e->lru_prev;
	else
		kr->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void
keyring_lru_push_front(struct keyring *kr, struct keyring_entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = kr->lru_head;
	if (kr->lru_head != NULL)
		kr->lru_head->lru_prev = e;
	kr->lru_head = e;
	if (kr->lru_tail == NULL)
		kr->lru_tail = e;
}

static void
keyring_cache_remove(struct keyring *kr, struct keyring_entry *e)
{
	struct keyring_entry **pp;

	pp = &kr->buckets[e->label_hash & (KEYRING_BUCKET_COUNT - 1)];
	while (*pp != e)
		pp = &(*pp)->bucket_next;
	*pp = e->bucket_next;
	keyring_lru_unlink(kr, e);
	kr->entry_count--;
	keyring_entry_free(e);
}

enum status
keyring_new(struct secret_buf *root_key, struct keyring **out)
{
	enum status	 st = STATUS_INTERNAL;
	struct keyring	*kr = NULL;

	if (root_key == NULL || root_key->len != CRYPTO_KEY_LEN || out == NULL)
		goto out;
	st = STATUS_NO_MEMORY;
	if ((kr = calloc(1, sizeof(*kr))) == NULL)
		goto out;
	if (pthread_mutex_init(&kr->lock, NULL) != 0) {
		free(kr);
		kr = NULL;
		goto out;
	}
	kr->root_key = root_key;
	root_key = NULL;
	*out = kr;
	st = STATUS_OK;
out:
	secret_buf_free(root_key);
	return st;
}

void
keyring_free(struct keyring *kr)
{
	struct keyring_entry *e, *next;

	if (kr == NULL)
		return;
	for (e = kr->lru_head; e != NULL; e = next) {
		next = e->lru_next;
		keyring_entry_free(e);
	}
	pthread_mutex_destroy(&kr->lock);
	secret_buf_free(kr->root_key);
	free(kr);
}

enum status
keyring_wrap(struct keyring *kr, const char *label,
    const struct secret_buf *material, unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_INTERNAL;
	unsigned char	*aad = NULL;
	size_t		 aad_len;

	if (kr == NULL || material == NULL)
		goto out;
	if ((st = keyring_aad_build(label, &aad, &aad_len)) != STATUS_OK)
		goto out;
	st = key_wrap(kr->root_key, aad, aad_len, material->data,
	    material->len, out, out_len);
out:
	free(aad);
	return st;
}

enum status
keyring_unwrap(struct keyring *kr, const char *label,
    const unsigned char *wrapped, size_t wrapped_len, struct secret_buf **out)
{
	enum status	 st = STATUS_INTERNAL;
	unsigned char	*aad = NULL;
	size_t		 aad_len;

	if (kr == NULL)
		goto out;
	if ((st = keyring_aad_build(label, &aad, &aad_len)) != STATUS_OK)
		goto out;
	st = key_unwrap(kr->root_key, aad, aad_len, wrapped, wrapped_len, out);
out:
	free(aad);
	return st;
}

enum status
keyring_unwrap_cached(struct keyring *kr, const char *label,
    const unsigned char *wrapped, size_t wrapped_len, struct secret_buf **out)
{
	enum status	 st = STATUS_INTERNAL;
	struct keyring_entry *e, *fresh = NULL;
	struct secret_buf *copy = NULL, *material = NULL;
	unsigned char	 digest[SHA256_DIGEST_LENGTH];
	uint32_t	 hash;
	bool		 is_hit = false;

	if (kr == NULL || label == NULL || out == NULL ||
	    (wrapped == NULL && wrapped_len > 0))
		goto out;
	if (SHA256(wrapped, wrapped_len, digest) == NULL)
		goto out;
	hash = keyring_label_hash(label);

	pthread_mutex_lock(&kr->lock);
	e = keyring_cache_find(kr, label, hash);
	if (e != NULL && CRYPTO_memcmp(e->blob_digest, digest,
	    sizeof(digest)) == 0) {
		is_hit = true;
		keyring_lru_unlink(kr, e);
		keyring_lru_push_front(kr, e);
		copy = secret_buf_from(e->material->data, e->material->len);
	}
	pthread_mutex_unlock(&kr->lock);
	if (is_hit) {
		if (copy == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		*out = copy;
		copy = NULL;
		st = STATUS_OK;
		goto out;
	}

	/* Miss: unwrap without the lock held, then publish the result. */
	if ((st = keyring_unwrap(kr, label, wrapped, wrapped_len, &material)) !=
	    STATUS_OK)
		goto out;
	/* Failing to cache is not an error: the caller still gets material. */
	if ((fresh = calloc(1, sizeof(*fresh))) != NULL &&
	    (fresh->label = strdup(label)) != NULL &&
	    (fresh->material = secret_buf_from(material->data,
	    material->len)) != NULL) {
		fresh->label_hash = hash;
		memcpy(fresh->blob_digest, digest, sizeof(digest));
		pthread_mutex_lock(&kr->lock);
		/* Another thread may have cached this label; newest wins. */
		if ((e = keyring_cache_find(kr, label, hash)) != NULL)
			keyring_cache_remove(kr, e);
		if (kr->entry_count >= KEYRING_CACHE_MAX)
			keyring_cache_remove(kr, kr->lru_tail);
		fresh->bucket_next =
		    kr->buckets[hash & (KEYRING_BUCKET_COUNT - 1)];
		kr->buckets[hash & (KEYRING_BUCKET_COUNT - 1)] = fresh;
		keyring_lru_push_front(kr, fresh);
		kr->entry_count++;
		pthread_mutex_unlock(&kr->lock);
		fresh = NULL;
	}
	*out = material;
	material = NULL;
	st = STATUS_OK;
out:
	keyring_entry_free(fresh);
	secret_buf_free(copy);
	secret_buf_free(material);
	return st;
}

enum status
keyring_check_make(struct keyring *kr, unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_NO_MEMORY;
	struct secret_buf *check = NULL;

	if ((check = secret_buf_new(CRYPTO_KEY_LEN)) == NULL)
		goto out;
	if ((st = random_bytes(check->data, CRYPTO_KEY_LEN)) != STATUS_OK)
		goto out;
	check->len = CRYPTO_KEY_LEN;
	st = keyring_wrap(kr, KEYRING_CHECK_LABEL, check, out, out_len);
out:
	secret_buf_free(check);
	return st;
}

enum status
keyring_check_verify(struct keyring *kr, const unsigned char *blob,
    size_t blob_len)
{
	enum status	 st;
	struct secret_buf *check = NULL;

	if ((st = keyring_unwrap(kr, KEYRING_CHECK_LABEL, blob, blob_len,
	    &check)) != STATUS_OK)
		goto out;
	if (check->len != CRYPTO_KEY_LEN)
		st = STATUS_DECRYPTION_FAILURE;
out:
	secret_buf_free(check);
	return st;
}
