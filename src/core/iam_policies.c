/*
 * iam_policies.c: the policies of IAM identities: inline policies of
 * users, groups and roles; customer managed policies with their versions;
 * attaching managed policies; and, for the policy engine, the set of
 * identity-based policies that apply to a caller.
 *
 * Documents arrive parsed and accepted by api/ (the policy engine's
 * grammar); this file stores them as sent and enforces IAM's quotas,
 * counted as IAM counts them: characters other than whitespace.  A managed
 * policy is created with version v1 as its default; versions are numbered
 * on (next_version), never reused; at most IAM_POLICY_VERSIONS_MAX exist.
 * A policy must be detached (and, like on AWS, stripped of its other
 * versions) before it can be deleted.  There are no AWS managed policies:
 * ARNs of account "aws" are reported missing.
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_internal.h"
#include "core/iam.h"
#include "core/iam_internal.h"

void
iam_name_list_cleanup(struct iam_name_list *list)
{
	if (list == NULL)
		return;
	iam_strings_free(list->names, list->count);
	free(list->next_marker);
	memset(list, 0, sizeof(*list));
}

void
iam_policy_info_cleanup(struct iam_policy_info *info)
{
	if (info == NULL)
		return;
	iam_policy_record_cleanup(&info->policy);
	tags_free(info->tags, info->tag_count);
	memset(info, 0, sizeof(*info));
}

void
iam_policy_list_cleanup(struct iam_policy_list *list)
{
	if (list == NULL)
		return;
	iam_policy_records_free(list->policies, list->count);
	free(list->next_marker);
	memset(list, 0, sizeof(*list));
}

void
iam_policy_version_list_cleanup(struct iam_policy_version_list *list)
{
	if (list == NULL)
		return;
	iam_policy_version_records_free(list->versions, list->count);
	free(list->default_version);
	memset(list, 0, sizeof(*list));
}

void
iam_policy_set_cleanup(struct iam_policy_set *set)
{
	if (set == NULL)
		return;
	iam_strings_free(set->documents, set->count);
	iam_strings_free(set->arns, set->count);
	free(set->permissions_boundary);
	iam_strings_free(set->session_documents, set->session_count);
	memset(set, 0, sizeof(*set));
}

/* ---- inline policies ---- */

static size_t
inline_limit(enum iam_kind kind)
{
	switch (kind) {
	case IAM_KIND_GROUP:
		return IAM_GROUP_INLINE_BYTES;
	case IAM_KIND_ROLE:
		return IAM_ROLE_INLINE_BYTES;
	default:
		return IAM_USER_INLINE_BYTES;
	}
}

static enum status
inline_not_found(struct error *err, enum iam_kind kind, const char *name)
{
	return error_set(err, STATUS_NOT_FOUND,
	    "The %s policy with name %s cannot be found.",
	    iam_kind_word(kind, false), name);
}

enum status
core_iam_inline_policy_put(struct core_request *req, enum iam_kind kind,
    const char *entity_name, const char *policy_name, const char *document,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	struct iam_inline_policy_record *all = NULL;
	size_t			 n = 0, total;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, entity_name, &e, err)) !=
	    STATUS_OK)
		goto out;
	/* The entity's inline policies count together, the one being
	 * replaced excepted. */
	if ((st = store_iam_inline_policy_list(txn, kind, req->account_id,
	    e.name, NULL, SIZE_MAX / 2, &all, &n)) != STATUS_OK)
		goto out;
	total = iam_policy_size(document);
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(all[i].name, policy_name) != 0)
			total += iam_policy_size(all[i].document);
	if (total > inline_limit(kind)) {
		st = error_set(err, STATUS_LIMIT_EXCEEDED,
		    "Maximum policy size of %zu bytes exceeded for %s %s",
		    inline_limit(kind), iam_kind_word(kind, false), e.name);
		goto out;
	}
	if ((st = store_iam_inline_policy_put(txn, kind, req->account_id,
	    e.name, policy_name, document)) != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_inline_policy_records_free(all, n);
	iam_entity_record_cleanup(&e);
	return st;
}

enum status
core_iam_inline_policy_get(struct core_request *req, enum iam_kind kind,
    const char *entity_name, const char *policy_name, char **document,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, entity_name, &e, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_iam_inline_policy_get(txn, kind, req->account_id,
	    e.name, policy_name, document)) == STATUS_NOT_FOUND)
		inline_not_found(err, kind, policy_name);
