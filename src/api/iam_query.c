/*
 * iam_query.c: what the pipeline does differently for the AWS Query
 * services, IAM and STS.
 *
 * They are reached by a form-encoded POST without X-Amz-Target and told
 * apart by the credential scope's service (sts, else iam).  The body is
 * decoded by protocol/query_protocol.c into the JSON shape the JSON
 * protocol would carry, with every scalar a string; here the values get
 * the types of the operation's field table (integers, booleans, empty
 * lists, which botocore sends as "Name="), then the model's constraints
 * (api_validate) and the name patterns IAM enforces (the field tables
 * carry no patterns).  Answers are XML in the service's namespace, errors
 * with the Query services' own codes and statuses (NoSuchEntity 404,
 * EntityAlreadyExists 409, InvalidClientTokenId 403, ...).
 *
 * Also here: the helpers IAM's and STS's handlers share (iam_internal.h).
 *
 * Thread-safety: reentrant.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/iam_internal.h"

/* ---- errors ---- */

#define MSG_INTERNAL	"The request processing has failed because of an " \
			"unknown error, exception or failure."

static const struct api_error_info query_front_door[STATUS__COUNT] = {
	[STATUS_ACCESS_DENIED] = { 403, "AccessDenied", "Access denied.",
	    false },
	[STATUS_VALIDATION] = { 400, "ValidationError",
	    "The input fails to satisfy the constraints.", false },
	[STATUS_SERIALIZATION] = { 400, "MalformedQueryString",
	    "The query string contains a syntax error.", false },
	[STATUS_UNKNOWN_OPERATION] = { 400, "InvalidAction",
	    "The action or operation requested is invalid.", false },
	[STATUS_REQUEST_TOO_LARGE] = { 413, "RequestEntityTooLarge",
	    "Request body is too large", false },
	[STATUS_MISSING_AUTH] = { 403, "MissingAuthenticationToken",
	    "Request is missing Authentication Token", false },
	[STATUS_INCOMPLETE_SIGNATURE] = { 400, "IncompleteSignature",
	    "The request signature does not conform to AWS standards.",
	    false },
	[STATUS_INVALID_SIGNATURE] = { 403, "SignatureDoesNotMatch",
	    "The request signature we calculated does not match the signature "
	    "you provided. Check your AWS Secret Access Key and signing method. "
	    "Consult the service documentation for details.", false },
	[STATUS_UNRECOGNIZED_CLIENT] = { 403, "InvalidClientTokenId",
	    "The security token included in the request is invalid.", false },
	[STATUS_EXPIRED_TOKEN] = { 403, "ExpiredToken",
	    "The security token included in the request is expired", false },
};

static const struct api_error_info iam_errors[STATUS__COUNT] = {
	[STATUS_NOT_FOUND] = { 404, "NoSuchEntity",
	    "The request was rejected because it referenced a resource entity "
	    "that does not exist.", false },
	[STATUS_EXISTS] = { 409, "EntityAlreadyExists",
	    "The request was rejected because it attempted to create a "
	    "resource that already exists.", false },
	[STATUS_INVALID_PARAMETER] = { 400, "InvalidInput",
	    "The request was rejected because an invalid or out-of-range "
	    "value was supplied for an input parameter.", false },
	[STATUS_INVALID_NEXT_TOKEN] = { 400, "InvalidInput",
	    "The Marker is not valid.", false },
	/* IAM's only "not in this state" error is DeleteConflict. */
	[STATUS_INVALID_REQUEST] = { 409, "DeleteConflict",
	    "The request was rejected because it attempted to delete a "
	    "resource that has attached subordinate entities.", false },
	[STATUS_LIMIT_EXCEEDED] = { 409, "LimitExceeded",
	    "The request was rejected because it attempted to create "
	    "resources beyond the current AWS account limits.", false },
	[STATUS_MALFORMED_POLICY] = { 400, "MalformedPolicyDocument",
	    "Syntax errors in policy.", false },
};

