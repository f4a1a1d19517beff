/*
 * iam_credentials.c: from an access key id (and a session token) to the
 * secret that verifies a SigV4 signature and the identity it stands for.
 *
 *   AKIA... (long-term): access_keys; refused when inactive or when a
 *       session token is sent with it.  An IAM user's key brings the user's
 *       tags; a key without an IAM user behind it is the account's own
 *       (is_account_administrator).
 *   ASIA... (temporary): iam_sessions; the token must be the session's
 *       (compared as SHA-256, in constant time), the session unexpired
 *       (STATUS_EXPIRED_TOKEN), and its user or role still the one that
 *       made it (same unique id: a role deleted and made again does not
 *       revive old sessions).  A role session's tags are the role's with
 *       the session tags replacing those of the same key.
 *
 * One read transaction per lookup.  Every request runs this, so it reads
 * little: the key or session row, the entity, its tags; and a key seen
 * since the last write transaction is answered from credential_cache.c
 * without any.
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "common/log.h"
#include "common/sigv4.h"
#include "core/iam.h"
#include "core/iam_internal.h"

void
core_identity_cleanup(struct core_identity *id)
{
	if (id == NULL)
		return;
	free(id->type);
	free(id->account_id);
	free(id->arn);
	free(id->user_id);
	free(id->user_name);
	free(id->access_key_id);
	free(id->role_arn);
	free(id->role_name);
	free(id->role_id);
	free(id->session_name);
	free(id->source_identity);
	tags_free(id->tags, id->tag_count);
	free(id->session_policy);
	iam_strings_free(id->session_policy_arns, id->session_policy_arn_count);
	memset(id, 0, sizeof(*id));
}

static enum status
dup(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL)
		return STATUS_OK;
	return (*out = strdup(s)) != NULL ? STATUS_OK : STATUS_NO_MEMORY;
}

static enum status
unwrap(const struct core_env *env, const char *prefix,
    const char *access_key_id, const unsigned char *blob, size_t len,
    struct secret_buf **out)
{
	char		 label[160];

	snprintf(label, sizeof(label), "%s:%s", prefix, access_key_id);
	if (keyring_unwrap_cached(env->keyring, label, blob, len, out) !=
	    STATUS_OK) {
		log_error("access key %s does not unwrap under the root key",
		    access_key_id);
		return STATUS_CORRUPT;
	}
	return STATUS_OK;
}

/* The entity behind a key or session, if it is still the one (same id). */
static enum status
entity_same(struct store_txn *txn, enum iam_kind kind, const char *account_id,
    const char *name, const char *id, struct iam_entity_record *out)
{
	enum status	 st;

	if (name == NULL || id == NULL)
		return STATUS_NOT_FOUND;
	if ((st = store_iam_entity_get(txn, kind, account_id, name, out)) !=
	    STATUS_OK)
		return st;
	if (strcmp(out->id, id) != 0) {
		iam_entity_record_cleanup(out);
		return STATUS_NOT_FOUND;
	}
	return STATUS_OK;
}

static enum status
long_term(const struct core_env *env, struct store_txn *txn,
    const char *access_key_id, struct core_identity *id,
    struct secret_buf **secret)
{
	struct access_key_record rec;
	struct iam_entity_record user;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	memset(&user, 0, sizeof(user));
	if ((st = store_access_key_get(txn, access_key_id, &rec)) != STATUS_OK)
		goto out;
	if (!rec.is_active) {
		st = STATUS_NOT_FOUND;
		goto out;
	}
	st = entity_same(txn, IAM_KIND_USER, rec.account_id, rec.user_name,
	    rec.user_id, &user);
	if (st == STATUS_OK) {
		if ((st = store_iam_tags_get(txn, IAM_KIND_USER,
		    rec.account_id, user.name, &id->tags, &id->tag_count)) !=
		    STATUS_OK)
			goto out;
	} else if (st == STATUS_NOT_FOUND)
		id->is_account_administrator = true;
	else
		goto out;
	if ((st = dup(IAM_TYPE_USER, &id->type)) != STATUS_OK ||
	    (st = dup(rec.account_id, &id->account_id)) != STATUS_OK ||
	    (st = dup(rec.principal_arn, &id->arn)) != STATUS_OK ||
	    (st = dup(rec.user_id, &id->user_id)) != STATUS_OK ||
	    (st = dup(rec.user_name, &id->user_name)) != STATUS_OK)
		goto out;
	id->key_created_at = rec.created_at;
	st = unwrap(env, "access-key", access_key_id, rec.wrapped_secret,
	    rec.wrapped_secret_len, secret);
out:
	access_key_record_cleanup(&rec);
	iam_entity_record_cleanup(&user);
	return st;
}

static bool
token_matches(const char *token, const char *stored_hash)
{
	char	 hash[2 * SIGV4_HASH_LEN + 1];
	bool	 is_match;

	if (token == NULL || stored_hash == NULL ||
	    strlen(stored_hash) != 2 * SIGV4_HASH_LEN)
		return false;
	sigv4_hash_hex(token, strlen(token), hash);
	is_match = CRYPTO_memcmp(hash, stored_hash, 2 * SIGV4_HASH_LEN) == 0;
	OPENSSL_cleanse(hash, sizeof(hash));
	return is_match;
}

/* Session tags over the role's: a session tag replaces the role's tag of
 * the same key (without regard to case). */