out:
	store_rollback(txn);
	iam_entity_record_cleanup(&e);
	return st;
}

enum status
core_iam_inline_policy_delete(struct core_request *req, enum iam_kind kind,
    const char *entity_name, const char *policy_name, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, entity_name, &e, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_iam_inline_policy_delete(txn, kind, req->account_id,
	    e.name, policy_name)) != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			inline_not_found(err, kind, policy_name);
		goto out;
	}
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_entity_record_cleanup(&e);
	return st;
}

enum status
core_iam_inline_policy_list(struct core_request *req, enum iam_kind kind,
    const char *entity_name, const struct iam_page *page,
    struct iam_name_list *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	struct iam_inline_policy_record *recs = NULL;
	struct iam_name_list	 l;
	size_t			 n = 0, limit = iam_page_limit(page);
	enum status		 st;

	memset(&e, 0, sizeof(e));
	memset(&l, 0, sizeof(l));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, entity_name, &e, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_iam_inline_policy_list(txn, kind, req->account_id,
	    e.name, page->marker, limit + 1, &recs, &n)) != STATUS_OK)
		goto out;
	if (n > 0 && (l.names = calloc(n, sizeof(*l.names))) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	for (size_t i = 0; i < n && i < limit; i++) {
		l.names[i] = recs[i].name;
		recs[i].name = NULL;
		l.count++;
	}
	if (n > limit && (l.next_marker = strdup(l.names[limit - 1])) ==
	    NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	iam_inline_policy_records_free(recs, n);
	iam_name_list_cleanup(&l);
	iam_entity_record_cleanup(&e);
	return st;
}

/* ---- managed policies ---- */

static enum status
policy_not_found(struct error *err, const char *arn)
{
	return error_set(err, STATUS_NOT_FOUND, "Policy %s was not found.",
	    arn);
}

static enum status
version_not_found(struct error *err, const char *arn, const char *version_id)
{
	return error_set(err, STATUS_NOT_FOUND,
	    "Policy %s version %s does not exist or is not attachable.", arn,
	    version_id);
}

/* Load the policy arn inside txn and authorise req->action on it.  A
 * policy of another account is that account's to share (today: denied by
 * the hook); "aws" (AWS managed) policies do not exist here. */
static enum status
policy_load(struct core_request *req, struct store_txn *txn, const char *arn,
    struct iam_policy_record *out, struct error *err)
{
	struct arn_parts parts;
	const char	*account;
	enum status	 st;

	if ((st = iam_policy_arn_check(arn, err)) != STATUS_OK)
		return st;
	if (arn_parse(arn, &parts) != STATUS_OK)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "ARN %s is not valid.", arn);
	account = strcmp(parts.account_id, "aws") == 0 ? req->account_id :
	    parts.account_id;
	if ((st = core_authorize(req, arn, account, err)) != STATUS_OK)
		return st;
	if ((st = store_iam_policy_get(txn, arn, out)) == STATUS_NOT_FOUND)
		policy_not_found(err, arn);
	return st;
}

static enum status
policy_size_check(const char *document, struct error *err)
{
	if (iam_policy_size(document) > IAM_MANAGED_POLICY_BYTES)
		return error_set(err, STATUS_LIMIT_EXCEEDED,
		    "Cannot exceed quota for PolicySize: %d",
		    IAM_MANAGED_POLICY_BYTES);
	return STATUS_OK;
}

