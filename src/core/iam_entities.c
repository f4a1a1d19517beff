/*
 * iam_entities.c: IAM users, groups and roles ("entities"): create,
 * describe, list, delete, tags, group membership, a role's trust policy.
 *
 * The three kinds share one table and one set of rules; what differs is
 * the id prefix, the ARN's type word, and what must be gone before an
 * entity may be deleted (AWS's DeleteConflict: keys, policies, members).
 * Lists page by name: a page asks for one row more than it returns, and
 * the marker is the last name returned.
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "core/core_internal.h"
#include "core/iam.h"
#include "core/iam_internal.h"

void
iam_entity_info_cleanup(struct iam_entity_info *info)
{
	if (info == NULL)
		return;
	iam_entity_record_cleanup(&info->entity);
	tags_free(info->tags, info->tag_count);
	memset(info, 0, sizeof(*info));
}

void
iam_entity_list_cleanup(struct iam_entity_list *list)
{
	if (list == NULL)
		return;
	iam_entity_records_free(list->entities, list->count);
	free(list->next_marker);
	iam_entity_record_cleanup(&list->group);
	memset(list, 0, sizeof(*list));
}

static const char *
id_prefix(enum iam_kind kind)
{
	switch (kind) {
	case IAM_KIND_GROUP:
		return "AGPA";
	case IAM_KIND_ROLE:
		return "AROA";
	default:
		return "AIDA";
	}
}

static enum status
entity_not_found(struct error *err, enum iam_kind kind, const char *name)
{
	return error_set(err, STATUS_NOT_FOUND,
	    "The %s with name %s cannot be found.", iam_kind_word(kind, false),
	    name);
}

enum status
iam_entity_load(struct core_request *req, struct store_txn *txn,
    enum iam_kind kind, const char *name, struct iam_entity_record *out,
    struct error *err)
{
	char		*arn = NULL;
	enum status	 st;

	st = store_iam_entity_get(txn, kind, req->account_id, name, out);
	if (st == STATUS_OK) {
		if ((st = core_authorize(req, out->arn, req->account_id,
		    err)) != STATUS_OK)
			iam_entity_record_cleanup(out);
		return st;
	}
	if (st != STATUS_NOT_FOUND)
		return st;
	if ((arn = iam_arn_build(req->account_id, iam_kind_word(kind, false),
	    NULL, name)) == NULL)
		return STATUS_NO_MEMORY;
	st = core_authorize(req, arn, req->account_id, err);
	free(arn);
	if (st != STATUS_OK)
		return st;
	return entity_not_found(err, kind, name);
}

enum status
iam_tags_check_unique(const struct tag *tags, size_t count, struct error *err)
{
	for (size_t i = 0; i < count; i++)
		for (size_t j = i + 1; j < count; j++)
			if (strcasecmp(tags[i].key, tags[j].key) == 0)
				return error_set(err, STATUS_INVALID_PARAMETER,
				    IAM_TAG_DUPLICATE);
	return STATUS_OK;
}

/* How many of new keys are not among the existing tags. */
static size_t
tags_added(const struct tag *have, size_t have_count, const struct tag *add,
    size_t add_count)
{
	size_t	 n = 0;

	for (size_t i = 0; i < add_count; i++) {
		bool	 is_there = false;

		for (size_t j = 0; j < have_count && !is_there; j++)
			is_there = strcasecmp(add[i].key, have[j].key) == 0;
		if (!is_there)
			n++;
	}
	return n;
}

static enum status
boundary_check(struct core_request *req, struct store_txn *txn,
    const char *arn, struct error *err)
{
	struct iam_policy_record pol;
	enum status	 st;

	if (arn == NULL)
		return STATUS_OK;
	if ((st = iam_policy_arn_check(arn, err)) != STATUS_OK)
		return st;
	memset(&pol, 0, sizeof(pol));
	st = store_iam_policy_get(txn, arn, &pol);
	if (st == STATUS_OK && strcmp(pol.account_id, req->account_id) != 0)
		st = STATUS_NOT_FOUND;
	iam_policy_record_cleanup(&pol);
	if (st == STATUS_NOT_FOUND)
		return error_set(err, st, "Scope ARN: %s does not exist or is "
		    "not attachable.", arn);
	return st;
}

static enum status
info_tags_load(struct store_txn *txn, struct iam_entity_info *info)
{
	return store_iam_tags_get(txn, info->entity.kind,
	    info->entity.account_id, info->entity.name, &info->tags,
	    &info->tag_count);
}