static enum status
tags_merge(struct tag *base, size_t base_count, struct tag *over,
    size_t over_count, struct tag **out, size_t *count)
{
	struct tag	*all;
	size_t		 n = 0;

	if ((all = calloc(base_count + over_count + 1, sizeof(*all))) == NULL)
		return STATUS_NO_MEMORY;
	for (size_t i = 0; i < over_count; i++)
		all[n++] = over[i];
	for (size_t i = 0; i < base_count; i++) {
		bool	 is_replaced = false;

		for (size_t j = 0; j < over_count && !is_replaced; j++)
			is_replaced = strcasecmp(base[i].key, over[j].key) == 0;
		if (is_replaced) {
			free(base[i].key);
			free(base[i].value);
		} else
			all[n++] = base[i];
	}
	free(base);
	free(over);
	*out = all;
	*count = n;
	return STATUS_OK;
}

static enum status
temporary(const struct core_env *env, struct store_txn *txn,
    const char *access_key_id, const char *token, int64_t now_ms,
    struct core_identity *id, struct secret_buf **secret)
{
	struct iam_session_record s;
	struct iam_entity_record e;
	struct tag	*entity_tags = NULL, *session_tags = NULL;
	size_t		 entity_tag_count = 0, session_tag_count = 0;
	enum status	 st;

	memset(&s, 0, sizeof(s));
	memset(&e, 0, sizeof(e));
	if ((st = store_iam_session_get(txn, access_key_id, &s)) != STATUS_OK)
		goto out;
	if (!token_matches(token, s.token_hash)) {
		st = STATUS_NOT_FOUND;
		goto out;
	}
	if (now_ms >= s.expires_at) {
		st = STATUS_EXPIRED_TOKEN;
		goto out;
	}
	if (s.role_name != NULL) {
		if ((st = entity_same(txn, IAM_KIND_ROLE, s.account_id,
		    s.role_name, s.role_id, &e)) != STATUS_OK)
			goto out;
	} else if (!s.is_account_administrator) {
		if ((st = entity_same(txn, IAM_KIND_USER, s.account_id,
		    s.user_name, s.user_id, &e)) != STATUS_OK)
			goto out;
	}
	if (e.name != NULL && (st = store_iam_tags_get(txn, e.kind,
	    s.account_id, e.name, &entity_tags, &entity_tag_count)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_iam_tags_get(txn, IAM_KIND_SESSION, s.account_id,
	    s.access_key_id, &session_tags, &session_tag_count)) != STATUS_OK)
		goto out;
	st = tags_merge(entity_tags, entity_tag_count, session_tags,
	    session_tag_count, &id->tags, &id->tag_count);
	entity_tags = session_tags = NULL;
	entity_tag_count = session_tag_count = 0;
	if (st != STATUS_OK)
		goto out;
	if ((st = store_iam_attachment_list(txn, IAM_KIND_SESSION,
	    s.account_id, s.access_key_id, &id->session_policy_arns,
	    &id->session_policy_arn_count)) != STATUS_OK)
		goto out;
	id->type = s.type;
	id->account_id = s.account_id;
	id->arn = s.arn;
	id->user_id = s.user_id;
	id->user_name = s.user_name;
	id->role_arn = s.role_arn;
	id->role_name = s.role_name;
	id->role_id = s.role_id;
	id->session_name = s.session_name;
	id->source_identity = s.source_identity;
	id->session_policy = s.policy;
	s.type = s.account_id = s.arn = s.user_id = s.user_name = NULL;
	s.role_arn = s.role_name = s.role_id = s.session_name = NULL;
	s.source_identity = s.policy = NULL;
	id->is_account_administrator = s.is_account_administrator;
	id->is_temporary = true;
	id->expires_at = s.expires_at;
	id->key_created_at = s.created_at;
	st = unwrap(env, "session-key", access_key_id, s.wrapped_secret,
	    s.wrapped_secret_len, secret);
out:
	tags_free(entity_tags, entity_tag_count);
	tags_free(session_tags, session_tag_count);
	iam_entity_record_cleanup(&e);
	iam_session_record_cleanup(&s);
	return st;
}

enum status
core_credentials_lookup(const struct core_env *env, const char *access_key_id,
    const char *session_token, int64_t now_ms, struct core_identity *out,
    struct secret_buf **secret)
{
	struct store_txn	*txn = NULL;
	struct core_identity	 id;
	struct secret_buf	*sb = NULL;
	uint64_t		 generation;
	enum status		 st;

	memset(&id, 0, sizeof(id));
	/* Read before the transaction begins: a write that ends after this
	 * moves it on, and the entry made from what we read never answers. */
	generation = store_write_generation(env->store);
	st = credential_cache_get(env, generation, access_key_id,
	    session_token, now_ms, &id, &sb);
	if (st == STATUS_OK)
		goto found;
	if (st != STATUS_NOT_FOUND)
		goto out;
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		goto out;
	st = STATUS_NOT_FOUND;
	if (strncmp(access_key_id, "ASIA", 4) == 0)
		st = temporary(env, txn, access_key_id, session_token, now_ms,
		    &id, &sb);
	/* An imported long-term key may also start with ASIA. */
	if (st == STATUS_NOT_FOUND) {
		if (session_token != NULL)
			st = STATUS_NOT_FOUND;	/* a token, a long-term key */
		else
			st = long_term(env, txn, access_key_id, &id, &sb);
	}
	if (st != STATUS_OK)
		goto out;
	if ((st = dup(access_key_id, &id.access_key_id)) != STATUS_OK)
		goto out;
	credential_cache_put(env, generation, access_key_id, session_token,
	    &id, sb);
found:
	*out = id;
	memset(&id, 0, sizeof(id));
	*secret = sb;
	sb = NULL;
out:
	store_rollback(txn);
	core_identity_cleanup(&id);
	secret_buf_free(sb);
	return st;
}
