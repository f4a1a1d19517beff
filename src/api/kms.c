/*
 * kms.c: the AWS KMS API (JSON 1.1, target prefix "TrentService", signing
 * name "kms"): key lifecycle, aliases, key policies, rotation and tags;
 * the cryptographic operations are in kms_crypto.c.
 *
 * Each handler turns validated JSON into a core/ call (core/kms_ops.c) and
 * the result into the shape of the KMS model.  KMS names its errors
 * differently from Secrets Manager (NotFoundException,
 * AlreadyExistsException, InvalidMarkerException, DisabledException, ...),
 * so the service carries its own status-to-error table (kms_error_info)
 * and falls back to the shared one for the front door's errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/kms_fields.h"
#include "api/kms_internal.h"

#define KEY_SPEC		"SYMMETRIC_DEFAULT"

/* ---- errors ---- */

static const struct api_error_info kms_errors[STATUS__COUNT] = {
	[STATUS_NOT_FOUND] = { 400, "NotFoundException",
	    "The request was rejected because the specified entity or resource "
	    "could not be found.", true },
	[STATUS_EXISTS] = { 400, "AlreadyExistsException",
	    "The request was rejected because it attempted to create a "
	    "resource that already exists.", true },
	[STATUS_INVALID_PARAMETER] = { 400, "ValidationException",
	    "The input fails to satisfy the constraints.", true },
	[STATUS_INVALID_REQUEST] = { 400, "ValidationException",
	    "The input fails to satisfy the constraints.", true },
	[STATUS_VALIDATION] = { 400, "ValidationException",
	    "The input fails to satisfy the constraints.", true },
	[STATUS_INVALID_NEXT_TOKEN] = { 400, "InvalidMarkerException",
	    "The marker that specifies where pagination should next begin is "
	    "not valid.", true },
	[STATUS_LIMIT_EXCEEDED] = { 400, "LimitExceededException",
	    "The request was rejected because a quota was exceeded.", true },
	[STATUS_MALFORMED_POLICY] = { 400, "MalformedPolicyDocumentException",
	    "The specified policy is not syntactically or semantically "
	    "correct.", true },
	[STATUS_ACCESS_DENIED] = { 400, "AccessDeniedException",
	    "Access denied.", true },
	[STATUS_KMS_DISABLED] = { 400, "DisabledException",
	    "The specified KMS key is not enabled.", true },
	[STATUS_KMS_INVALID_STATE] = { 400, "KMSInvalidStateException",
	    "The state of the specified resource is not valid for this "
	    "request.", true },
	[STATUS_KMS_INVALID_CIPHERTEXT] = { 400, "InvalidCiphertextException",
	    NULL, true },
	[STATUS_KMS_INCORRECT_KEY] = { 400, "IncorrectKeyException",
	    "The key ID in the request does not identify a CMK that can "
	    "perform this operation.", true },
	[STATUS_KMS_INVALID_KEY_USAGE] = { 400, "InvalidKeyUsageException",
	    "The KeyUsage value of the KMS key is incompatible with the API "
	    "operation.", true },
	[STATUS_KMS_INVALID_ALIAS_NAME] = { 400, "InvalidAliasNameException",
	    "The specified alias name is not valid.", true },
	[STATUS_KMS_INVALID_ARN] = { 400, "InvalidArnException",
	    "The ARN is not valid.", true },
	[STATUS_KMS_TAG] = { 400, "TagException",
	    "One or more tags are not valid.", true },
	[STATUS_KMS_UNSUPPORTED] = { 400, "UnsupportedOperationException",
	    "The request was rejected because a specified parameter is not "
	    "supported or a specified resource is not valid for this "
	    "operation.", true },
	[STATUS_KMS_DRY_RUN] = { 412, "DryRunOperationException",
	    "The request would have succeeded, but the DryRun option is set.",
	    true },
	/* The statuses below only come from Secrets Manager paths; a KMS
	 * call that met one hit a bug or broken data. */
	[STATUS_ENCRYPTION_FAILURE] = { 500, "KMSInternalException",
	    "An internal error occurred.", true },
	[STATUS_DECRYPTION_FAILURE] = { 500, "KMSInternalException",
	    "An internal error occurred.", true },
	[STATUS_NO_MEMORY] = { 500, "KMSInternalException",
	    "An internal error occurred.", true },
	[STATUS_IO] = { 500, "KMSInternalException",
	    "An internal error occurred.", true },
	[STATUS_CORRUPT] = { 500, "KMSInternalException",
	    "An internal error occurred.", true },
	[STATUS_INTERNAL] = { 500, "KMSInternalException",
	    "An internal error occurred.", true },
};

