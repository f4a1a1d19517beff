/*
 * iam.c: the AWS IAM API (AWS Query protocol, version 2010-05-08, signing
 * name "iam", a global service): users, groups and group membership,
 * roles and their trust policies, access keys, tags of users and roles.
 * Policies (inline, managed, attachments) are in iam_policies.c; the
 * Query protocol's glue and IAM's error table in iam_query.c.
 *
 * Each handler turns validated input into a core/ call (core/iam.h) and
 * the result into the shape of IAM's model: timestamps in ISO 8601,
 * policy documents URL-encoded (botocore decodes them), lists paged with
 * Marker and IsTruncated.  Users, groups and roles are one kind of thing
 * in core ("entities"), so most handlers exist once, for a kind.
 *
 * Identity policies stored here are not enforced yet (docs/access.md).
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/iam_fields.h"
#include "api/iam_internal.h"

/* ---- shapes ---- */

static const char *
name_member(enum iam_kind kind)
{
	switch (kind) {
	case IAM_KIND_GROUP:
		return "GroupName";
	case IAM_KIND_ROLE:
		return "RoleName";
	default:
		return "UserName";
	}
}

static const char *
id_member(enum iam_kind kind)
{
	switch (kind) {
	case IAM_KIND_GROUP:
		return "GroupId";
	case IAM_KIND_ROLE:
		return "RoleId";
	default:
		return "UserId";
	}
}

/* A User, Group or Role structure; tags only where the model shows them
 * (GetUser, GetRole, Create*: not the list operations). */
static json_t *
entity_json(const struct iam_entity_record *e, const struct tag *tags,
    size_t tag_count, bool with_tags)
{
	json_t	*o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "Path", json_string(e->path));
	json_object_set_new(o, name_member(e->kind), json_string(e->name));
	json_object_set_new(o, id_member(e->kind), json_string(e->id));
	json_object_set_new(o, "Arn", json_string(e->arn));
	json_object_set_new(o, "CreateDate", iam_time(e->created_at));
	if (e->kind == IAM_KIND_ROLE) {
		json_object_set_new(o, "AssumeRolePolicyDocument",
		    iam_document(e->trust_policy != NULL ? e->trust_policy :
		    ""));
		if (e->description != NULL)
			json_object_set_new(o, "Description",
			    json_string(e->description));
		json_object_set_new(o, "MaxSessionDuration",
		    json_integer(e->max_session_seconds));
	}
	if (e->permissions_boundary != NULL)
		json_object_set_new(o, "PermissionsBoundary", json_pack(
		    "{s:s, s:s}", "PermissionsBoundaryType",
		    "PermissionsBoundaryPolicy", "PermissionsBoundaryArn",
		    e->permissions_boundary));
	if (with_tags && tag_count > 0)
		json_object_set_new(o, "Tags", iam_tags_json(tags, tag_count));
	if (e->kind == IAM_KIND_ROLE && with_tags)
		json_object_set_new(o, "RoleLastUsed", json_object());
	return o;
}

static const char *
entity_member(enum iam_kind kind)
{
	switch (kind) {
	case IAM_KIND_GROUP:
		return "Group";
	case IAM_KIND_ROLE:
		return "Role";
	default:
		return "User";
	}
}

static json_t *
entities_json(const struct iam_entity_record *e, size_t count)
{
	json_t	*list = json_array();

	for (size_t i = 0; list != NULL && i < count; i++)
		json_array_append_new(list, entity_json(&e[i], NULL, 0, false));
	return list;
}

static enum status
result(json_t *o, json_t **out)
{
	if (o == NULL)
		return STATUS_NO_MEMORY;
	*out = o;
	return STATUS_OK;
}

/* ---- users, groups, roles ---- */