static const struct api_error_info sts_errors[STATUS__COUNT] = {
	[STATUS_NOT_FOUND] = { 400, "ValidationError",
	    "The input fails to satisfy the constraints.", false },
	[STATUS_INVALID_PARAMETER] = { 400, "ValidationError",
	    "The input fails to satisfy the constraints.", false },
	[STATUS_INVALID_REQUEST] = { 400, "ValidationError",
	    "The input fails to satisfy the constraints.", false },
	[STATUS_LIMIT_EXCEEDED] = { 400, "PackedPolicyTooLarge",
	    "The request was rejected because the total packed size of the "
	    "session policies and session tags combined was too large.",
	    false },
	[STATUS_MALFORMED_POLICY] = { 400, "MalformedPolicyDocument",
	    "The request was rejected because the policy document was "
	    "malformed.", false },
};

static const struct api_error_info iam_internal = {
	500, "ServiceFailure", MSG_INTERNAL, false
};
static const struct api_error_info sts_internal = {
	500, "InternalFailure", MSG_INTERNAL, false
};

static const struct api_error_info *
error_lookup(const struct api_error_info *own, const struct api_error_info
    *internal, enum status st)
{
	if ((unsigned)st < STATUS__COUNT && own[st].type != NULL)
		return &own[st];
	if ((unsigned)st < STATUS__COUNT && query_front_door[st].type != NULL)
		return &query_front_door[st];
	return internal;
}

const struct api_error_info *
iam_error_info(enum status st)
{
	return error_lookup(iam_errors, &iam_internal, st);
}

const struct api_error_info *
sts_error_info(enum status st)
{
	return error_lookup(sts_errors, &sts_internal, st);
}

/* ---- which service ---- */

const struct api_service *
api_query_service(const struct http_request *req)
{
	struct sigv4_authorization auth;
	const char	*header = http_request_header(req, "Authorization");
	const char	*cred;

	if (header != NULL) {
		if (sigv4_parse_authorization(header, &auth, NULL) ==
		    STATUS_OK && strcmp(auth.service, "sts") == 0)
			return &api_service_sts;
		return &api_service_iam;
	}
	/* A presigned request: X-Amz-Credential=KEY/DATE/REGION/sts/... ,
	 * the service looked for in that value only. */
	if (req->query != NULL &&
	    (cred = strstr(req->query, "X-Amz-Credential=")) != NULL) {
		size_t	 len = strcspn(cred, "&");

		if (memmem(cred, len, "%2Fsts%2F", 9) != NULL ||
		    memmem(cred, len, "%2fsts%2f", 9) != NULL ||
		    memmem(cred, len, "/sts/", 5) != NULL)
			return &api_service_sts;
	}
	return &api_service_iam;
}

/* ---- input: types and patterns ---- */

static void
camel(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s", name);
	out[0] = (char)tolower((unsigned char)out[0]);
}

struct violations {
	size_t	 count;
	size_t	 len;
	char	 text[ERROR_MESSAGE_MAX];
};

static void
violation_add(struct violations *v, const char *value, const char *path,
    const char *constraint)
{
	size_t	 shown = strlen(value);
	int	 n;

	if (v->len >= sizeof(v->text))
		return;
	/* Long values are cut, on a character boundary. */
	if (shown > 128) {
		shown = 128;
		while (shown > 0 && ((unsigned char)value[shown] & 0xC0) ==
		    0x80)
			shown--;
	}
	n = snprintf(v->text + v->len, sizeof(v->text) - v->len,
	    "%sValue '%.*s%s' at '%s' failed to satisfy constraint: Member %s",
	    v->count > 0 ? "; " : "", (int)shown, value,
	    shown < strlen(value) ? "..." : "", path, constraint);
	if (n > 0)
		v->len += (size_t)n;
	v->count++;
}

static enum status
violations_result(const struct violations *v, struct error *err)
{
	if (v->count == 0)
		return STATUS_OK;
	return error_set(err, STATUS_VALIDATION, "%zu validation error%s "
	    "detected: %s", v->count, v->count == 1 ? "" : "s", v->text);
}

