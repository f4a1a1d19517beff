/*
 * credential_cache.c: what core_credentials_lookup found for an access key,
 * kept so that a busy key does not cost a read transaction and an unwrap on
 * every request.
 *
 * An entry holds the identity and the unwrapped secret access key, keyed by
 * the store, the access key id and the SHA-256 of the session token (none
 * for a long-term key).  It answers only while the store's write generation
 * is the one read before its lookup began: any write transaction of this
 * process (deactivating or deleting a key, ending a session, changing a
 * user, a role or their tags) ends every entry, so a change is seen by the
 * next request, as without the cache.  A temporary credential's expiry is
 * checked on every hit.  Failed lookups are never cached.
 *
 * Invariants: secrets stay in secret_bufs (locked, wiped when freed);
 * an entry's secret is wiped when the entry is replaced or the generation
 * moves on (at its next use).  Callers get copies, never the entry.
 *
 * Thread-safety: one mutex over the table, held for lookups and copies
 * only, never across a store transaction.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/sigv4.h"
#include "core/iam.h"
#include "core/iam_internal.h"

#define CREDENTIAL_CACHE_SLOTS	256	/* a power of two */
#define CREDENTIAL_KEY_ID_MAX	129

struct credential_entry {
	bool			 is_used;
	const struct store	*store;
	uint64_t		 generation;
	char			 access_key_id[CREDENTIAL_KEY_ID_MAX];
	bool			 has_token;
	unsigned char		 token_hash[SIGV4_HASH_LEN];
	struct core_identity	 identity;
	struct secret_buf	*secret;
};

static pthread_mutex_t credential_lock = PTHREAD_MUTEX_INITIALIZER;
static struct credential_entry credential_entries[CREDENTIAL_CACHE_SLOTS];

static void
entry_clear(struct credential_entry *e)
{
	core_identity_cleanup(&e->identity);
	secret_buf_free(e->secret);
	OPENSSL_cleanse(e, sizeof(*e));
}

static size_t
slot_of(const char *access_key_id)
{
	const unsigned char *p;
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (p = (const unsigned char *)access_key_id; *p != '\0'; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return (size_t)(h & (CREDENTIAL_CACHE_SLOTS - 1));
}

static enum status
strdup_or_null(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL)
		return STATUS_OK;
	return (*out = strdup(s)) != NULL ? STATUS_OK : STATUS_NO_MEMORY;
}

/* A deep copy; on failure *out is cleaned up and holds nothing. */
static enum status
identity_copy(const struct core_identity *in, struct core_identity *out)
{
	enum status	 st;

	memset(out, 0, sizeof(*out));
	out->key_created_at = in->key_created_at;
	out->is_account_administrator = in->is_account_administrator;
	out->is_temporary = in->is_temporary;
	out->expires_at = in->expires_at;
	if ((st = strdup_or_null(in->type, &out->type)) != STATUS_OK ||
	    (st = strdup_or_null(in->account_id, &out->account_id)) !=
	    STATUS_OK ||
	    (st = strdup_or_null(in->arn, &out->arn)) != STATUS_OK ||
	    (st = strdup_or_null(in->user_id, &out->user_id)) != STATUS_OK ||
	    (st = strdup_or_null(in->user_name, &out->user_name)) !=
	    STATUS_OK ||
	    (st = strdup_or_null(in->access_key_id, &out->access_key_id)) !=
	    STATUS_OK ||
	    (st = strdup_or_null(in->role_arn, &out->role_arn)) != STATUS_OK ||
	    (st = strdup_or_null(in->role_name, &out->role_name)) !=
	    STATUS_OK ||
	    (st = strdup_or_null(in->role_id, &out->role_id)) != STATUS_OK ||
	    (st = strdup_or_null(in->session_name, &out->session_name)) !=
	    STATUS_OK ||
	    (st = strdup_or_null(in->source_identity,
	    &out->source_identity)) != STATUS_OK ||
	    (st = strdup_or_null(in->session_policy,
	    &out->session_policy)) != STATUS_OK)
		goto out;
	st = STATUS_NO_MEMORY;
	if (in->tag_count > 0) {
		if ((out->tags = calloc(in->tag_count + 1,
		    sizeof(*out->tags))) == NULL)
			goto out;
		out->tag_count = in->tag_count;
		for (size_t i = 0; i < in->tag_count; i++)
			if (strdup_or_null(in->tags[i].key,
			    &out->tags[i].key) != STATUS_OK ||
			    strdup_or_null(in->tags[i].value,
			    &out->tags[i].value) != STATUS_OK)
				goto out;
	}
	if (in->session_policy_arn_count > 0) {
		if ((out->session_policy_arns = calloc(
		    in->session_policy_arn_count + 1,
		    sizeof(*out->session_policy_arns))) == NULL)
			goto out;
		out->session_policy_arn_count = in->session_policy_arn_count;
		for (size_t i = 0; i < in->session_policy_arn_count; i++)
			if (strdup_or_null(in->session_policy_arns[i],
			    &out->session_policy_arns[i]) != STATUS_OK)
				goto out;
	}
	st = STATUS_OK;
out:
	if (st != STATUS_OK)
		core_identity_cleanup(out);
	return st;
}

