/*
 * secretsmanager.c: the AWS Secrets Manager operations (JSON 1.1, target
 * prefix "secretsmanager").
 *
 * Each handler turns validated JSON into a core/ call and the result into
 * the response shape of the AWS model.  Secret values travel only in
 * struct secret_buf between the wire and core/, and jansson's allocator
 * wipes the JSON copies (api_json_alloc_init).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/secretsmanager_fields.h"
#include "api/secretsmanager_internal.h"

#define SECRET_STRING_TOO_LONG \
	"1 validation error detected: Value '*** Sensitive Data Redacted ***' " \
	"at 'secretString' failed to satisfy constraint: Member must have " \
	"length less than or equal to 65536"

static json_t *
json_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
sm_stages_json(char *const *stages, size_t count)
{
	json_t *list = json_array();

	for (size_t i = 0; list != NULL && i < count; i++)
		json_array_append_new(list, json_string(stages[i]));
	return list;
}

/*
 * SecretString / SecretBinary into a secret_buf.  Both given is AWS's
 * InvalidParameterException; neither leaves value->is_present false.
 */
static enum status
value_from_json(const json_t *in, struct secret_value_input *value,
    struct error *err)
{
	const char	*s = api_string(in, "SecretString");
	const char	*b = api_string(in, "SecretBinary");
	enum status	 st;

	memset(value, 0, sizeof(*value));
	if (s != NULL && b != NULL)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "You can't specify both a binary secret value and a string "
		    "secret value in the same secret.");
	if (s != NULL) {
		size_t len = json_string_length(json_object_get(in,
		    "SecretString"));

		if (len > SECRET_VALUE_MAX)
			return error_set(err, STATUS_VALIDATION,
			    SECRET_STRING_TOO_LONG);
		if ((value->value = secret_buf_from(s, len)) == NULL)
			return STATUS_NO_MEMORY;
		value->is_present = true;
		return STATUS_OK;
	}
	if (b != NULL) {
		if ((st = base64_decode_secret(b, strlen(b), &value->value)) !=
		    STATUS_OK)
			return error_set(err, STATUS_SERIALIZATION,
			    "Base64 encoded value of SecretBinary is not valid.");
		if (value->value->len == 0 ||
		    value->value->len > SECRET_VALUE_MAX) {
			bool is_too_long = value->value->len > SECRET_VALUE_MAX;

			secret_buf_free(value->value);
			value->value = NULL;
			return error_set(err, STATUS_VALIDATION,
			    "1 validation error detected: Value '*** Sensitive "
			    "Data Redacted ***' at 'secretBinary' failed to "
			    "satisfy constraint: Member must have length %s",
			    is_too_long ? "less than or equal to 65536" :
			    "greater than or equal to 1");
		}
		value->is_binary = true;
		value->is_present = true;
	}
	return STATUS_OK;
}

static enum status
tags_from_json(const json_t *in, struct tag **out, size_t *count,
    struct error *err)
{
	const json_t	*list = json_object_get(in, "Tags");
	struct tag	*tags = NULL;
	size_t		 i, n;
	json_t		*item;