static enum status
entity_create(struct api_call *call, enum iam_kind kind, json_t *in,
    json_t **out, struct error *err)
{
	struct iam_entity_input	 input;
	struct iam_entity_info	 info;
	struct tag		*tags = NULL;
	size_t			 tag_count = 0;
	json_t			*o = NULL;
	enum status		 st;

	memset(&input, 0, sizeof(input));
	memset(&info, 0, sizeof(info));
	if ((st = iam_tags_from_json(in, "Tags", &tags, &tag_count)) !=
	    STATUS_OK)
		goto out;
	input.kind = kind;
	input.name = api_string(in, name_member(kind));
	input.path = api_string(in, "Path");
	input.permissions_boundary = api_string(in, "PermissionsBoundary");
	input.tags = tags;
	input.tag_count = tag_count;
	if (kind == IAM_KIND_ROLE) {
		input.trust_policy = api_string(in, "AssumeRolePolicyDocument");
		input.description = api_string(in, "Description");
		if (api_has(in, "MaxSessionDuration"))
			input.max_session_seconds = json_integer_value(
			    json_object_get(in, "MaxSessionDuration"));
		if ((st = iam_policy_check(input.trust_policy,
		    POLICY_KIND_TRUST, err)) != STATUS_OK)
			goto out;
	}
	if ((st = core_iam_entity_create(&call->core, &input, &info, err)) !=
	    STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, entity_member(kind), entity_json(&info.entity,
	    info.tags, info.tag_count, true));
	st = result(o, out);
out:
	free(tags);
	iam_entity_info_cleanup(&info);
	return st;
}

static enum status
entity_get(struct api_call *call, enum iam_kind kind, json_t *in,
    json_t **out, struct error *err)
{
	struct iam_entity_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = core_iam_entity_get(&call->core, &call->identity, kind,
	    api_string(in, name_member(kind)), &info, err)) != STATUS_OK)
		return st;
	st = result(json_pack("{s:o}", entity_member(kind),
	    entity_json(&info.entity, info.tags, info.tag_count, true)), out);
	iam_entity_info_cleanup(&info);
	return st;
}

static enum status
entity_list(struct api_call *call, enum iam_kind kind, const char *member,
    json_t *in, json_t **out, struct error *err)
{
	struct iam_entity_list	 l;
	struct iam_page		 page;
	json_t			*o;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	iam_page_from_json(in, &page);
	if ((st = core_iam_entity_list(&call->core, kind, api_string(in,
	    "PathPrefix"), &page, &l, err)) != STATUS_OK)
		return st;
	if ((o = json_object()) != NULL) {
		json_object_set_new(o, member, entities_json(l.entities,
		    l.count));
		iam_page_json(o, l.next_marker);
	}
	iam_entity_list_cleanup(&l);
	return result(o, out);
}

static enum status
op_create_user(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_create(call, IAM_KIND_USER, in, out, err);
}

static enum status
op_get_user(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_get(call, IAM_KIND_USER, in, out, err);
}

static enum status
op_list_users(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_list(call, IAM_KIND_USER, "Users", in, out, err);
}

static enum status
op_delete_user(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_iam_entity_delete(&call->core, IAM_KIND_USER,
	    api_string(in, "UserName"), err);
}

static enum status
op_create_group(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_create(call, IAM_KIND_GROUP, in, out, err);
}

static enum status
op_list_groups(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_list(call, IAM_KIND_GROUP, "Groups", in, out, err);
}

static enum status
op_delete_group(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_iam_entity_delete(&call->core, IAM_KIND_GROUP,
	    api_string(in, "GroupName"), err);
}

static enum status
op_create_role(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_create(call, IAM_KIND_ROLE, in, out, err);
}

static enum status
op_get_role(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_get(call, IAM_KIND_ROLE, in, out, err);
}

static enum status
op_list_roles(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_list(call, IAM_KIND_ROLE, "Roles", in, out, err);
}

static enum status
op_delete_role(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_iam_entity_delete(&call->core, IAM_KIND_ROLE,
	    api_string(in, "RoleName"), err);
}

