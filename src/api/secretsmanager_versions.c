/*
 * secretsmanager_versions.c: UpdateSecretVersionStage and
 * ListSecretVersionIds.
 */
#include <string.h>

#include "api/secretsmanager_internal.h"

enum status
sm_update_secret_version_stage(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_stage_input	 sin;
	struct secret_delete_output	 r;
	enum status			 st;

	memset(&r, 0, sizeof(r));
	sin.secret_id = api_string(in, "SecretId");
	sin.version_stage = api_string(in, "VersionStage");
	sin.move_to_version_id = api_string(in, "MoveToVersionId");
	sin.remove_from_version_id = api_string(in, "RemoveFromVersionId");
	if ((st = core_secret_update_stage(&call->core, &sin, &r, err)) !=
	    STATUS_OK)
		goto out;
	if ((*out = json_pack("{s:s, s:s}", "ARN", r.arn, "Name", r.name)) ==
	    NULL)
		st = STATUS_NO_MEMORY;
out:
	secret_delete_output_cleanup(&r);
	return st;
}

enum status
sm_list_secret_version_ids(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_versions_input	 vin;
	struct secret_versions_output	 v;
	json_t				*o = NULL, *list;
	enum status			 st;

	memset(&v, 0, sizeof(v));
	vin.secret_id = api_string(in, "SecretId");
	vin.include_deprecated = api_bool(in, "IncludeDeprecated", false);
	vin.max_results = api_has(in, "MaxResults") ?
	    (size_t)json_integer_value(json_object_get(in, "MaxResults")) : 100;
	vin.next_token = api_string(in, "NextToken");
	if ((st = core_secret_list_versions(&call->core, &vin, &v, err)) !=
	    STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL || (list = json_array()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "Versions", list);
	for (size_t i = 0; i < v.version_count; i++) {
		const struct version_record *rec = &v.versions[i];
		json_t *e = json_object();

		if (e == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		json_object_set_new(e, "VersionId", json_string(rec->version_id));
		if (rec->stage_count > 0)
			json_object_set_new(e, "VersionStages",
			    sm_stages_json(rec->stages, rec->stage_count));
		if (rec->last_accessed_at != 0)
			json_object_set_new(e, "LastAccessedDate",
			    api_timestamp(rec->last_accessed_at));
		json_object_set_new(e, "CreatedDate",
		    api_timestamp(rec->created_at));
		if (rec->kms_key_arn != NULL)
			json_object_set_new(e, "KmsKeyIds", json_pack("[s]",
			    rec->kms_key_arn));
		json_array_append_new(list, e);
	}
	if (v.next_token != NULL)
		json_object_set_new(o, "NextToken", json_string(v.next_token));
	json_object_set_new(o, "ARN", json_string(v.secret.arn));
	json_object_set_new(o, "Name", json_string(v.secret.name));
	*out = o;
	o = NULL;
out:
	json_decref(o);
	secret_versions_output_cleanup(&v);
	return st;
}