	*out = NULL;
	*count = 0;
	if (!json_is_array(list) || (n = json_array_size(list)) == 0)
		return STATUS_OK;
	if ((tags = calloc(n, sizeof(*tags))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, item) {
		const char *k = api_string(item, "Key");
		const char *v = api_string(item, "Value");

		if (k == NULL) {
			free(tags);
			return error_set(err, STATUS_VALIDATION,
			    "1 validation error detected: Value null at "
			    "'tags.%zu.member.key' failed to satisfy constraint: "
			    "Member must not be null", i + 1);
		}
		tags[i].key = (char *)k;
		tags[i].value = (char *)(v != NULL ? v : "");
	}
	*out = tags;
	*count = n;
	return STATUS_OK;
}

/* AWS requires a ClientRequestToken for every new version; the SDKs and
 * the CLI fill it in, raw HTTP callers must. */
static enum status
token_required(const json_t *in, const struct secret_value_input *value,
    struct error *err)
{
	if (value->is_present && !api_has(in, "ClientRequestToken"))
		return error_set(err, STATUS_INVALID_REQUEST,
		    "You must provide a ClientRequestToken value. We recommend a "
		    "UUID-type value.");
	return STATUS_OK;
}

static json_t *
write_output_json(const struct secret_write_output *w, bool with_stages)
{
	json_t *out = json_object();

	if (out == NULL)
		return NULL;
	json_object_set_new(out, "ARN", json_str(w->arn));
	json_object_set_new(out, "Name", json_str(w->name));
	if (w->version_id != NULL) {
		json_object_set_new(out, "VersionId", json_string(w->version_id));
		if (with_stages)
			json_object_set_new(out, "VersionStages",
			    sm_stages_json(w->stages, w->stage_count));
	}
	return out;
}

static enum status
op_create_secret(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_create_input	 cin;
	struct secret_write_output	 w;
	struct tag			*tags = NULL;
	struct replica_input		*replicas = NULL;
	enum status			 st;

	memset(&cin, 0, sizeof(cin));
	memset(&w, 0, sizeof(w));
	if ((st = value_from_json(in, &cin.value, err)) != STATUS_OK ||
	    (st = token_required(in, &cin.value, err)) != STATUS_OK ||
	    (st = tags_from_json(in, &tags, &cin.tag_count, err)) != STATUS_OK)
		goto out;
	if ((st = sm_replicas_from_json(json_object_get(in,
	    "AddReplicaRegions"), &replicas, &cin.replica_count, err)) !=
	    STATUS_OK)
		goto out;
	cin.replicas = replicas;
	cin.force_overwrite_replica = api_bool(in, "ForceOverwriteReplicaSecret",
	    false);
	cin.name = api_string(in, "Name");
	cin.description = api_string(in, "Description");
	cin.kms_key_id = api_string(in, "KmsKeyId");
	if (cin.kms_key_id != NULL && cin.kms_key_id[0] == '\0')
		cin.kms_key_id = NULL;
	cin.client_request_token = api_string(in, "ClientRequestToken");
	cin.tags = tags;
	if ((st = core_secret_create(&call->core, &cin, &w, err)) != STATUS_OK)
		goto out;
	if ((*out = write_output_json(&w, false)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if (cin.replica_count > 0)
		json_object_set_new(*out, "ReplicationStatus",
		    sm_replication_status_json(w.replicas, w.replica_count));
out:
	secret_buf_free(cin.value.value);
	free(replicas);
	free(tags);
	secret_write_output_cleanup(&w);
	return st;
}

static enum status
op_put_secret_value(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_put_input		 pin;
	struct secret_write_output	 w;
	const json_t			*stages;
	const char			**stage_list = NULL;
	enum status			 st;

	memset(&pin, 0, sizeof(pin));
	memset(&w, 0, sizeof(w));
	if ((st = value_from_json(in, &pin.value, err)) != STATUS_OK)
		goto out;
	if (!pin.value.is_present) {
		st = error_set(err, STATUS_INVALID_REQUEST,
		    "You must provide either SecretString or SecretBinary.");
		goto out;
	}
	if ((st = token_required(in, &pin.value, err)) != STATUS_OK)
		goto out;
	pin.secret_id = api_string(in, "SecretId");
	pin.client_request_token = api_string(in, "ClientRequestToken");
	pin.rotation_token = api_string(in, "RotationToken");
	if ((stages = json_object_get(in, "VersionStages")) != NULL &&
	    json_is_array(stages)) {
		size_t	 i;
		json_t	*s;

		if ((stage_list = calloc(json_array_size(stages) + 1,
		    sizeof(char *))) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		json_array_foreach(stages, i, s) {
			size_t len = strlen(json_string_value(s));

			if (len < 1 || len > 256) {
				st = error_set(err, STATUS_VALIDATION,
				    "1 validation error detected: Value at "
				    "'versionStages' failed to satisfy constraint: "
				    "Member must satisfy constraint: [Member must "
				    "have length less than or equal to 256, Member "
				    "must have length greater than or equal to 1]");
				goto out;
			}
			for (size_t j = 0; j < i; j++)
				if (strcmp(stage_list[j], json_string_value(s)) ==
				    0) {
					st = error_set(err,
					    STATUS_INVALID_PARAMETER,
					    "Duplicate staging label: %s",
					    json_string_value(s));
					goto out;
				}
			stage_list[i] = json_string_value(s);
		}
		pin.stages = stage_list;
		pin.stage_count = json_array_size(stages);
	}
	if ((st = core_secret_put_value(&call->core, &pin, &w, err)) !=
	    STATUS_OK)
		goto out;
	if ((*out = write_output_json(&w, true)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	secret_buf_free(pin.value.value);
	free(stage_list);
	secret_write_output_cleanup(&w);
	return st;
}

static enum status
op_update_secret(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_update_input	 uin;
	struct secret_write_output	 w;
	enum status			 st;

	memset(&uin, 0, sizeof(uin));
	memset(&w, 0, sizeof(w));
	if ((st = value_from_json(in, &uin.value, err)) != STATUS_OK ||
	    (st = token_required(in, &uin.value, err)) != STATUS_OK)
		goto out;
	uin.secret_id = api_string(in, "SecretId");
	uin.client_request_token = api_string(in, "ClientRequestToken");
	uin.has_description = api_has(in, "Description");
	uin.description = api_string(in, "Description");
	uin.kms_key_id = api_string(in, "KmsKeyId");
	if (uin.kms_key_id != NULL && uin.kms_key_id[0] == '\0')
		uin.kms_key_id = NULL;
	if ((st = core_secret_update(&call->core, &uin, &w, err)) != STATUS_OK)
		goto out;
	if ((*out = write_output_json(&w, false)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	secret_buf_free(uin.value.value);
	secret_write_output_cleanup(&w);
	return st;
}

static enum status
op_get_secret_value(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_value_output	 v;
	json_t				*o = NULL;
	enum status			 st;

	memset(&v, 0, sizeof(v));
	if ((st = core_secret_get_value(&call->core, api_string(in, "SecretId"),
	    api_string(in, "VersionId"), api_string(in, "VersionStage"), &v,
	    err)) != STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "ARN", json_string(v.secret.arn));
	json_object_set_new(o, "Name", json_string(v.secret.name));
	json_object_set_new(o, "VersionId", json_string(v.version.version_id));
	if ((st = sm_value_json(o, v.value, v.version.is_binary)) != STATUS_OK)
		goto out;
	json_object_set_new(o, "VersionStages", sm_stages_json(v.version.stages,
	    v.version.stage_count));
	json_object_set_new(o, "CreatedDate", api_timestamp(v.version.created_at));
	*out = o;
	o = NULL;
out:
	json_decref(o);
	secret_value_output_cleanup(&v);
	return st;
}

enum status
sm_value_json(json_t *o, const struct secret_buf *value, bool is_binary)
{
	json_t		*j;
	char		*b64 = NULL;
	enum status	 st;

	if (is_binary) {
		if ((st = base64_encode(value->data, value->len, &b64)) !=
		    STATUS_OK)
			return st;
		j = json_string(b64);
		explicit_bzero(b64, strlen(b64));
		free(b64);
	} else {
		/* A string stored through the API is valid UTF-8 already. */
		j = json_stringn((const char *)value->data, value->len);
	}
	if (j == NULL)
		return STATUS_NO_MEMORY;
	json_object_set_new(o, is_binary ? "SecretBinary" : "SecretString", j);
	return STATUS_OK;
}

static const char *const filter_keys[] = {
	[SECRET_FILTER_DESCRIPTION] = "description",
	[SECRET_FILTER_NAME] = "name",
	[SECRET_FILTER_TAG_KEY] = "tag-key",
	[SECRET_FILTER_TAG_VALUE] = "tag-value",
	[SECRET_FILTER_PRIMARY_REGION] = "primary-region",
	[SECRET_FILTER_OWNING_SERVICE] = "owning-service",
	[SECRET_FILTER_ALL] = "all",
};

static bool
filter_value_is_valid(const char *v)
{
	/* ^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$ of the model */
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(" :_@/+=.-!", *p) != NULL))
			return false;
	return strlen(v) <= 512;
}

enum status
sm_filters_from_json(const json_t *in, struct sm_filters *out,
    struct error *err)
{
	const json_t	*list = json_object_get(in, "Filters");
	size_t		 i, j;
	json_t		*f, *v;

	memset(out, 0, sizeof(*out));
	if (!json_is_array(list))
		return STATUS_OK;
	json_array_foreach(list, i, f) {
		const char	*key = api_string(f, "Key");
		const json_t	*values = json_object_get(f, "Values");
		size_t		 k;

		if (i >= 10)
			break;	/* the field table caps the list at 10 */
		for (k = 0; key != NULL && k < sizeof(filter_keys) /
		    sizeof(filter_keys[0]); k++)
			if (strcmp(key, filter_keys[k]) == 0)
				break;
		if (key == NULL || k == sizeof(filter_keys) /
		    sizeof(filter_keys[0]))
			return error_set(err, STATUS_VALIDATION, "1 validation "
			    "error detected: Value '%s' at 'filters.%zu.member.key'"
			    " failed to satisfy constraint: Member must satisfy "
			    "enum value set: [description, name, tag-key, "
			    "tag-value, primary-region, owning-service, all]",
			    key != NULL ? key : "null", i + 1);
		if (!json_is_array(values) || json_array_size(values) < 1 ||
		    json_array_size(values) > 10)
			return error_set(err, STATUS_VALIDATION, "1 validation "
			    "error detected: Value at 'filters.%zu.member.values' "
			    "failed to satisfy constraint: Member must have length "
			    "between 1 and 10", i + 1);
		out->filters[i].key = (enum secret_filter_key)k;
		json_array_foreach(values, j, v) {
			if (!json_is_string(v))
				return error_set(err, STATUS_SERIALIZATION,
				    "Unexpected value type in Filters Values.");
			if (!filter_value_is_valid(json_string_value(v)))
				return error_set(err, STATUS_VALIDATION,
				    "1 validation error detected: Value '%s' at "
				    "'filters.%zu.member.values' failed to satisfy "
				    "constraint: Member must satisfy regular "
				    "expression pattern: "
				    "^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$",
				    json_string_value(v), i + 1);
			out->values[i][j] = json_string_value(v);
		}
		out->filters[i].values = out->values[i];
		out->filters[i].value_count = json_array_size(values);
		out->count = i + 1;
	}
	return STATUS_OK;
}

/* DescribeSecret and ListSecrets entries share most of their shape. */
static json_t *
description_json(const struct secret_description *d,
    const struct rotation_record *rotation, const char *stages_key)
{
	const struct secret_record *s = &d->secret;
	json_t	*o = json_object(), *map;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "ARN", json_string(s->arn));
	json_object_set_new(o, "Name", json_string(s->name));
	if (s->description != NULL)
		json_object_set_new(o, "Description", json_string(s->description));
	/* AWS omits KmsKeyId for the default key aws/secretsmanager. */
	if (s->kms_key_id != NULL && strcmp(s->kms_key_id, DEFAULT_KMS_ALIAS) != 0)
		json_object_set_new(o, "KmsKeyId", json_string(s->kms_key_id));
	json_object_set_new(o, "LastChangedDate", api_timestamp(s->last_changed_at));
	if (s->last_accessed_at != 0)
		json_object_set_new(o, "LastAccessedDate",
		    api_timestamp(s->last_accessed_at));
	if (s->deleted_at != 0)
		json_object_set_new(o, "DeletedDate", api_timestamp(s->deleted_at));
	if (d->tag_count > 0) {
		json_t *tags = json_array();

		for (size_t i = 0; tags != NULL && i < d->tag_count; i++)
			json_array_append_new(tags, json_pack("{s:s, s:s}",
			    "Key", d->tags[i].key, "Value", d->tags[i].value));
		json_object_set_new(o, "Tags", tags);
	}
	if ((map = json_object()) != NULL) {
		for (size_t i = 0; i < d->version_count; i++) {
			const struct version_record *v = &d->versions[i];

			if (v->stage_count == 0)	/* deprecated versions */
				continue;
			json_object_set_new(map, v->version_id,
			    sm_stages_json(v->stages, v->stage_count));
		}
		json_object_set_new(o, stages_key, map);
	}
	json_object_set_new(o, "CreatedDate", api_timestamp(s->created_at));
	sm_rotation_json(o, rotation);
	if (s->primary_arn != NULL) {
		struct arn_parts parts;

		if (arn_parse(s->primary_arn, &parts) == STATUS_OK)
			json_object_set_new(o, "PrimaryRegion",
			    json_string(parts.region));
	} else if (d->replica_count > 0) {
		json_object_set_new(o, "PrimaryRegion", json_string(s->region));
		json_object_set_new(o, "ReplicationStatus",
		    sm_replication_status_json(d->replicas, d->replica_count));
	}
	return o;
}

static enum status
op_describe_secret(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_description	 d;
	struct rotation_record		 rotation;
	enum status			 st;

	memset(&d, 0, sizeof(d));
	memset(&rotation, 0, sizeof(rotation));
	if ((st = core_secret_describe(&call->core, api_string(in, "SecretId"),
	    &d, err)) != STATUS_OK ||
	    (st = core_rotation_records_get(call->core.env, &d.secret.id, 1,
	    &rotation)) != STATUS_OK)
		goto out;
	if ((*out = description_json(&d, &rotation,
	    "VersionIdsToStages")) == NULL)
		st = STATUS_NO_MEMORY;
out:
	secret_description_cleanup(&d);
	rotation_record_cleanup(&rotation);
	return st;
}

static enum status
op_list_secrets(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_list_input	 lin;
	struct secret_list_output	 l;
	struct rotation_record		*rotations = NULL;
	int64_t				*ids = NULL;
	json_t				*o = NULL, *list;
	enum status			 st;

	memset(&lin, 0, sizeof(lin));
	memset(&l, 0, sizeof(l));
	const char			*sort_by = api_string(in, "SortBy");
	struct sm_filters		 filters;

	if (sort_by == NULL || strcmp(sort_by, "created-date") == 0)
		lin.sort_by = STORE_SORT_CREATED;
	else if (strcmp(sort_by, "name") == 0)
		lin.sort_by = STORE_SORT_NAME;
	else if (strcmp(sort_by, "last-changed-date") == 0)
		lin.sort_by = STORE_SORT_CHANGED;
	else
		lin.sort_by = STORE_SORT_ACCESSED;	/* the enum is checked */
	if ((st = sm_filters_from_json(in, &filters, err)) != STATUS_OK)
		goto out;
	lin.filters = filters.filters;
	lin.filter_count = filters.count;
	lin.is_descending = api_string(in, "SortOrder") != NULL &&
	    strcmp(api_string(in, "SortOrder"), "desc") == 0;
	lin.include_planned_deletion = api_bool(in, "IncludePlannedDeletion",
	    false);
	lin.max_results = api_has(in, "MaxResults") ?
	    (size_t)json_integer_value(json_object_get(in, "MaxResults")) : 100;
	lin.next_token = api_string(in, "NextToken");
	if ((st = core_secret_list(&call->core, &lin, &l, err)) != STATUS_OK)
		goto out;
	if ((ids = calloc(l.item_count + 1, sizeof(*ids))) == NULL ||
	    (rotations = calloc(l.item_count + 1, sizeof(*rotations))) ==
	    NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	for (size_t i = 0; i < l.item_count; i++)
		ids[i] = l.items[i].secret.id;
	if ((st = core_rotation_records_get(call->core.env, ids, l.item_count,
	    rotations)) != STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL || (list = json_array()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "SecretList", list);
	for (size_t i = 0; i < l.item_count; i++)
		json_array_append_new(list, description_json(&l.items[i],
		    &rotations[i], "SecretVersionsToStages"));
	if (l.next_token != NULL)
		json_object_set_new(o, "NextToken", json_string(l.next_token));
	*out = o;
	o = NULL;
out:
	json_decref(o);
	if (rotations != NULL)
		rotation_records_free(rotations, l.item_count);
	free(ids);
	secret_list_output_cleanup(&l);
	return st;
}

static enum status
op_delete_secret(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_delete_input	 din;
	struct secret_delete_output	 d;
	enum status			 st;

	memset(&din, 0, sizeof(din));
	memset(&d, 0, sizeof(d));
	din.secret_id = api_string(in, "SecretId");
	din.has_recovery_window = api_has(in, "RecoveryWindowInDays");
	din.recovery_window_days = json_integer_value(json_object_get(in,
	    "RecoveryWindowInDays"));
	din.force_delete_without_recovery = api_bool(in,
	    "ForceDeleteWithoutRecovery", false);
	if (din.has_recovery_window && (din.recovery_window_days < 7 ||
	    din.recovery_window_days > 30)) {
		st = error_set(err, STATUS_INVALID_PARAMETER,
		    "The RecoveryWindowInDays value must be between 7 and 30 days "
		    "(inclusive).");
		goto out;
	}
	if (din.has_recovery_window && din.force_delete_without_recovery) {
		st = error_set(err, STATUS_INVALID_PARAMETER,
		    "You can't use ForceDeleteWithoutRecovery in conjunction with "
		    "RecoveryWindowInDays.");
		goto out;
	}
	if ((st = core_secret_delete(&call->core, &din, &d, err)) != STATUS_OK)
		goto out;
	if ((*out = json_pack("{s:s, s:s, s:o}", "ARN", d.arn, "Name", d.name,
	    "DeletionDate", api_timestamp(d.deletion_date))) == NULL)
		st = STATUS_NO_MEMORY;
out:
	secret_delete_output_cleanup(&d);
	return st;
}

static enum status
op_restore_secret(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct secret_delete_output	 d;
	enum status			 st;

	memset(&d, 0, sizeof(d));
	if ((st = core_secret_restore(&call->core, api_string(in, "SecretId"),
	    &d, err)) != STATUS_OK)
		goto out;
	if ((*out = json_pack("{s:s, s:s}", "ARN", d.arn, "Name", d.name)) ==
	    NULL)
		st = STATUS_NO_MEMORY;
out:
	secret_delete_output_cleanup(&d);
	return st;
}

static enum status
op_get_random_password(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct password_spec	 spec;
	struct secret_buf	*pw = NULL;
	json_t			*value;
	enum status		 st;

	if ((st = call->core.authorize(call->core.authorize_arg, &call->core,
	    call->core.action, "*", call->core.account_id, err)) != STATUS_OK)
		return st;
	password_spec_default(&spec);
	if (api_has(in, "PasswordLength"))
		spec.length = (uint32_t)json_integer_value(json_object_get(in,
		    "PasswordLength"));
	spec.exclude_characters = api_string(in, "ExcludeCharacters");
	spec.exclude_numbers = api_bool(in, "ExcludeNumbers", false);
	spec.exclude_punctuation = api_bool(in, "ExcludePunctuation", false);
	spec.exclude_uppercase = api_bool(in, "ExcludeUppercase", false);
	spec.exclude_lowercase = api_bool(in, "ExcludeLowercase", false);
	spec.include_space = api_bool(in, "IncludeSpace", false);
	spec.require_each_included_type = api_bool(in,
	    "RequireEachIncludedType", true);
	if ((st = password_generate(&spec, &pw, err)) != STATUS_OK)
		return st;
	value = json_stringn((const char *)pw->data, pw->len);
	secret_buf_free(pw);
	if (value == NULL || (*out = json_object()) == NULL) {
		json_decref(value);
		return STATUS_NO_MEMORY;
	}
	json_object_set_new(*out, "RandomPassword", value);
	return STATUS_OK;
}

#define OP(name, handler, read_only) \
	{ #name, "secretsmanager:" #name, handler, \
	    secretsmanager_fields_##name, read_only }

static const struct api_operation operations[] = {
	OP(CreateSecret, op_create_secret, false),
	OP(DeleteSecret, op_delete_secret, false),
	OP(DescribeSecret, op_describe_secret, true),
	OP(GetRandomPassword, op_get_random_password, true),
	OP(GetSecretValue, op_get_secret_value, true),
	OP(ListSecrets, op_list_secrets, true),
	OP(PutSecretValue, op_put_secret_value, false),
	OP(RestoreSecret, op_restore_secret, false),
	OP(UpdateSecret, op_update_secret, false),
	OP(UpdateSecretVersionStage, sm_update_secret_version_stage, false),
	OP(ListSecretVersionIds, sm_list_secret_version_ids, true),
	OP(TagResource, sm_tag_resource, false),
	OP(UntagResource, sm_untag_resource, false),
	OP(BatchGetSecretValue, sm_batch_get_secret_value, true),
	OP(ReplicateSecretToRegions, sm_replicate_secret_to_regions, false),
	OP(RemoveRegionsFromReplication, sm_remove_regions_from_replication,
	    false),
	OP(StopReplicationToReplica, sm_stop_replication_to_replica, false),
	OP(PutResourcePolicy, sm_put_resource_policy, false),
	OP(GetResourcePolicy, sm_get_resource_policy, true),
	OP(DeleteResourcePolicy, sm_delete_resource_policy, false),
	OP(ValidateResourcePolicy, sm_validate_resource_policy, true),
	OP(RotateSecret, sm_rotate_secret, false),
	OP(CancelRotateSecret, sm_cancel_rotate_secret, false),
	{ NULL, NULL, NULL, NULL, false },
};

const struct api_service api_service_secretsmanager = {
	.target_prefix = "secretsmanager",
	.signing_name = "secretsmanager",
	.event_source = "secretsmanager.amazonaws.com",
	.operations = operations,
};
