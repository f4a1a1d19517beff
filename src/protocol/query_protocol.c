/*
 * query_protocol.c: the AWS Query protocol, which IAM and STS speak.
 *
 * Requests: POST / with Content-Type application/x-www-form-urlencoded and
 * a body of Action=CreateUser&Version=2010-05-08&UserName=... , or a GET
 * with those pairs in its query string (a presigned URL, its SigV4 pairs
 * beside them, as Kubernetes' AWS authenticator sends).  Names
 * with dots build structures ("Tags.member.1.Key"); a structure whose only
 * member is "member", holding members numbered 1, 2, ..., is a list.  The
 * decoder turns a body into the JSON object the JSON protocol would have
 * carried (every scalar a string; api/ gives them their model types), so
 * one validator serves both.  It is strict and bounded: at most
 * QUERY_PARAMS_MAX pairs, names of QUERY_NAME_MAX bytes and
 * QUERY_DEPTH_MAX parts, list positions 1..QUERY_LIST_MAX without leading
 * zeros, no repeated name, no name that is both a value and a structure,
 * valid percent escapes, valid UTF-8, no NUL.
 *
 * Responses are XML: <ActionResponse xmlns=NS><ActionResult>...
 * </ActionResult><ResponseMetadata><RequestId/></ResponseMetadata>, a JSON
 * result written member by member (lists as <member> elements, booleans as
 * true/false); errors <ErrorResponse xmlns=NS><Error><Type>Sender|Receiver
 * </Type><Code/><Message/></Error><RequestId/></ErrorResponse>.  Text is
 * escaped; characters XML 1.0 cannot carry become U+FFFD.
 *
 * Pure functions, thread-safe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "protocol/protocol.h"

#define FORM_CONTENT_TYPE	"application/x-www-form-urlencoded"
#define XML_CONTENT_TYPE	"text/xml"
#define MSG_MALFORMED		"The request body is not a valid form: "

/* ---- requests ---- */

/* SigV4's own pairs in a presigned query: not parameters of the action. */
static const char *const presign_params[] = {
	"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
	"X-Amz-Security-Token", "X-Amz-Signature", "X-Amz-SignedHeaders",
};

/* Whether query has an Action=... pair. */
static bool
query_names_action(const char *query)
{
	for (const char *p = query; p != NULL; p = strchr(p, '&')) {
		if (*p == '&')
			p++;
		if (strncmp(p, "Action=", 7) == 0)
			return true;
	}
	return false;
}

bool
query_protocol_is_request(const struct http_request *req)
{
	const char	*ct = http_request_header(req, "Content-Type");
	size_t		 n = sizeof(FORM_CONTENT_TYPE) - 1;

	if (http_request_header(req, "X-Amz-Target") != NULL)
		return false;
	if (strcmp(req->method, "GET") == 0)
		return req->query != NULL && query_names_action(req->query);
	if (strcmp(req->method, "POST") != 0 || ct == NULL)
		return false;
	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, FORM_CONTENT_TYPE, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode p[0..len) ('+' is a space) into a malloc'd string of
 * *out_len bytes.  STATUS_SERIALIZATION for a bad escape or a NUL. */
static enum status
form_decode(const char *p, size_t len, char **out, size_t *out_len,
    struct error *err)
{
	char	*s;
	size_t	 o = 0;
	int	 hi, lo;

	if ((s = malloc(len + 1)) == NULL)
		return error_set(err, STATUS_NO_MEMORY, NULL);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= len) {
				free(s);
				return error_set(err, STATUS_SERIALIZATION,
				    MSG_MALFORMED "a %% escape is cut short");
			}
			if ((hi = hex_value((unsigned char)p[i + 1])) < 0 ||
			    (lo = hex_value((unsigned char)p[i + 2])) < 0) {
				free(s);
				return error_set(err, STATUS_SERIALIZATION,
				    MSG_MALFORMED "a %% escape is not hex");
			}
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (c == '\0') {
			free(s);
			return error_set(err, STATUS_SERIALIZATION,
			    MSG_MALFORMED "it holds a NUL character");
		}
		s[o++] = (char)c;
	}
	s[o] = '\0';
	*out = s;
	*out_len = o;
	return STATUS_OK;
}

/* A list position: 1..QUERY_LIST_MAX, digits only, no leading zero. */
static long
list_position(const char *s)
{
	long	 v = 0;

	if (s[0] < '1' || s[0] > '9')
		return -1;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > QUERY_LIST_MAX)
			return -1;
	}
	return v;
}