enum status
core_iam_policy_create(struct core_request *req,
    const struct iam_policy_input *in, struct iam_policy_info *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_record rec;
	struct iam_policy_version_record v;
	struct iam_policy_info	 info;
	char			 id[22];
	char			*arn = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memset(&v, 0, sizeof(v));
	memset(&info, 0, sizeof(info));
	if ((st = iam_tags_check_unique(in->tags, in->tag_count, err)) !=
	    STATUS_OK || (st = policy_size_check(in->document, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = iam_id_new("ANPA", id)) != STATUS_OK)
		goto out;
	if ((arn = iam_arn_build(req->account_id, "policy", in->path,
	    in->name)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_authorize(req, arn, req->account_id, err)) != STATUS_OK)
		goto out;
	rec.arn = arn;
	rec.account_id = (char *)req->account_id;
	rec.name = (char *)in->name;
	rec.id = id;
	rec.path = (char *)(in->path != NULL ? in->path : IAM_PATH_DEFAULT);
	rec.description = (char *)in->description;
	rec.default_version = (char *)"v1";
	rec.next_version = 2;
	rec.created_at = req->now_ms;
	rec.updated_at = req->now_ms;
	if ((st = store_iam_policy_put(txn, &rec)) != STATUS_OK) {
		if (st == STATUS_EXISTS)
			error_set(err, st, "A policy called %s already exists. "
			    "Duplicate names are not allowed.", in->name);
		goto out;
	}
	v.policy_arn = arn;
	v.version_id = (char *)"v1";
	v.document = (char *)in->document;
	v.created_at = req->now_ms;
	if ((st = store_iam_policy_version_put(txn, &v)) != STATUS_OK)
		goto out;
	if (in->tag_count > 0 && (st = store_iam_tags_put(txn, IAM_KIND_POLICY,
	    req->account_id, in->name, in->tags, in->tag_count)) != STATUS_OK)
		goto out;
	if ((st = store_iam_policy_get(txn, arn, &info.policy)) != STATUS_OK ||
	    (st = store_iam_tags_get(txn, IAM_KIND_POLICY, req->account_id,
	    info.policy.name, &info.tags, &info.tag_count)) != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	iam_policy_info_cleanup(&info);
	free(arn);
	return st;
}

enum status
core_iam_policy_get(struct core_request *req, const char *arn,
    struct iam_policy_info *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = policy_load(req, txn, arn, &info.policy, err)) != STATUS_OK ||
	    (st = store_iam_tags_get(txn, IAM_KIND_POLICY,
	    info.policy.account_id, info.policy.name, &info.tags,
	    &info.tag_count)) != STATUS_OK)
		goto out;
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	iam_policy_info_cleanup(&info);
	return st;
}

enum status
core_iam_policy_delete(struct core_request *req, const char *arn,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_record p;
	struct iam_policy_version_record *versions = NULL;
	size_t			 n = 0;
	enum status		 st;

	memset(&p, 0, sizeof(p));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = policy_load(req, txn, arn, &p, err)) != STATUS_OK)
		goto out;
	if (p.attachment_count > 0 || p.boundary_count > 0) {
		st = error_set(err, STATUS_INVALID_REQUEST,
		    "Cannot delete a policy attached to entities.");
		goto out;
	}
	if ((st = store_iam_policy_version_list(txn, arn, &versions, &n)) !=
	    STATUS_OK)
		goto out;
	if (n > 1) {
		st = error_set(err, STATUS_INVALID_REQUEST,
		    "This policy has more than one version. Before you delete "
		    "a policy, you must delete the policy's versions. The "
		    "default version is deleted with the policy.");
		goto out;
	}
	if ((st = store_iam_policy_delete(txn, arn)) != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_policy_version_records_free(versions, n);
	iam_policy_record_cleanup(&p);
	return st;
}

enum status
core_iam_policy_list(struct core_request *req, const char *scope,
    bool only_attached, const char *path_prefix, const struct iam_page *page,
    struct iam_policy_list *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_list	 l;
	struct iam_list_query	 q;
	size_t			 limit = iam_page_limit(page);
	enum status		 st;

	memset(&l, 0, sizeof(l));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_authorize(req, "*", req->account_id, err)) != STATUS_OK)
		goto out;
	if (scope != NULL && strcmp(scope, "AWS") == 0)
		goto done;		/* no AWS managed policies here */
	q.account_id = req->account_id;
	q.path_prefix = path_prefix;
	q.after_name = page->marker;
	q.limit = limit + 1;
	if ((st = store_iam_policy_list(txn, &q, only_attached, &l.policies,
	    &l.count)) != STATUS_OK)
		goto out;
	if (l.count > limit) {
		for (size_t i = limit; i < l.count; i++)
			iam_policy_record_cleanup(&l.policies[i]);
		l.count = limit;
		if ((l.next_marker = strdup(l.policies[limit - 1].name)) ==
		    NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
	}
done:
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	iam_policy_list_cleanup(&l);
	return st;
}

/* ---- versions ---- */