/* Strings become the numbers, booleans and lists the model says. */
static enum status
types_apply(json_t *in, const struct field_spec *fields, struct error *err)
{
	struct violations v;
	char		 path[96];

	memset(&v, 0, sizeof(v));
	for (const struct field_spec *f = fields; f->name != NULL; f++) {
		json_t		*value = json_object_get(in, f->name);
		const char	*s = json_string_value(value);
		char		*end;
		long long	 n;

		if (s == NULL)
			continue;
		camel(f->name, path, sizeof(path));
		switch (f->type) {
		case FIELD_INTEGER:
		case FIELD_LONG:
			errno = 0;
			n = strtoll(s, &end, 10);
			if (s[0] == '\0' || *end != '\0' || errno != 0 ||
			    isspace((unsigned char)s[0])) {
				violation_add(&v, s, path, "must be a number");
				break;
			}
			json_object_set_new(in, f->name, json_integer(n));
			break;
		case FIELD_BOOLEAN:
			if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
				violation_add(&v, s, path,
				    "must be true or false");
				break;
			}
			json_object_set_new(in, f->name,
			    json_boolean(strcmp(s, "true") == 0));
			break;
		case FIELD_STRING_LIST:
		case FIELD_TAG_LIST:
		case FIELD_STRUCT_LIST:
			if (s[0] == '\0')	/* botocore's empty list */
				json_object_set_new(in, f->name, json_array());
			break;
		default:
			break;
		}
	}
	return violations_result(&v, err);
}

enum pattern {
	PATTERN_NAME,		/* [\w+=,.@-]+ */
	PATTERN_PATH,		/* (/)|(/[\x21-\x7E]+/) */
	PATTERN_PATH_PREFIX,	/* /[\x21-\x7F]* */
	PATTERN_POLICY_PATH,	/* ((/[A-Za-z0-9\.,\+@=_-]+)*)/ */
	PATTERN_WORD,		/* [\w]+ */
	PATTERN_VERSION,	/* v[1-9][0-9]*(\.[A-Za-z0-9-]*)? */
	PATTERN_EXTERNAL_ID,	/* [\w+=,.@:\/-]* */
	PATTERN_DOCUMENT,	/* [\t\n\r\x20-\xFF]+ (code points) */
	PATTERN_DESCRIPTION,	/* [\t\n\r\x20-\x7E\xA1-\xFF]* */
	PATTERN_TAG,		/* [\p{L}\p{Z}\p{N}_.:/=+\-@]* */
};

static const char *const pattern_text[] = {
	[PATTERN_NAME] = "[\\w+=,.@-]+",
	[PATTERN_PATH] = "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
	[PATTERN_PATH_PREFIX] = "\\u002F[\\u0021-\\u007F]*",
	[PATTERN_POLICY_PATH] = "((/[A-Za-z0-9\\.,\\+@=_-]+)*)/",
	[PATTERN_WORD] = "[\\w]+",
	[PATTERN_VERSION] = "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
	[PATTERN_EXTERNAL_ID] = "[\\w+=,.@:\\/-]*",
	[PATTERN_DOCUMENT] = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
	[PATTERN_DESCRIPTION] =
	    "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*",
	[PATTERN_TAG] = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
};

static bool
is_word(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* The next code point of UTF-8 text (valid: jansson checked it). */
static unsigned long
utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned long	 cp;
	int		 extra;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		extra = 1;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		extra = 2;
	} else {
		cp = s[0] & 0x07;
		extra = 3;
	}
	for (int i = 1; i <= extra && s[i] != '\0'; i++)
		cp = cp << 6 | (s[i] & 0x3F);
	*p = s + 1 + extra;
	return cp;
}

static bool
policy_path_ok(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || s[0] != '/' || s[n - 1] != '/')
		return false;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '/') {
			if (s[i - 1] == '/')
				return false;
			continue;
		}
		if (!isalnum(c) && strchr(".,+@=_-", c) == NULL)
			return false;
	}
	return true;
}

