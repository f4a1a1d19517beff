/*
 * api.h: the request pipeline and the AWS services built on it.
 *
 * api_handle_http is the HTTP handler: it authenticates (auth/), finds the
 * operation, parses and validates its input against the field table,
 * calls the operation (which authorises through core/'s hook and does the
 * work in core/), writes the audit event, and answers.  Only api/ knows JSON
 * field names and AWS error types.
 *
 * Thread-safety: api_handle_http runs on many threads at once; struct
 * api_env is read-only after start-up.
 */
#ifndef SESAME_API_H
#define SESAME_API_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/core.h"
#include "core/iam.h"
#include "http/http.h"
#include "metrics/metrics.h"
#include "protocol/protocol.h"

struct api_env {
	struct core_env		 core;
	struct sigv4_cache	*sigv4_cache;
	struct audit_log	*audit;
	bool			 is_audit_fail_open;	/* serve when audit fails */
	struct metrics		*metrics;		/* NULL: none */
	bool			 is_metrics_remote_allowed;	/* else loopback */
	int			 max_skew_seconds;
	int64_t			 clock_offset_ms;	/* tests only */
};

/* Counters for GET /metrics labelled with this API's operations and
 * error codes.  NULL on allocation failure; free with metrics_free. */
struct metrics	*api_metrics_new(void);

/* The http_handler_fn; arg is a struct api_env. */
/* http_may_block_fn for api_handle_http: true for requests that may wait
 * for the disk (writes). */
bool	 api_request_may_block(void *arg, const struct http_request *req);
void	 api_handle_http(void *arg, const struct http_request *req,
	    struct http_response *resp);

/* Install jansson allocators that wipe every block they free, so request
 * and response JSON holding secret values does not linger in the heap.
 * Call once at start-up, before any JSON is made. */
void	 api_json_alloc_init(void);

/* ---- what one operation sees ---- */

struct api_call {
	const struct api_env	*env;
	const struct http_request *http;
	struct auth_result	 auth;
	struct core_request	 core;
	const char		*request_id;
	int64_t			 now_ms;
	/* Who the credentials stand for (iam_identity.c fills both while
	 * SigV4 looks the key up; auth.principal borrows from them until
	 * api_call_identity_cleanup). */
	struct core_identity	 identity;
	struct principal_tag	*principal_tags;
};

/* Input field types of the AWS model that the validator checks. */
enum field_type {
	FIELD_STRING,
	FIELD_BLOB,		/* base64 text on the wire */
	FIELD_BOOLEAN,
	FIELD_INTEGER,
	FIELD_LONG,
	FIELD_STRING_LIST,
	FIELD_TAG_LIST,		/* [{Key, Value}] */
	FIELD_STRUCT_LIST,	/* other lists of structures */
	FIELD_STRUCT,
};

struct field_spec {
	const char	*name;		/* "SecretId" */
	enum field_type	 type;
	int64_t		 min;		/* length, size or value; -1: none */
	int64_t		 max;
	bool		 is_required;
	bool		 is_sensitive;	/* never logged, echoed or audited */
	const char	*enum_values;	/* "asc|desc"; NULL: any */
};

typedef enum status (*api_handler_fn)(struct api_call *call, json_t *in,
    json_t **out, struct error *err);

struct api_operation {
	const char		*name;		/* "GetSecretValue" */
	const char		*action;	/* "secretsmanager:GetSecretValue" */
	api_handler_fn		 handler;
	const struct field_spec	*fields;	/* terminated by a NULL name */
	bool			 is_read_only;
};

enum api_protocol {
	API_PROTOCOL_JSON = 0,		/* AWS JSON 1.1 */
	API_PROTOCOL_QUERY,		/* AWS Query: form in, XML out */
};

struct api_service {
	const char		*target_prefix;	/* "secretsmanager" */
	const char		*signing_name;	/* "secretsmanager" */
	const char		*event_source;	/* "secretsmanager.amazonaws.com" */
	const struct api_operation *operations;	/* terminated by a NULL name */
	/* The service's own names for statuses (KMS says NotFoundException
	 * where Secrets Manager says ResourceNotFoundException); NULL: the
	 * shared table, api_error_info. */
	const struct api_error_info *(*error_info)(enum status st);
	/* The wire protocol; Query services (IAM, STS) are found by the
	 * credential scope's service, not X-Amz-Target. */
	enum api_protocol	 protocol;
	const char		*xml_namespace;	/* Query: responses' xmlns */
	const char		*api_version;	/* Query: "2010-05-08" */
};