/* Put value at the dotted name inside root. */
static enum status
tree_insert(json_t *root, char *name, json_t *value, struct error *err)
{
	json_t	*node = root, *child;
	char	*part, *next;
	size_t	 depth = 0;

	for (part = name; ; part = next) {
		if ((next = strchr(part, '.')) != NULL)
			*next++ = '\0';
		if (part[0] == '\0' || ++depth > QUERY_DEPTH_MAX) {
			json_decref(value);
			return error_set(err, STATUS_SERIALIZATION,
			    MSG_MALFORMED "a parameter name is not valid");
		}
		child = json_object_get(node, part);
		if (next == NULL) {
			if (child != NULL) {
				json_decref(value);
				return error_set(err, STATUS_SERIALIZATION,
				    MSG_MALFORMED "a parameter is repeated");
			}
			if (json_object_set_new(node, part, value) != 0)
				return error_set(err, STATUS_NO_MEMORY, NULL);
			return STATUS_OK;
		}
		if (child == NULL) {
			if ((child = json_object()) == NULL ||
			    json_object_set_new(node, part, child) != 0) {
				json_decref(value);
				return error_set(err, STATUS_NO_MEMORY, NULL);
			}
		} else if (!json_is_object(child)) {
			json_decref(value);
			return error_set(err, STATUS_SERIALIZATION,
			    MSG_MALFORMED "a parameter is both a value and a "
			    "structure");
		}
		node = child;
	}
}

struct list_item {
	long	 position;
	json_t	*value;
};

static int
list_item_cmp(const void *a, const void *b)
{
	const struct list_item *x = a, *y = b;

	return x->position < y->position ? -1 : x->position > y->position;
}

/* Turn {"member": {"1": a, "2": b}} into [a, b], everywhere below node. */
static enum status
lists_build(json_t *node, json_t **out, struct error *err)
{
	json_t			*members, *value, *list = NULL, *done;
	struct list_item	*items = NULL;
	const char		*key;
	void			*iter;
	size_t			 n = 0;
	enum status		 st;

	*out = NULL;
	if (!json_is_object(node))
		return STATUS_OK;
	members = json_object_get(node, "member");
	if (json_object_size(node) == 1 && json_is_object(members)) {
		if ((items = calloc(json_object_size(members) + 1,
		    sizeof(*items))) == NULL)
			return error_set(err, STATUS_NO_MEMORY, NULL);
		json_object_foreach(members, key, value) {
			if ((items[n].position = list_position(key)) < 0) {
				free(items);
				return error_set(err, STATUS_SERIALIZATION,
				    MSG_MALFORMED "a list position is not "
				    "valid");
			}
			items[n++].value = value;
		}
		qsort(items, n, sizeof(*items), list_item_cmp);
		if ((list = json_array()) == NULL) {
			free(items);
			return error_set(err, STATUS_NO_MEMORY, NULL);
		}
		for (size_t i = 0; i < n; i++) {
			if ((st = lists_build(items[i].value, &done, err)) !=
			    STATUS_OK) {
				free(items);
				json_decref(list);
				return st;
			}
			if (json_array_append(list, done != NULL ? done :
			    items[i].value) != 0) {
				json_decref(done);
				free(items);
				json_decref(list);
				return error_set(err, STATUS_NO_MEMORY, NULL);
			}
			json_decref(done);
		}
		free(items);
		*out = list;
		return STATUS_OK;
	}
	for (iter = json_object_iter(node); iter != NULL;
	    iter = json_object_iter_next(node, iter)) {
		value = json_object_iter_value(iter);
		if ((st = lists_build(value, &done, err)) != STATUS_OK)
			return st;
		if (done != NULL && json_object_iter_set_new(node, iter,
		    done) != 0)
			return error_set(err, STATUS_NO_MEMORY, NULL);
	}
	return STATUS_OK;
}

enum status
query_protocol_parse(const unsigned char *body, size_t len, json_t **out,
    struct error *err)
{
	const char	*p = (const char *)body, *end = p + len, *amp, *eq;
	json_t		*root, *value, *list;
	char		*name = NULL, *text = NULL;
	size_t		 name_len, text_len, count = 0;
	enum status	 st;

