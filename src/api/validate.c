/*
 * validate.c: input checks driven by each operation's field table, which
 * mirrors the AWS model (types, length/value bounds, required, sensitive).
 *
 * Wrong JSON types are SerializationException, as AWS's front door answers;
 * model constraint violations are collected and reported together as one
 * ValidationException in AWS's format.  Sensitive values are never echoed.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "common/str_copy.h"

#define REDACTED	"*** Sensitive Data Redacted ***"

struct violations {
	size_t	 count;
	char	 text[ERROR_MESSAGE_MAX];
	size_t	 len;
};

static void
camel_name(const char *name, char *out, size_t out_len)
{
	(void)str_copy(out, out_len, name);
	out[0] = (char)tolower((unsigned char)out[0]);
}

static void
violation_add(struct violations *v, const char *value, bool quote,
    const char *path, const char *constraint)
{
	int n;

	if (v->len >= sizeof(v->text))
		return;
	n = snprintf(v->text + v->len, sizeof(v->text) - v->len,
	    "%sValue %s%s%s at '%s' failed to satisfy constraint: Member %s",
	    v->count > 0 ? "; " : "", quote ? "'" : "", value, quote ? "'" : "",
	    path, constraint);
	if (n > 0)
		v->len += (size_t)n;
	v->count++;
}

static void
check_length(struct violations *v, const struct field_spec *f,
    const char *path, const char *shown, size_t len)
{
	char constraint[96];

	if (f->min >= 0 && (int64_t)len < f->min) {
		snprintf(constraint, sizeof(constraint),
		    "must have length greater than or equal to %" PRId64, f->min);
		violation_add(v, shown, true, path, constraint);
	}
	if (f->max >= 0 && (int64_t)len > f->max) {
		snprintf(constraint, sizeof(constraint),
		    "must have length less than or equal to %" PRId64, f->max);
		violation_add(v, shown, true, path, constraint);
	}
}

static bool
enum_contains(const char *set, const char *value)
{
	size_t len = strlen(value);

	for (const char *p = set; *p != '\0'; ) {
		size_t n = strcspn(p, "|");

		if (n == len && strncmp(p, value, len) == 0)
			return true;
		p += n;
		if (*p == '|')
			p++;
	}
	return false;
}

/* "Member must satisfy enum value set: [asc, desc]" */
static void
enum_violation(struct violations *v, const struct field_spec *f,
    const char *path, const char *value)
{
	char	 constraint[512];
	size_t	 n;

	n = (size_t)snprintf(constraint, sizeof(constraint),
	    "must satisfy enum value set: [");
	for (const char *p = f->enum_values; *p != '\0' &&
	    n + 4 < sizeof(constraint); p++) {
		if (*p == '|') {
			constraint[n++] = ',';
			constraint[n++] = ' ';
		} else
			constraint[n++] = *p;
	}
	snprintf(constraint + n, sizeof(constraint) - n, "]");
	violation_add(v, value, true, path, constraint);
}

