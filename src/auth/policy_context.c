/*
 * policy_context.c: the request context (condition keys and their values)
 * and the engine's small utilities: the arena compiled policies live in
 * and the hashes (FNV-1a for key lookups, keyed SipHash-2-4 for request
 * hashes).
 *
 * A context is a short array of entries, each a lower-cased key, its hash
 * and its values; lookups compare hashes, then bytes.  Requests carry a
 * few dozen keys, so a linear scan beats anything cleverer.  Strings are
 * copied into the context's own arena.
 *
 * Thread-safety: a context is built by one thread, then only read.  The
 * SipHash key is drawn once per process under pthread_once.
 */
#include <sys/random.h>

#include <ctype.h>
#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/policy_internal.h"
#include "common/utc_time.h"

#define ARENA_CHUNK_MIN		4096
#define ARENA_ALIGN		alignof(max_align_t)
#define CONTEXT_KEY_MAX		512

/* ---- arena ---- */

struct policy_arena_chunk {
	struct policy_arena_chunk *next;
	size_t			 used;
	size_t			 capacity;
	alignas(max_align_t) unsigned char data[];
};

void *
policy_arena_alloc(struct policy_arena *arena, size_t size)
{
	struct policy_arena_chunk *chunk = arena->head;
	size_t			 need, cap;
	void			*p;

	need = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (need < size)
		return NULL;
	if (chunk == NULL || chunk->capacity - chunk->used < need) {
		cap = need > ARENA_CHUNK_MIN ? need : ARENA_CHUNK_MIN;
		if ((chunk = malloc(sizeof(*chunk) + cap)) == NULL)
			return NULL;
		chunk->used = 0;
		chunk->capacity = cap;
		chunk->next = arena->head;
		arena->head = chunk;
	}
	p = chunk->data + chunk->used;
	chunk->used += need;
	memset(p, 0, need);
	return p;
}

char *
policy_arena_strndup(struct policy_arena *arena, const char *s, size_t len)
{
	char	*copy;

	if (len == SIZE_MAX || (copy = policy_arena_alloc(arena, len + 1)) ==
	    NULL)
		return NULL;
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

void
policy_arena_cleanup(struct policy_arena *arena)
{
	struct policy_arena_chunk *chunk, *next;

	for (chunk = arena->head; chunk != NULL; chunk = next) {
		next = chunk->next;
		free(chunk);
	}
	arena->head = NULL;
}

/* ---- hashing ---- */

uint64_t
policy_key_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)tolower((unsigned char)s[i]);
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t		hash_key[2];
static pthread_once_t	hash_key_once = PTHREAD_ONCE_INIT;

static void
hash_key_init(void)
{
	unsigned char	 buf[16];
	ssize_t		 n;

	n = getrandom(buf, sizeof(buf), 0);
	if (n != (ssize_t)sizeof(buf)) {
		/* No entropy source at all: still a hash, not a secret one. */
		uint64_t seed = (uint64_t)time(NULL) ^
		    ((uint64_t)getpid() << 32);

		memcpy(buf, &seed, sizeof(seed));
		memcpy(buf + 8, &seed, sizeof(seed));
	}
	memcpy(&hash_key[0], buf, 8);
	memcpy(&hash_key[1], buf + 8, 8);
}

#define ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND(h) do {						\
	(h)->v0 += (h)->v1; (h)->v1 = ROTL((h)->v1, 13);		\
	(h)->v1 ^= (h)->v0; (h)->v0 = ROTL((h)->v0, 32);		\
	(h)->v2 += (h)->v3; (h)->v3 = ROTL((h)->v3, 16);		\
	(h)->v3 ^= (h)->v2;						\
	(h)->v0 += (h)->v3; (h)->v3 = ROTL((h)->v3, 21);		\
	(h)->v3 ^= (h)->v0;						\
	(h)->v2 += (h)->v1; (h)->v1 = ROTL((h)->v1, 17);		\
	(h)->v1 ^= (h)->v2; (h)->v2 = ROTL((h)->v2, 32);		\
} while (0)