	if ((root = json_object()) == NULL)
		return error_set(err, STATUS_NO_MEMORY, NULL);
	for (; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;
		if (++count > QUERY_PARAMS_MAX) {
			st = error_set(err, STATUS_SERIALIZATION,
			    MSG_MALFORMED "more than %d parameters",
			    QUERY_PARAMS_MAX);
			goto out;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if ((st = form_decode(p, (size_t)(eq - p), &name, &name_len,
		    err)) != STATUS_OK ||
		    (st = form_decode(eq < amp ? eq + 1 : amp,
		    eq < amp ? (size_t)(amp - eq - 1) : 0, &text, &text_len,
		    err)) != STATUS_OK)
			goto out;
		if (name_len == 0 || name_len > QUERY_NAME_MAX) {
			st = error_set(err, STATUS_SERIALIZATION,
			    MSG_MALFORMED "a parameter name is not valid");
			goto out;
		}
		/* json_stringn checks UTF-8; the name too, for messages. */
		if ((value = json_stringn(name, name_len)) == NULL) {
			st = error_set(err, STATUS_SERIALIZATION,
			    MSG_MALFORMED "a parameter name is not UTF-8");
			goto out;
		}
		json_decref(value);
		if ((value = json_stringn(text, text_len)) == NULL) {
			st = error_set(err, STATUS_SERIALIZATION,
			    MSG_MALFORMED "a parameter value is not UTF-8");
			goto out;
		}
		if ((st = tree_insert(root, name, value, err)) != STATUS_OK)
			goto out;
		free(name);
		free(text);
		name = text = NULL;
		if (amp == end)
			break;
	}
	if ((st = lists_build(root, &list, err)) != STATUS_OK)
		goto out;
	if (list != NULL) {
		/* The whole body was one list: not a request. */
		json_decref(list);
		st = error_set(err, STATUS_SERIALIZATION,
		    MSG_MALFORMED "it is a list");
		goto out;
	}
	*out = root;
	root = NULL;
	st = STATUS_OK;
out:
	free(name);
	free(text);
	json_decref(root);
	return st;
}

enum status
query_protocol_body(const struct http_request *req, json_t **out,
    struct error *err)
{
	enum status	 st;

	if (strcmp(req->method, "GET") != 0)
		return query_protocol_parse(req->body, req->body_len, out, err);
	/* The listener rebuilds the query percent-encoded, so it holds no
	 * raw '+' for the form decoder to read as a space. */
	if (req->query == NULL)
		return query_protocol_parse((const unsigned char *)"", 0, out,
		    err);
	if ((st = query_protocol_parse((const unsigned char *)req->query,
	    strlen(req->query), out, err)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < sizeof(presign_params) /
	    sizeof(presign_params[0]); i++)
		json_object_del(*out, presign_params[i]);
	return STATUS_OK;
}

/* ---- XML ---- */

struct xml_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	bool	 is_failed;
};

static void
xml_put(struct xml_buf *b, const char *s, size_t n)
{
	char	*grown;
	size_t	 cap;

	if (b->is_failed)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap == 0 ? 1024 : b->cap;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((grown = realloc(b->data, cap)) == NULL) {
			b->is_failed = true;
			return;
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
xml_puts(struct xml_buf *b, const char *s)
{
	xml_put(b, s, strlen(s));
}

/* Text content: the markup characters escaped, a CR kept as a reference
 * (parsers fold a literal one into LF), other C0 controls replaced. */
static void
xml_text(struct xml_buf *b, const char *s, size_t n)
{
	size_t	 start = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)s[i];
		const char	*rep;

		switch (c) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\r':
			rep = "&#13;";
			break;
		default:
			rep = c < 0x20 && c != '\t' && c != '\n' ?
			    "\xEF\xBF\xBD" : NULL;
			break;
		}
		if (rep == NULL)
			continue;
		xml_put(b, s + start, i - start);
		xml_puts(b, rep);
		start = i + 1;
	}
	xml_put(b, s + start, n - start);
}

static void
xml_open(struct xml_buf *b, const char *name)
{
	xml_puts(b, "<");
	xml_puts(b, name);
	xml_puts(b, ">");
}

static void
xml_close(struct xml_buf *b, const char *name)
{
	xml_puts(b, "</");
	xml_puts(b, name);
	xml_puts(b, ">");
}

static void xml_value(struct xml_buf *b, const char *name, const json_t *v);

