/*
 * store_iam.c: the store front-end for IAM: users, groups and roles
 * (entities), their memberships, inline policies, attachments and tags;
 * customer managed policies and their versions; STS sessions; the access
 * keys of one owner.
 *
 * Like store.c it checks arguments once for every backend (a missing one is
 * a caller's bug: logged, STATUS_INTERNAL) and dispatches through the
 * backend's struct store_iam_backend.  It also owns the IAM records'
 * cleanup functions.  No state of its own; thread-safety is the backend's.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "store/store.h"
#include "store/store_internal.h"

static enum status
store_iam_misuse(const char *func)
{
	log_error("%s: called with a missing argument", func);
	return STATUS_INTERNAL;
}

#define IAM_REQUIRE(cond)					\
	do {							\
		if (!(cond))					\
			return store_iam_misuse(__func__);	\
	} while (0)

/* The IAM table of txn's backend; *h gets the handle.  NULL when the
 * backend has none (then the call is refused as a misuse). */
static const struct store_iam_backend *
iam_of(struct store_txn *txn, void **h)
{
	const struct store_backend *b = store_txn_backend(txn, h);

	return b->iam;
}

#define IAM_BACKEND(txn, h, be)					\
	do {							\
		IAM_REQUIRE((txn) != NULL);			\
		IAM_REQUIRE(((be) = iam_of((txn), &(h))) != NULL); \
	} while (0)

static bool
entity_kind_ok(enum iam_kind kind)
{
	return kind == IAM_KIND_USER || kind == IAM_KIND_GROUP ||
	    kind == IAM_KIND_ROLE;
}

static bool
list_query_ok(const struct iam_list_query *q)
{
	return q != NULL && q->account_id != NULL && q->limit > 0;
}

/* ---- entities ---- */

enum status
store_iam_entity_put(struct store_txn *txn, const struct iam_entity_record *rec)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(rec != NULL && entity_kind_ok(rec->kind) &&
	    rec->account_id != NULL && rec->name != NULL && rec->id != NULL &&
	    rec->path != NULL && rec->arn != NULL);
	IAM_REQUIRE(rec->kind != IAM_KIND_ROLE || rec->trust_policy != NULL);
	return be->entity_put(h, rec);
}

enum status
store_iam_entity_get(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *name, struct iam_entity_record *out)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(entity_kind_ok(kind) && account_id != NULL &&
	    name != NULL && out != NULL);
	return be->entity_get(h, kind, account_id, name, out);
}

enum status
store_iam_entity_update(struct store_txn *txn,
    const struct iam_entity_record *rec)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(rec != NULL && entity_kind_ok(rec->kind) &&
	    rec->account_id != NULL && rec->name != NULL);
	IAM_REQUIRE(rec->kind != IAM_KIND_ROLE || rec->trust_policy != NULL);
	return be->entity_update(h, rec);
}

enum status
store_iam_entity_delete(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *name)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(entity_kind_ok(kind) && account_id != NULL && name != NULL);
	return be->entity_delete(h, kind, account_id, name);
}

enum status
store_iam_entity_list(struct store_txn *txn, enum iam_kind kind,
    const struct iam_list_query *q, struct iam_entity_record **out,
    size_t *count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(entity_kind_ok(kind) && list_query_ok(q) && out != NULL &&
	    count != NULL);
	return be->entity_list(h, kind, q, out, count);
}

/* ---- group membership ---- */

enum status
store_iam_member_put(struct store_txn *txn, const char *account_id,
    const char *group_name, const char *user_name)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(account_id != NULL && group_name != NULL &&
	    user_name != NULL);
	return be->member_put(h, account_id, group_name, user_name);
}

enum status
store_iam_member_delete(struct store_txn *txn, const char *account_id,
    const char *group_name, const char *user_name)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(account_id != NULL && group_name != NULL &&
	    user_name != NULL);
	return be->member_delete(h, account_id, group_name, user_name);
}

enum status
store_iam_member_list(struct store_txn *txn, enum iam_kind kind,
    const char *name, const struct iam_list_query *q,
    struct iam_entity_record **out, size_t *count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE((kind == IAM_KIND_USER || kind == IAM_KIND_GROUP) &&
	    name != NULL && list_query_ok(q) && out != NULL && count != NULL);
	return be->member_list(h, kind, name, q, out, count);
}

/* ---- inline policies ---- */

enum status
store_iam_inline_policy_put(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_name,
    const char *document)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(entity_kind_ok(kind) && account_id != NULL &&
	    entity_name != NULL && policy_name != NULL && document != NULL);
	return be->inline_policy_put(h, kind, account_id, entity_name,
	    policy_name, document);
}

