/*
 * iam_internal.h: what the IAM and STS files of api/ share (iam.c,
 * iam_policies.c, sts.c, iam_query.c): their error tables, the shapes
 * IAM's responses use (ISO 8601 times, URL-encoded policy documents,
 * Marker/IsTruncated pages) and readers of common inputs.
 */
#ifndef SESAME_API_IAM_INTERNAL_H
#define SESAME_API_IAM_INTERNAL_H

#include "api/api.h"
#include "auth/policy.h"

extern const struct api_operation iam_operations[];
extern const struct api_operation sts_operations[];

/* Policy operations (iam_policies.c), api_handler_fn each. */
enum status	 iam_op_attach_group_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_attach_role_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_attach_user_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_create_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_create_policy_version(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_delete_group_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_delete_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_delete_policy_version(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_delete_role_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_delete_user_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_detach_group_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_detach_role_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_detach_user_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_get_group_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_get_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_get_policy_version(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_get_role_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_get_user_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_list_attached_group_policies(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_list_attached_role_policies(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_list_attached_user_policies(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_list_group_policies(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_list_policies(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_list_policy_versions(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_list_role_policies(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_list_user_policies(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_put_group_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_put_role_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_put_user_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 iam_op_set_default_policy_version(struct api_call *, json_t *, json_t **,
		    struct error *);

const struct api_error_info *iam_error_info(enum status st);
const struct api_error_info *sts_error_info(enum status st);

/* "2024-05-01T12:34:56Z", the timestamps of IAM's XML. */
json_t		*iam_time(int64_t ms);
/* A policy document as IAM returns it: URL-encoded (RFC 3986). */
json_t		*iam_document(const char *document);
/* STATUS_MALFORMED_POLICY (MalformedPolicyDocument) with the policy
 * engine's reason when document is not a valid policy of kind. */
enum status	 iam_policy_check(const char *document, enum policy_kind kind,
		    struct error *err);

/* Tags / keys of a request member (borrowed strings; free(*out) only). */
enum status	 iam_tags_from_json(const json_t *in, const char *name,
		    struct tag **out, size_t *count);
enum status	 iam_keys_from_json(const json_t *in, const char *name,
		    const char ***out, size_t *count);
json_t		*iam_tags_json(const struct tag *tags, size_t count);

/* Marker and MaxItems of a request; IsTruncated and Marker of a page. */
void		 iam_page_from_json(const json_t *in, struct iam_page *page);
void		 iam_page_json(json_t *out, const char *next_marker);

#endif
