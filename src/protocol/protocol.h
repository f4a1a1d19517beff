/*
 * protocol.h: AWS wire protocols, bytes to (operation, JSON input) and
 * results or typed errors back to bytes.
 *
 * AWS JSON 1.1 (json_protocol.c): POST / with X-Amz-Target
 * "<prefix>.<Operation>" and a JSON object body; errors are {"__type": T,
 * "Message": M} (service errors) or {"__type": T, "message": M} (errors of
 * the front door: signatures, serialisation), status 400 unless the type
 * says otherwise.
 *
 * AWS Query (query_protocol.c, IAM and STS): a form-encoded body decoded
 * into the same JSON shape; XML responses and <ErrorResponse> errors.
 *
 * Pure functions, thread-safe.
 */
#ifndef SESAME_PROTOCOL_H
#define SESAME_PROTOCOL_H

#include <stdbool.h>

#include <jansson.h>

#include "common/status.h"
#include "http/http.h"

#define JSON_MAX_DEPTH	32

struct protocol_target {
	char	prefix[64];		/* "secretsmanager", "TrentService" */
	char	operation[64];		/* "GetSecretValue" */
};

/* Split X-Amz-Target.  STATUS_UNKNOWN_OPERATION when absent or malformed. */
enum status	 json_protocol_target(const struct http_request *req,
		    struct protocol_target *out, struct error *err);
/* Parse the body as one JSON object (an empty body is {}), nesting at most
 * JSON_MAX_DEPTH.  STATUS_SERIALIZATION on anything else. */
enum status	 json_protocol_body(const struct http_request *req, json_t **out,
		    struct error *err);

enum json_error_style {
	JSON_ERROR_SERVICE,		/* "Message" */
	JSON_ERROR_FRONT_DOOR,		/* "message" */
};

/* Fill resp with a JSON 1.1 success (body may be NULL for {}); steals body. */
void		 json_protocol_respond(struct http_response *resp, json_t *body,
		    const char *request_id);
void		 json_protocol_respond_error(struct http_response *resp,
		    int http_status, const char *type, const char *message,
		    enum json_error_style style, const char *request_id);

/* ---- AWS Query (IAM, STS): query_protocol.c ---- */

#define QUERY_PARAMS_MAX	2048	/* name=value pairs in a body */
#define QUERY_NAME_MAX		256	/* bytes of a decoded name */
#define QUERY_DEPTH_MAX		8	/* dotted parts of a name */
#define QUERY_LIST_MAX		1000	/* highest list position */

/* No X-Amz-Target, and a POST with a form-encoded body or a GET whose
 * query string has an Action pair. */
bool		 query_protocol_is_request(const struct http_request *req);
/* Decode a form body into a JSON object of strings, structures and lists
 * ("A.member.1=x" is {"A": ["x"]}); Action and Version stay in it.
 * STATUS_SERIALIZATION on anything malformed or beyond the limits above. */
enum status	 query_protocol_parse(const unsigned char *body, size_t len,
		    json_t **out, struct error *err);
/* query_protocol_parse of a POST's body or a GET's query string (less
 * a presigned request's X-Amz-* pairs). */
enum status	 query_protocol_body(const struct http_request *req,
		    json_t **out, struct error *err);

/* Fill resp with <ActionResponse xmlns=xmlns> holding result (a JSON
 * object, NULL for none; stolen) and the request id, status 200. */
void		 query_protocol_respond(struct http_response *resp,
		    const char *action, const char *xmlns, json_t *result,
		    const char *request_id);
/* <ErrorResponse>: Type Sender below 500, Receiver from 500. */
void		 query_protocol_respond_error(struct http_response *resp,
		    int http_status, const char *xmlns, const char *code,
		    const char *message, const char *request_id);

#endif
