/*
 * iam_policies.c: IAM's policy operations: inline policies of users,
 * groups and roles (Put/Get/Delete/List*Policy), customer managed
 * policies and their versions, and attaching them (Attach/Detach/
 * ListAttached*Policies).
 *
 * Every document is parsed by the policy engine before it is stored, so a
 * document that would not evaluate is refused here with
 * MalformedPolicyDocument, as IAM refuses it.  Documents are returned
 * URL-encoded, as IAM returns them.  Stored, returned, not enforced yet:
 * docs/access.md says where enforcement hooks in.
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/iam_internal.h"

static const char *
entity_name_member(enum iam_kind kind)
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

static enum status
result(json_t *o, json_t **out)
{
	if (o == NULL)
		return STATUS_NO_MEMORY;
	*out = o;
	return STATUS_OK;
}

/* ---- inline policies ---- */

static enum status
inline_put(struct api_call *call, enum iam_kind kind, json_t *in,
    struct error *err)
{
	const char	*doc = api_string(in, "PolicyDocument");
	enum status	 st;

	if ((st = iam_policy_check(doc, POLICY_KIND_IDENTITY, err)) !=
	    STATUS_OK)
		return st;
	return core_iam_inline_policy_put(&call->core, kind, api_string(in,
	    entity_name_member(kind)), api_string(in, "PolicyName"), doc, err);
}

static enum status
inline_get(struct api_call *call, enum iam_kind kind, json_t *in,
    json_t **out, struct error *err)
{
	const char	*entity = api_string(in, entity_name_member(kind));
	const char	*name = api_string(in, "PolicyName");
	char		*doc = NULL;
	enum status	 st;

	if ((st = core_iam_inline_policy_get(&call->core, kind, entity, name,
	    &doc, err)) != STATUS_OK)
		return st;
	st = result(json_pack("{s:s, s:s, s:o}", entity_name_member(kind),
	    entity, "PolicyName", name, "PolicyDocument", iam_document(doc)),
	    out);
	free(doc);
	return st;
}

static enum status
inline_delete(struct api_call *call, enum iam_kind kind, json_t *in,
    struct error *err)
{
	return core_iam_inline_policy_delete(&call->core, kind, api_string(in,
	    entity_name_member(kind)), api_string(in, "PolicyName"), err);
}

static json_t *
names_json(const struct iam_name_list *l)
{
	json_t	*list = json_array();

	for (size_t i = 0; list != NULL && i < l->count; i++)
		json_array_append_new(list, json_string(l->names[i]));
	return list;
}

static enum status
inline_list(struct api_call *call, enum iam_kind kind, json_t *in,
    json_t **out, struct error *err)
{
	struct iam_name_list	 l;
	struct iam_page		 page;
	json_t			*o;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	iam_page_from_json(in, &page);
	if ((st = core_iam_inline_policy_list(&call->core, kind,
	    api_string(in, entity_name_member(kind)), &page, &l, err)) !=
	    STATUS_OK)
		return st;
	if ((o = json_object()) != NULL) {
		json_object_set_new(o, "PolicyNames", names_json(&l));
		iam_page_json(o, l.next_marker);
	}
	iam_name_list_cleanup(&l);
	return result(o, out);
}

#define INLINE_OPS(kind, KIND)					\
enum status								\
iam_op_put_##kind##_policy(struct api_call *call, json_t *in,		\
    json_t **out, struct error *err)					\
{									\
	return inline_put(call, IAM_KIND_##KIND, in, err);		\
}									\
enum status								\
iam_op_get_##kind##_policy(struct api_call *call, json_t *in,		\
    json_t **out, struct error *err)					\
{									\
	return inline_get(call, IAM_KIND_##KIND, in, out, err);		\
}									\
enum status								\
iam_op_delete_##kind##_policy(struct api_call *call, json_t *in,	\
    json_t **out, struct error *err)					\
{									\
	return inline_delete(call, IAM_KIND_##KIND, in, err);		\
}									\
enum status								\
iam_op_list_##kind##_policies(struct api_call *call, json_t *in,	\
    json_t **out, struct error *err)					\
{									\
	return inline_list(call, IAM_KIND_##KIND, in, out, err);	\
}

INLINE_OPS(user, USER)
INLINE_OPS(group, GROUP)
INLINE_OPS(role, ROLE)

/* ---- managed policies ---- */

static json_t *
policy_json(const struct iam_policy_record *p, const struct tag *tags,
    size_t tag_count)
{
	json_t	*o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "PolicyName", json_string(p->name));
	json_object_set_new(o, "PolicyId", json_string(p->id));
	json_object_set_new(o, "Arn", json_string(p->arn));
	json_object_set_new(o, "Path", json_string(p->path));
	json_object_set_new(o, "DefaultVersionId",
	    json_string(p->default_version));
	json_object_set_new(o, "AttachmentCount",
	    json_integer(p->attachment_count));
	json_object_set_new(o, "PermissionsBoundaryUsageCount",
	    json_integer(p->boundary_count));
	json_object_set_new(o, "IsAttachable", json_true());
	if (p->description != NULL)
		json_object_set_new(o, "Description",
		    json_string(p->description));
	json_object_set_new(o, "CreateDate", iam_time(p->created_at));
	json_object_set_new(o, "UpdateDate", iam_time(p->updated_at));
	if (tag_count > 0)
		json_object_set_new(o, "Tags", iam_tags_json(tags, tag_count));
	return o;
}