void
policy_hasher_init(struct policy_hasher *h)
{
	pthread_once(&hash_key_once, hash_key_init);
	h->v0 = 0x736f6d6570736575ULL ^ hash_key[0];
	h->v1 = 0x646f72616e646f6dULL ^ hash_key[1];
	h->v2 = 0x6c7967656e657261ULL ^ hash_key[0];
	h->v3 = 0x7465646279746573ULL ^ hash_key[1];
	h->tail = 0;
	h->tail_len = 0;
	h->total_len = 0;
}

static void
hasher_block(struct policy_hasher *h, uint64_t m)
{
	h->v3 ^= m;
	SIPROUND(h);
	SIPROUND(h);
	h->v0 ^= m;
}

void
policy_hasher_update(struct policy_hasher *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	h->total_len += len;
	for (size_t i = 0; i < len; i++) {
		h->tail |= (uint64_t)p[i] << (8 * h->tail_len);
		if (++h->tail_len == 8) {
			hasher_block(h, h->tail);
			h->tail = 0;
			h->tail_len = 0;
		}
	}
}

void
policy_hasher_u64(struct policy_hasher *h, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	policy_hasher_update(h, b, sizeof(b));
}

void
policy_hasher_string(struct policy_hasher *h, const char *s)
{
	size_t len = s != NULL ? strlen(s) : 0;

	/* NULL and "" differ. */
	policy_hasher_u64(h, s != NULL ? (uint64_t)len : UINT64_MAX);
	policy_hasher_update(h, s, len);
}

uint64_t
policy_hasher_final(struct policy_hasher *h)
{
	uint64_t b = ((uint64_t)(h->total_len & 0xff) << 56) | h->tail;

	hasher_block(h, b);
	h->v2 ^= 0xff;
	SIPROUND(h);
	SIPROUND(h);
	SIPROUND(h);
	SIPROUND(h);
	return h->v0 ^ h->v1 ^ h->v2 ^ h->v3;
}

/* ---- the context ---- */

struct policy_context {
	struct policy_arena		 arena;
	struct policy_context_entry	*entries;
	size_t				 count;
	size_t				 capacity;
	/* Non-NULL: keep only the keys these policies reference. */
	const struct policy_request	*limit;
};

struct policy_context *
policy_context_new(void)
{
	return calloc(1, sizeof(struct policy_context));
}

void
policy_context_free(struct policy_context *ctx)
{
	if (ctx == NULL)
		return;
	for (size_t i = 0; i < ctx->count; i++) {
		free(ctx->entries[i].values);
		free(ctx->entries[i].items);
	}
	free(ctx->entries);
	policy_arena_cleanup(&ctx->arena);
	free(ctx);
}

static struct policy_context_entry *
context_lookup(const struct policy_context *ctx, uint64_t hash,
    const char *key_lower, size_t key_len)
{
	for (size_t i = 0; i < ctx->count; i++) {
		struct policy_context_entry *e = &ctx->entries[i];

		if (e->hash == hash && e->key_len == key_len &&
		    memcmp(e->key, key_lower, key_len) == 0)
			return e;
	}
	return NULL;
}

const struct policy_context_entry *
policy_context_find(const struct policy_context *ctx, uint64_t hash,
    const char *key_lower, size_t key_len)
{
	const struct policy_context_entry *e;

	if (ctx == NULL)
		return NULL;
	e = context_lookup(ctx, hash, key_lower, key_len);
	return e != NULL && e->count > 0 ? e : NULL;
}

/* Lower-case key into buf; false when it is empty or too long. */
static bool
context_key_lower(const char *key, char *buf, size_t *len)
{
	size_t n;

	if (key == NULL || (n = strlen(key)) == 0 || n >= CONTEXT_KEY_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)key[i]);
	buf[n] = '\0';
	*len = n;
	return true;
}