static void
xml_members(struct xml_buf *b, const json_t *object)
{
	const char	*key;
	json_t		*value;

	json_object_foreach((json_t *)object, key, value)
		xml_value(b, key, value);
}

static void
xml_value(struct xml_buf *b, const char *name, const json_t *v)
{
	char	 num[64];
	size_t	 i;
	json_t	*item;

	switch (json_typeof(v)) {
	case JSON_NULL:
		return;
	case JSON_OBJECT:
		xml_open(b, name);
		xml_members(b, v);
		xml_close(b, name);
		return;
	case JSON_ARRAY:
		xml_open(b, name);
		json_array_foreach(v, i, item)
			xml_value(b, "member", item);
		xml_close(b, name);
		return;
	case JSON_STRING:
		xml_open(b, name);
		xml_text(b, json_string_value(v), json_string_length(v));
		xml_close(b, name);
		return;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		break;
	case JSON_TRUE:
		snprintf(num, sizeof(num), "true");
		break;
	case JSON_FALSE:
		snprintf(num, sizeof(num), "false");
		break;
	}
	xml_open(b, name);
	xml_puts(b, num);
	xml_close(b, name);
}

static void
xml_root_open(struct xml_buf *b, const char *name, const char *xmlns)
{
	xml_puts(b, "<");
	xml_puts(b, name);
	if (xmlns != NULL) {
		xml_puts(b, " xmlns=\"");
		xml_text(b, xmlns, strlen(xmlns));
		xml_puts(b, "\"");
	}
	xml_puts(b, ">");
}

static void
xml_respond(struct http_response *resp, int http_status, struct xml_buf *b,
    const char *request_id)
{
	static const char failed[] = "<ErrorResponse><Error><Type>Receiver"
	    "</Type><Code>InternalFailure</Code><Message>An internal error "
	    "occurred.</Message></Error></ErrorResponse>";

	resp->content_type = XML_CONTENT_TYPE;
	if (b->is_failed) {
		free(b->data);
		b->data = strdup(failed);
		http_status = 500;
	}
	resp->status = http_status;
	resp->body = b->data;
	resp->body_len = b->data != NULL ? strlen(b->data) : 0;
	if (request_id != NULL)
		http_response_add_header(resp, "x-amzn-RequestId", request_id);
}

void
query_protocol_respond(struct http_response *resp, const char *action,
    const char *xmlns, json_t *result, const char *request_id)
{
	struct xml_buf	 b;
	char		 name[QUERY_NAME_MAX + 16];

	memset(&b, 0, sizeof(b));
	snprintf(name, sizeof(name), "%sResponse", action);
	xml_root_open(&b, name, xmlns);
	if (result != NULL) {
		snprintf(name, sizeof(name), "%sResult", action);
		xml_open(&b, name);
		if (json_is_object(result))
			xml_members(&b, result);
		xml_close(&b, name);
	}
	xml_puts(&b, "<ResponseMetadata><RequestId>");
	xml_text(&b, request_id != NULL ? request_id : "",
	    request_id != NULL ? strlen(request_id) : 0);
	xml_puts(&b, "</RequestId></ResponseMetadata>");
	snprintf(name, sizeof(name), "%sResponse", action);
	xml_close(&b, name);
	json_decref(result);
	xml_respond(resp, 200, &b, request_id);
}

void
query_protocol_respond_error(struct http_response *resp, int http_status,
    const char *xmlns, const char *code, const char *message,
    const char *request_id)
{
	struct xml_buf	 b;

	memset(&b, 0, sizeof(b));
	xml_root_open(&b, "ErrorResponse", xmlns);
	xml_puts(&b, "<Error><Type>");
	xml_puts(&b, http_status >= 500 ? "Receiver" : "Sender");
	xml_puts(&b, "</Type><Code>");
	xml_text(&b, code, strlen(code));
	xml_puts(&b, "</Code>");
	if (message != NULL && message[0] != '\0') {
		xml_puts(&b, "<Message>");
		xml_text(&b, message, strlen(message));
		xml_puts(&b, "</Message>");
	}
	xml_puts(&b, "</Error><RequestId>");
	xml_text(&b, request_id != NULL ? request_id : "",
	    request_id != NULL ? strlen(request_id) : 0);
	xml_puts(&b, "</RequestId></ErrorResponse>");
	xml_respond(resp, http_status, &b, request_id);
}
