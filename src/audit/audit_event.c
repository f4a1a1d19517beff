/*
 * audit_event.c: a struct audit_event as one CloudTrail record, compact
 * JSON, written straight into a buffer.
 *
 * This runs on every request, so the record is not built as a jansson tree:
 * strings are escaped into one growing buffer, and only the small JSON
 * members (requestParameters, responseElements, additionalEventData) go
 * through json_write_compact, which writes what json_dumps would (the
 * records already written and chained must keep their form).  Strings
 * that are not valid UTF-8 are recorded as "(invalid UTF-8)", as jansson
 * would refuse them.  Any "Signature=VALUE" in an error message (AWS's
 * messages quote the Authorization header) is cut to
 * "Signature=<redacted>": events never carry signatures.
 *
 * Thread-safety: no shared state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "common/json_write.h"
#include "core/core.h"

#define AUDIT_EVENT_VERSION	"1.08"

struct record {
	char	*data;
	size_t	 len;
	size_t	 cap;
	bool	 is_failed;
	bool	 needs_comma;
};

/* A record starts with room for a typical event (about 900 bytes). */
#define RECORD_START_CAP	1024

/* Room for n more bytes and the terminator; false once allocation failed. */
static bool
grow(struct record *r, size_t n)
{
	size_t	 cap;
	char	*bigger;

	if (r->is_failed)
		return false;
	if (n > SIZE_MAX / 4 - r->len) {
		r->is_failed = true;
		return false;
	}
	cap = r->cap > 0 ? r->cap : RECORD_START_CAP;
	while (cap < r->len + n + 1)
		cap *= 2;
	if ((bigger = realloc(r->data, cap)) == NULL) {
		r->is_failed = true;
		return false;
	}
	r->data = bigger;
	r->cap = cap;
	return true;
}

static inline bool
reserve(struct record *r, size_t n)
{
	return (r->len + n + 1 <= r->cap && !r->is_failed) || grow(r, n);
}

/* Unterminated while the record is built; audit_event_record ends it. */
static inline void
put(struct record *r, const char *s, size_t n)
{
	if (!reserve(r, n))
		return;
	memcpy(r->data + r->len, s, n);
	r->len += n;
}