enum status
core_iam_entity_create(struct core_request *req,
    const struct iam_entity_input *in, struct iam_entity_info *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record rec;
	struct iam_entity_info	 info;
	char			 id[22];
	char			*arn = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memset(&info, 0, sizeof(info));
	if ((st = iam_tags_check_unique(in->tags, in->tag_count, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = iam_id_new(id_prefix(in->kind), id)) != STATUS_OK)
		goto out;
	if ((arn = iam_arn_build(req->account_id, iam_kind_word(in->kind,
	    false), in->path, in->name)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_authorize(req, arn, req->account_id, err)) != STATUS_OK)
		goto out;
	if ((st = boundary_check(req, txn, in->permissions_boundary, err)) !=
	    STATUS_OK)
		goto out;
	rec.kind = in->kind;
	rec.account_id = (char *)req->account_id;
	rec.name = (char *)in->name;
	rec.id = id;
	rec.path = (char *)(in->path != NULL ? in->path : IAM_PATH_DEFAULT);
	rec.arn = arn;
	rec.created_at = req->now_ms;
	rec.permissions_boundary = (char *)in->permissions_boundary;
	if (in->kind == IAM_KIND_ROLE) {
		rec.trust_policy = (char *)in->trust_policy;
		rec.description = (char *)in->description;
		rec.max_session_seconds = in->max_session_seconds > 0 ?
		    in->max_session_seconds : IAM_ROLE_SESSION_DEFAULT;
	}
	if ((st = store_iam_entity_put(txn, &rec)) != STATUS_OK) {
		if (st == STATUS_EXISTS)
			error_set(err, st, "%s with name %s already exists.",
			    iam_kind_word(in->kind, true), in->name);
		goto out;
	}
	if (in->tag_count > 0 && (st = store_iam_tags_put(txn, in->kind,
	    req->account_id, in->name, in->tags, in->tag_count)) != STATUS_OK)
		goto out;
	if ((st = store_iam_entity_get(txn, in->kind, req->account_id,
	    in->name, &info.entity)) != STATUS_OK ||
	    (st = info_tags_load(txn, &info)) != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	iam_entity_info_cleanup(&info);
	free(arn);
	return st;
}

/* GetUser without a name: the caller's own user. */
static enum status
caller_user_get(struct core_request *req, struct store_txn *txn,
    const struct core_identity *caller, struct iam_entity_info *out,
    struct error *err)
{
	struct iam_entity_record *e = &out->entity;
	enum status	 st;

	if (caller == NULL || caller->user_name == NULL)
		return error_set(err, STATUS_VALIDATION, IAM_MSG_NON_USER);
	if (!caller->is_account_administrator) {
		if ((st = iam_entity_load(req, txn, IAM_KIND_USER,
		    caller->user_name, e, err)) != STATUS_OK)
			return st;
		return info_tags_load(txn, out);
	}
	/* The account's own key stands for a user without a row. */
	if ((st = core_authorize(req, caller->arn, req->account_id, err)) !=
	    STATUS_OK)
		return st;
	e->kind = IAM_KIND_USER;
	if ((e->account_id = strdup(caller->account_id)) == NULL ||
	    (e->name = strdup(caller->user_name)) == NULL ||
	    (e->id = strdup(caller->user_id)) == NULL ||
	    (e->path = strdup(IAM_PATH_DEFAULT)) == NULL ||
	    (e->arn = strdup(caller->arn)) == NULL)
		return STATUS_NO_MEMORY;
	e->created_at = caller->key_created_at;
	return STATUS_OK;
}

enum status
core_iam_entity_get(struct core_request *req,
    const struct core_identity *caller, enum iam_kind kind, const char *name,
    struct iam_entity_info *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if (name == NULL && kind == IAM_KIND_USER)
		st = caller_user_get(req, txn, caller, &info, err);
	else if ((st = iam_entity_load(req, txn, kind, name, &info.entity,
	    err)) == STATUS_OK)
		st = info_tags_load(txn, &info);
	if (st != STATUS_OK)
		goto out;
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	iam_entity_info_cleanup(&info);
	return st;
}

static enum status
conflict(struct error *err, const char *what)
{
	return error_set(err, STATUS_INVALID_REQUEST,
	    "Cannot delete entity, must %s first.", what);
}

/* What still hangs on the entity, as DeleteConflict names it. */
static enum status
delete_conflicts(struct core_request *req, struct store_txn *txn,
    const struct iam_entity_record *e, struct error *err)
{
	struct iam_list_query	 q = { req->account_id, NULL, NULL, 1 };
	struct iam_inline_policy_record *inl = NULL;
	struct iam_entity_record *members = NULL;
	struct access_key_record *keys = NULL;
	char			**arns = NULL;
	size_t			 n = 0;
	enum status		 st;

	if (e->kind == IAM_KIND_USER) {
		if ((st = store_access_key_list_by_owner(txn, req->account_id,
		    e->name, e->id, &keys, &n)) != STATUS_OK)
			goto out;
		access_key_records_free(keys, n);
		if (n > 0) {
			st = conflict(err, "delete access keys");
			goto out;
		}
	}
	if (e->kind != IAM_KIND_ROLE) {
		if ((st = store_iam_member_list(txn, e->kind == IAM_KIND_USER ?
		    IAM_KIND_GROUP : IAM_KIND_USER, e->name, &q, &members,
		    &n)) != STATUS_OK)
			goto out;
		iam_entity_records_free(members, n);
		if (n > 0) {
			st = conflict(err, e->kind == IAM_KIND_USER ?
			    "remove user from all groups" :
			    "remove users from group");
			goto out;
		}
	}
	if ((st = store_iam_inline_policy_list(txn, e->kind, req->account_id,
	    e->name, NULL, 1, &inl, &n)) != STATUS_OK)
		goto out;
	iam_inline_policy_records_free(inl, n);
	if (n > 0) {
		st = conflict(err, "delete policies");
		goto out;
	}
	if ((st = store_iam_attachment_list(txn, e->kind, req->account_id,
	    e->name, &arns, &n)) != STATUS_OK)
		goto out;
	iam_strings_free(arns, n);
	if (n > 0)
		st = conflict(err, "detach all policies");
out:
	return st;
}

enum status
core_iam_entity_delete(struct core_request *req, enum iam_kind kind,
    const char *name, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, name, &e, err)) != STATUS_OK)
		goto out;
	if ((st = delete_conflicts(req, txn, &e, err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_entity_delete(txn, kind, req->account_id,
	    e.name)) != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_entity_record_cleanup(&e);
	return st;
}

/* Keep at most limit of the n records read (limit + 1 were asked for) and
 * say where the next page starts. */
static enum status
page_trim(struct iam_entity_list *out, size_t limit)
{
	if (out->count <= limit)
		return STATUS_OK;
	for (size_t i = limit; i < out->count; i++)
		iam_entity_record_cleanup(&out->entities[i]);
	out->count = limit;
	if ((out->next_marker = strdup(out->entities[limit - 1].name)) == NULL)
		return STATUS_NO_MEMORY;
	return STATUS_OK;
}

enum status
core_iam_entity_list(struct core_request *req, enum iam_kind kind,
    const char *path_prefix, const struct iam_page *page,
    struct iam_entity_list *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_list	 l;
	struct iam_list_query	 q;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	q.account_id = req->account_id;
	q.path_prefix = path_prefix;
	q.after_name = page->marker;
	q.limit = iam_page_limit(page) + 1;
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_authorize(req, "*", req->account_id, err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_entity_list(txn, kind, &q, &l.entities,
	    &l.count)) != STATUS_OK ||
	    (st = page_trim(&l, q.limit - 1)) != STATUS_OK)
		goto out;
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	iam_entity_list_cleanup(&l);
	return st;
}