static enum status
op_update_assume_role_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	const char	*doc = api_string(in, "PolicyDocument");
	enum status	 st;

	if ((st = iam_policy_check(doc, POLICY_KIND_TRUST, err)) != STATUS_OK)
		return st;
	return core_iam_role_trust_update(&call->core, api_string(in,
	    "RoleName"), doc, err);
}

/* ---- group membership ---- */

static enum status
op_add_user_to_group(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_iam_group_member_add(&call->core, api_string(in,
	    "GroupName"), api_string(in, "UserName"), err);
}

static enum status
op_remove_user_from_group(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_iam_group_member_remove(&call->core, api_string(in,
	    "GroupName"), api_string(in, "UserName"), err);
}

static enum status
op_get_group(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_entity_list	 l;
	struct iam_page		 page;
	json_t			*o;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	iam_page_from_json(in, &page);
	if ((st = core_iam_group_members(&call->core, api_string(in,
	    "GroupName"), &page, &l, err)) != STATUS_OK)
		return st;
	if ((o = json_object()) != NULL) {
		json_object_set_new(o, "Group", entity_json(&l.group, NULL, 0,
		    false));
		json_object_set_new(o, "Users", entities_json(l.entities,
		    l.count));
		iam_page_json(o, l.next_marker);
	}
	iam_entity_list_cleanup(&l);
	return result(o, out);
}

static enum status
op_list_groups_for_user(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_entity_list	 l;
	struct iam_page		 page;
	json_t			*o;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	iam_page_from_json(in, &page);
	if ((st = core_iam_user_groups(&call->core, api_string(in,
	    "UserName"), &page, &l, err)) != STATUS_OK)
		return st;
	if ((o = json_object()) != NULL) {
		json_object_set_new(o, "Groups", entities_json(l.entities,
		    l.count));
		iam_page_json(o, l.next_marker);
	}
	iam_entity_list_cleanup(&l);
	return result(o, out);
}

/* ---- tags ---- */

static enum status
entity_tag(struct api_call *call, enum iam_kind kind, json_t *in,
    struct error *err)
{
	struct tag	*tags = NULL;
	size_t		 count = 0;
	enum status	 st;

	if ((st = iam_tags_from_json(in, "Tags", &tags, &count)) != STATUS_OK)
		return st;
	st = core_iam_entity_tag(&call->core, kind, api_string(in,
	    name_member(kind)), tags, count, err);
	free(tags);
	return st;
}

static enum status
entity_untag(struct api_call *call, enum iam_kind kind, json_t *in,
    struct error *err)
{
	const char	**keys = NULL;
	size_t		 count = 0;
	enum status	 st;

	if ((st = iam_keys_from_json(in, "TagKeys", &keys, &count)) !=
	    STATUS_OK)
		return st;
	st = core_iam_entity_untag(&call->core, kind, api_string(in,
	    name_member(kind)), keys, count, err);
	free(keys);
	return st;
}

/* ListUserTags / ListRoleTags: a page of tags in key order, the marker
 * the last key returned. */
