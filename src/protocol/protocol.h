/*
 * protocol.h: AWS wire protocols, bytes to (operation, JSON input) and
 * results or typed errors back to bytes.
 *
 * AWS JSON 1.1: POST / with X-Amz-Target "<prefix>.<Operation>" and a JSON
 * object body; errors are {"__type": T, "Message": M} (service errors) or
 * {"__type": T, "message": M} (errors of the front door: signatures,
 * serialisation), status 400 unless the type says otherwise.
 *
 * Pure functions, thread-safe.
 */
#ifndef SESAME_PROTOCOL_H
#define SESAME_PROTOCOL_H

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

#endif
