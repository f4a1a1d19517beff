/*
 * authorize_cache.c: a principal's identity side compiled once, and a small
 * cache of them.
 *
 * Parsing a principal's policies costs far more than evaluating them, and
 * a few principals make most requests, so the compiled set is kept keyed by
 * access key id and the IAM write generation: any IAM write bumps the
 * generation, after which older entries never answer (they age out).
 * Invariants: a struct auth_policies is immutable once compiled and freed
 * when its last reference goes; the cache holds one reference per entry.
 * Thread-safety: the cache is guarded by one mutex, held only to look up,
 * insert or drop entries; reference counts are atomic.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/policy.h"

struct auth_policies {
	atomic_size_t	 reference_count;
	struct policy	**identity;
	size_t		 identity_count;
	struct policy	*boundary;		/* NULL: none */
	struct policy	**session;
	size_t		 session_count;
};

/* Grants nothing: stands for a managed session policy since deleted, which
 * still narrows the session. */
static const char grants_nothing[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Action\":\"sesame:NoAction\",\"Resource\":\"*\"}]}";

void
auth_policies_release(struct auth_policies *p)
{
	if (p == NULL || atomic_fetch_sub(&p->reference_count, 1) != 1)
		return;
	for (size_t i = 0; i < p->identity_count; i++)
		policy_free(p->identity[i]);
	for (size_t i = 0; i < p->session_count; i++)
		policy_free(p->session[i]);
	policy_free(p->boundary);
	free(p->identity);
	free(p->session);
	free(p);
}

static enum status
compile_one(const char *json, const char *arn, struct policy **out,
    struct error *err)
{
	enum status st;

	if ((st = policy_parse(json, strlen(json), POLICY_KIND_IDENTITY, out,
	    err)) != STATUS_OK)
		return st;
	if (arn != NULL && (st = policy_set_arn(*out, arn)) != STATUS_OK) {
		policy_free(*out);
		*out = NULL;
	}
	return st;
}

enum status
auth_policies_compile(const struct auth_policies_input *in,
    struct auth_policies **out, struct error *err)
{
	struct auth_policies	*p;
	size_t			 sessions;
	enum status		 st = STATUS_NO_MEMORY;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return error_set(err, STATUS_NO_MEMORY, NULL);
	atomic_init(&p->reference_count, 1);
	sessions = in->session_count + (in->session_policy != NULL ? 1 : 0);
	if ((in->count > 0 && (p->identity = calloc(in->count,
	    sizeof(*p->identity))) == NULL) ||
	    (sessions > 0 && (p->session = calloc(sessions,
	    sizeof(*p->session))) == NULL)) {
		error_set(err, st, NULL);
		goto out;
	}
	for (size_t i = 0; i < in->count; i++) {
		if ((st = compile_one(in->documents[i], in->arns != NULL ?
		    in->arns[i] : NULL, &p->identity[i], err)) != STATUS_OK)
			goto out;
		p->identity_count++;
	}
	if (in->permissions_boundary != NULL &&
	    (st = compile_one(in->permissions_boundary, NULL, &p->boundary,
	    err)) != STATUS_OK)
		goto out;
	if (in->session_policy != NULL) {
		if ((st = compile_one(in->session_policy, NULL,
		    &p->session[p->session_count], err)) != STATUS_OK)
			goto out;
		p->session_count++;
	}
	for (size_t i = 0; i < in->session_count; i++) {
		const char *doc = in->session_documents[i];

		if ((st = compile_one(doc != NULL ? doc : grants_nothing, NULL,
		    &p->session[p->session_count], err)) != STATUS_OK)
			goto out;
		p->session_count++;
	}
	*out = p;
	p = NULL;
	st = STATUS_OK;
out:
	auth_policies_release(p);
	return st;
}

void
auth_policies_apply(const struct auth_policies *p, struct policy_request *req)
{
	req->identity_policies = (const struct policy *const *)p->identity;
	req->identity_policy_count = p->identity_count;
	req->permissions_boundary = p->boundary;
	req->session_policies = (const struct policy *const *)p->session;
	req->session_policy_count = p->session_count;
}

/* ---- the cache ---- */

#define AUTH_POLICY_CACHE_SIZE	64

struct cache_entry {
	char			 access_key_id[129];
	uint64_t		 generation;
	uint64_t		 used_at;	/* tick of the last hit */
	struct auth_policies	*policies;	/* NULL: empty slot */
};

static pthread_mutex_t	 cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry cache[AUTH_POLICY_CACHE_SIZE];
static uint64_t		 cache_tick;

struct auth_policies *
auth_policy_cache_get(const char *access_key_id, uint64_t generation)
{
	struct auth_policies *found = NULL;

	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < AUTH_POLICY_CACHE_SIZE; i++) {
		struct cache_entry *e = &cache[i];

		if (e->policies == NULL || e->generation != generation ||
		    strcmp(e->access_key_id, access_key_id) != 0)
			continue;
		e->used_at = ++cache_tick;
		atomic_fetch_add(&e->policies->reference_count, 1);
		found = e->policies;
		break;
	}
	pthread_mutex_unlock(&cache_lock);
	return found;
}

void
auth_policy_cache_put(const char *access_key_id, uint64_t generation,
    struct auth_policies *policies)
{
	struct cache_entry	*slot = NULL;
	struct auth_policies	*old = NULL;