static bool
pattern_matches(enum pattern p, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t		 n = strlen(s);
	unsigned long	 cp;

	switch (p) {
	case PATTERN_NAME:
	case PATTERN_EXTERNAL_ID:
		for (; *u != '\0'; u++)
			if (!is_word(*u) && strchr(p == PATTERN_NAME ?
			    "+=,.@-" : "+=,.@:/-", *u) == NULL)
				return false;
		return p == PATTERN_EXTERNAL_ID || n > 0;
	case PATTERN_WORD:
		for (; *u != '\0'; u++)
			if (!is_word(*u))
				return false;
		return n > 0;
	case PATTERN_PATH:
		if (strcmp(s, "/") == 0)
			return true;
		if (n < 3 || s[0] != '/' || s[n - 1] != '/')
			return false;
		for (; *u != '\0'; u++)
			if (*u < 0x21 || *u > 0x7E)
				return false;
		return true;
	case PATTERN_PATH_PREFIX:
		if (s[0] != '/')
			return false;
		for (; *u != '\0'; u++)
			if (*u < 0x21 || *u > 0x7F)
				return false;
		return true;
	case PATTERN_POLICY_PATH:
		return policy_path_ok(s);
	case PATTERN_VERSION:
		if (s[0] != 'v' || s[1] < '1' || s[1] > '9')
			return false;
		for (u += 2; isdigit(*u); u++)
			;
		if (*u == '\0')
			return true;
		if (*u++ != '.')
			return false;
		for (; *u != '\0'; u++)
			if (!isalnum(*u) && *u != '-')
				return false;
		return true;
	case PATTERN_DOCUMENT:
	case PATTERN_DESCRIPTION:
		while (*u != '\0') {
			cp = utf8_next(&u);
			if (cp == '\t' || cp == '\n' || cp == '\r')
				continue;
			if (cp < 0x20 || cp > 0xFF)
				return false;
			if (p == PATTERN_DESCRIPTION && cp > 0x7E &&
			    cp < 0xA1)
				return false;
		}
		return p == PATTERN_DESCRIPTION || n > 0;
	case PATTERN_TAG:
		while (*u != '\0') {
			cp = utf8_next(&u);
			/* Non-ASCII letters, spaces and digits pass; the
			 * rest of Unicode is not told apart here. */
			if (cp >= 0x80)
				continue;
			if (!isalnum((int)cp) && strchr(" _.:/=+-@", (int)cp) ==
			    NULL)
				return false;
		}
		return true;
	}
	return true;
}

struct pattern_rule {
	const char	*operation;	/* NULL: every operation */
	const char	*member;
	enum pattern	 pattern;
};

/* Operations whose Path / PathPrefix is a managed policy's path. */
static const struct pattern_rule pattern_rules[] = {
	{ "CreatePolicy", "Path", PATTERN_POLICY_PATH },
	{ "ListPolicies", "PathPrefix", PATTERN_POLICY_PATH },
	{ "ListAttachedUserPolicies", "PathPrefix", PATTERN_POLICY_PATH },
	{ "ListAttachedGroupPolicies", "PathPrefix", PATTERN_POLICY_PATH },
	{ "ListAttachedRolePolicies", "PathPrefix", PATTERN_POLICY_PATH },
	{ NULL, "Path", PATTERN_PATH },
	{ NULL, "PathPrefix", PATTERN_PATH_PREFIX },
	{ NULL, "UserName", PATTERN_NAME },
	{ NULL, "GroupName", PATTERN_NAME },
	{ NULL, "RoleName", PATTERN_NAME },
	{ NULL, "PolicyName", PATTERN_NAME },
	{ NULL, "RoleSessionName", PATTERN_NAME },
	{ NULL, "SourceIdentity", PATTERN_NAME },
	{ NULL, "AccessKeyId", PATTERN_WORD },
	{ NULL, "VersionId", PATTERN_VERSION },
	{ NULL, "ExternalId", PATTERN_EXTERNAL_ID },
	{ NULL, "PolicyDocument", PATTERN_DOCUMENT },
	{ NULL, "AssumeRolePolicyDocument", PATTERN_DOCUMENT },
	{ NULL, "Policy", PATTERN_DOCUMENT },
	{ "CreateRole", "Description", PATTERN_DESCRIPTION },
	{ NULL, "TagKeys", PATTERN_TAG },
};

