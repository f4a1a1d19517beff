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
#include "http/http.h"
#include "protocol/protocol.h"

struct api_env {
	struct core_env		 core;
	struct sigv4_cache	*sigv4_cache;
	struct audit_log	*audit;
	int			 max_skew_seconds;
	int64_t			 clock_offset_ms;	/* tests only */
};

/* The http_handler_fn; arg is a struct api_env. */
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

struct api_service {
	const char		*target_prefix;	/* "secretsmanager" */
	const char		*signing_name;	/* "secretsmanager" */
	const char		*event_source;	/* "secretsmanager.amazonaws.com" */
	const struct api_operation *operations;	/* terminated by a NULL name */
};

extern const struct api_service api_service_secretsmanager;

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

#endif
