/*
 * keyring.c: holds the root keys, wraps and unwraps material under them, and
 * caches unwrapped KMS key material.
 *
 * Root key generations: every root key the data folder has had carries a
 * generation number (1 for the key made by `sesame init`, one more for
 * each `sesame admin rotate-root-key`).  A keyring holds the generations it
 * has been given (the current one and, while a rotation is under way, the
 * next); new blobs are wrapped under the wrap generation.  A blob records
 * the generation that wrapped it in its header:
 *
 *	0x03 | generation(4, big-endian) | key_wrap blob
 *
 * with AAD = 0x03 | generation | len(4) | "sesame-root-v1" | len(4) | label,
 * so the header is authenticated too and a blob opens only under the label
 * it was made for.  A legacy blob (key_wrap's format alone, first byte
 * 0x01, AAD without the header) is generation 1.
 *
 * Hooks let the owner of the keyring (data_dir.c) keep it in step with a
 * rotation run by another process: refresh() is called before each wrap to
 * learn the generation new blobs must use, and at most once a second from
 * keyring_unwrap_cached, so a busy process learns a rotation's next key
 * while the rotation runs; load() is called when a blob names a generation
 * the keyring lacks.  Both may call keyring_add.
 *
 * The cache has one entry per label and remembers the SHA-256 of the blob the
 * entry came from: a lookup with a different blob (rotated, re-wrapped or
 * altered material) is a miss and goes through key_unwrap, so it never
 * returns stale or unauthenticated material.  The cache is bounded
 * (KEYRING_CACHE_MAX entries, least recently used evicted first); evicted and
 * freed entries are wiped.  Callers always get their own copy.
 *
 * Only this file and envelope.c hold unwrapped keys; root keys never leave
 * struct keyring except as a link blob (keyring_link_make).
 *
 * Thread-safety: all functions are safe to call concurrently on one keyring
 * (a mutex guards the cache and the generation table; root key entries are
 * never removed before keyring_free, so a pointer read under the lock stays
 * valid; unwrapping happens outside the lock).  Hooks are called without
 * the lock held.  keyring_free must not race with any other call.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "crypto/crypto.h"

#define KEYRING_CONTEXT		"sesame-root-v1"
#define KEYRING_CHECK_LABEL	"root-key-check"
#define KEYRING_LINK_LABEL	"root-key-link"
#define KEYRING_HEADER_LEN	5	/* format byte, generation */
#define KEYRING_GENERATIONS_MAX	64
#define KEYRING_REFRESH_MS	1000
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

struct keyring_root {
	uint32_t		 generation;
	struct secret_buf	*key;
};