static const struct api_error_info *
kms_error_info(enum status st)
{
	if ((unsigned)st < STATUS__COUNT && kms_errors[st].type != NULL)
		return &kms_errors[st];
	return api_error_info(st);
}

/* ---- shapes ---- */

static json_t *
key_metadata_json(const struct kms_key_record *k)
{
	bool	 is_pending = strcmp(k->state, KMS_STATE_PENDING_DELETION) == 0;
	json_t	*o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "AWSAccountId", json_string(k->account_id));
	json_object_set_new(o, "KeyId", json_string(k->key_id));
	json_object_set_new(o, "Arn", json_string(k->arn));
	json_object_set_new(o, "CreationDate", api_timestamp(k->created_at));
	json_object_set_new(o, "Enabled", json_boolean(strcmp(k->state,
	    KMS_STATE_ENABLED) == 0));
	json_object_set_new(o, "Description", json_string(k->description !=
	    NULL ? k->description : ""));
	json_object_set_new(o, "KeyUsage", json_string("ENCRYPT_DECRYPT"));
	json_object_set_new(o, "KeyState", json_string(k->state));
	if (is_pending && k->deletion_date != 0)
		json_object_set_new(o, "DeletionDate",
		    api_timestamp(k->deletion_date));
	json_object_set_new(o, "Origin", json_string("AWS_KMS"));
	json_object_set_new(o, "KeyManager", json_string(k->key_manager));
	json_object_set_new(o, "CustomerMasterKeySpec", json_string(KEY_SPEC));
	json_object_set_new(o, "KeySpec", json_string(KEY_SPEC));
	json_object_set_new(o, "EncryptionAlgorithms",
	    json_pack("[s]", KEY_SPEC));
	json_object_set_new(o, "MultiRegion", json_false());
	return o;
}

static json_t *
key_metadata_out(const struct kms_key_record *k)
{
	json_t	*md = key_metadata_json(k);

	if (md == NULL)
		return NULL;
	return json_pack("{s:o}", "KeyMetadata", md);
}

/* KMS tags ({TagKey, TagValue}) into struct tag (strings borrowed). */
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
		const json_t *k = json_object_get(item, "TagKey");
		const json_t *v = json_object_get(item, "TagValue");

		if (!json_is_string(k) || !json_is_string(v)) {
			free(tags);
			return error_set(err, STATUS_VALIDATION, "1 validation "
			    "error detected: Value null at 'tags.%zu.member.%s' "
			    "failed to satisfy constraint: Member must not be "
			    "null", i + 1, json_is_string(k) ? "tagValue" :
			    "tagKey");
		}
		if (json_string_length(k) < 1 || json_string_length(k) > 128 ||
		    json_string_length(v) > 256) {
			bool is_key = json_string_length(k) < 1 ||
			    json_string_length(k) > 128;

			free(tags);
			return error_set(err, STATUS_VALIDATION, "1 validation "
			    "error detected: Value '%s' at 'tags.%zu.member.%s' "
			    "failed to satisfy constraint: Member must have "
			    "length %s", json_string_value(is_key ? k : v), i + 1,
			    is_key ? "tagKey" : "tagValue", is_key ?
			    "between 1 and 128" : "less than or equal to 256");
		}
		tags[i].key = (char *)json_string_value(k);
		tags[i].value = (char *)json_string_value(v);
	}
	*out = tags;
	*count = n;
	return STATUS_OK;
}

static size_t
limit_from_json(const json_t *in)
{
	return api_has(in, "Limit") ?
	    (size_t)json_integer_value(json_object_get(in, "Limit")) : 0;
}

/* Marker / Truncated / NextMarker of a listing page. */
static void
page_json(json_t *o, const char *next_marker)
{
	json_object_set_new(o, "Truncated", json_boolean(next_marker != NULL));
	if (next_marker != NULL)
		json_object_set_new(o, "NextMarker", json_string(next_marker));
}

/* ---- operations ---- */