enum status
core_iam_policy_version_create(struct core_request *req, const char *arn,
    const char *document, bool set_as_default,
    struct iam_policy_version_record *out, bool *is_default,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_record p;
	struct iam_policy_version_record *versions = NULL, v;
	char			 version_id[32];
	size_t			 n = 0;
	enum status		 st;

	memset(&p, 0, sizeof(p));
	memset(&v, 0, sizeof(v));
	if ((st = policy_size_check(document, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = policy_load(req, txn, arn, &p, err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_policy_version_list(txn, arn, &versions, &n)) !=
	    STATUS_OK)
		goto out;
	if (n >= IAM_POLICY_VERSIONS_MAX) {
		st = error_set(err, STATUS_LIMIT_EXCEEDED,
		    "A managed policy can have up to %d versions. Before you "
		    "create a new version, you must delete an existing version.",
		    IAM_POLICY_VERSIONS_MAX);
		goto out;
	}
	snprintf(version_id, sizeof(version_id), "v%lld",
	    (long long)p.next_version);
	v.policy_arn = (char *)arn;
	v.version_id = version_id;
	v.document = (char *)document;
	v.created_at = req->now_ms;
	if ((st = store_iam_policy_version_put(txn, &v)) != STATUS_OK)
		goto out;
	p.next_version++;
	p.updated_at = req->now_ms;
	if (set_as_default) {
		free(p.default_version);
		if ((p.default_version = strdup(version_id)) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
	}
	if ((st = store_iam_policy_update(txn, &p)) != STATUS_OK)
		goto out;
	memset(&v, 0, sizeof(v));
	if ((st = store_iam_policy_version_get(txn, arn, version_id, &v)) !=
	    STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	*is_default = set_as_default;
	*out = v;
	memset(&v, 0, sizeof(v));
out:
	store_rollback(txn);
	iam_policy_version_record_cleanup(&v);
	iam_policy_version_records_free(versions, n);
	iam_policy_record_cleanup(&p);
	return st;
}

enum status
core_iam_policy_version_get(struct core_request *req, const char *arn,
    const char *version_id, struct iam_policy_version_record *out,
    bool *is_default, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_record p;
	enum status		 st;

	memset(&p, 0, sizeof(p));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = policy_load(req, txn, arn, &p, err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_policy_version_get(txn, arn, version_id, out)) !=
	    STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			version_not_found(err, arn, version_id);
		goto out;
	}
	*is_default = strcmp(p.default_version, out->version_id) == 0;
out:
	store_rollback(txn);
	iam_policy_record_cleanup(&p);
	return st;
}

enum status
core_iam_policy_version_list(struct core_request *req, const char *arn,
    struct iam_policy_version_list *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_record p;
	struct iam_policy_version_list l;
	enum status		 st;

	memset(&p, 0, sizeof(p));
	memset(&l, 0, sizeof(l));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = policy_load(req, txn, arn, &p, err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_policy_version_list(txn, arn, &l.versions,
	    &l.count)) != STATUS_OK)
		goto out;
	l.default_version = p.default_version;
	p.default_version = NULL;
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	iam_policy_version_list_cleanup(&l);
	iam_policy_record_cleanup(&p);
	return st;
}

enum status
core_iam_policy_version_delete(struct core_request *req, const char *arn,
    const char *version_id, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_record p;
	enum status		 st;

	memset(&p, 0, sizeof(p));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = policy_load(req, txn, arn, &p, err)) != STATUS_OK)
		goto out;
	if (strcmp(p.default_version, version_id) == 0) {
		st = error_set(err, STATUS_INVALID_REQUEST,
		    "Cannot delete the default version of a policy.");
		goto out;
	}
	if ((st = store_iam_policy_version_delete(txn, arn, version_id)) !=
	    STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			version_not_found(err, arn, version_id);
		goto out;
	}
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_policy_record_cleanup(&p);
	return st;
}

enum status
core_iam_policy_version_set_default(struct core_request *req, const char *arn,
    const char *version_id, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_record p;
	struct iam_policy_version_record v;
	char			*old;
	enum status		 st;

	memset(&p, 0, sizeof(p));
	memset(&v, 0, sizeof(v));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = policy_load(req, txn, arn, &p, err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_policy_version_get(txn, arn, version_id, &v)) !=
	    STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			version_not_found(err, arn, version_id);
		goto out;
	}
	old = p.default_version;
	p.default_version = v.version_id;
	p.updated_at = req->now_ms;
	st = store_iam_policy_update(txn, &p);
	p.default_version = old;
	if (st != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_policy_version_record_cleanup(&v);
	iam_policy_record_cleanup(&p);
	return st;
}

/* ---- attachments ---- */