static void
pattern_check(struct violations *v, const char *path, const char *value,
    enum pattern p)
{
	char	 constraint[160];

	if (value == NULL || pattern_matches(p, value))
		return;
	snprintf(constraint, sizeof(constraint),
	    "must satisfy regular expression pattern: %s", pattern_text[p]);
	violation_add(v, value, path, constraint);
}

static enum status
patterns_check(const json_t *in, const char *operation, struct error *err)
{
	struct violations v;
	const json_t	*value, *item;
	char		 path[128];
	size_t		 i;

	memset(&v, 0, sizeof(v));
	for (size_t r = 0; r < sizeof(pattern_rules) / sizeof(pattern_rules[0]);
	    r++) {
		const struct pattern_rule *rule = &pattern_rules[r];
		bool	 is_shadowed = false;

		if (rule->operation != NULL &&
		    strcmp(rule->operation, operation) != 0)
			continue;
		/* An operation's own rule wins over the general one. */
		for (size_t k = 0; k < r && rule->operation == NULL; k++)
			is_shadowed |= pattern_rules[k].operation != NULL &&
			    strcmp(pattern_rules[k].operation, operation) ==
			    0 && strcmp(pattern_rules[k].member,
			    rule->member) == 0;
		if (is_shadowed ||
		    (value = json_object_get(in, rule->member)) == NULL)
			continue;
		camel(rule->member, path, sizeof(path));
		if (json_is_array(value)) {
			char	 item_path[160];

			json_array_foreach(value, i, item) {
				snprintf(item_path, sizeof(item_path),
				    "%s.%zu.member", path, i + 1);
				pattern_check(&v, item_path,
				    json_string_value(item), rule->pattern);
			}
		} else
			pattern_check(&v, path, json_string_value(value),
			    rule->pattern);
	}
	/* Tags.N.Key / Tags.N.Value */
	json_array_foreach(json_object_get(in, "Tags"), i, item) {
		snprintf(path, sizeof(path), "tags.%zu.member.key", i + 1);
		pattern_check(&v, path, json_string_value(json_object_get(item,
		    "Key")), PATTERN_TAG);
		snprintf(path, sizeof(path), "tags.%zu.member.value", i + 1);
		pattern_check(&v, path, json_string_value(json_object_get(item,
		    "Value")), PATTERN_TAG);
	}
	return violations_result(&v, err);
}

static const struct api_operation *
operation_find(const struct api_service *svc, const char *name)
{
	for (const struct api_operation *op = svc->operations; op->name != NULL;
	    op++)
		if (strcmp(op->name, name) == 0)
			return op;
	return NULL;
}

enum status
api_query_input(const struct http_request *req, const struct api_service *svc,
    const struct api_operation **op, json_t **in, struct error *err)
{
	const char	*action, *version;
	json_t		*params = NULL;
	enum status	 st;

	*op = NULL;
	*in = NULL;
	if ((st = query_protocol_body(req, &params, err)) != STATUS_OK)
		return st;
	action = json_string_value(json_object_get(params, "Action"));
	version = json_string_value(json_object_get(params, "Version"));
	if (action == NULL || action[0] == '\0') {
		json_decref(params);
		return error_set(err, STATUS_UNKNOWN_OPERATION,
		    "The request must contain the parameter Action.");
	}
	if ((version != NULL && strcmp(version, svc->api_version) != 0) ||
	    (*op = operation_find(svc, action)) == NULL) {
		st = error_set(err, STATUS_UNKNOWN_OPERATION,
		    "Could not find operation %.64s for version %.32s", action,
		    version != NULL ? version : svc->api_version);
		json_decref(params);
		return st;
	}
	json_object_del(params, "Action");
	json_object_del(params, "Version");
	*in = params;
	if ((st = types_apply(params, (*op)->fields, err)) != STATUS_OK ||
	    (st = api_validate(params, (*op)->fields, err)) != STATUS_OK)
		return st;
	return patterns_check(params, (*op)->name, err);
}