enum status
store_iam_inline_policy_get(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_name,
    char **document)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(entity_kind_ok(kind) && account_id != NULL &&
	    entity_name != NULL && policy_name != NULL && document != NULL);
	return be->inline_policy_get(h, kind, account_id, entity_name,
	    policy_name, document);
}

enum status
store_iam_inline_policy_delete(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_name)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(entity_kind_ok(kind) && account_id != NULL &&
	    entity_name != NULL && policy_name != NULL);
	return be->inline_policy_delete(h, kind, account_id, entity_name,
	    policy_name);
}

enum status
store_iam_inline_policy_list(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *after_name,
    size_t limit, struct iam_inline_policy_record **out, size_t *count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(entity_kind_ok(kind) && account_id != NULL &&
	    entity_name != NULL && limit > 0 && out != NULL && count != NULL);
	return be->inline_policy_list(h, kind, account_id, entity_name,
	    after_name, limit, out, count);
}

/* ---- managed policies and their versions ---- */

enum status
store_iam_policy_put(struct store_txn *txn, const struct iam_policy_record *rec)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(rec != NULL && rec->arn != NULL &&
	    rec->account_id != NULL && rec->name != NULL && rec->id != NULL &&
	    rec->path != NULL && rec->default_version != NULL);
	return be->policy_put(h, rec);
}

enum status
store_iam_policy_get(struct store_txn *txn, const char *arn,
    struct iam_policy_record *out)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(arn != NULL && out != NULL);
	return be->policy_get(h, arn, out);
}

enum status
store_iam_policy_update(struct store_txn *txn,
    const struct iam_policy_record *rec)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(rec != NULL && rec->arn != NULL &&
	    rec->default_version != NULL);
	return be->policy_update(h, rec);
}

enum status
store_iam_policy_delete(struct store_txn *txn, const char *arn)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(arn != NULL);
	return be->policy_delete(h, arn);
}

enum status
store_iam_policy_list(struct store_txn *txn, const struct iam_list_query *q,
    bool only_attached, struct iam_policy_record **out, size_t *count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(list_query_ok(q) && out != NULL && count != NULL);
	return be->policy_list(h, q, only_attached, out, count);
}

enum status
store_iam_policy_version_put(struct store_txn *txn,
    const struct iam_policy_version_record *rec)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(rec != NULL && rec->policy_arn != NULL &&
	    rec->version_id != NULL && rec->document != NULL);
	return be->policy_version_put(h, rec);
}

enum status
store_iam_policy_version_get(struct store_txn *txn, const char *policy_arn,
    const char *version_id, struct iam_policy_version_record *out)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(policy_arn != NULL && version_id != NULL && out != NULL);
	return be->policy_version_get(h, policy_arn, version_id, out);
}

enum status
store_iam_policy_version_delete(struct store_txn *txn, const char *policy_arn,
    const char *version_id)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(policy_arn != NULL && version_id != NULL);
	return be->policy_version_delete(h, policy_arn, version_id);
}

enum status
store_iam_policy_version_list(struct store_txn *txn, const char *policy_arn,
    struct iam_policy_version_record **out, size_t *count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(policy_arn != NULL && out != NULL && count != NULL);
	return be->policy_version_list(h, policy_arn, out, count);
}

/* ---- attachments ---- */

static bool
attachment_kind_ok(enum iam_kind kind)
{
	return entity_kind_ok(kind) || kind == IAM_KIND_SESSION;
}

enum status
store_iam_attachment_put(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_arn)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(attachment_kind_ok(kind) && account_id != NULL &&
	    entity_name != NULL && policy_arn != NULL);
	return be->attachment_put(h, kind, account_id, entity_name,
	    policy_arn);
}

enum status
store_iam_attachment_delete(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_arn)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(attachment_kind_ok(kind) && account_id != NULL &&
	    entity_name != NULL && policy_arn != NULL);
	return be->attachment_delete(h, kind, account_id, entity_name,
	    policy_arn);
}

enum status
store_iam_attachment_list(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, char ***arns,
    size_t *count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(attachment_kind_ok(kind) && account_id != NULL &&
	    entity_name != NULL && arns != NULL && count != NULL);
	return be->attachment_list(h, kind, account_id, entity_name, arns,
	    count);
}

/* ---- tags ---- */

enum status
store_iam_tags_put(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *name, const struct tag *tags,
    size_t count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(account_id != NULL && name != NULL &&
	    (tags != NULL || count == 0));
	for (size_t i = 0; i < count; i++)
		IAM_REQUIRE(tags[i].key != NULL && tags[i].value != NULL);
	return be->tags_put(h, kind, account_id, name, tags, count);
}

