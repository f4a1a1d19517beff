/*
 * fuzz_json_request.c: the AWS JSON 1.1 request decoding
 * (src/protocol/json_protocol.c) and the field validation of every
 * Secrets Manager operation (src/api/validate.c with the generated tables
 * of src/api/secretsmanager_fields.c), as the request pipeline runs them
 * after authentication.
 *
 * Input: the X-Amz-Target value, '\n', then the body.  Every body that
 * parses is validated against the field table of every operation: the
 * list is made at build time from src/api/secretsmanager_fields.h (see
 * mk/fuzz.mk), so a new operation is fuzzed as soon as its table is
 * generated.
 *
 * Properties beyond the sanitizers: a split target joins back to the
 * header; a parsed body is an object; an input that validates has every
 * required field and every field of the type its table says; redacted
 * parameters never hold a sensitive field; every error becomes a response
 * body that is valid JSON naming its __type.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/secretsmanager_fields.h"
#include "fuzz_common.h"

struct field_table {
	const char		*operation;
	const struct field_spec	*fields;
};

#define FUZZ_FIELD_TABLE(op) { #op, secretsmanager_fields_##op },
static const struct field_table field_tables[] = {
#include "fuzz_field_tables.h"
	{ NULL, NULL },
};
#undef FUZZ_FIELD_TABLE

static void
check_error_response(const struct error *err)
{
	struct http_response resp;
	json_t		*parsed;
	json_error_t	 jerr;
	const struct api_error_info *info = api_error_info(err->status);

	FUZZ_CHECK_ERROR(err);
	memset(&resp, 0, sizeof(resp));
	json_protocol_respond_error(&resp, info->http_status, info->type,
	    err->message, info->is_front_door ? JSON_ERROR_FRONT_DOOR :
	    JSON_ERROR_SERVICE, "00000000-0000-0000-0000-000000000000");
	FUZZ_CHECK(resp.body != NULL);
	parsed = json_loadb(resp.body, resp.body_len, 0, &jerr);
	FUZZ_CHECK(parsed != NULL);
	FUZZ_CHECK(json_is_string(json_object_get(parsed, "__type")));
	json_decref(parsed);
	http_response_cleanup(&resp);
}

static void
camel(const char *name, char *out, size_t out_len)
{
	snprintf(out, out_len, "%s", name);
	out[0] = (char)tolower((unsigned char)out[0]);
}

static void
check_valid(const json_t *in, const struct field_spec *fields)
{
	json_t	*redacted;
	char	 name[96];

	for (const struct field_spec *f = fields; f->name != NULL; f++) {
		const json_t *v = json_object_get(in, f->name);

		if (v == NULL || json_is_null(v)) {
			FUZZ_CHECK(!f->is_required);
			continue;
		}
		switch (f->type) {
		case FIELD_STRING:
		case FIELD_BLOB:
			FUZZ_CHECK(json_is_string(v));
			break;
		case FIELD_BOOLEAN:
			FUZZ_CHECK(json_is_boolean(v));
			break;
		case FIELD_INTEGER:
		case FIELD_LONG:
			FUZZ_CHECK(json_is_integer(v));
			FUZZ_CHECK(f->min < 0 || json_integer_value(v) >= f->min);
			FUZZ_CHECK(f->max < 0 || json_integer_value(v) <= f->max);
			break;
		case FIELD_STRING_LIST:
		case FIELD_TAG_LIST:
		case FIELD_STRUCT_LIST:
			FUZZ_CHECK(json_is_array(v));
			FUZZ_CHECK(f->min < 0 ||
			    json_array_size(v) >= (size_t)f->min);
			FUZZ_CHECK(f->max < 0 ||
			    json_array_size(v) <= (size_t)f->max);
			break;
		case FIELD_STRUCT:
			FUZZ_CHECK(json_is_object(v));
			break;
		}
	}
	redacted = api_redacted_parameters(in, fields);
	for (const struct field_spec *f = fields; f->name != NULL; f++) {
		if (!f->is_sensitive)
			continue;
		camel(f->name, name, sizeof(name));
		FUZZ_CHECK(json_object_get(redacted, name) == NULL);
	}
	json_decref(redacted);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_reader r;
	struct http_request req;
	struct protocol_target target;
	struct error	 err;
	json_t		*in = NULL;
	char		*target_value, *body, joined[160];
	size_t		 body_len = 0;
	enum status	 st;

	fuzz_reader_init(&r, data, size);
	target_value = fuzz_reader_until(&r, '\n');
	body = fuzz_reader_rest(&r, &body_len);
	if (target_value == NULL || body == NULL)
		goto out;

	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = "/";
	req.headers[0].name = "X-Amz-Target";
	req.headers[0].value = target_value;
	req.header_count = 1;
	req.body = (const unsigned char *)body;
	req.body_len = body_len;

	memset(&err, 0, sizeof(err));
	st = json_protocol_target(&req, &target, &err);
	FUZZ_CHECK_ERROR(&err);
	if (st == STATUS_OK) {
		snprintf(joined, sizeof(joined), "%s.%s", target.prefix,
		    target.operation);
		FUZZ_CHECK(strcmp(joined, target_value) == 0);
	} else
		FUZZ_CHECK(st == STATUS_UNKNOWN_OPERATION);

	memset(&err, 0, sizeof(err));
	st = json_protocol_body(&req, &in, &err);
	if (st != STATUS_OK) {
		FUZZ_CHECK(st == STATUS_SERIALIZATION || st == STATUS_NO_MEMORY);
		check_error_response(&err);
		goto out;
	}
	FUZZ_CHECK(json_is_object(in));
	FUZZ_CHECK(field_tables[0].operation != NULL);
	for (const struct field_table *t = field_tables; t->operation != NULL;
	    t++) {
		memset(&err, 0, sizeof(err));
		st = api_validate(in, t->fields, &err);
		if (st == STATUS_OK)
			check_valid(in, t->fields);
		else {
			FUZZ_CHECK(st == STATUS_SERIALIZATION ||
			    st == STATUS_VALIDATION);
			check_error_response(&err);
		}
	}
out:
	json_decref(in);
	fuzz_reader_free(&r);
	return 0;
}
