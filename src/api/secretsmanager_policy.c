/*
 * secretsmanager_policy.c: PutResourcePolicy, GetResourcePolicy,
 * DeleteResourcePolicy, ValidateResourcePolicy.
 */
#include <string.h>

#include "api/secretsmanager_internal.h"
#include "auth/policy.h"

static json_t *
arn_name_json(const struct secret_policy_output *p)
{
	json_t *o = json_pack("{s:s, s:s}", "ARN", p->arn, "Name", p->name);

	if (o != NULL && p->policy != NULL)
		json_object_set_new(o, "ResourcePolicy", json_string(p->policy));
	return o;
}

enum status
sm_put_resource_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_policy_output	 p;
	enum status			 st;

	memset(&p, 0, sizeof(p));
	if ((st = core_secret_policy_put(&call->core, api_string(in, "SecretId"),
	    api_string(in, "ResourcePolicy"), api_bool(in, "BlockPublicPolicy",
	    false), &p, err)) == STATUS_OK && (*out = arn_name_json(&p)) == NULL)
		st = STATUS_NO_MEMORY;
	secret_policy_output_cleanup(&p);
	return st;
}

enum status
sm_get_resource_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_policy_output	 p;
	enum status			 st;

	memset(&p, 0, sizeof(p));
	if ((st = core_secret_policy_get(&call->core, api_string(in, "SecretId"),
	    &p, err)) == STATUS_OK && (*out = arn_name_json(&p)) == NULL)
		st = STATUS_NO_MEMORY;
	secret_policy_output_cleanup(&p);
	return st;
}

enum status
sm_delete_resource_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_policy_output	 p;
	enum status			 st;

	memset(&p, 0, sizeof(p));
	if ((st = core_secret_policy_delete(&call->core, api_string(in,
	    "SecretId"), &p, err)) == STATUS_OK &&
	    (*out = arn_name_json(&p)) == NULL)
		st = STATUS_NO_MEMORY;
	secret_policy_output_cleanup(&p);
	return st;
}

enum status
sm_validate_resource_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct policy_findings	 findings;
	json_t			*o, *errors;
	bool			 is_valid = false;
	enum status		 st;

	memset(&findings, 0, sizeof(findings));
	if ((st = core_secret_policy_validate(&call->core, api_string(in,
	    "SecretId"), api_string(in, "ResourcePolicy"), &findings, &is_valid,
	    err)) != STATUS_OK)
		return st;
	if ((o = json_object()) == NULL || (errors = json_array()) == NULL) {
		json_decref(o);
		return STATUS_NO_MEMORY;
	}
	json_object_set_new(o, "PolicyValidationPassed", json_boolean(is_valid));
	for (size_t i = 0; i < findings.count; i++)
		json_array_append_new(errors, json_pack("{s:s, s:s}",
		    "CheckName", policy_check_name(findings.items[i].check),
		    "ErrorMessage", findings.items[i].message));
	json_object_set_new(o, "ValidationErrors", errors);
	*out = o;
	return STATUS_OK;
}