enum status
core_iam_policy_attach(struct core_request *req, enum iam_kind kind,
    const char *entity_name, const char *arn, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	struct iam_policy_record p;
	char			**arns = NULL;
	size_t			 n = 0;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	memset(&p, 0, sizeof(p));
	if ((st = iam_policy_arn_check(arn, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, entity_name, &e, err)) !=
	    STATUS_OK)
		goto out;
	st = store_iam_policy_get(txn, arn, &p);
	if (st == STATUS_OK && strcmp(p.account_id, req->account_id) != 0)
		st = STATUS_NOT_FOUND;
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			error_set(err, st, "Policy %s does not exist or is not "
			    "attachable.", arn);
		goto out;
	}
	if ((st = store_iam_attachment_list(txn, kind, req->account_id, e.name,
	    &arns, &n)) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (strcmp(arns[i], arn) == 0)
			goto done;	/* attached already */
	if (n >= IAM_POLICIES_PER_ENTITY) {
		st = error_set(err, STATUS_LIMIT_EXCEEDED,
		    "Cannot exceed quota for PoliciesPer%s: %d",
		    iam_kind_word(kind, true), IAM_POLICIES_PER_ENTITY);
		goto out;
	}
	if ((st = store_iam_attachment_put(txn, kind, req->account_id, e.name,
	    arn)) != STATUS_OK)
		goto out;
done:
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_strings_free(arns, n);
	iam_policy_record_cleanup(&p);
	iam_entity_record_cleanup(&e);
	return st;
}

enum status
core_iam_policy_detach(struct core_request *req, enum iam_kind kind,
    const char *entity_name, const char *arn, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	if ((st = iam_policy_arn_check(arn, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, entity_name, &e, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_iam_attachment_delete(txn, kind, req->account_id,
	    e.name, arn)) != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			policy_not_found(err, arn);
		goto out;
	}
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_entity_record_cleanup(&e);
	return st;
}

enum status
core_iam_attached_policies(struct core_request *req, enum iam_kind kind,
    const char *entity_name, const char *path_prefix,
    const struct iam_page *page, struct iam_name_list *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	struct iam_name_list	 l;
	char			**arns = NULL;
	size_t			 n = 0, limit = iam_page_limit(page);
	enum status		 st;

	memset(&e, 0, sizeof(e));
	memset(&l, 0, sizeof(l));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, entity_name, &e, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_iam_attachment_list(txn, kind, req->account_id, e.name,
	    &arns, &n)) != STATUS_OK)
		goto out;
	if (n > 0 && (l.names = calloc(n, sizeof(*l.names))) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	/* ARN order; the marker is the last ARN returned. */
	for (size_t i = 0; i < n; i++) {
		if (!iam_arn_path_matches(arns[i], "policy", path_prefix) ||
		    (page->marker != NULL && strcmp(arns[i], page->marker) <=
		    0))
			continue;
		if (l.count == limit) {
			if ((l.next_marker = strdup(l.names[limit - 1])) ==
			    NULL)
				st = STATUS_NO_MEMORY;
			break;
		}
		l.names[l.count++] = arns[i];
		arns[i] = NULL;
	}
	if (st != STATUS_OK)
		goto out;
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	iam_strings_free(arns, n);
	iam_name_list_cleanup(&l);
	iam_entity_record_cleanup(&e);
	return st;
}

/* ---- the identity-based policies of a caller (for the engine) ---- */

static enum status
set_add(struct iam_policy_set *set, char *document, const char *arn)
{
	char	**docs, **arns;
	char	*arn_copy = NULL;

	if (arn != NULL && (arn_copy = strdup(arn)) == NULL) {
		free(document);
		return STATUS_NO_MEMORY;
	}
	if ((docs = reallocarray(set->documents, set->count + 1,
	    sizeof(*docs))) == NULL) {
		free(document);
		free(arn_copy);
		return STATUS_NO_MEMORY;
	}
	set->documents = docs;
	if ((arns = reallocarray(set->arns, set->count + 1,
	    sizeof(*arns))) == NULL) {
		free(document);
		free(arn_copy);
		return STATUS_NO_MEMORY;
	}
	set->arns = arns;
	set->documents[set->count] = document;
	set->arns[set->count] = arn_copy;
	set->count++;
	return STATUS_OK;
}

/* The default version's document of a managed policy; NULL (and OK) when
 * the policy is gone. */