enum status
core_iam_role_trust_update(struct core_request *req, const char *role_name,
    const char *document, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	char			*old;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, IAM_KIND_ROLE, role_name, &e,
	    err)) != STATUS_OK)
		goto out;
	old = e.trust_policy;
	e.trust_policy = (char *)document;
	st = store_iam_entity_update(txn, &e);
	e.trust_policy = old;
	if (st != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_entity_record_cleanup(&e);
	return st;
}

/* ---- group membership ---- */

enum status
core_iam_group_member_add(struct core_request *req, const char *group_name,
    const char *user_name, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record group, user, *groups = NULL;
	struct iam_list_query	 q = { req->account_id, NULL, NULL,
				    IAM_GROUPS_PER_USER + 1 };
	size_t			 n = 0;
	enum status		 st;

	memset(&group, 0, sizeof(group));
	memset(&user, 0, sizeof(user));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, IAM_KIND_GROUP, group_name, &group,
	    err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_entity_get(txn, IAM_KIND_USER, req->account_id,
	    user_name, &user)) != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			entity_not_found(err, IAM_KIND_USER, user_name);
		goto out;
	}
	if ((st = store_iam_member_list(txn, IAM_KIND_GROUP, user.name, &q,
	    &groups, &n)) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(groups[i].name, group.name) == 0)
			goto done;	/* a member already: nothing to do */
	if (n >= IAM_GROUPS_PER_USER) {
		st = error_set(err, STATUS_LIMIT_EXCEEDED,
		    "Cannot exceed quota for GroupsPerUser: %d",
		    IAM_GROUPS_PER_USER);
		goto out;
	}
	if ((st = store_iam_member_put(txn, req->account_id, group.name,
	    user.name)) != STATUS_OK)
		goto out;
