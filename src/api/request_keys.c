/*
 * request_keys.c: the condition keys a Secrets Manager request sets from
 * its own parameters (secretsmanager:Description, :KmsKeyId,
 * :RotationLambdaARN, :VersionStage, ...), as the Service Authorization
 * Reference lists them for each action, so a policy can say "only with
 * this key", "never without recovery" or "only AWSCURRENT".
 *
 * Values are taken from the input as sent: strings as they are, booleans
 * as "true"/"false", numbers in decimal, lists as several values.  A
 * parameter the request leaves out sets no key (a condition on it then
 * needs ...IfExists or Null to match), except ModifyRotationRules, which
 * says whether RotationRules is present.
 *
 * Thread-safety: reentrant; the result borrows from the input.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"

struct request_key_rule {
	const char	*action;	/* "secretsmanager:CreateSecret" */
	const char	*field;		/* "Description" */
	const char	*key;		/* "secretsmanager:Description" */
};

static const struct request_key_rule rules[] = {
	{ "secretsmanager:CreateSecret", "Description",
	    "secretsmanager:Description" },
	{ "secretsmanager:UpdateSecret", "Description",
	    "secretsmanager:Description" },
	{ "secretsmanager:CreateSecret", "KmsKeyId",
	    "secretsmanager:KmsKeyId" },
	{ "secretsmanager:UpdateSecret", "KmsKeyId",
	    "secretsmanager:KmsKeyId" },
	{ "secretsmanager:CreateSecret", "AddReplicaRegions",
	    "secretsmanager:AddReplicaRegions" },
	{ "secretsmanager:ReplicateSecretToRegions", "AddReplicaRegions",
	    "secretsmanager:AddReplicaRegions" },
	{ "secretsmanager:CreateSecret", "ForceOverwriteReplicaSecret",
	    "secretsmanager:ForceOverwriteReplicaSecret" },
	{ "secretsmanager:ReplicateSecretToRegions",
	    "ForceOverwriteReplicaSecret",
	    "secretsmanager:ForceOverwriteReplicaSecret" },
	{ "secretsmanager:DeleteSecret", "ForceDeleteWithoutRecovery",
	    "secretsmanager:ForceDeleteWithoutRecovery" },
	{ "secretsmanager:DeleteSecret", "RecoveryWindowInDays",
	    "secretsmanager:RecoveryWindowInDays" },
	{ "secretsmanager:PutResourcePolicy", "BlockPublicPolicy",
	    "secretsmanager:BlockPublicPolicy" },
	{ "secretsmanager:RotateSecret", "RotationLambdaARN",
	    "secretsmanager:RotationLambdaARN" },
	{ "secretsmanager:RotateSecret", "RotateImmediately",
	    "secretsmanager:RotateImmediately" },
	{ "secretsmanager:GetSecretValue", "VersionId",
	    "secretsmanager:VersionId" },
	{ "secretsmanager:GetSecretValue", "VersionStage",
	    "secretsmanager:VersionStage" },
	{ "secretsmanager:UpdateSecretVersionStage", "VersionStage",
	    "secretsmanager:VersionStage" },
};

static void
add(struct api_request_keys *out, const char *key, const char *value)
{
	if (value == NULL || out->count >= API_REQUEST_KEYS_MAX)
		return;
	out->keys[out->count].key = key;
	out->keys[out->count].value = value;
	out->count++;
}

static void
add_json(struct api_request_keys *out, const char *key, const json_t *v)
{
	const json_t	*item;
	size_t		 i;

	if (json_is_string(v))
		add(out, key, json_string_value(v));
	else if (json_is_boolean(v))
		add(out, key, json_is_true(v) ? "true" : "false");
	else if (json_is_integer(v) && out->number_count < API_REQUEST_NUMBERS) {
		char *buf = out->numbers[out->number_count++];

		snprintf(buf, sizeof(out->numbers[0]), "%lld",
		    (long long)json_integer_value(v));
		add(out, key, buf);
	} else if (json_is_array(v)) {
		/* AddReplicaRegions: [{"Region": ..., "KmsKeyId": ...}] */
		json_array_foreach(v, i, item)
			add(out, key, json_string_value(json_object_get(item,
			    "Region")));
	}
}

void
api_request_keys(const json_t *in, const char *action,
    struct api_request_keys *out)
{
	memset(out, 0, sizeof(*out));
	if (in == NULL || action == NULL)
		return;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].action, action) == 0)
			add_json(out, rules[i].key, json_object_get(in,
			    rules[i].field));
	if (strcmp(action, "secretsmanager:RotateSecret") == 0)
		add(out, "secretsmanager:ModifyRotationRules",
		    json_object_get(in, "RotationRules") != NULL ? "true" :
		    "false");
}