enum status
iam_op_create_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_policy_input	 input;
	struct iam_policy_info	 info;
	struct tag		*tags = NULL;
	size_t			 tag_count = 0;
	enum status		 st;

	memset(&input, 0, sizeof(input));
	memset(&info, 0, sizeof(info));
	input.name = api_string(in, "PolicyName");
	input.path = api_string(in, "Path");
	input.description = api_string(in, "Description");
	input.document = api_string(in, "PolicyDocument");
	if ((st = iam_policy_check(input.document, POLICY_KIND_IDENTITY,
	    err)) != STATUS_OK ||
	    (st = iam_tags_from_json(in, "Tags", &tags, &tag_count)) !=
	    STATUS_OK)
		goto out;
	input.tags = tags;
	input.tag_count = tag_count;
	if ((st = core_iam_policy_create(&call->core, &input, &info, err)) !=
	    STATUS_OK)
		goto out;
	st = result(json_pack("{s:o}", "Policy", policy_json(&info.policy,
	    info.tags, info.tag_count)), out);
out:
	free(tags);
	iam_policy_info_cleanup(&info);
	return st;
}

enum status
iam_op_get_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_policy_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = core_iam_policy_get(&call->core, api_string(in, "PolicyArn"),
	    &info, err)) != STATUS_OK)
		return st;
	st = result(json_pack("{s:o}", "Policy", policy_json(&info.policy,
	    info.tags, info.tag_count)), out);
	iam_policy_info_cleanup(&info);
	return st;
}

enum status
iam_op_delete_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_iam_policy_delete(&call->core, api_string(in, "PolicyArn"),
	    err);
}

enum status
iam_op_list_policies(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_policy_list	 l;
	struct iam_page		 page;
	json_t			*o, *list;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	iam_page_from_json(in, &page);
	if ((st = core_iam_policy_list(&call->core, api_string(in, "Scope"),
	    api_bool(in, "OnlyAttached", false), api_string(in, "PathPrefix"),
	    &page, &l, err)) != STATUS_OK)
		return st;
	if ((o = json_object()) != NULL && (list = json_array()) != NULL) {
		for (size_t i = 0; i < l.count; i++)
			json_array_append_new(list, policy_json(&l.policies[i],
			    NULL, 0));
		json_object_set_new(o, "Policies", list);
		iam_page_json(o, l.next_marker);
	}
	iam_policy_list_cleanup(&l);
	return result(o, out);
}

static json_t *
version_json(const struct iam_policy_version_record *v, bool is_default,
    bool with_document)
{
	json_t	*o = json_object();

	if (o == NULL)
		return NULL;
	if (with_document)
		json_object_set_new(o, "Document", iam_document(v->document));
	json_object_set_new(o, "VersionId", json_string(v->version_id));
	json_object_set_new(o, "IsDefaultVersion", json_boolean(is_default));
	json_object_set_new(o, "CreateDate", iam_time(v->created_at));
	return o;
}

enum status
iam_op_create_policy_version(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_policy_version_record v;
	const char	*doc = api_string(in, "PolicyDocument");
	bool		 is_default = false;
	enum status	 st;

	memset(&v, 0, sizeof(v));
	if ((st = iam_policy_check(doc, POLICY_KIND_IDENTITY, err)) !=
	    STATUS_OK)
		return st;
	if ((st = core_iam_policy_version_create(&call->core, api_string(in,
	    "PolicyArn"), doc, api_bool(in, "SetAsDefault", false), &v,
	    &is_default, err)) != STATUS_OK)
		return st;
	/* CreatePolicyVersion answers without the document, as IAM does. */
	st = result(json_pack("{s:o}", "PolicyVersion", version_json(&v,
	    is_default, false)), out);
	iam_policy_version_record_cleanup(&v);
	return st;
}