done:
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_entity_records_free(groups, n);
	iam_entity_record_cleanup(&group);
	iam_entity_record_cleanup(&user);
	return st;
}

enum status
core_iam_group_member_remove(struct core_request *req, const char *group_name,
    const char *user_name, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record group;
	enum status		 st;

	memset(&group, 0, sizeof(group));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, IAM_KIND_GROUP, group_name, &group,
	    err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_member_delete(txn, req->account_id, group.name,
	    user_name)) != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			entity_not_found(err, IAM_KIND_USER, user_name);
		goto out;
	}
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_entity_record_cleanup(&group);
	return st;
}

/* GetGroup (kind GROUP: the group's users) or ListGroupsForUser (kind
 * USER: the user's groups). */
static enum status
members_page(struct core_request *req, enum iam_kind kind, const char *name,
    const struct iam_page *page, struct iam_entity_list *out,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_list	 l;
	struct iam_list_query	 q;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	q.account_id = req->account_id;
	q.path_prefix = NULL;
	q.after_name = page->marker;
	q.limit = iam_page_limit(page) + 1;
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, name, &l.group, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = store_iam_member_list(txn, kind == IAM_KIND_GROUP ?
	    IAM_KIND_USER : IAM_KIND_GROUP, l.group.name, &q, &l.entities,
	    &l.count)) != STATUS_OK ||
	    (st = page_trim(&l, q.limit - 1)) != STATUS_OK)
		goto out;
	*out = l;
	memset(&l, 0, sizeof(l));
out:
	store_rollback(txn);
	iam_entity_list_cleanup(&l);
	return st;
}

enum status
core_iam_group_members(struct core_request *req, const char *group_name,
    const struct iam_page *page, struct iam_entity_list *out,
    struct error *err)
{
	return members_page(req, IAM_KIND_GROUP, group_name, page, out, err);
}

enum status
core_iam_user_groups(struct core_request *req, const char *user_name,
    const struct iam_page *page, struct iam_entity_list *out,
    struct error *err)
{
	return members_page(req, IAM_KIND_USER, user_name, page, out, err);
}

/* ---- tags ---- */

enum status
core_iam_entity_tag(struct core_request *req, enum iam_kind kind,
    const char *name, const struct tag *tags, size_t count, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	struct tag		*have = NULL;
	size_t			 have_count = 0;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	if ((st = iam_tags_check_unique(tags, count, err)) != STATUS_OK)
		goto out;
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, name, &e, err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_tags_get(txn, kind, req->account_id, e.name, &have,
	    &have_count)) != STATUS_OK)
		goto out;
	if (have_count + tags_added(have, have_count, tags, count) >
	    IAM_TAGS_MAX) {
		st = error_set(err, STATUS_LIMIT_EXCEEDED,
		    "Cannot exceed quota for TagsPer%s: %d",
		    iam_kind_word(kind, true), IAM_TAGS_MAX);
		goto out;
	}
	if ((st = store_iam_tags_put(txn, kind, req->account_id, e.name, tags,
	    count)) != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	tags_free(have, have_count);
	iam_entity_record_cleanup(&e);
	return st;
}

enum status
core_iam_entity_untag(struct core_request *req, enum iam_kind kind,
    const char *name, const char *const *keys, size_t count,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_record e;
	enum status		 st;

	memset(&e, 0, sizeof(e));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = iam_entity_load(req, txn, kind, name, &e, err)) != STATUS_OK)
		goto out;
	if ((st = store_iam_tags_delete(txn, kind, req->account_id, e.name,
	    keys, count)) != STATUS_OK)
		goto out;
	st = iam_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	iam_entity_record_cleanup(&e);
	return st;
}

enum status
core_iam_resource_tags(const struct core_env *env, const char *arn,
    struct tag **tags, size_t *count)
{
	struct store_txn	*txn = NULL;
	struct arn_parts	 parts;
	enum iam_kind		 kind;
	enum status		 st;

	*tags = NULL;
	*count = 0;
	if (arn_parse(arn, &parts) != STATUS_OK ||
	    strcmp(parts.service, "iam") != 0)
		return STATUS_OK;
	if (strncmp(parts.resource, "user/", 5) == 0)
		kind = IAM_KIND_USER;
	else if (strncmp(parts.resource, "role/", 5) == 0)
		kind = IAM_KIND_ROLE;
	else
		return STATUS_OK;
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		return st;
	st = store_iam_tags_get(txn, kind, parts.account_id,
	    iam_arn_name(arn), tags, count);
	store_rollback(txn);
	return st == STATUS_NOT_FOUND ? STATUS_OK : st;
}