static void
token_hash(const char *token, unsigned char out[SIGV4_HASH_LEN])
{
	memset(out, 0, SIGV4_HASH_LEN);
	if (token != NULL)
		(void)EVP_Digest(token, strlen(token), out, NULL, sigv4_sha256(),
		    NULL);
}

enum status
credential_cache_get(const struct core_env *env, uint64_t generation,
    const char *access_key_id, const char *session_token, int64_t now_ms,
    struct core_identity *out, struct secret_buf **secret)
{
	struct credential_entry *e;
	struct secret_buf *sb = NULL;
	unsigned char	 hash[SIGV4_HASH_LEN];
	enum status	 st = STATUS_NOT_FOUND;

	if (strlen(access_key_id) >= CREDENTIAL_KEY_ID_MAX)
		return STATUS_NOT_FOUND;
	token_hash(session_token, hash);
	e = &credential_entries[slot_of(access_key_id)];
	pthread_mutex_lock(&credential_lock);
	if (!e->is_used || e->store != env->store ||
	    strcmp(e->access_key_id, access_key_id) != 0 ||
	    e->has_token != (session_token != NULL) ||
	    CRYPTO_memcmp(e->token_hash, hash, sizeof(hash)) != 0)
		goto out;
	if (e->generation != generation) {
		entry_clear(e);
		goto out;
	}
	/* Expiry is a matter of time, not of writes: check it every time. */
	if (e->identity.is_temporary && now_ms >= e->identity.expires_at) {
		st = STATUS_EXPIRED_TOKEN;
		goto out;
	}
	if ((sb = secret_buf_from(e->secret->data, e->secret->len)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = identity_copy(&e->identity, out)) != STATUS_OK)
		goto out;
	*secret = sb;
	sb = NULL;
out:
	pthread_mutex_unlock(&credential_lock);
	OPENSSL_cleanse(hash, sizeof(hash));
	secret_buf_free(sb);
	return st;
}

void
credential_cache_put(const struct core_env *env, uint64_t generation,
    const char *access_key_id, const char *session_token,
    const struct core_identity *identity, const struct secret_buf *secret)
{
	struct credential_entry fresh, *e;

	if (strlen(access_key_id) >= CREDENTIAL_KEY_ID_MAX)
		return;
	memset(&fresh, 0, sizeof(fresh));
	/* Copies made outside the lock; dropped if the slot moved on. */
	if (identity_copy(identity, &fresh.identity) != STATUS_OK)
		return;
	if ((fresh.secret = secret_buf_from(secret->data, secret->len)) ==
	    NULL) {
		entry_clear(&fresh);
		return;
	}
	fresh.is_used = true;
	fresh.store = env->store;
	fresh.generation = generation;
	memcpy(fresh.access_key_id, access_key_id, strlen(access_key_id) + 1);
	fresh.has_token = session_token != NULL;
	token_hash(session_token, fresh.token_hash);

	e = &credential_entries[slot_of(access_key_id)];
	pthread_mutex_lock(&credential_lock);
	entry_clear(e);
	*e = fresh;
	pthread_mutex_unlock(&credential_lock);
	OPENSSL_cleanse(&fresh, sizeof(fresh));
}
