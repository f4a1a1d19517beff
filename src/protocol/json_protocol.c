/*
 * json_protocol.c: the AWS JSON 1.1 protocol.
 *
 * Bodies are parsed strictly by jansson after a depth pre-scan (jansson's
 * own limit is 2048 levels, far more than any AWS shape needs), and must be
 * a single JSON object.  "\u0000" is accepted by the parser (a secret value
 * may hold it); api/validate.c refuses it everywhere else, so no C string
 * is ever cut short silently.  Responses always carry x-amzn-RequestId.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_write.h"
#include "protocol/protocol.h"

enum status
json_protocol_target(const struct http_request *req, struct protocol_target *out,
    struct error *err)
{
	const char	*target = http_request_header(req, "X-Amz-Target");
	const char	*dot;
	size_t		 prefix_len, op_len;

	if (target == NULL || (dot = strrchr(target, '.')) == NULL)
		goto bad;
	prefix_len = (size_t)(dot - target);
	op_len = strlen(dot + 1);
	if (prefix_len == 0 || prefix_len >= sizeof(out->prefix) ||
	    op_len == 0 || op_len >= sizeof(out->operation))
		goto bad;
	memcpy(out->prefix, target, prefix_len);
	out->prefix[prefix_len] = '\0';
	memcpy(out->operation, dot + 1, op_len + 1);
	return STATUS_OK;
bad:
	return error_set(err, STATUS_UNKNOWN_OPERATION, NULL);
}

/* Nesting depth of a JSON text, ignoring brackets inside strings. */
static size_t
json_depth(const unsigned char *p, size_t len)
{
	size_t	 depth = 0, max = 0;
	bool	 in_string = false;

	for (size_t i = 0; i < len; i++) {
		if (in_string) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_string = false;
			continue;
		}
		switch (p[i]) {
		case '"':
			in_string = true;
			break;
		case '{':
		case '[':
			if (++depth > max)
				max = depth;
			break;
		case '}':
		case ']':
			if (depth > 0)
				depth--;
			break;
		}
	}
	return max;
}

enum status
json_protocol_body(const struct http_request *req, json_t **out,
    struct error *err)
{
	json_t		*root;
	json_error_t	 jerr;

	if (req->body_len == 0) {
		if ((*out = json_object()) == NULL)
			return error_set(err, STATUS_NO_MEMORY, NULL);
		return STATUS_OK;
	}
	if (json_depth(req->body, req->body_len) > JSON_MAX_DEPTH)
		return error_set(err, STATUS_SERIALIZATION,
		    "JSON nesting is too deep");
	root = json_loadb((const char *)req->body, req->body_len,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (root == NULL)
		return error_set(err, STATUS_SERIALIZATION,
		    "Unable to parse request body as JSON: %s at line %d column %d",
		    jerr.text, jerr.line, jerr.column);
	if (!json_is_object(root)) {
		json_decref(root);
		return error_set(err, STATUS_SERIALIZATION,
		    "Start of list or scalar found where a structure was expected.");
	}
	*out = root;
	return STATUS_OK;
}

static void
respond(struct http_response *resp, int http_status, json_t *body,
    const char *request_id)
{
	char	*text;
	size_t	 len = 0;

	resp->status = http_status;
	resp->content_type = "application/x-amz-json-1.1";
	/* 13 digits: epoch-second dates keep their milliseconds. */
	text = json_write_compact(body, 13, &len);
	json_decref(body);
	if (text == NULL) {
		resp->status = 500;
		text = strdup("{\"__type\":\"InternalServiceError\","
		    "\"Message\":\"An internal error occurred.\"}");
		len = text != NULL ? strlen(text) : 0;
	}
	resp->body = text;
	resp->body_len = len;
	if (request_id != NULL)
		http_response_add_header(resp, "x-amzn-RequestId", request_id);
}

void
json_protocol_respond(struct http_response *resp, json_t *body,
    const char *request_id)
{
	respond(resp, 200, body != NULL ? body : json_object(), request_id);
}

void
json_protocol_respond_error(struct http_response *resp, int http_status,
    const char *type, const char *message, enum json_error_style style,
    const char *request_id)
{
	json_t *body = json_object();

	json_t *text;

	if (body != NULL) {
		json_object_set_new(body, "__type", json_string(type));
		if (message != NULL && message[0] != '\0') {
			/* A message quoting invalid UTF-8 input is replaced. */
			if ((text = json_string(message)) == NULL)
				text = json_string("The request contains "
				    "invalid characters.");
			json_object_set_new(body, style == JSON_ERROR_SERVICE ?
			    "Message" : "message", text);
		}
	}
	respond(resp, http_status, body, request_id);
}
