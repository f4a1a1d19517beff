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
 * replace an entry (never while allocating).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "core/kms_internal.h"

#define DATA_KEY_CACHE_SLOTS	256	/* a power of two */
/* Longer wrapped keys are simply not kept. */
#define DATA_KEY_WRAPPED_MAX	128

struct data_key_entry {
	uint64_t		 hash;
	size_t			 identity_len;
	unsigned char		*identity;	/* see data_key_id_make */
	struct secret_buf	*data_key;
};

static pthread_mutex_t data_key_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct data_key_entry data_key_cache[DATA_KEY_CACHE_SLOTS];

/*
 * What an opening depends on, as one byte string: each part with its
 * length in front, so no two different inputs give the same bytes.
 */
bool
data_key_id_make(struct data_key_id *id, const char *key_arn,
    const unsigned char *wrapped, size_t wrapped_len,
    const struct kms_context_pair *pairs, size_t pair_count)
{
	size_t	 len = 0;

	id->len = 0;
	if (wrapped_len > DATA_KEY_WRAPPED_MAX)
		return false;
#define PART(p, n) do {							\
	uint32_t part_len = (uint32_t)(n);				\
									\
	if ((n) > UINT32_MAX ||						\
	    sizeof(id->bytes) - len < sizeof(part_len) + (n))		\
		return false;						\
	memcpy(id->bytes + len, &part_len, sizeof(part_len));		\
	memcpy(id->bytes + len + sizeof(part_len), (p), (n));		\
	len += sizeof(part_len) + (n);					\
} while (0)
	PART(key_arn, strlen(key_arn));
	PART(wrapped, wrapped_len);
	for (size_t i = 0; i < pair_count; i++) {
		PART(pairs[i].key, strlen(pairs[i].key));
		PART(pairs[i].value, strlen(pairs[i].value));
	}
#undef PART
	id->len = len;
	id->hash = core_slot_hash(id->bytes, len);
	return true;
}

enum status
data_key_cache_get(const struct data_key_id *id, struct secret_buf **out)
{
	struct data_key_entry	*e;
	struct secret_buf	*copy = NULL;
	bool			 is_found = false;

	*out = NULL;
	if (id->len == 0)
		return STATUS_NOT_FOUND;
	/* Allocated before the lock: secret_buf_new takes the locked
	 * arena's own lock, and the other worker would wait for both. */
	if ((copy = secret_buf_new(CRYPTO_KEY_LEN)) == NULL)
		return STATUS_NOT_FOUND;
	e = &data_key_cache[id->hash & (DATA_KEY_CACHE_SLOTS - 1)];
	pthread_mutex_lock(&data_key_cache_lock);
	if (e->data_key != NULL && e->hash == id->hash &&
	    e->identity_len == id->len &&
	    memcmp(e->identity, id->bytes, id->len) == 0 &&
	    e->data_key->len < copy->cap) {
		memcpy(copy->data, e->data_key->data, e->data_key->len);
		copy->len = e->data_key->len;
		copy->data[copy->len] = '\0';
		is_found = true;
	}
	pthread_mutex_unlock(&data_key_cache_lock);
	if (!is_found) {
		secret_buf_free(copy);
		return STATUS_NOT_FOUND;
	}
	*out = copy;
	return STATUS_OK;
}

void
data_key_cache_put(const struct data_key_id *id,
    const struct secret_buf *data_key)
{
	struct data_key_entry	*e, old;
	struct secret_buf	*key;
	unsigned char		*bytes;

	if (id->len == 0 || (key = secret_buf_new(data_key->len)) == NULL)
		return;
	if ((bytes = malloc(id->len)) == NULL) {
		secret_buf_free(key);
		return;
	}
	memcpy(key->data, data_key->data, data_key->len);
	key->len = data_key->len;
	memcpy(bytes, id->bytes, id->len);
	e = &data_key_cache[id->hash & (DATA_KEY_CACHE_SLOTS - 1)];
	pthread_mutex_lock(&data_key_cache_lock);
	old = *e;
	e->hash = id->hash;
	e->identity_len = id->len;
	e->identity = bytes;
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