static enum status
managed_document(struct store_txn *txn, const char *arn, char **out)
{
	struct iam_policy_record p;
	struct iam_policy_version_record v;
	enum status	 st;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	memset(&v, 0, sizeof(v));
	if ((st = store_iam_policy_get(txn, arn, &p)) == STATUS_OK &&
	    (st = store_iam_policy_version_get(txn, arn, p.default_version,
	    &v)) == STATUS_OK) {
		*out = v.document;
		v.document = NULL;
	}
	iam_policy_version_record_cleanup(&v);
	iam_policy_record_cleanup(&p);
	return st == STATUS_NOT_FOUND ? STATUS_OK : st;
}

static enum status
entity_policies(struct store_txn *txn, enum iam_kind kind,
    const char *account_id, const char *name, struct iam_policy_set *set)
{
	struct iam_inline_policy_record *inl = NULL;
	char			**arns = NULL, *doc;
	size_t			 n = 0, m = 0;
	enum status		 st;

	if ((st = store_iam_inline_policy_list(txn, kind, account_id, name,
	    NULL, SIZE_MAX / 2, &inl, &n)) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((st = set_add(set, inl[i].document, NULL)) != STATUS_OK)
			goto out;
		inl[i].document = NULL;
	}
	if ((st = store_iam_attachment_list(txn, kind, account_id, name, &arns,
	    &m)) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < m; i++) {
		if ((st = managed_document(txn, arns[i], &doc)) != STATUS_OK)
			goto out;
		if (doc != NULL && (st = set_add(set, doc, arns[i])) !=
		    STATUS_OK)
			goto out;
	}
out:
	iam_inline_policy_records_free(inl, n);
	iam_strings_free(arns, m);
	return st;
}

enum status
core_iam_identity_policies(const struct core_env *env,
    const struct core_identity *caller, struct iam_policy_set *out)
{
	struct store_txn	*txn = NULL;
	struct iam_policy_set	 set;
	struct iam_entity_record e, *groups = NULL;
	struct iam_list_query	 q;
	enum iam_kind		 kind;
	const char		*name;
	size_t			 n = 0;
	enum status		 st = STATUS_OK;

	memset(&set, 0, sizeof(set));
	memset(&e, 0, sizeof(e));
	if (caller->is_account_administrator) {
		/* No entity, no identity policies: its session policies only. */
		if (caller->session_policy_arn_count == 0)
			goto done;
		if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
			goto out;
		goto session;
	}
	if (caller->role_name != NULL) {
		kind = IAM_KIND_ROLE;
		name = caller->role_name;
	} else {
		kind = IAM_KIND_USER;
		name = caller->user_name;
	}
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_iam_entity_get(txn, kind, caller->account_id, name,
	    &e)) != STATUS_OK)
		goto out;
	if ((st = entity_policies(txn, kind, caller->account_id, e.name,
	    &set)) != STATUS_OK)
		goto out;
	if (kind == IAM_KIND_USER) {
		q.account_id = caller->account_id;
		q.path_prefix = NULL;
		q.after_name = NULL;
		q.limit = IAM_GROUPS_PER_USER + 1;
		if ((st = store_iam_member_list(txn, IAM_KIND_GROUP, e.name, &q,
		    &groups, &n)) != STATUS_OK)
			goto out;
		for (size_t i = 0; i < n; i++)
			if ((st = entity_policies(txn, IAM_KIND_GROUP,
			    caller->account_id, groups[i].name, &set)) !=
			    STATUS_OK)
				goto out;
	}
	if (e.permissions_boundary != NULL &&
	    (st = managed_document(txn, e.permissions_boundary,
	    &set.permissions_boundary)) != STATUS_OK)
		goto out;
session:
	if (caller->session_policy_arn_count > 0) {
		if ((set.session_documents = calloc(
		    caller->session_policy_arn_count,
		    sizeof(*set.session_documents))) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		set.session_count = caller->session_policy_arn_count;
		for (size_t i = 0; i < set.session_count; i++)
			if ((st = managed_document(txn,
			    caller->session_policy_arns[i],
			    &set.session_documents[i])) != STATUS_OK)
				goto out;
	}
done:
	*out = set;
	memset(&set, 0, sizeof(set));
out:
	store_rollback(txn);
	iam_entity_records_free(groups, n);
	iam_entity_record_cleanup(&e);
	iam_policy_set_cleanup(&set);
	return st;
}
