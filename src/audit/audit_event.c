/*
 * audit_event.c: a struct audit_event as one CloudTrail record, compact
 * JSON, written straight into a buffer.
 *
 * This runs on every request, so the record is not built as a jansson tree:
 * it is written into one json_write text buffer, its strings and its small
 * JSON members (requestParameters, responseElements, additionalEventData)
 * by json_write's own writers, byte for byte what json_dumps writes (the
 * records already written and chained must keep their form).  Strings
 * that are not valid UTF-8 are recorded as "(invalid UTF-8)", as jansson
 * would refuse them.  Any "Signature=VALUE" in an error message (AWS's
 * messages quote the Authorization header) is cut to
 * "Signature=<redacted>": events never carry signatures.
 *
 * Thread-safety: no shared state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "common/json_write.h"
#include "core/core.h"

#define AUDIT_EVENT_VERSION	"1.08"

struct record {
	struct json_text text;
	bool		 needs_comma;
};

/* A record starts with room for a typical event (about 900 bytes). */
#define RECORD_START_CAP	1024

static void
put(struct record *r, const char *s, size_t n)
{
	json_text_put(&r->text, s, n);
}

static void
put_str(struct record *r, const char *s)
{
	put(r, s, strlen(s));
}

/* s as a JSON string (quotes included), or "(invalid UTF-8)" when it is
 * not. */
static void
put_quoted(struct record *r, const char *s)
{
	static const char invalid[] = "\"(invalid UTF-8)\"";

	if (!json_text_string(&r->text, s, strlen(s)))
		put(r, invalid, sizeof(invalid) - 1);
}

/* [,]"key": in one step. */
static void
put_key(struct record *r, const char *key)
{
	struct json_text *t = &r->text;
	size_t		 n = strlen(key);
	char		*out;

	if (!json_text_reserve(t, n + 4))
		return;
	out = t->data + t->len;
	if (r->needs_comma)
		*out++ = ',';
	*out++ = '"';
	memcpy(out, key, n);
	out += n;
	*out++ = '"';
	*out++ = ':';
	t->len = (size_t)(out - t->data);
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
	put_key(r, key);
	if (value == NULL) {
		put(r, "null", 4);
		return;
	}
	/* Precision 0 is jansson's default of 17 digits. */
	json_text_value(&r->text, value, 0);
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
		r->text.is_failed = true;
		return;
	}
	if (ev->alarm != NULL)
		json_object_set_new(extra, "sesameAlarm", json_string(ev->alarm));
	field_json(r, "additionalEventData", extra);
	json_decref(extra);
}

char *
audit_event_record(const struct audit_event *ev, size_t spare,
    size_t *out_len)
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

	(void)json_text_reserve(&r.text, RECORD_START_CAP - 1);
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
	(void)json_text_reserve(&r.text, spare);
	free(message);
	return json_text_finish(&r.text, out_len);
}
