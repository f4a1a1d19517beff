/*
 * secretsmanager_replication.c: ReplicateSecretToRegions,
 * RemoveRegionsFromReplication, StopReplicationToReplica, and the
 * AddReplicaRegions / ReplicationStatus shapes shared with CreateSecret,
 * DescribeSecret and ListSecrets.
 */
#include <stdlib.h>
#include <string.h>

#include "api/secretsmanager_internal.h"

static bool
region_is_valid(const char *r)
{
	/* ^([a-z]+-)+\d+$ of the model */
	const char	*p = r;
	bool		 has_part = false;

	for (;;) {
		const char *start = p;

		while (*p >= 'a' && *p <= 'z')
			p++;
		if (p == start || *p != '-')
			break;
		p++;
		has_part = true;
	}
	if (!has_part || p == r)
		return false;
	/* p sits after the last '-' group: digits must end the string */
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0' && strlen(r) <= 128;
}

enum status
sm_replicas_from_json(const json_t *list, struct replica_input **out,
    size_t *count, struct error *err)
{
	struct replica_input	*r = NULL;
	size_t			 i, n = json_array_size(list);
	json_t			*item;

	*out = NULL;
	*count = 0;
	if (n == 0)
		return STATUS_OK;
	if ((r = calloc(n, sizeof(*r))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, item) {
		r[i].region = api_string(item, "Region");
		r[i].kms_key_id = api_string(item, "KmsKeyId");
		if (r[i].kms_key_id != NULL && r[i].kms_key_id[0] == '\0')
			r[i].kms_key_id = NULL;
		if (r[i].region == NULL || !region_is_valid(r[i].region)) {
			enum status st = error_set(err, STATUS_VALIDATION,
			    "1 validation error detected: Value '%s' at "
			    "'addReplicaRegions.%zu.member.region' failed to "
			    "satisfy constraint: Member must satisfy regular "
			    "expression pattern: ^([a-z]+-)+\\d+$",
			    r[i].region != NULL ? r[i].region : "null", i + 1);

			free(r);
			return st;
		}
	}
	*out = r;
	*count = n;
	return STATUS_OK;
}

json_t *
sm_replication_status_json(const struct replica_record *rows, size_t count)
{
	json_t *list = json_array();

	for (size_t i = 0; list != NULL && i < count; i++) {
		json_t *e = json_object();

		if (e == NULL)
			break;
		json_object_set_new(e, "Region", json_string(rows[i].region));
		json_object_set_new(e, "KmsKeyId", json_string(
		    rows[i].kms_key_id != NULL ? rows[i].kms_key_id :
		    "alias/aws/secretsmanager"));
		json_object_set_new(e, "Status", json_string(rows[i].status));
		if (rows[i].status_message != NULL)
			json_object_set_new(e, "StatusMessage",
			    json_string(rows[i].status_message));
		json_array_append_new(list, e);
	}
	return list;
}

static json_t *
replication_json(const struct replication_output *r)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "ARN", json_string(r->arn));
	json_object_set_new(o, "ReplicationStatus",
	    sm_replication_status_json(r->replicas, r->replica_count));
	return o;
}

enum status
sm_replicate_secret_to_regions(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct replica_input		*regions = NULL;
	struct replication_output	 r;
	size_t				 count = 0;
	enum status			 st;

	memset(&r, 0, sizeof(r));
	if ((st = sm_replicas_from_json(json_object_get(in, "AddReplicaRegions"),
	    &regions, &count, err)) != STATUS_OK)
		goto out;
	if ((st = core_secret_replicate(&call->core, api_string(in, "SecretId"),
	    regions, count, api_bool(in, "ForceOverwriteReplicaSecret", false),
	    &r, err)) != STATUS_OK)
		goto out;
	if ((*out = replication_json(&r)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	free(regions);
	replication_output_cleanup(&r);
	return st;
}

enum status
sm_remove_regions_from_replication(struct api_call *call, json_t *in,
    json_t **out, struct error *err)
{
	const json_t			*list = json_object_get(in,
					    "RemoveReplicaRegions");
	const char			**regions = NULL;
	struct replication_output	 r;
	size_t				 i, n = json_array_size(list);
	json_t				*item;
	enum status			 st;

	memset(&r, 0, sizeof(r));
	if (n > 0 && (regions = calloc(n, sizeof(*regions))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, item)
		regions[i] = json_string_value(item);
	if ((st = core_secret_remove_regions(&call->core, api_string(in,
	    "SecretId"), regions, n, &r, err)) != STATUS_OK)
		goto out;
	if ((*out = replication_json(&r)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	free(regions);
	replication_output_cleanup(&r);
	return st;
}

enum status
sm_stop_replication_to_replica(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	char		*arn = NULL;
	enum status	 st;

	if ((st = core_secret_stop_replication(&call->core, api_string(in,
	    "SecretId"), &arn, err)) != STATUS_OK)
		return st;
	if ((*out = json_pack("{s:s}", "ARN", arn)) == NULL)
		st = STATUS_NO_MEMORY;
	free(arn);
	return st;
}