enum status
iam_op_get_policy_version(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_policy_version_record v;
	bool		 is_default = false;
	enum status	 st;

	memset(&v, 0, sizeof(v));
	if ((st = core_iam_policy_version_get(&call->core, api_string(in,
	    "PolicyArn"), api_string(in, "VersionId"), &v, &is_default,
	    err)) != STATUS_OK)
		return st;
	st = result(json_pack("{s:o}", "PolicyVersion", version_json(&v,
	    is_default, true)), out);
	iam_policy_version_record_cleanup(&v);
	return st;
}

enum status
iam_op_list_policy_versions(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct iam_policy_version_list l;
	json_t			*o = NULL, *list;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	if ((st = core_iam_policy_version_list(&call->core, api_string(in,
	    "PolicyArn"), &l, err)) != STATUS_OK)
		return st;
	if ((list = json_array()) != NULL) {
		for (size_t i = 0; i < l.count; i++)
			json_array_append_new(list, version_json(&l.versions[i],
			    strcmp(l.versions[i].version_id,
			    l.default_version) == 0, false));
		o = json_pack("{s:o, s:b}", "Versions", list, "IsTruncated", 0);
	}
	iam_policy_version_list_cleanup(&l);
	return result(o, out);
}

enum status
iam_op_delete_policy_version(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_iam_policy_version_delete(&call->core, api_string(in,
	    "PolicyArn"), api_string(in, "VersionId"), err);
}

enum status
iam_op_set_default_policy_version(struct api_call *call, json_t *in,
    json_t **out, struct error *err)
{
	return core_iam_policy_version_set_default(&call->core, api_string(in,
	    "PolicyArn"), api_string(in, "VersionId"), err);
}

/* ---- attachments ---- */

static enum status
attach(struct api_call *call, enum iam_kind kind, json_t *in, bool is_attach,
    struct error *err)
{
	const char	*entity = api_string(in, entity_name_member(kind));
	const char	*arn = api_string(in, "PolicyArn");

	if (is_attach)
		return core_iam_policy_attach(&call->core, kind, entity, arn,
		    err);
	return core_iam_policy_detach(&call->core, kind, entity, arn, err);
}

static enum status
attached_list(struct api_call *call, enum iam_kind kind, json_t *in,
    json_t **out, struct error *err)
{
	struct iam_name_list	 l;
	struct iam_page		 page;
	json_t			*o = NULL, *list;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	iam_page_from_json(in, &page);
	if ((st = core_iam_attached_policies(&call->core, kind, api_string(in,
	    entity_name_member(kind)), api_string(in, "PathPrefix"), &page,
	    &l, err)) != STATUS_OK)
		return st;
	if ((o = json_object()) != NULL && (list = json_array()) != NULL) {
		for (size_t i = 0; i < l.count; i++) {
			const char *slash = strrchr(l.names[i], '/');

			json_array_append_new(list, json_pack("{s:s, s:s}",
			    "PolicyName", slash != NULL ? slash + 1 :
			    l.names[i], "PolicyArn", l.names[i]));
		}
		json_object_set_new(o, "AttachedPolicies", list);
		iam_page_json(o, l.next_marker);
	}
	iam_name_list_cleanup(&l);
	return result(o, out);
}

#define ATTACH_OPS(kind, KIND)						\
enum status								\
iam_op_attach_##kind##_policy(struct api_call *call, json_t *in,	\
    json_t **out, struct error *err)					\
{									\
	return attach(call, IAM_KIND_##KIND, in, true, err);		\
}									\
enum status								\
iam_op_detach_##kind##_policy(struct api_call *call, json_t *in,	\
    json_t **out, struct error *err)					\
{									\
	return attach(call, IAM_KIND_##KIND, in, false, err);		\
}									\
enum status								\
iam_op_list_attached_##kind##_policies(struct api_call *call,		\
    json_t *in, json_t **out, struct error *err)			\
{									\
	return attached_list(call, IAM_KIND_##KIND, in, out, err);	\
}

ATTACH_OPS(user, USER)
ATTACH_OPS(group, GROUP)
ATTACH_OPS(role, ROLE)