static enum status
op_create_key(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_create_input	 cin;
	struct kms_key_info	 info;
	struct tag		*tags = NULL;
	const char		*spec = api_string(in, "KeySpec");
	const char		*cmk_spec = api_string(in, "CustomerMasterKeySpec");
	const char		*usage = api_string(in, "KeyUsage");
	const char		*origin = api_string(in, "Origin");
	json_t			*policy = NULL;
	enum status		 st;

	memset(&cin, 0, sizeof(cin));
	memset(&info, 0, sizeof(info));
	if ((spec != NULL && strcmp(spec, KEY_SPEC) != 0) ||
	    (cmk_spec != NULL && strcmp(cmk_spec, KEY_SPEC) != 0) ||
	    (usage != NULL && strcmp(usage, "ENCRYPT_DECRYPT") != 0) ||
	    (origin != NULL && strcmp(origin, "AWS_KMS") != 0) ||
	    api_bool(in, "MultiRegion", false) ||
	    api_has(in, "CustomKeyStoreId") || api_has(in, "XksKeyId")) {
		st = error_set(err, STATUS_KMS_UNSUPPORTED, "This server makes "
		    "symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT, "
		    "KeyUsage ENCRYPT_DECRYPT, Origin AWS_KMS, single-Region).");
		goto out;
	}
	if ((st = tags_from_json(in, &tags, &cin.tag_count, err)) != STATUS_OK)
		goto out;
	cin.description = api_string(in, "Description");
	cin.policy = api_string(in, "Policy");
	if (cin.policy != NULL) {
		/* A key policy must at least be a JSON policy document. */
		if ((policy = json_loads(cin.policy, JSON_REJECT_DUPLICATES,
		    NULL)) == NULL || !json_is_object(policy) ||
		    json_object_get(policy, "Statement") == NULL) {
			st = error_set(err, STATUS_MALFORMED_POLICY, "The new "
			    "key policy will not allow you to update the key "
			    "policy in the future.");
			goto out;
		}
	}
	cin.bypass_lockout_check = api_bool(in,
	    "BypassPolicyLockoutSafetyCheck", false);
	cin.tags = tags;
	if ((st = core_kms_create_key(&call->core, &cin, &info, err)) !=
	    STATUS_OK)
		goto out;
	if ((*out = key_metadata_out(&info.key)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	json_decref(policy);
	free(tags);
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
op_describe_key(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = core_kms_describe_key(&call->core, api_string(in, "KeyId"),
	    &info, err)) != STATUS_OK)
		goto out;
	if ((*out = key_metadata_out(&info.key)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
op_list_keys(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_list_output	 l;
	json_t			*o = NULL, *list;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	if ((st = core_kms_list_keys(&call->core, api_string(in, "Marker"),
	    limit_from_json(in), &l, err)) != STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL || (list = json_array()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "Keys", list);
	for (size_t i = 0; i < l.key_count; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "KeyId",
		    l.keys[i].key_id, "KeyArn", l.keys[i].arn));
	page_json(o, l.next_marker);
	*out = o;
	o = NULL;
out:
	json_decref(o);
	kms_list_output_cleanup(&l);
	return st;
}

static enum status
op_enable_key(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_kms_set_enabled(&call->core, api_string(in, "KeyId"), true,
	    err);
}

static enum status
op_disable_key(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_kms_set_enabled(&call->core, api_string(in, "KeyId"), false,
	    err);
}

static enum status
op_schedule_key_deletion(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = core_kms_schedule_deletion(&call->core,
	    api_string(in, "KeyId"), api_has(in, "PendingWindowInDays"),
	    json_integer_value(json_object_get(in, "PendingWindowInDays")),
	    &info, err)) != STATUS_OK)
		goto out;
	if ((*out = json_pack("{s:s, s:o, s:s, s:I}", "KeyId", info.key.arn,
	    "DeletionDate", api_timestamp(info.key.deletion_date), "KeyState",
	    info.key.state, "PendingWindowInDays",
	    (json_int_t)info.key.pending_window_days)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
op_cancel_key_deletion(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = core_kms_cancel_deletion(&call->core, api_string(in, "KeyId"),
	    &info, err)) != STATUS_OK)
		goto out;
	if ((*out = json_pack("{s:s}", "KeyId", info.key.arn)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
op_create_alias(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_kms_alias_create(&call->core, api_string(in, "AliasName"),
	    api_string(in, "TargetKeyId"), err);
}

static enum status
op_update_alias(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_kms_alias_update(&call->core, api_string(in, "AliasName"),
	    api_string(in, "TargetKeyId"), err);
}

static enum status
op_delete_alias(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_kms_alias_delete(&call->core, api_string(in, "AliasName"),
	    err);
}

static enum status
op_list_aliases(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_list_output	 l;
	json_t			*o = NULL, *list, *a;
	char			 arn[512];
	enum status		 st;

	memset(&l, 0, sizeof(l));
	if ((st = core_kms_list_aliases(&call->core, api_string(in, "KeyId"),
	    api_string(in, "Marker"), limit_from_json(in), &l, err)) !=
	    STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL || (list = json_array()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "Aliases", list);
	for (size_t i = 0; i < l.alias_count; i++) {
		const struct kms_alias_record *r = &l.aliases[i];

		snprintf(arn, sizeof(arn), "arn:aws:kms:%s:%s:%s",
		    call->core.region, call->core.account_id, r->alias_name);
		a = json_pack("{s:s, s:s, s:s, s:o, s:o}", "AliasName",
		    r->alias_name, "AliasArn", arn, "TargetKeyId", r->key_id,
		    "CreationDate", api_timestamp(r->created_at),
		    "LastUpdatedDate", api_timestamp(r->updated_at != 0 ?
		    r->updated_at : r->created_at));
		json_array_append_new(list, a);
	}
	page_json(o, l.next_marker);
	*out = o;
	o = NULL;
out:
	json_decref(o);
	kms_list_output_cleanup(&l);
	return st;
}

static enum status
op_get_key_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = core_kms_policy_get(&call->core, api_string(in, "KeyId"),
	    api_string(in, "PolicyName"), &info, err)) != STATUS_OK)
		goto out;
	if ((*out = json_pack("{s:s, s:s}", "Policy", info.policy,
	    "PolicyName", "default")) == NULL)
		st = STATUS_NO_MEMORY;
out:
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
op_put_key_policy(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	const char	*text = api_string(in, "Policy");
	json_t		*policy;
	enum status	 st;

	if ((policy = json_loads(text, JSON_REJECT_DUPLICATES, NULL)) == NULL ||
	    !json_is_object(policy) ||
	    json_object_get(policy, "Statement") == NULL) {
		json_decref(policy);
		return error_set(err, STATUS_MALFORMED_POLICY, "The new key "
		    "policy will not allow you to update the key policy in the "
		    "future.");
	}
	json_decref(policy);
	st = core_kms_policy_put(&call->core, api_string(in, "KeyId"),
	    api_string(in, "PolicyName"), text,
	    api_bool(in, "BypassPolicyLockoutSafetyCheck", false), err);
	return st;
}

static enum status
op_enable_key_rotation(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_kms_rotation_enable(&call->core, api_string(in, "KeyId"),
	    json_integer_value(json_object_get(in, "RotationPeriodInDays")),
	    err);
}

static enum status
op_disable_key_rotation(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	return core_kms_rotation_disable(&call->core, api_string(in, "KeyId"),
	    err);
}

static enum status
op_get_key_rotation_status(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_key_info	 info;
	int64_t			 on_demand_at = 0;
	json_t			*o = NULL;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = core_kms_rotation_status(&call->core, api_string(in, "KeyId"),
	    &info, &on_demand_at, err)) != STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "KeyRotationEnabled",
	    json_boolean(info.key.rotation_period_days > 0));
	json_object_set_new(o, "KeyId", json_string(info.key.arn));
	if (info.key.rotation_period_days > 0) {
		json_object_set_new(o, "RotationPeriodInDays",
		    json_integer(info.key.rotation_period_days));
		if (info.key.next_rotation_at != 0)
			json_object_set_new(o, "NextRotationDate",
			    api_timestamp(info.key.next_rotation_at));
	}
	if (on_demand_at != 0)
		json_object_set_new(o, "OnDemandRotationStartDate",
		    api_timestamp(on_demand_at));
	*out = o;
	o = NULL;
out:
	json_decref(o);
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
op_rotate_key_on_demand(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_key_info	 info;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if ((st = core_kms_rotate_now(&call->core, api_string(in, "KeyId"),
	    &info, err)) != STATUS_OK)
		goto out;
	if ((*out = json_pack("{s:s}", "KeyId", info.key.key_id)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	kms_key_info_cleanup(&info);
	return st;
}

static enum status
op_list_key_rotations(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_list_output	 l;
	json_t			*o = NULL, *list;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	if ((st = core_kms_list_rotations(&call->core, api_string(in, "KeyId"),
	    api_string(in, "Marker"), limit_from_json(in), &l, err)) !=
	    STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL || (list = json_array()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "Rotations", list);
	for (size_t i = 0; i < l.version_count; i++) {
		const struct kms_key_version_record *v = &l.versions[i];

		json_array_append_new(list, json_pack("{s:s, s:o, s:s}",
		    "KeyId", l.key_arn, "RotationDate",
		    api_timestamp(v->created_at), "RotationType",
		    v->rotation_type != NULL ? v->rotation_type :
		    KMS_ROTATION_AUTOMATIC));
	}
	page_json(o, l.next_marker);
	*out = o;
	o = NULL;
out:
	json_decref(o);
	kms_list_output_cleanup(&l);
	return st;
}

static enum status
op_tag_resource(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct tag	*tags = NULL;
	size_t		 count = 0;
	enum status	 st;

	if ((st = tags_from_json(in, &tags, &count, err)) != STATUS_OK)
		return st;
	st = core_kms_tag(&call->core, api_string(in, "KeyId"), tags, count,
	    err);
	free(tags);
	return st;
}

static enum status
op_untag_resource(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	const json_t	*list = json_object_get(in, "TagKeys");
	const char	**keys = NULL;
	size_t		 i, n = json_array_size(list);
	json_t		*k;
	enum status	 st;

	if (n > 0 && (keys = calloc(n, sizeof(*keys))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, k)
		keys[i] = json_string_value(k);
	st = core_kms_untag(&call->core, api_string(in, "KeyId"), keys, n, err);
	free(keys);
	return st;
}

static enum status
op_list_resource_tags(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct kms_list_output	 l;
	json_t			*o = NULL, *list;
	enum status		 st;

	memset(&l, 0, sizeof(l));
	if ((st = core_kms_list_tags(&call->core, api_string(in, "KeyId"),
	    api_string(in, "Marker"), limit_from_json(in), &l, err)) !=
	    STATUS_OK)
		goto out;
	if ((o = json_object()) == NULL || (list = json_array()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	json_object_set_new(o, "Tags", list);
	for (size_t i = 0; i < l.tag_count; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "TagKey",
		    l.tags[i].key, "TagValue", l.tags[i].value));
	page_json(o, l.next_marker);
	*out = o;
	o = NULL;
out:
	json_decref(o);
	kms_list_output_cleanup(&l);
	return st;
}

#define OP(name, handler, read_only) \
	{ #name, "kms:" #name, handler, kms_fields_##name, read_only }

static const struct api_operation operations[] = {
	OP(CancelKeyDeletion, op_cancel_key_deletion, false),
	OP(CreateAlias, op_create_alias, false),
	OP(CreateKey, op_create_key, false),
	OP(Decrypt, kms_op_decrypt, true),
	OP(DeleteAlias, op_delete_alias, false),
	OP(DescribeKey, op_describe_key, true),
	OP(DisableKey, op_disable_key, false),
	OP(DisableKeyRotation, op_disable_key_rotation, false),
	OP(EnableKey, op_enable_key, false),
	OP(EnableKeyRotation, op_enable_key_rotation, false),
	OP(Encrypt, kms_op_encrypt, true),
	OP(GenerateDataKey, kms_op_generate_data_key, true),
	OP(GenerateDataKeyWithoutPlaintext,
	    kms_op_generate_data_key_without_plaintext, true),
	OP(GenerateRandom, kms_op_generate_random, true),
	OP(GetKeyPolicy, op_get_key_policy, true),
	OP(GetKeyRotationStatus, op_get_key_rotation_status, true),
	OP(ListAliases, op_list_aliases, true),
	OP(ListKeyRotations, op_list_key_rotations, true),
	OP(ListKeys, op_list_keys, true),
	OP(ListResourceTags, op_list_resource_tags, true),
	OP(PutKeyPolicy, op_put_key_policy, false),
	OP(ReEncrypt, kms_op_reencrypt, true),
	OP(RotateKeyOnDemand, op_rotate_key_on_demand, false),
	OP(ScheduleKeyDeletion, op_schedule_key_deletion, false),
	OP(TagResource, op_tag_resource, false),
	OP(UntagResource, op_untag_resource, false),
	OP(UpdateAlias, op_update_alias, false),
	{ NULL, NULL, NULL, NULL, false },
};

const struct api_service api_service_kms = {
	.target_prefix = "TrentService",
	.signing_name = "kms",
	.event_source = "kms.amazonaws.com",
	.operations = operations,
	.error_info = kms_error_info,
};