extern const struct api_service api_service_secretsmanager;
extern const struct api_service api_service_kms;
extern const struct api_service api_service_iam;
extern const struct api_service api_service_sts;

/* ---- validation (validate.c) ---- */

/* Check in against the field table: wrong JSON types are
 * STATUS_SERIALIZATION, model constraints STATUS_VALIDATION with AWS's
 * "N validation error(s) detected: ..." message. */
enum status	 api_validate(const json_t *in, const struct field_spec *fields,
		    struct error *err);
/* A copy of in without sensitive fields, keys in lowerCamelCase, as
 * CloudTrail records requestParameters.  NULL when nothing is left. */
json_t		*api_redacted_parameters(const json_t *in,
		    const struct field_spec *fields);

/* ---- errors (errors.c) ---- */

struct api_error_info {
	int		 http_status;
	const char	*type;
	const char	*default_message;
	bool		 is_front_door;		/* lower-case "message" */
};

const struct api_error_info *api_error_info(enum status st);

/* ---- helpers for operations ---- */

/* Field accessors: NULL / false / default when absent. */
const char	*api_string(const json_t *in, const char *name);
bool		 api_bool(const json_t *in, const char *name, bool def);
bool		 api_has(const json_t *in, const char *name);
/* Milliseconds to the JSON number of seconds AWS uses for timestamps. */
json_t		*api_timestamp(int64_t ms);

/* ---- the Query protocol's services: IAM and STS (iam_query.c) ---- */

/* The Query service a form-encoded POST is for: STS when its credential
 * scope names "sts", IAM otherwise (also when it carries no credentials,
 * so the refusal is in IAM's format). */
const struct api_service *api_query_service(const struct http_request *req);
/* Decode the body, find the operation named by Action (of the service's
 * Version), give the parameters their model types and validate them
 * (model constraints and IAM's name patterns).  *op is set when the
 * action is known, *in when the body decodes. */
enum status	 api_query_input(const struct http_request *req,
		    const struct api_service *svc,
		    const struct api_operation **op, json_t **in,
		    struct error *err);
/* The answer in XML: out (stolen) on success, else the error info. */
void		 api_query_respond(struct http_response *resp,
		    const struct api_service *svc,
		    const struct api_operation *op, json_t *out,
		    const struct api_error_info *info, const char *message,
		    const char *request_id);

/* ---- condition keys from the request's parameters (request_keys.c) ---- */

#define API_REQUEST_KEYS_MAX	64
#define API_REQUEST_NUMBERS	4

struct api_request_keys {
	struct principal_tag	 keys[API_REQUEST_KEYS_MAX];	/* borrowed */
	size_t			 count;
	char			 numbers[API_REQUEST_NUMBERS][24];
	size_t			 number_count;
};

/* The keys action ("secretsmanager:DeleteSecret") sets from in. */
void		 api_request_keys(const json_t *in, const char *action,
		    struct api_request_keys *out);

/* ---- who is calling (iam_identity.c) ---- */

/* The auth_key_lookup_fn of the pipeline; arg is the struct api_call.
 * Resolves long-term and temporary keys (X-Amz-Security-Token) through
 * core_credentials_lookup, keeps the identity in the call and describes it
 * in *principal. */
enum status	 api_credentials_lookup(void *arg, const char *access_key_id,
		    struct principal *principal, struct secret_buf **secret);
void		 api_call_identity_cleanup(struct api_call *call);
/* The caller's compiled identity side (identity policies, boundary,
 * session policies), from the cache or compiled now (dispatch.c); a new
 * reference for the caller to release.  STATUS_ACCESS_DENIED when the
 * caller's user or role is gone.  An account administrator has only its
 * session policies, if any. */
enum status	 api_call_identity_policies(struct api_call *call,
		    struct auth_policies **out, struct error *err);

#endif