void
api_query_respond(struct http_response *resp, const struct api_service *svc,
    const struct api_operation *op, json_t *out,
    const struct api_error_info *info, const char *message,
    const char *request_id)
{
	if (info == NULL && op != NULL) {
		query_protocol_respond(resp, op->name, svc->xml_namespace, out,
		    request_id);
		return;
	}
	json_decref(out);
	if (info == NULL)
		info = svc->error_info(STATUS_INTERNAL);
	query_protocol_respond_error(resp, info->http_status,
	    svc->xml_namespace, info->type, message != NULL &&
	    message[0] != '\0' && info->http_status < 500 ? message :
	    info->default_message, request_id);
}

/* ---- helpers of the handlers ---- */

json_t *
iam_time(int64_t ms)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);
	char		 buf[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_string("1970-01-01T00:00:00Z");
	return json_string(buf);
}

json_t *
iam_document(const char *document)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t		 n = strlen(document);
	char		*enc;
	json_t		*out;
	size_t		 o = 0;

	if ((enc = malloc(3 * n + 1)) == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)document;
	    *p != '\0'; p++) {
		if (isalnum(*p) || strchr("-_.~", *p) != NULL)
			enc[o++] = (char)*p;
		else {
			enc[o++] = '%';
			enc[o++] = hex[*p >> 4];
			enc[o++] = hex[*p & 0xF];
		}
	}
	enc[o] = '\0';
	out = json_string(enc);
	free(enc);
	return out;
}

enum status
iam_policy_check(const char *document, enum policy_kind kind,
    struct error *err)
{
	struct policy	*p = NULL;
	enum status	 st;

	st = policy_parse(document, strlen(document), kind, &p, err);
	policy_free(p);
	if (st == STATUS_MALFORMED_POLICY && err != NULL &&
	    err->message[0] == '\0')
		error_set(err, st, "Syntax errors in policy.");
	return st;
}

enum status
iam_tags_from_json(const json_t *in, const char *name, struct tag **out,
    size_t *count)
{
	const json_t	*list = json_object_get(in, name), *t;
	struct tag	*tags = NULL;
	size_t		 i, n = json_array_size(list);

	*out = NULL;
	*count = 0;
	if (n == 0)
		return STATUS_OK;
	if ((tags = calloc(n, sizeof(*tags))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, t) {
		tags[i].key = (char *)json_string_value(json_object_get(t,
		    "Key"));
		tags[i].value = (char *)json_string_value(json_object_get(t,
		    "Value"));
		if (tags[i].key == NULL)
			tags[i].key = (char *)"";
		if (tags[i].value == NULL)
			tags[i].value = (char *)"";
	}
	*out = tags;
	*count = n;
	return STATUS_OK;
}

enum status
iam_keys_from_json(const json_t *in, const char *name, const char ***out,
    size_t *count)
{
	const json_t	*list = json_object_get(in, name), *k;
	const char	**keys;
	size_t		 i, n = json_array_size(list);

	*out = NULL;
	*count = 0;
	if (n == 0)
		return STATUS_OK;
	if ((keys = calloc(n, sizeof(*keys))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, k)
		keys[i] = json_string_value(k) != NULL ? json_string_value(k) :
		    "";
	*out = keys;
	*count = n;
	return STATUS_OK;
}

json_t *
iam_tags_json(const struct tag *tags, size_t count)
{
	json_t	*list = json_array();

	for (size_t i = 0; list != NULL && i < count; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "Key",
		    tags[i].key, "Value", tags[i].value));
	return list;
}

void
iam_page_from_json(const json_t *in, struct iam_page *page)
{
	const json_t	*max = json_object_get(in, "MaxItems");

	page->marker = json_string_value(json_object_get(in, "Marker"));
	page->max_items = json_is_integer(max) && json_integer_value(max) > 0 ?
	    (size_t)json_integer_value(max) : 0;
}

void
iam_page_json(json_t *out, const char *next_marker)
{
	json_object_set_new(out, "IsTruncated", json_boolean(next_marker !=
	    NULL));
	if (next_marker != NULL)
		json_object_set_new(out, "Marker", json_string(next_marker));
}