void
policy_context_limit_to(struct policy_context *ctx,
    const struct policy_request *req)
{
	if (ctx != NULL)
		ctx->limit = req;
}

static bool
policy_references(const struct policy *p, uint64_t hash,
    const char *key_lower, size_t key_len)
{
	if (p == NULL)
		return false;
	for (size_t i = 0; i < p->key_count; i++)
		if (p->keys[i].hash == hash && p->keys[i].key_len == key_len &&
		    memcmp(p->keys[i].key, key_lower, key_len) == 0)
			return true;
	return false;
}

static bool
context_wants(const struct policy_context *ctx, uint64_t hash,
    const char *key_lower, size_t key_len)
{
	const struct policy_request *req = ctx->limit;

	if (req == NULL)
		return true;
	for (size_t i = 0; i < req->identity_policy_count; i++)
		if (policy_references(req->identity_policies[i], hash,
		    key_lower, key_len))
			return true;
	for (size_t i = 0; i < req->session_policy_count; i++)
		if (policy_references(req->session_policies[i], hash,
		    key_lower, key_len))
			return true;
	return policy_references(req->permissions_boundary, hash, key_lower,
	    key_len) || policy_references(req->resource_policy, hash,
	    key_lower, key_len);
}

bool
policy_context_wants(const struct policy_context *ctx, const char *key)
{
	char	 lower[CONTEXT_KEY_MAX];
	size_t	 len;

	if (ctx == NULL || !context_key_lower(key, lower, &len))
		return false;
	return context_wants(ctx, policy_key_hash(lower, len), lower, len);
}

/* key's entry, made if need be; *out NULL when the context does not keep
 * key (policy_context_limit_to). */
static enum status
context_entry_get(struct policy_context *ctx, const char *key,
    struct policy_context_entry **out)
{
	struct policy_context_entry *e;
	char			 lower[CONTEXT_KEY_MAX];
	size_t			 len;
	uint64_t		 hash;

	*out = NULL;
	if (!context_key_lower(key, lower, &len))
		return STATUS_INVALID_PARAMETER;
	hash = policy_key_hash(lower, len);
	if (!context_wants(ctx, hash, lower, len))
		return STATUS_OK;
	if ((e = context_lookup(ctx, hash, lower, len)) != NULL) {
		*out = e;
		return STATUS_OK;
	}
	if (ctx->count == ctx->capacity) {
		size_t	 cap = ctx->capacity == 0 ? 16 : ctx->capacity * 2;
		struct policy_context_entry *grown;

		grown = reallocarray(ctx->entries, cap, sizeof(*grown));
		if (grown == NULL)
			return STATUS_NO_MEMORY;
		ctx->entries = grown;
		ctx->capacity = cap;
	}
	e = &ctx->entries[ctx->count];
	memset(e, 0, sizeof(*e));
	if ((e->key = policy_arena_strndup(&ctx->arena, lower, len)) == NULL)
		return STATUS_NO_MEMORY;
	e->key_len = len;
	e->hash = hash;
	ctx->count++;
	*out = e;
	return STATUS_OK;
}

static enum status
context_entry_append(struct policy_context *ctx,
    struct policy_context_entry *e, const char *value)
{
	size_t	 len;
	char	*copy;