enum status
store_iam_tags_delete(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *name, const char *const *keys,
    size_t count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(account_id != NULL && name != NULL &&
	    (keys != NULL || count == 0));
	for (size_t i = 0; i < count; i++)
		IAM_REQUIRE(keys[i] != NULL);
	return be->tags_delete(h, kind, account_id, name, keys, count);
}

enum status
store_iam_tags_get(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *name, struct tag **out, size_t *count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(account_id != NULL && name != NULL && out != NULL &&
	    count != NULL);
	return be->tags_get(h, kind, account_id, name, out, count);
}

/* ---- sessions ---- */

enum status
store_iam_session_put(struct store_txn *txn,
    const struct iam_session_record *rec)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(rec != NULL && rec->access_key_id != NULL &&
	    rec->account_id != NULL && rec->type != NULL && rec->arn != NULL &&
	    rec->user_id != NULL && rec->source_access_key_id != NULL &&
	    rec->token_hash != NULL && rec->wrapped_secret != NULL &&
	    rec->wrapped_secret_len > 0);
	return be->session_put(h, rec);
}

enum status
store_iam_session_get(struct store_txn *txn, const char *access_key_id,
    struct iam_session_record *out)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(access_key_id != NULL && out != NULL);
	return be->session_get(h, access_key_id, out);
}

enum status
store_iam_session_purge(struct store_txn *txn, int64_t before_ms, size_t limit,
    size_t *removed)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(removed != NULL);
	return be->session_purge(h, before_ms, limit, removed);
}

enum status
store_iam_session_delete(struct store_txn *txn, const char *account_id,
    const char *access_key_id)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(account_id != NULL && access_key_id != NULL);
	return be->session_delete(h, account_id, access_key_id);
}

/* ---- access keys of one owner ---- */

enum status
store_access_key_list_by_owner(struct store_txn *txn, const char *account_id,
    const char *user_name, const char *user_id,
    struct access_key_record **out, size_t *count)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(account_id != NULL && user_name != NULL && out != NULL &&
	    count != NULL);
	return be->access_key_list_by_owner(h, account_id, user_name, user_id,
	    out, count);
}

enum status
store_access_key_set_active(struct store_txn *txn, const char *access_key_id,
    bool is_active)
{
	const struct store_iam_backend *be;
	void	*h;

	IAM_BACKEND(txn, h, be);
	IAM_REQUIRE(access_key_id != NULL);
	return be->access_key_set_active(h, access_key_id, is_active);
}

/* ---- records ---- */

void
iam_entity_record_cleanup(struct iam_entity_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->account_id);
	free(rec->name);
	free(rec->id);
	free(rec->path);
	free(rec->arn);
	free(rec->permissions_boundary);
	free(rec->trust_policy);
	free(rec->description);
	memset(rec, 0, sizeof(*rec));
}

void
iam_entity_records_free(struct iam_entity_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		iam_entity_record_cleanup(&recs[i]);
	free(recs);
}

void
iam_inline_policy_records_free(struct iam_inline_policy_record *recs,
    size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++) {
		free(recs[i].name);
		free(recs[i].document);
	}
	free(recs);
}

void
iam_policy_record_cleanup(struct iam_policy_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->arn);
	free(rec->account_id);
	free(rec->name);
	free(rec->id);
	free(rec->path);
	free(rec->description);
	free(rec->default_version);
	memset(rec, 0, sizeof(*rec));
}

void
iam_policy_records_free(struct iam_policy_record *recs, size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		iam_policy_record_cleanup(&recs[i]);
	free(recs);
}

void
iam_policy_version_record_cleanup(struct iam_policy_version_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->policy_arn);
	free(rec->version_id);
	free(rec->document);
	memset(rec, 0, sizeof(*rec));
}

void
iam_policy_version_records_free(struct iam_policy_version_record *recs,
    size_t count)
{
	if (recs == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		iam_policy_version_record_cleanup(&recs[i]);
	free(recs);
}

void
iam_strings_free(char **strings, size_t count)
{
	if (strings == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		free(strings[i]);
	free(strings);
}

void
iam_session_record_cleanup(struct iam_session_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->access_key_id);
	free(rec->account_id);
	free(rec->type);
	free(rec->arn);
	free(rec->user_id);
	free(rec->user_name);
	free(rec->role_arn);
	free(rec->role_name);
	free(rec->role_id);
	free(rec->session_name);
	free(rec->source_identity);
	free(rec->source_access_key_id);
	free(rec->wrapped_secret);
	free(rec->token_hash);
	free(rec->policy);
	memset(rec, 0, sizeof(*rec));
}