static void
put_str(struct record *r, const char *s)
{
	put(r, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_length(const unsigned char *s)
{
	unsigned int	 c = s[0], v;
	size_t		 n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, v = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
	    (n == 4 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	return n;
}

/*
 * s as a JSON string (quotes included), or "(invalid UTF-8)" when it is
 * not: one pass checks and escapes, and an invalid sequence takes back
 * what was written.
 */
static void
put_quoted(struct record *r, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	static const char	 invalid[] = "\"(invalid UTF-8)\"";
	const unsigned char	*p = (const unsigned char *)s, *run;
	size_t			 start = r->len, n;
	char			 esc[6];

	put(r, "\"", 1);
	for (run = p; *p != '\0'; p += n) {
		unsigned char c = *p;

		n = 1;
		if (c >= 0x80) {
			if ((n = utf8_length(p)) == 0) {
				r->len = start;
				put(r, invalid, sizeof(invalid) - 1);
				return;
			}
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(r, (const char *)run, (size_t)(p - run));
		run = p + 1;
		switch (c) {
		case '"':	put(r, "\\\"", 2); break;
		case '\\':	put(r, "\\\\", 2); break;
		case '\n':	put(r, "\\n", 2); break;
		case '\r':	put(r, "\\r", 2); break;
		case '\t':	put(r, "\\t", 2); break;
		case '\b':	put(r, "\\b", 2); break;
		case '\f':	put(r, "\\f", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0x0f];
			put(r, esc, 6);
		}
	}
	put(r, (const char *)run, (size_t)(p - run));
	put(r, "\"", 1);
}

/* [,]"key": in one step. */
static void
put_key(struct record *r, const char *key)
{
	size_t	 n = strlen(key);
	char	*out;

	if (!reserve(r, n + 4))
		return;
	out = r->data + r->len;
	if (r->needs_comma)
		*out++ = ',';
	*out++ = '"';
	memcpy(out, key, n);
	out += n;
	*out++ = '"';
	*out++ = ':';
	r->len = (size_t)(out - r->data);
	r->needs_comma = true;
}

/* "key":"value", left out when value is NULL or empty. */
static void
field_string(struct record *r, const char *key, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	put_key(r, key);
	put_quoted(r, value);
}

/* "key":<compact JSON of value, or null>. */
static void
field_json(struct record *r, const char *key, const json_t *value)
{
	char	*text;
	size_t	 len;

	put_key(r, key);
	if (value == NULL) {
		put(r, "null", 4);
		return;
	}
	/* Precision 0 is jansson's default of 17 digits. */
	if ((text = json_write_compact(value, 0, &len)) == NULL) {
		r->is_failed = true;
		return;
	}
	put(r, text, len);
	explicit_bzero(text, len);
	free(text);
}

static void
object_begin(struct record *r, const char *key)
{
	if (key != NULL)
		put_key(r, key);
	put(r, "{", 1);
	r->needs_comma = false;
}

static void
object_end(struct record *r)
{
	put(r, "}", 1);
	r->needs_comma = true;
}

/* msg with every "Signature=VALUE" cut to "Signature=<redacted>"; malloc'd. */
static char *
scrub_signatures(const char *msg)
{
	static const char	 mark[] = "Signature=", cut[] = "<redacted>";
	size_t			 count = 0, len = strlen(msg), n = 0;
	const char		*p;
	char			*out;

	for (p = msg; (p = strstr(p, mark)) != NULL; p += sizeof(mark) - 1)
		count++;
	if ((out = malloc(len + count * sizeof(cut) + 1)) == NULL)
		return NULL;
	for (p = msg; *p != '\0';) {
		if (strncmp(p, mark, sizeof(mark) - 1) != 0) {
			out[n++] = *p++;
			continue;
		}
		memcpy(out + n, mark, sizeof(mark) - 1);
		n += sizeof(mark) - 1;
		memcpy(out + n, cut, sizeof(cut) - 1);
		n += sizeof(cut) - 1;
		for (p += sizeof(mark) - 1; *p != '\0' &&
		    strchr(", &;\"'", *p) == NULL; p++)
			;
	}
	out[n] = '\0';
	return out;
}

static void
identity(struct record *r, const struct audit_event *ev)
{
	object_begin(r, "userIdentity");
	if (ev->is_service_event) {
		field_string(r, "accountId", ev->account_id);
		field_string(r, "invokedBy", ev->event_source);
	} else {
		field_string(r, "type", ev->principal_arn != NULL ?
		    ev->identity_type : "Unknown");
		field_string(r, "principalId", ev->principal_id);
		field_string(r, "arn", ev->principal_arn);
		field_string(r, "accountId", ev->account_id);
		field_string(r, "accessKeyId", ev->access_key_id);
	}
	object_end(r);
}

/* The resources entry of an ARN: its owner's account and CloudTrail type. */
static void
resources(struct record *r, const char *arn)
{
	struct arn_parts	 parts;
	const char		*type = NULL, *account = NULL;

	if (arn == NULL || arn[0] == '\0' || strcmp(arn, "*") == 0)
		return;
	if (arn_parse(arn, &parts) == STATUS_OK) {
		account = parts.account_id;
		if (strcmp(parts.service, "secretsmanager") == 0)
			type = "AWS::SecretsManager::Secret";
		else if (strcmp(parts.service, "kms") == 0)
			type = "AWS::KMS::Key";
	}
	put_key(r, "resources");
	put(r, "[", 1);
	object_begin(r, NULL);
	field_string(r, "accountId", account);
	field_string(r, "type", type);
	field_string(r, "ARN", arn);
	object_end(r);
	put(r, "]", 1);
}

static void
additional_data(struct record *r, const struct audit_event *ev)
{
	json_t *extra;

	if (ev->additional_event_data == NULL && ev->alarm == NULL)
		return;
	extra = ev->additional_event_data != NULL ?
	    json_deep_copy(ev->additional_event_data) : json_object();
	if (extra == NULL || !json_is_object(extra)) {
		json_decref(extra);
		r->is_failed = true;
		return;
	}
	if (ev->alarm != NULL)
		json_object_set_new(extra, "sesameAlarm", json_string(ev->alarm));
	field_json(r, "additionalEventData", extra);
	json_decref(extra);
}

char *
audit_event_record(const struct audit_event *ev, size_t *out_len)
{
	struct record	 r;
	char		 stamp[32], event_id[37], *message = NULL;

	memset(&r, 0, sizeof(r));
	if (core_request_uuid(event_id) != STATUS_OK)
		return NULL;
	audit_format_time(ev->time_ms, stamp, sizeof(stamp));
	if (ev->error_message != NULL &&
	    (message = scrub_signatures(ev->error_message)) == NULL)
		return NULL;

	object_begin(&r, NULL);
	field_string(&r, "eventVersion", AUDIT_EVENT_VERSION);
	identity(&r, ev);
	field_string(&r, "eventTime", stamp);
	field_string(&r, "eventSource", ev->event_source);
	field_string(&r, "eventName", ev->event_name);
	field_string(&r, "awsRegion", ev->region);
	field_string(&r, "sourceIPAddress", ev->is_service_event ?
	    ev->event_source : ev->source_ip);
	field_string(&r, "userAgent", ev->is_service_event ? ev->event_source :
	    ev->user_agent);
	field_string(&r, "errorCode", ev->error_code);
	field_string(&r, "errorMessage", message);
	field_json(&r, "requestParameters", ev->request_parameters);
	field_json(&r, "responseElements", ev->response_elements);
	additional_data(&r, ev);
	field_string(&r, "requestID", ev->request_id);
	field_string(&r, "eventID", event_id);
	put_key(&r, "readOnly");
	put_str(&r, ev->is_read_only ? "true" : "false");
	resources(&r, ev->resource_arn);
	field_string(&r, "eventType", ev->is_service_event ? "AwsServiceEvent" :
	    "AwsApiCall");
	put_key(&r, "managementEvent");
	put(&r, "true", 4);
	field_string(&r, "recipientAccountId", ev->account_id);
	object_end(&r);
	free(message);
	if (r.is_failed) {
		free(r.data);
		return NULL;
	}
	r.data[r.len] = '\0';	/* put keeps room for it */
	*out_len = r.len;
	return r.data;
}
