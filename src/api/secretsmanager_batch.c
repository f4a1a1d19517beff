/*
 * secretsmanager_batch.c: BatchGetSecretValue.
 *
 * Authorised as AWS documents it: secretsmanager:BatchGetSecretValue on
 * "*", secretsmanager:ListSecrets on "*" when Filters choose the secrets,
 * and secretsmanager:GetSecretValue on each secret.  A secret that cannot
 * be read (missing, denied, scheduled for deletion, undecryptable) becomes
 * an entry of Errors; the others are returned.
 */
#include <string.h>

#include "api/secretsmanager_internal.h"

static enum status
batch_add_value(struct api_call *call, const char *secret_id, json_t *values,
    json_t *errors, struct error *err)
{
	struct secret_value_output	 v;
	const struct api_error_info	*info;
	struct error			 one;
	json_t				*e = NULL;
	enum status			 st;

	memset(&v, 0, sizeof(v));
	error_clear(&one);
	call->core.action = "secretsmanager:GetSecretValue";
	st = core_secret_get_value(&call->core, secret_id, NULL, NULL, &v, &one);
	if (st != STATUS_OK) {
		info = api_error_info(st);
		if (info->http_status >= 500)
			goto out;	/* the whole request fails */
		st = STATUS_OK;
		if ((e = json_pack("{s:s, s:s, s:s}", "SecretId", secret_id,
		    "ErrorCode", info->type, "Message", one.message[0] != '\0' ?
		    one.message : info->default_message)) == NULL)
			st = STATUS_NO_MEMORY;
		else
			json_array_append_new(errors, e);
		goto out;
	}
	if ((e = json_object()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(e, "ARN", json_string(v.secret.arn));
	json_object_set_new(e, "Name", json_string(v.secret.name));
	json_object_set_new(e, "VersionId", json_string(v.version.version_id));
	if ((st = sm_value_json(e, v.value, v.version.is_binary)) != STATUS_OK) {
		json_decref(e);
		goto out;
	}
	json_object_set_new(e, "VersionStages", sm_stages_json(v.version.stages,
	    v.version.stage_count));
	json_object_set_new(e, "CreatedDate", api_timestamp(v.version.created_at));
	json_array_append_new(values, e);
out:
	secret_value_output_cleanup(&v);
	return st;
}

enum status
sm_batch_get_secret_value(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	const json_t			*ids = json_object_get(in, "SecretIdList");
	struct sm_filters		 filters;
	struct secret_list_input	 lin;
	struct secret_list_output	 l;
	json_t				*o = NULL, *values, *errors, *item;
	size_t				 i;
	enum status			 st;

	memset(&l, 0, sizeof(l));
	if (api_has(in, "SecretIdList") == api_has(in, "Filters")) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "Either "
		    "'SecretIdList' or 'Filters' must be provided, but not both.");
		goto out;
	}
	if ((api_has(in, "MaxResults") || api_has(in, "NextToken")) &&
	    !api_has(in, "Filters")) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "'MaxResults' and "
		    "'NextToken' can be used only with 'Filters'.");
		goto out;
	}
	if ((st = call->core.authorize(call->core.authorize_arg, &call->core,
	    "secretsmanager:BatchGetSecretValue", "*", call->core.account_id,
	    err)) != STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL || (values = json_array()) == NULL ||
	    (errors = json_array()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "SecretValues", values);
	json_object_set_new(o, "Errors", errors);

	if (ids != NULL && json_is_array(ids)) {
		json_array_foreach(ids, i, item) {
			if ((st = batch_add_value(call, json_string_value(item),
			    values, errors, err)) != STATUS_OK)
				goto out;
		}
	} else {
		if ((st = sm_filters_from_json(in, &filters, err)) != STATUS_OK)
			goto out;
		memset(&lin, 0, sizeof(lin));
		lin.max_results = api_has(in, "MaxResults") ?
		    (size_t)json_integer_value(json_object_get(in,
		    "MaxResults")) : 20;
		lin.next_token = api_string(in, "NextToken");
		lin.filters = filters.filters;
		lin.filter_count = filters.count;
		call->core.action = "secretsmanager:ListSecrets";
		if ((st = core_secret_list(&call->core, &lin, &l, err)) !=
		    STATUS_OK)
			goto out;
		for (i = 0; i < l.item_count; i++)
			if ((st = batch_add_value(call, l.items[i].secret.arn,
			    values, errors, err)) != STATUS_OK)
				goto out;
		if (l.next_token != NULL)
			json_object_set_new(o, "NextToken",
			    json_string(l.next_token));
	}
	*out = o;
	o = NULL;
out:
	call->core.action = "secretsmanager:BatchGetSecretValue";
	json_decref(o);
	secret_list_output_cleanup(&l);
	return st;
}