static enum status
entity_tags_list(struct api_call *call, enum iam_kind kind, json_t *in,
    json_t **out, struct error *err)
{
	struct iam_entity_info	 info;
	struct iam_page		 page;
	json_t			*o = NULL, *list;
	const char		*next = NULL;
	size_t			 limit, n = 0;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	iam_page_from_json(in, &page);
	limit = page.max_items > 0 ? page.max_items : IAM_PAGE_DEFAULT;
	if ((st = core_iam_entity_get(&call->core, &call->identity, kind,
	    api_string(in, name_member(kind)), &info, err)) != STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL || (list = json_array()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "Tags", list);
	for (size_t i = 0; i < info.tag_count; i++) {
		if (page.marker != NULL &&
		    strcasecmp(info.tags[i].key, page.marker) <= 0)
			continue;
		if (n == limit) {
			next = info.tags[i - 1].key;
			break;
		}
		json_array_append_new(list, json_pack("{s:s, s:s}", "Key",
		    info.tags[i].key, "Value", info.tags[i].value));
		n++;
	}
	iam_page_json(o, next);
	*out = o;
	o = NULL;
out:
	json_decref(o);
	iam_entity_info_cleanup(&info);
	return st;
}

static enum status
op_tag_user(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_tag(call, IAM_KIND_USER, in, err);
}

static enum status
op_untag_user(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_untag(call, IAM_KIND_USER, in, err);
}

static enum status
op_list_user_tags(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_tags_list(call, IAM_KIND_USER, in, out, err);
}

static enum status
op_tag_role(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_tag(call, IAM_KIND_ROLE, in, err);
}

static enum status
op_untag_role(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_untag(call, IAM_KIND_ROLE, in, err);
}

static enum status
op_list_role_tags(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return entity_tags_list(call, IAM_KIND_ROLE, in, out, err);
}

/* ---- access keys ---- */

static const char *
key_status(bool is_active)
{
	return is_active ? "Active" : "Inactive";
}

static enum status
op_create_access_key(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct access_key_record rec;
	struct access_key_pair	 pair;
	json_t			*o;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memset(&pair, 0, sizeof(pair));
	if ((st = core_iam_access_key_create(&call->core, &call->identity,
	    api_string(in, "UserName"), &rec, &pair, err)) != STATUS_OK)
		return st;
	o = json_pack("{s:{s:s, s:s, s:s, s:s, s:o}}", "AccessKey",
	    "UserName", rec.user_name, "AccessKeyId", rec.access_key_id,
	    "Status", key_status(rec.is_active), "SecretAccessKey",
	    pair.secret_access_key, "CreateDate", iam_time(rec.created_at));
	explicit_bzero(&pair, sizeof(pair));
	access_key_record_cleanup(&rec);
	return result(o, out);
}

static enum status
op_list_access_keys(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_access_key_list l;
	json_t			*o = NULL, *list;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	if ((st = core_iam_access_key_list(&call->core, &call->identity,
	    api_string(in, "UserName"), &l, err)) != STATUS_OK)
		return st;
	if ((list = json_array()) != NULL) {
		for (size_t i = 0; i < l.count; i++)
			json_array_append_new(list, json_pack(
			    "{s:s, s:s, s:s, s:o}", "UserName", l.user_name,
			    "AccessKeyId", l.keys[i].access_key_id, "Status",
			    key_status(l.keys[i].is_active), "CreateDate",
			    iam_time(l.keys[i].created_at)));
		o = json_pack("{s:o, s:b}", "AccessKeyMetadata", list,
		    "IsTruncated", 0);
	}
	iam_access_key_list_cleanup(&l);
	return result(o, out);
}

static enum status
op_update_access_key(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	const char	*status = api_string(in, "Status");

	if (strcmp(status, "Expired") == 0)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "The Status of an access key can be Active or Inactive.");
	return core_iam_access_key_update(&call->core, &call->identity,
	    api_string(in, "UserName"), api_string(in, "AccessKeyId"),
	    strcmp(status, "Active") == 0, err);
}

static enum status
op_delete_access_key(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_iam_access_key_delete(&call->core, &call->identity,
	    api_string(in, "UserName"), api_string(in, "AccessKeyId"), err);
}

/* ---- the operation table ---- */