	if (strlen(access_key_id) >= sizeof(cache[0].access_key_id))
		return;
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < AUTH_POLICY_CACHE_SIZE; i++) {
		struct cache_entry *e = &cache[i];

		if (e->policies != NULL &&
		    strcmp(e->access_key_id, access_key_id) == 0) {
			slot = e;	/* this key's older entry */
			break;
		}
		if (slot == NULL || e->policies == NULL ||
		    (slot->policies != NULL && e->used_at < slot->used_at))
			slot = e;
	}
	if (slot->policies == NULL || slot->generation <= generation) {
		old = slot->policies;
		atomic_fetch_add(&policies->reference_count, 1);
		slot->policies = policies;
		slot->generation = generation;
		slot->used_at = ++cache_tick;
		memcpy(slot->access_key_id, access_key_id,
		    strlen(access_key_id) + 1);
	}
	pthread_mutex_unlock(&cache_lock);
	auth_policies_release(old);
}

void
auth_policy_cache_flush(void)
{
	struct auth_policies *old[AUTH_POLICY_CACHE_SIZE];

	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < AUTH_POLICY_CACHE_SIZE; i++) {
		old[i] = cache[i].policies;
		memset(&cache[i], 0, sizeof(cache[i]));
	}
	pthread_mutex_unlock(&cache_lock);
	for (size_t i = 0; i < AUTH_POLICY_CACHE_SIZE; i++)
		auth_policies_release(old[i]);
}

/* ---- resource policies, compiled once per distinct document ---- */

/*
 * A secret's or a key's policy is read with every request on it; its
 * compiled form is kept keyed by the document's text (hash, then the
 * whole text compared), so a change of policy is simply a new entry.
 */
#define AUTH_DOCUMENT_CACHE_SIZE	64

struct auth_document {
	atomic_size_t	 reference_count;
	uint64_t	 hash;
	enum policy_kind kind;
	char		*text;
	struct policy	*policy;
};

struct document_slot {
	struct auth_document	*document;	/* NULL: empty */
	uint64_t		 used_at;
};

static pthread_mutex_t	 document_lock = PTHREAD_MUTEX_INITIALIZER;
static struct document_slot documents[AUTH_DOCUMENT_CACHE_SIZE];
static uint64_t		 document_tick;

/*
 * Eight bytes a step: a key policy is a kilobyte or two and is looked up
 * on every GetSecretValue, where FNV-1a a byte at a time cost 9,000
 * instructions.  A hit compares the whole text, so the hash only has to
 * spread documents over the slots.
 */
static uint64_t
text_hash(const char *s)
{
	size_t		 len = strlen(s);
	uint64_t	 h = 0xcbf29ce484222325ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, sizeof(w));
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

void
auth_document_release(struct auth_document *d)
{
	if (d == NULL || atomic_fetch_sub(&d->reference_count, 1) != 1)
		return;
	policy_free(d->policy);
	free(d->text);
	free(d);
}

const struct policy *
auth_document_policy(const struct auth_document *d)
{
	return d->policy;
}

static struct auth_document *
document_lookup(uint64_t hash, enum policy_kind kind, const char *json)
{
	struct auth_document *found = NULL;

	pthread_mutex_lock(&document_lock);
	for (size_t i = 0; i < AUTH_DOCUMENT_CACHE_SIZE; i++) {
		struct document_slot *s = &documents[i];

		if (s->document == NULL || s->document->hash != hash ||
		    s->document->kind != kind ||
		    strcmp(s->document->text, json) != 0)
			continue;
		s->used_at = ++document_tick;
		atomic_fetch_add(&s->document->reference_count, 1);
		found = s->document;
		break;
	}
	pthread_mutex_unlock(&document_lock);
	return found;
}

static void
document_insert(struct auth_document *d)
{
	struct document_slot	*slot = &documents[0];
	struct auth_document	*old;

	pthread_mutex_lock(&document_lock);
	for (size_t i = 0; i < AUTH_DOCUMENT_CACHE_SIZE; i++) {
		struct document_slot *s = &documents[i];

		if (s->document == NULL) {
			slot = s;
			break;
		}
		if (s->used_at < slot->used_at)
			slot = s;
	}
	old = slot->document;
	atomic_fetch_add(&d->reference_count, 1);
	slot->document = d;
	slot->used_at = ++document_tick;
	pthread_mutex_unlock(&document_lock);
	auth_document_release(old);
}

enum status
auth_resource_policy_get(const char *json, bool is_key_policy,
    struct auth_document **out, struct error *err)
{
	struct auth_document	*d;
	enum policy_kind	 kind = is_key_policy ? POLICY_KIND_KEY :
				    POLICY_KIND_RESOURCE;
	uint64_t		 hash = text_hash(json);
	enum status		 st;

	if ((d = document_lookup(hash, kind, json)) != NULL) {
		*out = d;
		return STATUS_OK;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->text = strdup(json)) == NULL) {
		free(d);
		return error_set(err, STATUS_NO_MEMORY, NULL);
	}
	atomic_init(&d->reference_count, 1);
	d->hash = hash;
	d->kind = kind;
	if ((st = policy_parse(json, strlen(json), kind,
	    &d->policy, err)) != STATUS_OK) {
		auth_document_release(d);
		return st;
	}
	document_insert(d);
	*out = d;
	return STATUS_OK;
}

void
auth_document_cache_flush(void)
{
	struct auth_document *old[AUTH_DOCUMENT_CACHE_SIZE];

	pthread_mutex_lock(&document_lock);
	for (size_t i = 0; i < AUTH_DOCUMENT_CACHE_SIZE; i++) {
		old[i] = documents[i].document;
		memset(&documents[i], 0, sizeof(documents[i]));
	}
	pthread_mutex_unlock(&document_lock);
	for (size_t i = 0; i < AUTH_DOCUMENT_CACHE_SIZE; i++)
		auth_document_release(old[i]);
}