	if (value == NULL || (len = strlen(value)) > POLICY_CONTEXT_VALUE_MAX ||
	    e->count >= POLICY_CONTEXT_VALUES_MAX)
		return STATUS_INVALID_PARAMETER;
	if (e->count == e->capacity) {
		size_t		 cap = e->capacity == 0 ? 2 : e->capacity * 2;
		const char	**values;
		struct policy_context_value *items;

		/* Keep one spare slot so values stays NULL-terminated. */
		if ((values = reallocarray(e->values, cap + 1,
		    sizeof(*values))) == NULL)
			return STATUS_NO_MEMORY;
		e->values = values;
		if ((items = reallocarray(e->items, cap, sizeof(*items))) ==
		    NULL)
			return STATUS_NO_MEMORY;
		e->items = items;
		e->capacity = cap;
	}
	if ((copy = policy_arena_strndup(&ctx->arena, value, len)) == NULL)
		return STATUS_NO_MEMORY;
	e->items[e->count].text = copy;
	e->items[e->count].len = len;
	e->values[e->count] = copy;
	e->count++;
	e->values[e->count] = NULL;
	return STATUS_OK;
}

enum status
policy_context_add(struct policy_context *ctx, const char *key,
    const char *value)
{
	struct policy_context_entry *e;
	enum status		 st;

	if (ctx == NULL || value == NULL ||
	    strlen(value) > POLICY_CONTEXT_VALUE_MAX)
		return STATUS_INVALID_PARAMETER;
	if ((st = context_entry_get(ctx, key, &e)) != STATUS_OK || e == NULL)
		return st;
	return context_entry_append(ctx, e, value);
}

enum status
policy_context_set(struct policy_context *ctx, const char *key,
    const char *const *values, size_t count)
{
	struct policy_context_entry *e;
	enum status		 st;

	if (ctx == NULL || (count > 0 && values == NULL) ||
	    count > POLICY_CONTEXT_VALUES_MAX)
		return STATUS_INVALID_PARAMETER;
	for (size_t i = 0; i < count; i++)
		if (values[i] == NULL ||
		    strlen(values[i]) > POLICY_CONTEXT_VALUE_MAX)
			return STATUS_INVALID_PARAMETER;
	if ((st = context_entry_get(ctx, key, &e)) != STATUS_OK || e == NULL)
		return st;
	e->count = 0;
	if (e->values != NULL)
		e->values[0] = NULL;
	for (size_t i = 0; i < count; i++)
		if ((st = context_entry_append(ctx, e, values[i])) != STATUS_OK)
			return st;
	return STATUS_OK;
}

size_t
policy_context_get(const struct policy_context *ctx, const char *key,
    const char *const **values)
{
	const struct policy_context_entry *e;
	char			 lower[CONTEXT_KEY_MAX];
	size_t			 len;

	if (values != NULL)
		*values = NULL;
	if (ctx == NULL || !context_key_lower(key, lower, &len))
		return 0;
	e = policy_context_find(ctx, policy_key_hash(lower, len), lower, len);
	if (e == NULL)
		return 0;
	if (values != NULL)
		*values = e->values;
	return e->count;
}

size_t
policy_context_key_count(const struct policy_context *ctx)
{
	size_t n = 0;

	if (ctx == NULL)
		return 0;
	for (size_t i = 0; i < ctx->count; i++)
		if (ctx->entries[i].count > 0)
			n++;
	return n;
}

void
policy_context_hash_entry(const struct policy_context *ctx, uint64_t hash,
    const char *key_lower, size_t key_len, struct policy_hasher *h)
{
	const struct policy_context_entry *e;

	e = policy_context_find(ctx, hash, key_lower, key_len);
	policy_hasher_update(h, key_lower, key_len);
	policy_hasher_u64(h, e != NULL ? (uint64_t)e->count : 0);
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->count; i++) {
		policy_hasher_u64(h, e->items[i].len);
		policy_hasher_update(h, e->items[i].text, e->items[i].len);
	}
}

/* ---- helpers for the keys every request has ---- */

static const char *
principal_type_name(enum policy_principal_type type)
{
	switch (type) {
	case POLICY_PRINCIPAL_ROOT:
		return "Account";
	case POLICY_PRINCIPAL_USER:
		return "User";
	case POLICY_PRINCIPAL_ASSUMED_ROLE:
		return "AssumedRole";
	case POLICY_PRINCIPAL_FEDERATED_USER:
		return "FederatedUser";
	case POLICY_PRINCIPAL_SERVICE:
		return "Service";
	case POLICY_PRINCIPAL_WEB_IDENTITY:
		return "WebIdentityUser";
	case POLICY_PRINCIPAL_ANONYMOUS:
		return "Anonymous";
	}
	return "Anonymous";
}