struct keyring {
	pthread_mutex_t		 lock;
	struct keyring_root	 roots[KEYRING_GENERATIONS_MAX];
	size_t			 root_count;
	uint32_t		 wrap_generation;
	struct keyring_hooks	 hooks;
	bool			 has_hooks;
	int64_t			 refreshed_at_ms;	/* monotonic */
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

/*
 * AAD = [header] | len(4) | "sesame-root-v1" | len(4) | label, lengths
 * big-endian; header is the blob's 5-byte header (NULL for a legacy blob).
 */
static enum status
keyring_aad_build(const unsigned char *header, const char *label,
    unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_INTERNAL;
	const char	*fields[2] = { KEYRING_CONTEXT, label };
	unsigned char	*buf = NULL;
	size_t		 lens[2], total, off = 0, i;

	if (label == NULL)
		goto out;
	total = header != NULL ? KEYRING_HEADER_LEN : 0;
	for (i = 0; i < 2; i++) {
		lens[i] = strlen(fields[i]);
		if (lens[i] > UINT16_MAX)
			goto out;
		total += 4 + lens[i];
	}
	st = STATUS_NO_MEMORY;
	if ((buf = malloc(total)) == NULL)
		goto out;
	if (header != NULL) {
		memcpy(buf, header, KEYRING_HEADER_LEN);
		off = KEYRING_HEADER_LEN;
	}
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
keyring_header_put(unsigned char header[KEYRING_HEADER_LEN],
    uint32_t generation)
{
	header[0] = CRYPTO_FORMAT_ROOT_V2;
	header[1] = (unsigned char)(generation >> 24);
	header[2] = (unsigned char)(generation >> 16);
	header[3] = (unsigned char)(generation >> 8);
	header[4] = (unsigned char)generation;
}

enum status
keyring_blob_generation(const unsigned char *blob, size_t blob_len,
    uint32_t *out)
{
	uint32_t	 g;

	if (blob == NULL || out == NULL || blob_len < 1)
		return STATUS_DECRYPTION_FAILURE;
	if (blob[0] == CRYPTO_FORMAT_V1) {
		*out = 1;
		return STATUS_OK;
	}
	if (blob[0] != CRYPTO_FORMAT_ROOT_V2 || blob_len <= KEYRING_HEADER_LEN)
		return STATUS_DECRYPTION_FAILURE;
	g = (uint32_t)blob[1] << 24 | (uint32_t)blob[2] << 16 |
	    (uint32_t)blob[3] << 8 | (uint32_t)blob[4];
	if (g == 0)
		return STATUS_DECRYPTION_FAILURE;
	*out = g;
	return STATUS_OK;
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
keyring_new_generation(struct secret_buf *root_key, uint32_t generation,
    struct keyring **out)
{
	enum status	 st = STATUS_INTERNAL;
	struct keyring	*kr = NULL;

	if (root_key == NULL || root_key->len != CRYPTO_KEY_LEN ||
	    generation == 0 || out == NULL)
		goto out;
	st = STATUS_NO_MEMORY;
	if ((kr = calloc(1, sizeof(*kr))) == NULL)
		goto out;
	if (pthread_mutex_init(&kr->lock, NULL) != 0) {
		free(kr);
		kr = NULL;
		goto out;
	}
	kr->roots[0].generation = generation;
	kr->roots[0].key = root_key;
	kr->root_count = 1;
	kr->wrap_generation = generation;
	root_key = NULL;
	*out = kr;
	st = STATUS_OK;
out:
	secret_buf_free(root_key);
	return st;
}

enum status
keyring_new(struct secret_buf *root_key, struct keyring **out)
{
	return keyring_new_generation(root_key, 1, out);
}

void
keyring_free(struct keyring *kr)
{
	struct keyring_entry *e, *next;

	if (kr == NULL)
		return;
	if (kr->has_hooks && kr->hooks.release != NULL)
		kr->hooks.release(kr->hooks.arg);
	for (e = kr->lru_head; e != NULL; e = next) {
		next = e->lru_next;
		keyring_entry_free(e);
	}
	pthread_mutex_destroy(&kr->lock);
	for (size_t i = 0; i < kr->root_count; i++)
		secret_buf_free(kr->roots[i].key);
	free(kr);
}

/* The root key of generation, or NULL; the pointer stays valid until
 * keyring_free. */
static const struct secret_buf *
keyring_root_find(struct keyring *kr, uint32_t generation)
{
	const struct secret_buf *key = NULL;

	pthread_mutex_lock(&kr->lock);
	for (size_t i = 0; i < kr->root_count; i++)
		if (kr->roots[i].generation == generation)
			key = kr->roots[i].key;
	pthread_mutex_unlock(&kr->lock);
	return key;
}

enum status
keyring_add(struct keyring *kr, uint32_t generation,
    struct secret_buf *root_key)
{
	enum status	 st = STATUS_INTERNAL;
	bool		 is_known = false;

	if (kr == NULL || generation == 0 || root_key == NULL ||
	    root_key->len != CRYPTO_KEY_LEN)
		goto out;
	pthread_mutex_lock(&kr->lock);
	for (size_t i = 0; i < kr->root_count; i++)
		if (kr->roots[i].generation == generation) {
			is_known = true;
			/* Same generation, different key: a broken caller. */
			st = secret_buf_equal(kr->roots[i].key, root_key) ?
			    STATUS_OK : STATUS_DECRYPTION_FAILURE;
		}
	if (!is_known && kr->root_count < KEYRING_GENERATIONS_MAX) {
		kr->roots[kr->root_count].generation = generation;
		kr->roots[kr->root_count].key = root_key;
		kr->root_count++;
		root_key = NULL;
		st = STATUS_OK;
	} else if (!is_known)
		st = STATUS_LIMIT_EXCEEDED;
	pthread_mutex_unlock(&kr->lock);
out:
	secret_buf_free(root_key);
	return st;
}

bool
keyring_has_generation(struct keyring *kr, uint32_t generation)
{
	return kr != NULL && keyring_root_find(kr, generation) != NULL;
}

enum status
keyring_set_wrap_generation(struct keyring *kr, uint32_t generation)
{
	if (kr == NULL || keyring_root_find(kr, generation) == NULL)
		return STATUS_INTERNAL;
	pthread_mutex_lock(&kr->lock);
	kr->wrap_generation = generation;
	pthread_mutex_unlock(&kr->lock);
	return STATUS_OK;
}

uint32_t
keyring_wrap_generation(struct keyring *kr)
{
	uint32_t	 g;

	pthread_mutex_lock(&kr->lock);
	g = kr->wrap_generation;
	pthread_mutex_unlock(&kr->lock);
	return g;
}

void
keyring_set_hooks(struct keyring *kr, const struct keyring_hooks *hooks)
{
	struct keyring_hooks old;
	bool		 had_hooks;

	pthread_mutex_lock(&kr->lock);
	old = kr->hooks;
	had_hooks = kr->has_hooks;
	if (hooks != NULL)
		kr->hooks = *hooks;
	else
		memset(&kr->hooks, 0, sizeof(kr->hooks));
	kr->has_hooks = hooks != NULL;
	pthread_mutex_unlock(&kr->lock);
	if (had_hooks && old.release != NULL)
		old.release(old.arg);
}

enum status
keyring_root_copy(struct keyring *kr, uint32_t generation,
    struct secret_buf **out)
{
	const struct secret_buf *key;

	if (kr == NULL || out == NULL ||
	    (key = keyring_root_find(kr, generation)) == NULL)
		return STATUS_NOT_FOUND;
	if ((*out = secret_buf_from(key->data, key->len)) == NULL)
		return STATUS_NO_MEMORY;
	return STATUS_OK;
}

/* The key of generation, asking the load hook once when it is missing. */
static const struct secret_buf *
keyring_root_get(struct keyring *kr, uint32_t generation)
{
	const struct secret_buf *key;
	struct keyring_hooks hooks;
	bool		 has_hooks;

	if ((key = keyring_root_find(kr, generation)) != NULL)
		return key;
	pthread_mutex_lock(&kr->lock);
	hooks = kr->hooks;
	has_hooks = kr->has_hooks && kr->hooks.load != NULL;
	pthread_mutex_unlock(&kr->lock);
	if (!has_hooks || hooks.load(hooks.arg, kr, generation) != STATUS_OK)
		return NULL;
	return keyring_root_find(kr, generation);
}

/* Wrap under the root key of an explicit generation. */
static enum status
keyring_wrap_as(struct keyring *kr, uint32_t generation, const char *label,
    const unsigned char *material, size_t material_len, unsigned char **out,
    size_t *out_len)
{
	enum status	 st = STATUS_INTERNAL;
	const struct secret_buf *root;
	unsigned char	 header[KEYRING_HEADER_LEN];
	unsigned char	*aad = NULL, *inner = NULL, *blob = NULL;
	size_t		 aad_len, inner_len = 0;

	if (kr == NULL || out == NULL || out_len == NULL ||
	    (root = keyring_root_find(kr, generation)) == NULL)
		goto out;
	keyring_header_put(header, generation);
	if ((st = keyring_aad_build(header, label, &aad, &aad_len)) !=
	    STATUS_OK)
		goto out;
	if ((st = key_wrap(root, aad, aad_len, material, material_len, &inner,
	    &inner_len)) != STATUS_OK)
		goto out;
	if ((blob = malloc(KEYRING_HEADER_LEN + inner_len)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	memcpy(blob, header, KEYRING_HEADER_LEN);
	memcpy(blob + KEYRING_HEADER_LEN, inner, inner_len);
	*out = blob;
	*out_len = KEYRING_HEADER_LEN + inner_len;
	blob = NULL;
	st = STATUS_OK;
out:
	free(aad);
	free(inner);
	free(blob);
	return st;
}

enum status
keyring_wrap(struct keyring *kr, const char *label,
    const struct secret_buf *material, unsigned char **out, size_t *out_len)
{
	struct keyring_hooks hooks;
	bool		 has_refresh;
	enum status	 st;

	if (kr == NULL || material == NULL)
		return STATUS_INTERNAL;
	pthread_mutex_lock(&kr->lock);
	hooks = kr->hooks;
	has_refresh = kr->has_hooks && kr->hooks.refresh != NULL;
	pthread_mutex_unlock(&kr->lock);
	/* A rotation elsewhere may have moved the wrap generation on. */
	if (has_refresh && (st = hooks.refresh(hooks.arg, kr)) != STATUS_OK)
		return st;
	return keyring_wrap_as(kr, keyring_wrap_generation(kr), label,
	    material->data, material->len, out, out_len);
}

enum status
keyring_unwrap(struct keyring *kr, const char *label,
    const unsigned char *wrapped, size_t wrapped_len, struct secret_buf **out)
{
	enum status	 st = STATUS_INTERNAL;
	const struct secret_buf *root;
	unsigned char	*aad = NULL;
	size_t		 aad_len;
	uint32_t	 generation;
	bool		 is_legacy;

	if (kr == NULL)
		goto out;
	if ((st = keyring_blob_generation(wrapped, wrapped_len,
	    &generation)) != STATUS_OK)
		goto out;
	is_legacy = wrapped[0] == CRYPTO_FORMAT_V1;
	if ((root = keyring_root_get(kr, generation)) == NULL) {
		st = STATUS_DECRYPTION_FAILURE;
		goto out;
	}
	if ((st = keyring_aad_build(is_legacy ? NULL : wrapped, label, &aad,
	    &aad_len)) != STATUS_OK)
		goto out;
	if (is_legacy)
		st = key_unwrap(root, aad, aad_len, wrapped, wrapped_len, out);
	else
		st = key_unwrap(root, aad, aad_len, wrapped + KEYRING_HEADER_LEN,
		    wrapped_len - KEYRING_HEADER_LEN, out);
out:
	free(aad);
	return st;
}

/* Call the refresh hook if it has not run for KEYRING_REFRESH_MS; its
 * failure is not the caller's (the next wrap or load reports it). */
static void
keyring_refresh_now_and_then(struct keyring *kr)
{
	struct keyring_hooks hooks;
	struct timespec	 ts;
	int64_t		 now;
	bool		 is_due;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	pthread_mutex_lock(&kr->lock);
	hooks = kr->hooks;
	is_due = kr->has_hooks && kr->hooks.refresh != NULL &&
	    now - kr->refreshed_at_ms >= KEYRING_REFRESH_MS;
	if (is_due)
		kr->refreshed_at_ms = now;
	pthread_mutex_unlock(&kr->lock);
	if (is_due)
		(void)hooks.refresh(hooks.arg, kr);
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
	keyring_refresh_now_and_then(kr);
	if (crypto_sha256(wrapped, wrapped_len, digest) != STATUS_OK)
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
	return keyring_check_make_for(kr, keyring_wrap_generation(kr), out,
	    out_len);
}

enum status
keyring_check_make_for(struct keyring *kr, uint32_t generation,
    unsigned char **out, size_t *out_len)
{
	enum status	 st = STATUS_NO_MEMORY;
	struct secret_buf *check = NULL;

	if ((check = secret_buf_new(CRYPTO_KEY_LEN)) == NULL)
		goto out;
	if ((st = random_bytes(check->data, CRYPTO_KEY_LEN)) != STATUS_OK)
		goto out;
	check->len = CRYPTO_KEY_LEN;
	st = keyring_wrap_as(kr, generation, KEYRING_CHECK_LABEL, check->data,
	    check->len, out, out_len);
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
	uint32_t	 generation;

	/* Only keys the keyring holds: a check never triggers a load. */
	if ((st = keyring_blob_generation(blob, blob_len, &generation)) !=
	    STATUS_OK)
		goto out;
	if (keyring_root_find(kr, generation) == NULL) {
		st = STATUS_DECRYPTION_FAILURE;
		goto out;
	}
	if ((st = keyring_unwrap(kr, KEYRING_CHECK_LABEL, blob, blob_len,
	    &check)) != STATUS_OK)
		goto out;
	if (check->len != CRYPTO_KEY_LEN)
		st = STATUS_DECRYPTION_FAILURE;
out:
	secret_buf_free(check);
	return st;
}

/* Label of the link to generation: binds the link to its target. */
static void
keyring_link_label(uint32_t generation, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%u", KEYRING_LINK_LABEL, (unsigned)generation);
}

enum status
keyring_link_make(struct keyring *kr, uint32_t generation,
    uint32_t under_generation, unsigned char **out, size_t *out_len)
{
	const struct secret_buf *target;
	char		 label[64];

	if (kr == NULL || generation == under_generation ||
	    (target = keyring_root_find(kr, generation)) == NULL)
		return STATUS_INTERNAL;
	keyring_link_label(generation, label, sizeof(label));
	return keyring_wrap_as(kr, under_generation, label, target->data,
	    target->len, out, out_len);
}

enum status
keyring_link_open(struct keyring *kr, uint32_t generation,
    const unsigned char *blob, size_t blob_len)
{
	struct secret_buf *key = NULL;
	uint32_t	 under;
	char		 label[64];
	enum status	 st;

	if (kr == NULL)
		return STATUS_INTERNAL;
	if (keyring_root_find(kr, generation) != NULL)
		return STATUS_OK;
	if ((st = keyring_blob_generation(blob, blob_len, &under)) !=
	    STATUS_OK)
		return st;
	/* Only through a key the keyring already holds: no load recursion. */
	if (under == generation || keyring_root_find(kr, under) == NULL)
		return STATUS_DECRYPTION_FAILURE;
	keyring_link_label(generation, label, sizeof(label));
	if ((st = keyring_unwrap(kr, label, blob, blob_len, &key)) !=
	    STATUS_OK)
		return st;
	if (key->len != CRYPTO_KEY_LEN) {
		secret_buf_free(key);
		return STATUS_DECRYPTION_FAILURE;
	}
	return keyring_add(kr, generation, key);
}
