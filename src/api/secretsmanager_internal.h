/*
 * secretsmanager_internal.h: what the files of the Secrets Manager service
 * share: the handlers (one file per group of operations) and the JSON
 * helpers for shapes several operations return.
 */
#ifndef SESAME_SECRETSMANAGER_INTERNAL_H
#define SESAME_SECRETSMANAGER_INTERNAL_H

#include "api/api.h"

/* secretsmanager_versions.c */
enum status	 sm_update_secret_version_stage(struct api_call *, json_t *,
		    json_t **, struct error *);
enum status	 sm_list_secret_version_ids(struct api_call *, json_t *,
		    json_t **, struct error *);
/* secretsmanager_tags.c */
enum status	 sm_tag_resource(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 sm_untag_resource(struct api_call *, json_t *, json_t **,
		    struct error *);
/* secretsmanager_batch.c */
enum status	 sm_batch_get_secret_value(struct api_call *, json_t *,
		    json_t **, struct error *);

/* secretsmanager_policy.c */
enum status	 sm_put_resource_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 sm_get_resource_policy(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 sm_delete_resource_policy(struct api_call *, json_t *,
		    json_t **, struct error *);
enum status	 sm_validate_resource_policy(struct api_call *, json_t *,
		    json_t **, struct error *);

/* secretsmanager_replication.c */
enum status	 sm_replicate_secret_to_regions(struct api_call *, json_t *,
		    json_t **, struct error *);
enum status	 sm_remove_regions_from_replication(struct api_call *, json_t *,
		    json_t **, struct error *);
enum status	 sm_stop_replication_to_replica(struct api_call *, json_t *,
		    json_t **, struct error *);
/* AddReplicaRegions into an array the caller frees (strings borrowed). */
enum status	 sm_replicas_from_json(const json_t *list,
		    struct replica_input **out, size_t *count, struct error *err);
json_t		*sm_replication_status_json(const struct replica_record *rows,
		    size_t count);

/* secretsmanager_rotation.c */
enum status	 sm_rotate_secret(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 sm_cancel_rotate_secret(struct api_call *, json_t *, json_t **,
		    struct error *);
/* RotationEnabled, RotationLambdaARN, RotationRules, LastRotatedDate,
 * NextRotationDate (and Sesame's rotation status) of a secret into o;
 * nothing when rotation was never configured (rotation->secret_id 0). */
void		 sm_rotation_json(json_t *o, const struct rotation_record *rotation);

/* secretsmanager.c */
json_t		*sm_stages_json(char *const *stages, size_t count);
/* SecretString or SecretBinary (base64) of a plaintext into o. */
enum status	 sm_value_json(json_t *o, const struct secret_buf *value,
		    bool is_binary);

/* Filters of ListSecrets and BatchGetSecretValue, checked as AWS does.
 * The filters point into in; free *out with free(). */
struct sm_filters {
	struct secret_filter	 filters[10];
	const char		*values[10][10];
	size_t			 count;
};

enum status	 sm_filters_from_json(const json_t *in, struct sm_filters *out,
		    struct error *err);

#endif