#define OP(name, handler, read_only) \
	{ #name, "iam:" #name, handler, iam_fields_##name, read_only }

const struct api_operation iam_operations[] = {
	OP(AddUserToGroup, op_add_user_to_group, false),
	OP(AttachGroupPolicy, iam_op_attach_group_policy, false),
	OP(AttachRolePolicy, iam_op_attach_role_policy, false),
	OP(AttachUserPolicy, iam_op_attach_user_policy, false),
	OP(CreateAccessKey, op_create_access_key, false),
	OP(CreateGroup, op_create_group, false),
	OP(CreatePolicy, iam_op_create_policy, false),
	OP(CreatePolicyVersion, iam_op_create_policy_version, false),
	OP(CreateRole, op_create_role, false),
	OP(CreateUser, op_create_user, false),
	OP(DeleteAccessKey, op_delete_access_key, false),
	OP(DeleteGroup, op_delete_group, false),
	OP(DeleteGroupPolicy, iam_op_delete_group_policy, false),
	OP(DeletePolicy, iam_op_delete_policy, false),
	OP(DeletePolicyVersion, iam_op_delete_policy_version, false),
	OP(DeleteRole, op_delete_role, false),
	OP(DeleteRolePolicy, iam_op_delete_role_policy, false),
	OP(DeleteUser, op_delete_user, false),
	OP(DeleteUserPolicy, iam_op_delete_user_policy, false),
	OP(DetachGroupPolicy, iam_op_detach_group_policy, false),
	OP(DetachRolePolicy, iam_op_detach_role_policy, false),
	OP(DetachUserPolicy, iam_op_detach_user_policy, false),
	OP(GetGroup, op_get_group, true),
	OP(GetGroupPolicy, iam_op_get_group_policy, true),
	OP(GetPolicy, iam_op_get_policy, true),
	OP(GetPolicyVersion, iam_op_get_policy_version, true),
	OP(GetRole, op_get_role, true),
	OP(GetRolePolicy, iam_op_get_role_policy, true),
	OP(GetUser, op_get_user, true),
	OP(GetUserPolicy, iam_op_get_user_policy, true),
	OP(ListAccessKeys, op_list_access_keys, true),
	OP(ListAttachedGroupPolicies, iam_op_list_attached_group_policies,
	    true),
	OP(ListAttachedRolePolicies, iam_op_list_attached_role_policies, true),
	OP(ListAttachedUserPolicies, iam_op_list_attached_user_policies, true),
	OP(ListGroupPolicies, iam_op_list_group_policies, true),
	OP(ListGroups, op_list_groups, true),
	OP(ListGroupsForUser, op_list_groups_for_user, true),
	OP(ListPolicies, iam_op_list_policies, true),
	OP(ListPolicyVersions, iam_op_list_policy_versions, true),
	OP(ListRolePolicies, iam_op_list_role_policies, true),
	OP(ListRoleTags, op_list_role_tags, true),
	OP(ListRoles, op_list_roles, true),
	OP(ListUserPolicies, iam_op_list_user_policies, true),
	OP(ListUserTags, op_list_user_tags, true),
	OP(ListUsers, op_list_users, true),
	OP(PutGroupPolicy, iam_op_put_group_policy, false),
	OP(PutRolePolicy, iam_op_put_role_policy, false),
	OP(PutUserPolicy, iam_op_put_user_policy, false),
	OP(RemoveUserFromGroup, op_remove_user_from_group, false),
	OP(SetDefaultPolicyVersion, iam_op_set_default_policy_version, false),
	OP(TagRole, op_tag_role, false),
	OP(TagUser, op_tag_user, false),
	OP(UntagRole, op_untag_role, false),
	OP(UntagUser, op_untag_user, false),
	OP(UpdateAccessKey, op_update_access_key, false),
	OP(UpdateAssumeRolePolicy, op_update_assume_role_policy, false),
	{ NULL, NULL, NULL, NULL, false },
};

const struct api_service api_service_iam = {
	.target_prefix = NULL,		/* no X-Amz-Target: Query */
	.signing_name = "iam",
	.event_source = "iam.amazonaws.com",
	.operations = iam_operations,
	.error_info = iam_error_info,
	.protocol = API_PROTOCOL_QUERY,
	.xml_namespace = "https://iam.amazonaws.com/doc/2010-05-08/",
	.api_version = "2010-05-08",
};
