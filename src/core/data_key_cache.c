/*
 * data_key_cache.c: data keys already opened, so that reading a secret
 * version again does not unwrap its data key again.
 *
 * Opening a version is two AES-GCM openings: the data key under the KMS
 * key's material (which the keyring keeps unwrapped, keyring.c), then the
 * value under the data key.  The first one gives the same answer every
 * time for the same wrapped key: its bytes name the KMS key and the key
 * version (kms_blob.c) and it only opens under that material with the
 * version's encryption context.  An entry holds the data key a successful
 * opening gave for exactly those inputs: the KMS key's ARN, the wrapped
 * bytes and the encryption context; a lookup must match all of them, byte
 * for byte.  Nothing about access is kept: the caller has checked the key's
 * state and authorised kms:Decrypt before it asks, on every request.
 *
 * No new secret is exposed by keeping these: anyone who can read the
 * process's memory can read the KMS key material the keyring keeps, which
 * opens every data key.  Like that material, the keys live in secret_bufs
 * (locked, left out of core dumps, wiped when an entry is replaced and at
 * exit).  A wrong entry could not hand out a wrong value either: the value
 * itself is authenticated with the secret's ARN and version id.
 *
 * Thread-safety: one mutex over the table, held only to find, copy or
 * replace an entry.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "core/kms_internal.h"

#define DATA_KEY_CACHE_SLOTS	256	/* a power of two */
/* Longer wrapped keys or contexts are simply not kept. */
#define DATA_KEY_WRAPPED_MAX	128
#define DATA_KEY_IDENTITY_MAX	4096

struct data_key_entry {
	uint64_t		 hash;
	size_t			 identity_len;
	unsigned char		*identity;	/* see identity_build */
	struct secret_buf	*data_key;
};

static pthread_mutex_t data_key_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct data_key_entry data_key_cache[DATA_KEY_CACHE_SLOTS];

/*
 * What an opening depends on, as one byte string: each part with its
 * length in front, so no two different inputs give the same bytes.
 */
static size_t
identity_build(const char *key_arn, const unsigned char *wrapped,
    size_t wrapped_len, const struct kms_context_pair *pairs,
    size_t pair_count, unsigned char *out, size_t cap)
{
	size_t	 len = 0;

	if (wrapped_len > DATA_KEY_WRAPPED_MAX)
		return 0;
#define PART(p, n) do {							\
	uint32_t part_len = (uint32_t)(n);				\
									\
	if ((n) > UINT32_MAX || cap - len < sizeof(part_len) + (n))	\
		return 0;						\
	memcpy(out + len, &part_len, sizeof(part_len));			\
	memcpy(out + len + sizeof(part_len), (p), (n));			\
	len += sizeof(part_len) + (n);					\
} while (0)
	PART(key_arn, strlen(key_arn));
	PART(wrapped, wrapped_len);
	for (size_t i = 0; i < pair_count; i++) {
		PART(pairs[i].key, strlen(pairs[i].key));
		PART(pairs[i].value, strlen(pairs[i].value));
	}
#undef PART
	return len;
}

static uint64_t
identity_hash(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

enum status
data_key_cache_get(const char *key_arn, const unsigned char *wrapped,
    size_t wrapped_len, const struct kms_context_pair *pairs,
    size_t pair_count, struct secret_buf **out)
{
	unsigned char		 identity[DATA_KEY_IDENTITY_MAX];
	struct data_key_entry	*e;
	struct secret_buf	*copy = NULL;
	size_t			 len;
	uint64_t		 hash;

	*out = NULL;
	if ((len = identity_build(key_arn, wrapped, wrapped_len, pairs,
	    pair_count, identity, sizeof(identity))) == 0)
		return STATUS_NOT_FOUND;
	hash = identity_hash(identity, len);
	e = &data_key_cache[hash & (DATA_KEY_CACHE_SLOTS - 1)];
	pthread_mutex_lock(&data_key_cache_lock);
	if (e->data_key != NULL && e->hash == hash &&
	    e->identity_len == len && memcmp(e->identity, identity, len) == 0 &&
	    (copy = secret_buf_new(e->data_key->len)) != NULL) {
		memcpy(copy->data, e->data_key->data, e->data_key->len);
		copy->len = e->data_key->len;
	}
	pthread_mutex_unlock(&data_key_cache_lock);
	if (copy == NULL)
		return STATUS_NOT_FOUND;
	*out = copy;
	return STATUS_OK;
}

void
data_key_cache_put(const char *key_arn, const unsigned char *wrapped,
    size_t wrapped_len, const struct kms_context_pair *pairs,
    size_t pair_count, const struct secret_buf *data_key)
{
	unsigned char		 identity[DATA_KEY_IDENTITY_MAX];
	struct data_key_entry	*e, old;
	struct secret_buf	*key;
	unsigned char		*id;
	size_t			 len;
	uint64_t		 hash;

	if ((len = identity_build(key_arn, wrapped, wrapped_len, pairs,
	    pair_count, identity, sizeof(identity))) == 0)
		return;
	if ((key = secret_buf_new(data_key->len)) == NULL)
		return;
	if ((id = malloc(len)) == NULL) {
		secret_buf_free(key);
		return;
	}
	memcpy(key->data, data_key->data, data_key->len);
	key->len = data_key->len;
	memcpy(id, identity, len);
	hash = identity_hash(identity, len);
	e = &data_key_cache[hash & (DATA_KEY_CACHE_SLOTS - 1)];
	pthread_mutex_lock(&data_key_cache_lock);
	old = *e;
	e->hash = hash;
	e->identity_len = len;
	e->identity = id;
	e->data_key = key;
	pthread_mutex_unlock(&data_key_cache_lock);
	free(old.identity);
	secret_buf_free(old.data_key);
}

void
data_key_cache_clear(void)
{
	pthread_mutex_lock(&data_key_cache_lock);
	for (size_t i = 0; i < DATA_KEY_CACHE_SLOTS; i++) {
		free(data_key_cache[i].identity);
		secret_buf_free(data_key_cache[i].data_key);
		memset(&data_key_cache[i], 0, sizeof(data_key_cache[i]));
	}
	pthread_mutex_unlock(&data_key_cache_lock);
}