/* Set a single-valued key (so calling the helpers twice is harmless). */
static enum status
context_set_one(struct policy_context *ctx, const char *key, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return STATUS_OK;
	return policy_context_set(ctx, key, &value, 1);
}

enum status
policy_context_add_principal(struct policy_context *ctx,
    const struct policy_principal *p)
{
	const char	*principal_arn;
	char		 key[CONTEXT_KEY_MAX];
	enum status	 st;
	int		 n;

	if (ctx == NULL || p == NULL)
		return STATUS_INVALID_PARAMETER;
	/* For a role session aws:PrincipalArn is the role's ARN. */
	principal_arn = p->type == POLICY_PRINCIPAL_ASSUMED_ROLE &&
	    p->role_arn != NULL ? p->role_arn : p->arn;
	if (p->type == POLICY_PRINCIPAL_SERVICE) {
		if ((st = context_set_one(ctx, "aws:PrincipalServiceName",
		    p->arn)) != STATUS_OK)
			return st;
	} else if (p->type != POLICY_PRINCIPAL_ANONYMOUS) {
		if ((st = context_set_one(ctx, "aws:PrincipalArn",
		    principal_arn)) != STATUS_OK ||
		    (st = context_set_one(ctx, "aws:PrincipalAccount",
		    p->account_id)) != STATUS_OK)
			return st;
	}
	if ((st = context_set_one(ctx, "aws:PrincipalType",
	    principal_type_name(p->type))) != STATUS_OK ||
	    (st = context_set_one(ctx, "aws:userid", p->user_id)) != STATUS_OK)
		return st;
	if (p->type == POLICY_PRINCIPAL_USER &&
	    (st = context_set_one(ctx, "aws:username", p->user_name)) !=
	    STATUS_OK)
		return st;
	for (size_t i = 0; i < p->tag_count; i++) {
		if (p->tags[i].key == NULL || p->tags[i].value == NULL)
			return STATUS_INVALID_PARAMETER;
		n = snprintf(key, sizeof(key), "aws:PrincipalTag/%s",
		    p->tags[i].key);
		if (n < 0 || (size_t)n >= sizeof(key))
			return STATUS_INVALID_PARAMETER;
		if ((st = policy_context_set(ctx, key, &p->tags[i].value, 1)) !=
		    STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

enum status
policy_context_add_request(struct policy_context *ctx, time_t now,
    const char *source_ip, bool is_secure_transport)
{
	char		 iso[UTC_TIME_ISO_LEN + 1], epoch[32];
	const char	*v;
	enum status	 st;

	if (ctx == NULL)
		return STATUS_INVALID_PARAMETER;
	if (policy_context_wants(ctx, "aws:CurrentTime")) {
		utc_time_format_iso((int64_t)now, iso);
		v = iso;
		if ((st = policy_context_set(ctx, "aws:CurrentTime", &v, 1)) !=
		    STATUS_OK)
			return st;
	}
	if (policy_context_wants(ctx, "aws:EpochTime")) {
		snprintf(epoch, sizeof(epoch), "%lld", (long long)now);
		v = epoch;
		if ((st = policy_context_set(ctx, "aws:EpochTime", &v, 1)) !=
		    STATUS_OK)
			return st;
	}
	v = is_secure_transport ? "true" : "false";
	if ((st = policy_context_set(ctx, "aws:SecureTransport", &v, 1)) !=
	    STATUS_OK)
		return st;
	if (source_ip != NULL && source_ip[0] != '\0')
		return policy_context_set(ctx, "aws:SourceIp", &source_ip, 1);
	return STATUS_OK;
}