static size_t
utf8_length_n(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static size_t
utf8_length(const char *s)
{
	return utf8_length_n(s, strlen(s));
}

static size_t
base64_decoded_length(const char *s)
{
	size_t len = strlen(s), pad = 0;

	if (len >= 1 && s[len - 1] == '=')
		pad++;
	if (len >= 2 && s[len - 2] == '=')
		pad++;
	return len / 4 * 3 - (len % 4 == 0 ? pad : 0);
}

static const char *
serialization_message(const json_t *value, const char *expected)
{
	if (json_is_object(value))
		return "Start of structure or map found where not expected.";
	if (json_is_array(value))
		return "Start of list found where not expected.";
	if (strcmp(expected, "string") == 0) {
		if (json_is_number(value))
			return "class com.amazon.coral.value.json.numbers."
			    "TruncatingBigNumber can not be converted to an String";
		return "class java.lang.Boolean can not be converted to an String";
	}
	if (strcmp(expected, "boolean") == 0)
		return json_is_number(value) ?
		    "class com.amazon.coral.value.json.numbers."
		    "TruncatingBigNumber can not be converted to an Boolean" :
		    "class java.lang.String can not be converted to an Boolean";
	if (strcmp(expected, "number") == 0)
		return json_is_string(value) ?
		    "class java.lang.String can not be converted to an Long" :
		    "class java.lang.Boolean can not be converted to an Long";
	return "Start of structure or map expected.";
}

static enum status
check_tags(const json_t *list, const char *path, struct violations *v,
    struct error *err)
{
	static const struct field_spec key_spec = { "Key", FIELD_STRING, 1, 128,
	    false, false, NULL };
	static const struct field_spec value_spec = { "Value", FIELD_STRING, 0,
	    256, false, false, NULL };
	size_t	 i;
	json_t	*tag;
	char	 sub[192];

	json_array_foreach(list, i, tag) {
		const json_t *k, *val;

		if (!json_is_object(tag))
			return error_set(err, STATUS_SERIALIZATION, "%s",
			    serialization_message(tag, "structure"));
		k = json_object_get(tag, "Key");
		val = json_object_get(tag, "Value");
		if ((k != NULL && !json_is_string(k) && !json_is_null(k)) ||
		    (val != NULL && !json_is_string(val) && !json_is_null(val)))
			return error_set(err, STATUS_SERIALIZATION, "%s",
			    serialization_message(json_is_string(k) ? val : k,
			    "string"));
		if (json_is_string(k)) {
			snprintf(sub, sizeof(sub), "%s.%zu.member.key", path,
			    i + 1);
			check_length(v, &key_spec, sub, json_string_value(k),
			    utf8_length(json_string_value(k)));
		}
		if (json_is_string(val)) {
			snprintf(sub, sizeof(sub), "%s.%zu.member.value", path,
			    i + 1);
			check_length(v, &value_spec, sub, json_string_value(val),
			    utf8_length(json_string_value(val)));
		}
	}
	return STATUS_OK;
}

/* Does any string inside value (recursively) hold a NUL character? */
static bool
json_has_nul(const json_t *value)
{
	const char	*key;
	json_t		*item;
	size_t		 i;

	if (json_is_string(value))
		return strlen(json_string_value(value)) !=
		    json_string_length(value);
	if (json_is_array(value)) {
		json_array_foreach(value, i, item)
			if (json_has_nul(item))
				return true;
	} else if (json_is_object(value)) {
		json_object_foreach((json_t *)value, key, item)
			if (json_has_nul(item))
				return true;
	}
	return false;
}

enum status
api_validate(const json_t *in, const struct field_spec *fields,
    struct error *err)
{
	struct violations v;
	char		 path[96], shown[64], constraint[96];
	enum status	 st;

	memset(&v, 0, sizeof(v));
	for (const struct field_spec *f = fields; f->name != NULL; f++) {
		const json_t *value = json_object_get(in, f->name);

		camel_name(f->name, path, sizeof(path));
		/* Only a sensitive string (a secret value) may hold NUL. */
		if (value != NULL && !(f->type == FIELD_STRING &&
		    f->is_sensitive) && json_has_nul(value)) {
			violation_add(&v, "(contains NUL)", false, path,
			    "must not contain the NUL character");
			continue;
		}
		if (value == NULL || json_is_null(value)) {
			if (f->is_required)
				violation_add(&v, "null", false, path,
				    "must not be null");
			continue;
		}
		switch (f->type) {
		case FIELD_STRING:
		case FIELD_BLOB:
			if (!json_is_string(value))
				return error_set(err, STATUS_SERIALIZATION, "%s",
				    serialization_message(value, "string"));
			check_length(&v, f, path, f->is_sensitive ? REDACTED :
			    json_string_value(value), f->type == FIELD_BLOB ?
			    base64_decoded_length(json_string_value(value)) :
			    utf8_length_n(json_string_value(value),
			    json_string_length(value)));
			if (f->enum_values != NULL &&
			    !enum_contains(f->enum_values, json_string_value(value)))
				enum_violation(&v, f, path,
				    json_string_value(value));
			break;
		case FIELD_BOOLEAN:
			if (!json_is_boolean(value))
				return error_set(err, STATUS_SERIALIZATION, "%s",
				    serialization_message(value, "boolean"));
			break;
		case FIELD_INTEGER:
		case FIELD_LONG:
			if (!json_is_integer(value))
				return error_set(err, STATUS_SERIALIZATION, "%s",
				    serialization_message(value, "number"));
			snprintf(shown, sizeof(shown), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(value));
			if (f->min >= 0 && json_integer_value(value) < f->min) {
				snprintf(constraint, sizeof(constraint),
				    "must have value greater than or equal to %"
				    PRId64, f->min);
				violation_add(&v, shown, true, path, constraint);
			}
			if (f->max >= 0 && json_integer_value(value) > f->max) {
				snprintf(constraint, sizeof(constraint),
				    "must have value less than or equal to %"
				    PRId64, f->max);
				violation_add(&v, shown, true, path, constraint);
			}
			break;
		case FIELD_STRING_LIST:
		case FIELD_TAG_LIST:
		case FIELD_STRUCT_LIST: {
			size_t	 i;
			json_t	*item;

			if (!json_is_array(value))
				return error_set(err, STATUS_SERIALIZATION, "%s",
				    json_is_object(value) ?
				    "Start of structure or map found where not "
				    "expected." : "Expected list or null");
			json_array_foreach(value, i, item) {
				if (f->type == FIELD_STRING_LIST &&
				    !json_is_string(item))
					return error_set(err, STATUS_SERIALIZATION,
					    "%s", serialization_message(item,
					    "string"));
				if (f->type == FIELD_STRUCT_LIST &&
				    !json_is_object(item))
					return error_set(err, STATUS_SERIALIZATION,
					    "%s", serialization_message(item,
					    "structure"));
			}
			snprintf(shown, sizeof(shown), "[%zu items]",
			    json_array_size(value));
			check_length(&v, f, path, shown, json_array_size(value));
			if (f->type == FIELD_TAG_LIST &&
			    (st = check_tags(value, path, &v, err)) != STATUS_OK)
				return st;
			break;
		}
		case FIELD_STRUCT:
			if (!json_is_object(value))
				return error_set(err, STATUS_SERIALIZATION, "%s",
				    "Start of structure or map expected.");
			break;
		}
	}
	if (v.count == 0)
		return STATUS_OK;
	return error_set(err, STATUS_VALIDATION, "%zu validation error%s "
	    "detected: %s", v.count, v.count == 1 ? "" : "s", v.text);
}

json_t *
api_redacted_parameters(const json_t *in, const struct field_spec *fields)
{
	json_t	*out = json_object();
	char	 name[96];

	if (out == NULL)
		return NULL;
	for (const struct field_spec *f = fields; f->name != NULL; f++) {
		json_t *value = json_object_get(in, f->name);

		if (value == NULL || f->is_sensitive)
			continue;
		camel_name(f->name, name, sizeof(name));
		json_object_set(out, name, value);
	}
	if (json_object_size(out) == 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

const char *
api_string(const json_t *in, const char *name)
{
	return json_string_value(json_object_get(in, name));
}

bool
api_bool(const json_t *in, const char *name, bool def)
{
	const json_t *v = json_object_get(in, name);

	return json_is_boolean(v) ? json_is_true(v) : def;
}

bool
api_has(const json_t *in, const char *name)
{
	const json_t *v = json_object_get(in, name);

	return v != NULL && !json_is_null(v);
}

json_t *
api_timestamp(int64_t ms)
{
	if (ms % 1000 == 0)
		return json_integer(ms / 1000);
	return json_real((double)ms / 1000.0);
}
