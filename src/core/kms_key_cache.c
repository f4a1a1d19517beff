/*
 * kms_key_cache.c: what opening a secret version reads of its KMS key,
 * kept between writes so that a read does not look the key up again.
 *
 * Every GetSecretValue opens its version under a key: it finds the key
 * record by ARN, reads the wrapped material of the key version that sealed
 * the data key, and hands the key policy (the stored one, or the default
 * one built from the record) to the authoriser.  A few keys serve all the
 * secrets of an account, so these facts are the same for nearly every
 * read: three statements and a policy built by asprintf each time.
 *
 * An entry holds those facts for one key ARN as read in one read
 * transaction: the record, the policy in force and the wrapped (never the
 * unwrapped) material of the key's current version.  It answers only a
 * read transaction that began at the store write generation the entry was
 * read at, and is kept only if no write ended while it was read: any write
 * of this process (disabling the key, a new policy, a rotation of its
 * material, anything) ends every entry, as with the credential cache
 * (credential_cache.c).  A write transaction never uses or fills it: it
 * sees its own changes.  Only enabled keys are kept (a key pending
 * deletion, whose deletion date makes it vanish with time, is not), and
 * failures never are.
 *
 * Entries are immutable once published and reference counted: a reader
 * holds one across its request without any lock; replacing a slot drops
 * the table's reference.
 *
 * Thread-safety: one mutex over the table, held to find or replace an
 * entry, never across a store transaction.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "core/kms_internal.h"

#define KMS_KEY_CACHE_SLOTS	64	/* a power of two */

struct kms_key_cached {
	struct kms_key_facts	 facts;		/* first: what callers see */
	_Atomic unsigned	 references;
	const struct store	*store;
	uint64_t		 generation;
	char			*default_policy;	/* NULL: stored one */
};

static pthread_mutex_t kms_key_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kms_key_cached *kms_key_cache[KMS_KEY_CACHE_SLOTS];

static size_t
slot_of(const char *arn)
{
	return (size_t)(core_slot_hash(arn, strlen(arn)) &
	    (KMS_KEY_CACHE_SLOTS - 1));
}

static void
cached_free(struct kms_key_cached *c)
{
	if (c == NULL)
		return;
	kms_key_record_cleanup(&c->facts.rec);
	free(c->default_policy);
	if (c->facts.wrapped_material != NULL)
		OPENSSL_clear_free(c->facts.wrapped_material,
		    c->facts.wrapped_material_len);
	free(c);
}

void
kms_key_facts_release(const struct kms_key_facts *facts)
{
	struct kms_key_cached *c = (struct kms_key_cached *)facts;

	if (c != NULL && atomic_fetch_sub(&c->references, 1) == 1)
		cached_free(c);
}

static struct kms_key_cached *
lookup(const struct store *store, uint64_t generation, const char *arn)
{
	struct kms_key_cached *c, *hit = NULL;

	pthread_mutex_lock(&kms_key_cache_lock);
	c = kms_key_cache[slot_of(arn)];
	if (c != NULL && c->store == store && c->generation == generation &&
	    strcmp(c->facts.rec.arn, arn) == 0) {
		atomic_fetch_add(&c->references, 1);
		hit = c;
	}
	pthread_mutex_unlock(&kms_key_cache_lock);
	return hit;
}

static void
publish(struct kms_key_cached *c)
{
	struct kms_key_cached *old;
	size_t		 slot = slot_of(c->facts.rec.arn);

	atomic_fetch_add(&c->references, 1);	/* the table's */
	pthread_mutex_lock(&kms_key_cache_lock);
	old = kms_key_cache[slot];
	kms_key_cache[slot] = c;
	pthread_mutex_unlock(&kms_key_cache_lock);
	kms_key_facts_release(old ? &old->facts : NULL);
}

static enum status
facts_read(struct core_request *req, struct store_txn *txn,
    const char *key_arn, struct kms_key_cached *c, struct error *err)
{
	struct kms_key_version_record v;
	enum status	 st;

	if ((st = kms_key_by_arn_enabled(req, txn, key_arn, &c->facts.rec,
	    err)) != STATUS_OK)
		return st;
	if (c->facts.rec.policy == NULL &&
	    (c->default_policy = core_kms_default_policy(&c->facts.rec)) ==
	    NULL)
		return error_set(err, STATUS_NO_MEMORY, NULL);
	c->facts.policy = c->facts.rec.policy != NULL ? c->facts.rec.policy :
	    c->default_policy;
	memset(&v, 0, sizeof(v));
	st = store_kms_key_version_get(txn, c->facts.rec.key_id,
	    c->facts.rec.current_version, &v);
	if (st == STATUS_OK) {
		c->facts.material_version = v.version;
		c->facts.wrapped_material = v.wrapped_material;
		c->facts.wrapped_material_len = v.wrapped_material_len;
		v.wrapped_material = NULL;
	} else if (st == STATUS_NOT_FOUND)
		st = STATUS_OK;		/* opened from the store if ever asked */
	kms_key_version_record_cleanup(&v);
	return st;
}

enum status
kms_key_facts_get(struct core_request *req, struct store_txn *txn,
    const char *key_arn, const struct kms_key_facts **out, struct error *err)
{
	const struct store	*store = req->env->store;
	struct kms_key_cached	*c;
	uint64_t		 generation = store_txn_generation(txn);
	bool			 is_cacheable = !store_txn_is_write(txn) &&
				    key_arn != NULL;
	enum status		 st;

	if (is_cacheable &&
	    (c = lookup(store, generation, key_arn)) != NULL) {
		*out = &c->facts;
		return STATUS_OK;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return error_set(err, STATUS_NO_MEMORY, NULL);
	atomic_init(&c->references, 1);
	c->store = store;
	c->generation = generation;
	if ((st = facts_read(req, txn, key_arn, c, err)) != STATUS_OK) {
		cached_free(c);
		return st;
	}
	/* Kept only if no write ended while it was read. */
	if (is_cacheable && store_write_generation(req->env->store) ==
	    generation)
		publish(c);
	*out = &c->facts;
	return STATUS_OK;
}
