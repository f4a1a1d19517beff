/*
 * policy_parse.c: policy documents (JSON) to the compiled form, with every
 * problem reported as a finding; and the analyses that read the compiled
 * form without a request (public access, ValidateResourcePolicy).
 *
 * The grammar is IAM's (docs/internals/policy.md): Version, Id, Statement
 * (an object or a list); in a statement Sid, Effect, Principal or
 * NotPrincipal, Action or NotAction, Resource or NotResource, Condition.
 * Element names are case-sensitive as in the grammar; duplicate keys are
 * refused ("Individual elements must not contain multiple instances of the
 * same key"); condition operators and keys are case-insensitive.  The
 * compiler does not stop at the first problem, so validation can list
 * them all; policy_parse() reports the first.
 *
 * Thread-safe: no state outside the policy being built.
 */
#include <sys/socket.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "auth/policy_internal.h"

#define VERSION_2012		"2012-10-17"
#define VERSION_2008		"2008-10-17"
#define VALUE_TEXT_MAX		64	/* a number or boolean as text */
#define SHOWN_MAX		96	/* longest value quoted in a finding */

static const char *const check_names[POLICY_CHECK__COUNT] = {
	[POLICY_CHECK_JSON_SYNTAX] = "JSON_SYNTAX_ERROR",
	[POLICY_CHECK_TOO_LARGE] = "POLICY_TOO_LARGE",
	[POLICY_CHECK_DATA_TYPE] = "DATA_TYPE_MISMATCH",
	[POLICY_CHECK_INVALID_ELEMENT] = "INVALID_POLICY_ELEMENT",
	[POLICY_CHECK_INVALID_VERSION] = "INVALID_VERSION",
	[POLICY_CHECK_MISSING_STATEMENT] = "MISSING_STATEMENT",
	[POLICY_CHECK_INVALID_SID] = "INVALID_SID",
	[POLICY_CHECK_DUPLICATE_SID] = "DUPLICATE_SID",
	[POLICY_CHECK_MISSING_EFFECT] = "MISSING_EFFECT",
	[POLICY_CHECK_INVALID_EFFECT] = "INVALID_EFFECT",
	[POLICY_CHECK_MISSING_ACTION] = "MISSING_ACTION",
	[POLICY_CHECK_INVALID_ACTION] = "INVALID_ACTION",
	[POLICY_CHECK_MISSING_RESOURCE] = "MISSING_RESOURCE",
	[POLICY_CHECK_INVALID_RESOURCE] = "INVALID_RESOURCE",
	[POLICY_CHECK_RESOURCE_NOT_ALLOWED] = "RESOURCE_NOT_ALLOWED",
	[POLICY_CHECK_MISSING_PRINCIPAL] = "MISSING_PRINCIPAL",
	[POLICY_CHECK_PRINCIPAL_NOT_ALLOWED] = "PRINCIPAL_NOT_ALLOWED",
	[POLICY_CHECK_INVALID_PRINCIPAL] = "INVALID_PRINCIPAL",
	[POLICY_CHECK_INVALID_PRINCIPAL_KEY] = "INVALID_PRINCIPAL_KEY",
	[POLICY_CHECK_INVALID_CONDITION_OPERATOR] =
	    "INVALID_CONDITION_OPERATOR",
	[POLICY_CHECK_NULL_WITH_IF_EXISTS] = "NULL_WITH_IF_EXISTS",
	[POLICY_CHECK_INVALID_CONDITION_KEY] = "INVALID_CONDITION_KEY_FORMAT",
	[POLICY_CHECK_DUPLICATE_CONDITION_KEY] =
	    "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
	[POLICY_CHECK_INVALID_CONDITION_VALUE] = "INVALID_CONDITION_VALUE",
	[POLICY_CHECK_BROAD_ACCESS] = "BROAD_ACCESS",
	[POLICY_CHECK_LOCKOUT] = "LOCKOUT",
};

const char *
policy_check_name(enum policy_check check)
{
	if ((unsigned)check >= POLICY_CHECK__COUNT)
		return "UNKNOWN";
	return check_names[check];
}

struct parser {
	struct policy		*policy;
	struct policy_findings	*findings;
	enum status		 status;	/* STATUS_NO_MEMORY once out */
	size_t			 statement_no;	/* 1-based; 0: top level */
	const char		*sid;
	struct policy_key_ref	*keys;		/* malloc'd while compiling */
	size_t			 key_count;
	size_t			 key_capacity;
};

static void finding_add(struct policy_findings *f, enum policy_check check,
    const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void
finding_add(struct policy_findings *f, enum policy_check check,
    const char *prefix, const char *fmt, va_list ap)
{
	struct policy_finding	*item;
	size_t			 n;

	if (f->count >= POLICY_FINDINGS_MAX) {
		f->is_truncated = true;
		return;
	}
	item = &f->items[f->count++];
	item->check = check;
	n = (size_t)snprintf(item->message, sizeof(item->message), "%s",
	    prefix);
	if (n < sizeof(item->message))
		vsnprintf(item->message + n, sizeof(item->message) - n, fmt,
		    ap);
}

static void finding(struct parser *ps, enum policy_check check,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
finding(struct parser *ps, enum policy_check check, const char *fmt, ...)
{
	char	 prefix[128] = "";
	va_list	 ap;

	if (ps->statement_no > 0 && ps->sid != NULL && ps->sid[0] != '\0')
		snprintf(prefix, sizeof(prefix),
		    "Statement %zu (Sid \"%.40s\"): ", ps->statement_no,
		    ps->sid);
	else if (ps->statement_no > 0)
		snprintf(prefix, sizeof(prefix), "Statement %zu: ",
		    ps->statement_no);
	va_start(ap, fmt);
	finding_add(ps->findings, check, prefix, fmt, ap);
	va_end(ap);
}

static bool
out_of_memory(struct parser *ps)
{
	ps->status = STATUS_NO_MEMORY;
	return false;
}

/* A value short enough to quote in a message. */
static const char *
shown(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);

	if (n < SHOWN_MAX)
		return s;
	snprintf(buf, size, "%.*s...", SHOWN_MAX - 4, s);
	return buf;
}

static const char *
json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

/* Remember a context key the policy reads (conditions, variables). */
static bool
key_ref_add(struct parser *ps, const char *key_lower, size_t len,
    uint64_t hash)
{
	for (size_t i = 0; i < ps->key_count; i++)
		if (ps->keys[i].hash == hash && ps->keys[i].key_len == len &&
		    memcmp(ps->keys[i].key, key_lower, len) == 0)
			return true;
	if (ps->key_count == ps->key_capacity) {
		size_t			 cap = ps->key_capacity == 0 ? 8 :
		    ps->key_capacity * 2;
		struct policy_key_ref	*grown;

		if ((grown = reallocarray(ps->keys, cap, sizeof(*grown))) ==
		    NULL)
			return out_of_memory(ps);
		ps->keys = grown;
		ps->key_capacity = cap;
	}
	ps->keys[ps->key_count].key = key_lower;
	ps->keys[ps->key_count].key_len = len;
	ps->keys[ps->key_count].hash = hash;
	ps->key_count++;
	return true;
}

static bool
pattern_key_refs(struct parser *ps, const struct pattern *p)
{
	for (size_t i = 0; i < p->token_count; i++)
		if (p->tokens[i].kind == PATTERN_VARIABLE &&
		    !key_ref_add(ps, p->tokens[i].text, p->tokens[i].len,
		    p->tokens[i].key_hash))
			return false;
	return true;
}

/*
 * A string element's values: a string or a non-empty list of strings.
 * *items points into the JSON (valid while it lives).  false (with a
 * finding) when the shape is wrong.
 */
static bool
string_list(struct parser *ps, const char *element, const json_t *v,
    size_t *count)
{
	size_t	 i;
	json_t	*item;

	if (json_is_string(v)) {
		*count = 1;
		return true;
	}
	if (!json_is_array(v) || json_array_size(v) == 0) {
		finding(ps, POLICY_CHECK_DATA_TYPE, "%s must be a string or a "
		    "non-empty list of strings, not %s", element,
		    json_is_array(v) ? "an empty list" : json_type_name(v));
		return false;
	}
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			finding(ps, POLICY_CHECK_DATA_TYPE, "%s must be a "
			    "string or a list of strings; item %zu is %s",
			    element, i + 1, json_type_name(item));
			return false;
		}
	}
	*count = json_array_size(v);
	return true;
}

static const json_t *
string_list_item(const json_t *v, size_t i)
{
	return json_is_string(v) ? v : json_array_get(v, i);
}

/* ---- Action ---- */

static bool
action_is_valid(const char *s, size_t len)
{
	const char	*colon;
	size_t		 prefix_len;

	if (len == 1 && s[0] == '*')
		return true;
	if ((colon = memchr(s, ':', len)) == NULL)
		return false;
	prefix_len = (size_t)(colon - s);
	if (prefix_len == 0 || prefix_len + 1 == len)
		return false;
	for (size_t i = 0; i < prefix_len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	for (size_t i = prefix_len + 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '*' &&
		    s[i] != '?' && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

static bool
compile_actions(struct parser *ps, struct policy_statement *st,
    const char *element, const json_t *v)
{
	struct policy	*policy = ps->policy;
	size_t		 count;
	char		 buf[SHOWN_MAX + 8];

	if (!string_list(ps, element, v, &count))
		return true;
	st->actions = policy_arena_alloc(&policy->arena,
	    count * sizeof(*st->actions));
	if (st->actions == NULL)
		return out_of_memory(ps);
	for (size_t i = 0; i < count; i++) {
		const json_t	*item = string_list_item(v, i);
		const char	*s = json_string_value(item);
		size_t		 len = json_string_length(item);

		if (!action_is_valid(s, len)) {
			finding(ps, POLICY_CHECK_INVALID_ACTION, "invalid "
			    "action \"%s\"; use \"*\" or \"service:action\" "
			    "(for example \"secretsmanager:GetSecretValue\")",
			    shown(s, buf, sizeof(buf)));
			continue;
		}
		if (pattern_compile(&policy->arena, s, len,
		    PATTERN_ALLOW_WILDCARDS, &st->actions[st->action_count]) !=
		    STATUS_OK)
			return out_of_memory(ps);
		st->action_count++;
	}
	return true;
}

/* ---- Resource ---- */

static bool
compile_resources(struct parser *ps, struct policy_statement *st,
    const char *element, const json_t *v)
{
	struct policy	*policy = ps->policy;
	unsigned	 flags = PATTERN_ALLOW_WILDCARDS;
	size_t		 count;
	char		 buf[SHOWN_MAX + 8];
	enum status	 rc;

	if (policy->has_variables)
		flags |= PATTERN_ALLOW_VARIABLES;
	if (!string_list(ps, element, v, &count))
		return true;
	st->resources = policy_arena_alloc(&policy->arena,
	    count * sizeof(*st->resources));
	if (st->resources == NULL)
		return out_of_memory(ps);
	for (size_t i = 0; i < count; i++) {
		const json_t	*item = string_list_item(v, i);
		const char	*s = json_string_value(item);
		size_t		 len = json_string_length(item);
		struct pattern	*p = &st->resources[st->resource_count];

		if (!(len == 1 && s[0] == '*') && !(len > 4 &&
		    strncmp(s, "arn:", 4) == 0)) {
			finding(ps, POLICY_CHECK_INVALID_RESOURCE,
			    "Resource %s must be in ARN format or \"*\".",
			    shown(s, buf, sizeof(buf)));
			continue;
		}
		rc = pattern_compile(&policy->arena, s, len, flags, p);
		if (rc == STATUS_INVALID_PARAMETER) {
			finding(ps, POLICY_CHECK_INVALID_RESOURCE,
			    "Resource %s has more than %d policy variables",
			    shown(s, buf, sizeof(buf)),
			    POLICY_PATTERN_VARS_MAX);
			continue;
		}
		if (rc != STATUS_OK)
			return out_of_memory(ps);
		if (!pattern_key_refs(ps, p))
			return false;
		st->resource_count++;
	}
	return true;
}

/* ---- Principal ---- */

static bool
is_account_id(const char *s, size_t len)
{
	if (len != 12)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* AIDA..., AROA..., and the other IAM unique ids AWS writes into a policy
 * in place of a deleted principal. */
static bool
is_unique_id(const char *s, size_t len)
{
	if (len < 16 || len > 128 || s[0] != 'A')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isupper((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * Classify an "AWS" principal: an account (12 digits or the root ARN), an
 * IAM or STS principal ARN, or a unique id.  Wildcards are only valid as
 * the whole value ("*").
 */
static bool
aws_principal_parse(const char *s, size_t len, struct principal_entry *e)
{
	const char	*f[6];
	size_t		 n = 0;
	const char	*p = s, *colon;
	const char	*resource;
	size_t		 account_len;

	if (len == 1 && s[0] == '*') {
		e->kind = PRINCIPAL_ENTRY_AWS_ANY;
		return true;
	}
	if (memchr(s, '*', len) != NULL || memchr(s, '?', len) != NULL)
		return false;
	if (is_account_id(s, len)) {
		e->kind = PRINCIPAL_ENTRY_ACCOUNT;
		memcpy(e->account_id, s, 12);
		return true;
	}
	if (is_unique_id(s, len)) {
		e->kind = PRINCIPAL_ENTRY_UNIQUE_ID;
		return true;
	}
	/* arn:partition:(iam|sts)::account:resource */
	while (n < 5 && (colon = memchr(p, ':', len - (size_t)(p - s))) !=
	    NULL) {
		f[n++] = p;
		p = colon + 1;
	}
	if (n != 5 || strncmp(s, "arn:", 4) != 0)
		return false;
	f[5] = p;
	resource = f[5];
	account_len = (size_t)(f[5] - f[4]) - 1;
	if (!is_account_id(f[4], account_len) || f[4] - f[3] != 1)
		return false;
	memcpy(e->account_id, f[4], 12);
	if (strncmp(f[2], "iam:", 4) == 0) {
		if (strcmp(resource, "root") == 0) {
			e->kind = PRINCIPAL_ENTRY_ACCOUNT;
			return true;
		}
		if (strncmp(resource, "user/", 5) == 0 ||
		    strncmp(resource, "role/", 5) == 0) {
			e->kind = PRINCIPAL_ENTRY_ARN;
			return resource[5] != '\0';
		}
		return false;
	}
	if (strncmp(f[2], "sts:", 4) == 0 &&
	    (strncmp(resource, "assumed-role/", 13) == 0 ||
	    strncmp(resource, "federated-user/", 15) == 0)) {
		e->kind = PRINCIPAL_ENTRY_ARN;
		return strchr(resource, '/')[1] != '\0';
	}
	return false;
}

static bool
compile_principals(struct parser *ps, struct policy_statement *st,
    const char *element, const json_t *v)
{
	struct policy	*policy = ps->policy;
	const char	*key;
	json_t		*values;
	size_t		 total = 0, count;
	char		 buf[SHOWN_MAX + 8];

	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), "*") != 0) {
			finding(ps, POLICY_CHECK_INVALID_PRINCIPAL,
			    "%s must be \"*\" or an object such as "
			    "{\"AWS\": \"123456789012\"}, not \"%s\"", element,
			    shown(json_string_value(v), buf, sizeof(buf)));
			return true;
		}
		st->principals = policy_arena_alloc(&policy->arena,
		    sizeof(*st->principals));
		if (st->principals == NULL)
			return out_of_memory(ps);
		st->principals[0].kind = PRINCIPAL_ENTRY_ANY;
		st->principals[0].value = "*";
		st->principals[0].len = 1;
		st->principal_count = 1;
		return true;
	}
	if (!json_is_object(v) || json_object_size(v) == 0) {
		finding(ps, POLICY_CHECK_INVALID_PRINCIPAL, "%s must be \"*\" "
		    "or a non-empty object such as {\"AWS\": \"123456789012\"}",
		    element);
		return true;
	}
	json_object_foreach((json_t *)v, key, values) {
		if (!string_list(ps, element, values, &count))
			return true;
		total += count;
	}
	st->principals = policy_arena_alloc(&policy->arena,
	    total * sizeof(*st->principals));
	if (st->principals == NULL)
		return out_of_memory(ps);
	json_object_foreach((json_t *)v, key, values) {
		enum principal_entry_kind kind;

		if (strcmp(key, "AWS") == 0)
			kind = PRINCIPAL_ENTRY_ARN;
		else if (strcmp(key, "Service") == 0)
			kind = PRINCIPAL_ENTRY_SERVICE;
		else if (strcmp(key, "Federated") == 0)
			kind = PRINCIPAL_ENTRY_FEDERATED;
		else if (strcmp(key, "CanonicalUser") == 0)
			kind = PRINCIPAL_ENTRY_CANONICAL_USER;
		else {
			finding(ps, POLICY_CHECK_INVALID_PRINCIPAL_KEY,
			    "invalid principal type \"%s\"; use AWS, Service, "
			    "Federated or CanonicalUser",
			    shown(key, buf, sizeof(buf)));
			continue;
		}
		string_list(ps, element, values, &count);
		for (size_t i = 0; i < count; i++) {
			const json_t	*item = string_list_item(values, i);
			const char	*s = json_string_value(item);
			size_t		 len = json_string_length(item);
			struct principal_entry *e =
			    &st->principals[st->principal_count];
			bool		 ok;

			memset(e, 0, sizeof(*e));
			e->kind = kind;
			if (kind == PRINCIPAL_ENTRY_ARN)
				ok = aws_principal_parse(s, len, e);
			else
				ok = len > 0 && memchr(s, '*', len) == NULL;
			if (!ok) {
				finding(ps, POLICY_CHECK_INVALID_PRINCIPAL,
				    "Invalid principal in policy: "
				    "\"%s\":\"%s\"", key,
				    shown(s, buf, sizeof(buf)));
				continue;
			}
			if ((e->value = policy_arena_strndup(&policy->arena, s,
			    len)) == NULL)
				return out_of_memory(ps);
			e->len = len;
			st->principal_count++;
		}
	}
	return true;
}

/* ---- Condition ---- */

/* A condition value as text: strings as they are, numbers and booleans
 * as JSON writes them. */
static bool
condition_value_text(const json_t *v, char *buf, size_t size,
    const char **text, size_t *len)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		*text = json_string_value(v);
		*len = json_string_length(v);
		return true;
	case JSON_INTEGER:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		break;
	case JSON_REAL: {
		double d = json_real_value(v);

		/* The shortest text that reads back as the same number. */
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(buf, size, "%.*g", prec, d);
			if (strtod(buf, NULL) == d)
				break;
		}
		break;
	}
	case JSON_TRUE:
		snprintf(buf, size, "true");
		break;
	case JSON_FALSE:
		snprintf(buf, size, "false");
		break;
	default:
		return false;
	}
	*text = buf;
	*len = strlen(buf);
	return true;
}

static bool
starts_with_ci(const char *s, size_t len, const char *prefix, size_t *plen)
{
	size_t n = strlen(prefix);

	if (len < n || strncasecmp(s, prefix, n) != 0)
		return false;
	*plen = n;
	return true;
}

static bool
condition_key_is_valid(const char *key, size_t len)
{
	const char *colon = memchr(key, ':', len);

	if (colon == NULL || colon == key || (size_t)(colon - key) + 1 == len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (isspace((unsigned char)key[i]) ||
		    iscntrl((unsigned char)key[i]))
			return false;
	return true;
}

static bool
compile_condition_values(struct parser *ps, struct condition *c,
    const json_t *values)
{
	struct policy	*policy = ps->policy;
	size_t		 count;
	bool		 vars;
	char		 buf[SHOWN_MAX + 8];

	if (json_is_array(values))
		count = json_array_size(values);
	else
		count = 1;
	if (count == 0 || json_is_object(values) || json_is_null(values)) {
		finding(ps, POLICY_CHECK_INVALID_CONDITION_VALUE,
		    "condition %s on \"%s\": the value must be a string, "
		    "number or boolean, or a non-empty list of them",
		    c->operator_source,
		    c->key_source);
		return true;
	}
	if ((c->values = policy_arena_alloc(&policy->arena,
	    count * sizeof(*c->values))) == NULL)
		return out_of_memory(ps);
	vars = policy->has_variables && (c->op->type ==
	    CONDITION_VALUE_STRING || c->op->type == CONDITION_VALUE_ARN);
	for (size_t i = 0; i < count; i++) {
		const json_t	*item = json_is_array(values) ?
		    json_array_get(values, i) : values;
		char		 text_buf[VALUE_TEXT_MAX];
		const char	*text, *reason;
		size_t		 len;
		enum status	 rc;

		if (!condition_value_text(item, text_buf, sizeof(text_buf),
		    &text, &len)) {
			finding(ps, POLICY_CHECK_INVALID_CONDITION_VALUE,
			    "condition %s on \"%s\": item %zu is %s; values "
			    "are strings, numbers or booleans",
			    c->operator_source, c->key_source, i + 1,
			    json_type_name(item));
			continue;
		}
		rc = condition_value_compile(&policy->arena, c->op, text, len,
		    vars, &c->values[c->value_count], &reason);
		if (rc == STATUS_NO_MEMORY)
			return out_of_memory(ps);
		if (rc != STATUS_OK) {
			finding(ps, POLICY_CHECK_INVALID_CONDITION_VALUE,
			    "condition %s on \"%s\": \"%s\" %s",
			    c->operator_source, c->key_source,
			    shown(text, buf, sizeof(buf)), reason);
			continue;
		}
		if (!pattern_key_refs(ps, &c->values[c->value_count].pattern))
			return false;
		c->value_count++;
	}
	return true;
}

/* Is key already among the statement's conditions since first (the
 * current operator's)?  JSON refuses exact duplicates, so a hit differs
 * in case only. */
static bool
condition_key_seen(const struct policy_statement *st, size_t first,
    const char *key, size_t key_len)
{
	for (size_t i = first; i < st->condition_count; i++)
		if (st->conditions[i].key_len == key_len &&
		    strcasecmp(st->conditions[i].key_source, key) == 0)
			return true;
	return false;
}

static bool
compile_conditions(struct parser *ps, struct policy_statement *st,
    const json_t *v)
{
	struct policy	*policy = ps->policy;
	const char	*op_name, *key;
	json_t		*block, *values;
	size_t		 total = 0;
	char		 buf[SHOWN_MAX + 8];

	if (!json_is_object(v)) {
		finding(ps, POLICY_CHECK_DATA_TYPE, "Condition must be an "
		    "object of operators, not %s", json_type_name(v));
		return true;
	}
	json_object_foreach((json_t *)v, op_name, block)
		if (json_is_object(block))
			total += json_object_size(block);
	if (total > 0 && (st->conditions = policy_arena_alloc(&policy->arena,
	    total * sizeof(*st->conditions))) == NULL)
		return out_of_memory(ps);

	json_object_foreach((json_t *)v, op_name, block) {
		const struct condition_operator *op;
		enum condition_qualifier qualifier = CONDITION_QUALIFIER_NONE;
		const char	*base = op_name;
		size_t		 len = strlen(op_name), skip;
		bool		 if_exists = false;
		const char	*op_source;
		size_t		 first = st->condition_count;

		if (starts_with_ci(base, len, "ForAllValues:", &skip))
			qualifier = CONDITION_FOR_ALL_VALUES;
		else if (starts_with_ci(base, len, "ForAnyValue:", &skip))
			qualifier = CONDITION_FOR_ANY_VALUE;
		else
			skip = 0;
		base += skip;
		len -= skip;
		if (len > 8 &&
		    strncasecmp(base + len - 8, "IfExists", 8) == 0) {
			if_exists = true;
			len -= 8;
		}
		if ((op = condition_operator_find(base, len)) == NULL) {
			finding(ps, POLICY_CHECK_INVALID_CONDITION_OPERATOR,
			    "unknown condition operator \"%s\"",
			    shown(op_name, buf, sizeof(buf)));
			continue;
		}
		if (op->base == CONDITION_NULL && if_exists) {
			finding(ps, POLICY_CHECK_NULL_WITH_IF_EXISTS,
			    "the Null condition operator cannot be used with "
			    "the IfExists suffix");
			continue;
		}
		if (!json_is_object(block) || json_object_size(block) == 0) {
			finding(ps, POLICY_CHECK_DATA_TYPE, "condition %s must "
			    "be a non-empty object of condition keys, not %s",
			    shown(op_name, buf, sizeof(buf)),
			    json_type_name(block));
			continue;
		}
		if ((op_source = policy_arena_strndup(&policy->arena, op_name,
		    strlen(op_name))) == NULL)
			return out_of_memory(ps);
		json_object_foreach(block, key, values) {
			struct condition	*c;
			size_t			 key_len = strlen(key);
			char			*lower;

			if (!condition_key_is_valid(key, key_len)) {
				finding(ps, POLICY_CHECK_INVALID_CONDITION_KEY,
				    "invalid condition key \"%s\"; use the "
				    "form \"service:keyname\" (for example "
				    "\"aws:SourceIp\")", shown(key, buf,
				    sizeof(buf)));
				continue;
			}
			if (condition_key_seen(st, first, key, key_len)) {
				finding(ps,
				    POLICY_CHECK_DUPLICATE_CONDITION_KEY,
				    "the condition key \"%s\" appears more "
				    "than once with different capitalization "
				    "in %s", shown(key, buf, sizeof(buf)),
				    op_source);
				continue;
			}
			c = &st->conditions[st->condition_count];
			memset(c, 0, sizeof(*c));
			c->op = op;
			c->qualifier = qualifier;
			c->is_if_exists = if_exists;
			c->operator_source = op_source;
			if ((c->key_source = policy_arena_strndup(
			    &policy->arena, key, key_len)) == NULL ||
			    (lower = policy_arena_strndup(&policy->arena, key,
			    key_len)) == NULL)
				return out_of_memory(ps);
			for (size_t i = 0; i < key_len; i++)
				lower[i] = (char)tolower(
				    (unsigned char)lower[i]);
			c->key = lower;
			c->key_len = key_len;
			c->key_hash = policy_key_hash(lower, key_len);
			if (!key_ref_add(ps, c->key, c->key_len, c->key_hash))
				return false;
			if (!compile_condition_values(ps, c, values))
				return false;
			st->condition_count++;
		}
	}
	return true;
}

/* ---- Statement ---- */

static bool
sid_is_alphanumeric(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s))
			return false;
	return true;
}

static bool
compile_statement(struct parser *ps, struct policy_statement *st,
    const json_t *obj)
{
	struct policy	*policy = ps->policy;
	const char	*key;
	json_t		*v;
	const json_t	*effect, *principal, *not_principal, *action;
	const json_t	*not_action, *resource, *not_resource, *condition;
	const json_t	*sid;
	char		 buf[SHOWN_MAX + 8];

	memset(st, 0, sizeof(*st));
	ps->sid = NULL;
	if (!json_is_object(obj)) {
		finding(ps, POLICY_CHECK_DATA_TYPE, "a statement must be an "
		    "object, not %s", json_type_name(obj));
		return true;
	}
	sid = json_object_get(obj, "Sid");
	if (sid != NULL) {
		if (!json_is_string(sid)) {
			finding(ps, POLICY_CHECK_DATA_TYPE, "Sid must be a "
			    "string, not %s", json_type_name(sid));
		} else {
			if ((st->sid = policy_arena_strndup(&policy->arena,
			    json_string_value(sid), json_string_length(sid))) ==
			    NULL)
				return out_of_memory(ps);
			ps->sid = st->sid;
			if (policy->kind == POLICY_KIND_IDENTITY &&
			    !sid_is_alphanumeric(st->sid))
				finding(ps, POLICY_CHECK_INVALID_SID,
				    "Statement IDs (SID) must be "
				    "alpha-numeric. Check that your input "
				    "satisfies the regular expression "
				    "[0-9A-Za-z]*");
		}
	}
	json_object_foreach((json_t *)obj, key, v) {
		static const char *const known[] = { "Sid", "Effect",
		    "Principal", "NotPrincipal", "Action", "NotAction",
		    "Resource", "NotResource", "Condition" };
		bool is_known = false;

		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(key, known[i]) == 0)
				is_known = true;
		if (!is_known)
			finding(ps, POLICY_CHECK_INVALID_ELEMENT, "invalid "
			    "policy element \"%s\"; a statement has Sid, "
			    "Effect, Principal or NotPrincipal, Action or "
			    "NotAction, Resource or NotResource, and Condition",
			    shown(key, buf, sizeof(buf)));
	}

	effect = json_object_get(obj, "Effect");
	if (effect == NULL)
		finding(ps, POLICY_CHECK_MISSING_EFFECT, "missing Effect; add "
		    "\"Effect\": \"Allow\" or \"Effect\": \"Deny\"");
	else if (!json_is_string(effect))
		finding(ps, POLICY_CHECK_INVALID_EFFECT, "Effect must be "
		    "\"Allow\" or \"Deny\", not %s", json_type_name(effect));
	else if (strcmp(json_string_value(effect), "Deny") == 0)
		st->is_deny = true;
	else if (strcmp(json_string_value(effect), "Allow") != 0)
		finding(ps, POLICY_CHECK_INVALID_EFFECT, "invalid Effect "
		    "\"%s\"; use \"Allow\" or \"Deny\"",
		    shown(json_string_value(effect), buf, sizeof(buf)));

	principal = json_object_get(obj, "Principal");
	not_principal = json_object_get(obj, "NotPrincipal");
	if (principal != NULL && not_principal != NULL) {
		finding(ps, POLICY_CHECK_INVALID_ELEMENT, "a statement cannot "
		    "have both Principal and NotPrincipal");
	} else if (principal != NULL || not_principal != NULL) {
		if (policy->kind == POLICY_KIND_IDENTITY) {
			finding(ps, POLICY_CHECK_PRINCIPAL_NOT_ALLOWED,
			    "Policy document should not specify a principal.");
		} else {
			st->principal_mode = principal != NULL ?
			    PRINCIPAL_MODE_PRINCIPAL :
			    PRINCIPAL_MODE_NOT_PRINCIPAL;
			if (!compile_principals(ps, st, principal != NULL ?
			    "Principal" : "NotPrincipal", principal != NULL ?
			    principal : not_principal))
				return false;
		}
	} else if (policy->kind != POLICY_KIND_IDENTITY) {
		finding(ps, POLICY_CHECK_MISSING_PRINCIPAL,
		    "missing Principal; a resource-based policy must name who "
		    "it applies to, for example \"Principal\": {\"AWS\": "
		    "\"123456789012\"}");
	}

	action = json_object_get(obj, "Action");
	not_action = json_object_get(obj, "NotAction");
	if (action != NULL && not_action != NULL) {
		finding(ps, POLICY_CHECK_INVALID_ELEMENT, "a statement cannot "
		    "have both Action and NotAction");
	} else if (action == NULL && not_action == NULL) {
		finding(ps, POLICY_CHECK_MISSING_ACTION, "Policy statement "
		    "must contain actions; add an Action or NotAction element");
	} else {
		st->is_not_action = action == NULL;
		if (!compile_actions(ps, st, action != NULL ? "Action" :
		    "NotAction", action != NULL ? action : not_action))
			return false;
	}

	resource = json_object_get(obj, "Resource");
	not_resource = json_object_get(obj, "NotResource");
	if (resource != NULL && not_resource != NULL) {
		finding(ps, POLICY_CHECK_INVALID_ELEMENT, "a statement cannot "
		    "have both Resource and NotResource");
	} else if (resource != NULL || not_resource != NULL) {
		if (policy->kind == POLICY_KIND_TRUST) {
			finding(ps, POLICY_CHECK_RESOURCE_NOT_ALLOWED, "Has "
			    "prohibited field %s", resource != NULL ?
			    "Resource" : "NotResource");
		} else {
			st->resource_mode = resource != NULL ?
			    RESOURCE_MODE_RESOURCE : RESOURCE_MODE_NOT_RESOURCE;
			if (!compile_resources(ps, st, resource != NULL ?
			    "Resource" : "NotResource", resource != NULL ?
			    resource : not_resource))
				return false;
		}
	} else if (policy->kind == POLICY_KIND_IDENTITY) {
		finding(ps, POLICY_CHECK_MISSING_RESOURCE, "Policy statement "
		    "must contain resources; add a Resource or NotResource "
		    "element");
	}

	condition = json_object_get(obj, "Condition");
	if (condition != NULL && !compile_conditions(ps, st, condition))
		return false;
	return true;
}

/* ---- the document ---- */

static void
policy_version_check(struct parser *ps, const json_t *version)
{
	struct policy	*policy = ps->policy;
	char		 buf[SHOWN_MAX + 8];

	if (version == NULL)
		return;		/* 2008-10-17 rules: variables are literal */
	if (!json_is_string(version)) {
		finding(ps, POLICY_CHECK_INVALID_VERSION, "Version must be the "
		    "string \"" VERSION_2012 "\", not %s",
		    json_type_name(version));
		return;
	}
	policy->version = json_string_value(version);
	if (strcmp(policy->version, VERSION_2012) == 0) {
		policy->has_variables = true;
		policy->version = VERSION_2012;
	} else if (strcmp(policy->version, VERSION_2008) == 0) {
		policy->version = VERSION_2008;
	} else {
		finding(ps, POLICY_CHECK_INVALID_VERSION, "invalid Version "
		    "\"%s\"; use \"" VERSION_2012 "\" (or the older \""
		    VERSION_2008 "\")", shown(policy->version, buf,
		    sizeof(buf)));
		policy->version = NULL;
	}
}

static void
duplicate_sid_check(struct parser *ps)
{
	struct policy	*policy = ps->policy;
	char		 buf[SHOWN_MAX + 8];

	ps->statement_no = 0;
	for (size_t i = 0; i < policy->statement_count; i++) {
		const char *sid = policy->statements[i].sid;

		if (sid == NULL || sid[0] == '\0')
			continue;
		for (size_t j = 0; j < i; j++) {
			if (policy->statements[j].sid != NULL &&
			    strcmp(policy->statements[j].sid, sid) == 0) {
				finding(ps, POLICY_CHECK_DUPLICATE_SID,
				    "Statement IDs (SID) in a single policy "
				    "must be unique: \"%s\" is used more than "
				    "once", shown(sid, buf, sizeof(buf)));
				break;
			}
		}
	}
}

static bool
compile_document(struct parser *ps, const json_t *root)
{
	struct policy	*policy = ps->policy;
	const json_t	*statement, *id;
	const char	*key;
	json_t		*v;
	size_t		 count;
	char		 buf[SHOWN_MAX + 8];

	json_object_foreach((json_t *)root, key, v)
		if (strcmp(key, "Version") != 0 && strcmp(key, "Id") != 0 &&
		    strcmp(key, "Statement") != 0)
			finding(ps, POLICY_CHECK_INVALID_ELEMENT,
			    "invalid policy element \"%s\"; a policy has "
			    "Version, Id and Statement",
			    shown(key, buf, sizeof(buf)));
	policy_version_check(ps, json_object_get(root, "Version"));
	if ((id = json_object_get(root, "Id")) != NULL) {
		if (!json_is_string(id))
			finding(ps, POLICY_CHECK_DATA_TYPE, "Id must be a "
			    "string, not %s", json_type_name(id));
		else if ((policy->id = policy_arena_strndup(&policy->arena,
		    json_string_value(id), json_string_length(id))) == NULL)
			return out_of_memory(ps);
	}
	statement = json_object_get(root, "Statement");
	if (statement == NULL || (json_is_array(statement) &&
	    json_array_size(statement) == 0)) {
		finding(ps, POLICY_CHECK_MISSING_STATEMENT, "missing "
		    "Statement; add a statement to the policy");
		return true;
	}
	if (!json_is_array(statement) && !json_is_object(statement)) {
		finding(ps, POLICY_CHECK_DATA_TYPE, "Statement must be an "
		    "object or a list of objects, not %s",
		    json_type_name(statement));
		return true;
	}
	count = json_is_array(statement) ? json_array_size(statement) : 1;
	if ((policy->statements = policy_arena_alloc(&policy->arena,
	    count * sizeof(*policy->statements))) == NULL)
		return out_of_memory(ps);
	for (size_t i = 0; i < count; i++) {
		ps->statement_no = i + 1;
		if (!compile_statement(ps, &policy->statements[i],
		    json_is_array(statement) ? json_array_get(statement, i) :
		    statement))
			return false;
		policy->statement_count++;
	}
	if (policy->kind != POLICY_KIND_KEY)
		duplicate_sid_check(ps);
	return true;
}

/*
 * Compile json into a policy; every problem goes to findings.  NULL when
 * there was any (or on STATUS_NO_MEMORY, left in *status).
 */
static struct policy *
policy_compile(const char *json, size_t len, enum policy_kind kind,
    struct policy_findings *findings, enum status *status)
{
	struct parser	 ps;
	struct policy	*policy = NULL;
	json_t		*root = NULL;
	json_error_t	 jerr;
	struct policy_hasher h;

	memset(&ps, 0, sizeof(ps));
	ps.findings = findings;
	ps.status = STATUS_OK;
	*status = STATUS_OK;
	if (json == NULL) {
		finding(&ps, POLICY_CHECK_JSON_SYNTAX, "This policy contains "
		    "invalid Json: there is no document");
		return NULL;
	}
	if (len > POLICY_DOCUMENT_MAX) {
		finding(&ps, POLICY_CHECK_TOO_LARGE, "the policy document is "
		    "larger than %d bytes", POLICY_DOCUMENT_MAX);
		return NULL;
	}
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		finding(&ps, POLICY_CHECK_JSON_SYNTAX, "This policy contains "
		    "invalid Json: %s (line %d, column %d)", jerr.text,
		    jerr.line, jerr.column);
		return NULL;
	}
	if (!json_is_object(root)) {
		finding(&ps, POLICY_CHECK_JSON_SYNTAX, "This policy contains "
		    "invalid Json: the document must be an object, not %s",
		    json_type_name(root));
		goto out;
	}
	if ((policy = calloc(1, sizeof(*policy))) == NULL) {
		ps.status = STATUS_NO_MEMORY;
		goto out;
	}
	policy->kind = kind;
	ps.policy = policy;
	if (!compile_document(&ps, root))
		goto out;
	if (ps.key_count > 0) {
		policy->keys = policy_arena_alloc(&policy->arena,
		    ps.key_count * sizeof(*policy->keys));
		if (policy->keys == NULL) {
			ps.status = STATUS_NO_MEMORY;
			goto out;
		}
		memcpy(policy->keys, ps.keys, ps.key_count *
		    sizeof(*policy->keys));
		policy->key_count = ps.key_count;
	}
	policy_hasher_init(&h);
	policy_hasher_u64(&h, (uint64_t)kind);
	policy_hasher_update(&h, json, len);
	policy->hash = policy_hasher_final(&h);
out:
	free(ps.keys);
	json_decref(root);
	if (ps.status != STATUS_OK || findings->count > 0) {
		*status = ps.status;
		policy_free(policy);
		return NULL;
	}
	return policy;
}

enum status
policy_parse(const char *json, size_t len, enum policy_kind kind,
    struct policy **out, struct error *err)
{
	struct policy_findings	*findings;
	struct policy		*policy;
	enum status		 st;

	if (out == NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, NULL);
	if ((findings = calloc(1, sizeof(*findings))) == NULL)
		return error_set(err, STATUS_NO_MEMORY, NULL);
	policy = policy_compile(json, len, kind, findings, &st);
	if (policy == NULL) {
		if (st == STATUS_OK)
			st = error_set(err, STATUS_MALFORMED_POLICY, "%s",
			    findings->items[0].message);
		else
			st = error_set(err, st, NULL);
		free(findings);
		return st;
	}
	free(findings);
	*out = policy;
	return STATUS_OK;
}

void
policy_free(struct policy *policy)
{
	if (policy == NULL)
		return;
	free(policy->arn);
	policy_arena_cleanup(&policy->arena);
	free(policy);
}

enum status
policy_set_arn(struct policy *policy, const char *arn)
{
	char *copy = NULL;

	if (policy == NULL)
		return STATUS_INVALID_PARAMETER;
	if (arn != NULL && (copy = strdup(arn)) == NULL)
		return STATUS_NO_MEMORY;
	free(policy->arn);
	policy->arn = copy;
	return STATUS_OK;
}

const char *
policy_arn(const struct policy *policy)
{
	return policy != NULL ? policy->arn : NULL;
}

enum policy_kind
policy_get_kind(const struct policy *policy)
{
	return policy->kind;
}

size_t
policy_statement_count(const struct policy *policy)
{
	return policy != NULL ? policy->statement_count : 0;
}

size_t
policy_referenced_key_count(const struct policy *policy)
{
	return policy != NULL ? policy->key_count : 0;
}

uint64_t
policy_hash(const struct policy *policy)
{
	return policy != NULL ? policy->hash : 0;
}

/* ---- analysis: who a policy reaches ---- */

/* Condition keys that pin the caller (or the service's source) to known
 * accounts, organisations, ARNs, networks or addresses. */
static const char *const restricting_keys[] = {
	"aws:principalaccount", "aws:sourceaccount", "aws:principalorgid",
	"aws:principalorgpaths", "aws:sourceorgid", "aws:sourceorgpaths",
	"aws:principalarn", "aws:sourcearn", "aws:sourceowner", "aws:userid",
	"aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "kms:calleraccount",
};

static bool
key_is_restricting(const struct condition *c)
{
	for (size_t i = 0; i < sizeof(restricting_keys) /
	    sizeof(restricting_keys[0]); i++)
		if (strcmp(c->key, restricting_keys[i]) == 0)
			return true;
	return false;
}

/* The account field of an ARN pattern, if it is a fixed account. */
static bool
arn_account_fixed(const struct pattern *p)
{
	const char	*s = p->source;
	size_t		 field = 0, start = 0;

	for (size_t i = 0; i < p->source_len; i++) {
		if (s[i] != ':')
			continue;
		if (++field == 5)
			return is_account_id(s + start, i - start);
		start = i + 1;
	}
	return false;
}

/*
 * Does condition c confine a statement to fixed values of a restricting
 * key?  Only positive tests count, with no IfExists (which lets requests
 * without the key through), and with values free of wildcards and
 * variables (for ARNs, a fixed account field is enough; for addresses, a
 * range no wider than a /8 or an IPv6 /32).  *own tells whether every
 * value names account_id itself.
 */
static bool
condition_restricts(const struct condition *c, const char *account_id,
    bool *own)
{
	bool is_arn_key;

	*own = false;
	if (c->op->is_negated || c->is_if_exists || c->qualifier ==
	    CONDITION_FOR_ALL_VALUES || !key_is_restricting(c))
		return false;
	is_arn_key = strcmp(c->key, "aws:principalarn") == 0 ||
	    strcmp(c->key, "aws:sourcearn") == 0;
	if (c->op->base == CONDITION_IP_ADDRESS) {
		if (strcmp(c->key, "aws:sourceip") != 0)
			return false;
		for (size_t i = 0; i < c->value_count; i++) {
			const struct ip_cidr *r = &c->values[i].u.cidr;

			if (r->prefix_len < (r->family == AF_INET ? 8u : 32u))
				return false;
		}
		return true;
	}
	if (c->op->type != CONDITION_VALUE_STRING &&
	    c->op->type != CONDITION_VALUE_ARN)
		return false;
	*own = account_id != NULL;
	for (size_t i = 0; i < c->value_count; i++) {
		const struct pattern *p = &c->values[i].pattern;

		if (p->var_count > 0)
			return false;
		if (is_arn_key) {
			if (!arn_account_fixed(p))
				return false;
		} else if (p->has_wildcards || memchr(p->source, '*',
		    p->source_len) != NULL || memchr(p->source, '?',
		    p->source_len) != NULL) {
			return false;
		}
		if (account_id == NULL)
			continue;
		if (strcmp(c->key, "aws:principalaccount") == 0 ||
		    strcmp(c->key, "aws:sourceaccount") == 0 ||
		    strcmp(c->key, "kms:calleraccount") == 0) {
			if (strcmp(p->source, account_id) != 0)
				*own = false;
		} else if (is_arn_key) {
			char needle[16];

			snprintf(needle, sizeof(needle), ":%s:", account_id);
			if (strstr(p->source, needle) == NULL)
				*own = false;
		} else {
			*own = false;
		}
	}
	return true;
}

static enum policy_exposure
statement_exposure(const struct policy_statement *st, const char *account_id)
{
	enum policy_exposure	 e = POLICY_EXPOSURE_NONE;
	bool			 is_broad = false, own;

	if (st->is_deny || st->principal_mode == PRINCIPAL_MODE_NONE)
		return POLICY_EXPOSURE_NONE;
	if (st->principal_mode == PRINCIPAL_MODE_NOT_PRINCIPAL)
		is_broad = true;
	for (size_t i = 0; i < st->principal_count; i++) {
		const struct principal_entry *pe = &st->principals[i];
		enum policy_exposure	 this;

		switch (pe->kind) {
		case PRINCIPAL_ENTRY_ANY:
		case PRINCIPAL_ENTRY_AWS_ANY:
			is_broad = true;
			continue;
		case PRINCIPAL_ENTRY_ACCOUNT:
		case PRINCIPAL_ENTRY_ARN:
			this = account_id != NULL &&
			    strcmp(pe->account_id, account_id) == 0 ?
			    POLICY_EXPOSURE_ACCOUNT :
			    POLICY_EXPOSURE_CROSS_ACCOUNT;
			break;
		case PRINCIPAL_ENTRY_CANONICAL_USER:
			continue;
		default:
			this = POLICY_EXPOSURE_CROSS_ACCOUNT;
			break;
		}
		if (this > e)
			e = this;
	}
	if (!is_broad)
		return e;
	for (size_t i = 0; i < st->condition_count; i++) {
		if (condition_restricts(&st->conditions[i], account_id, &own)) {
			enum policy_exposure r = own ? POLICY_EXPOSURE_ACCOUNT :
			    POLICY_EXPOSURE_CROSS_ACCOUNT;

			return r > e ? r : e;
		}
	}
	return POLICY_EXPOSURE_PUBLIC;
}

enum policy_exposure
policy_exposure(const struct policy *policy, const char *account_id,
    size_t *statement_index)
{
	enum policy_exposure worst = POLICY_EXPOSURE_NONE, e;

	if (statement_index != NULL)
		*statement_index = 0;
	if (policy == NULL)
		return POLICY_EXPOSURE_NONE;
	for (size_t i = 0; i < policy->statement_count; i++) {
		e = statement_exposure(&policy->statements[i], account_id);
		if (e > worst) {
			worst = e;
			if (statement_index != NULL)
				*statement_index = i;
		}
	}
	return worst;
}

bool
policy_is_public(const struct policy *policy, const char *account_id)
{
	return policy_exposure(policy, account_id, NULL) ==
	    POLICY_EXPOSURE_PUBLIC;
}

/* ---- validation ---- */

static void
validate_finding(struct policy_findings *out, enum policy_check check,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
validate_finding(struct policy_findings *out, enum policy_check check,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	finding_add(out, check, "", fmt, ap);
	va_end(ap);
}

static void
statement_label(const struct policy *policy, size_t i, char *buf, size_t size)
{
	const char *sid = policy->statements[i].sid;

	if (sid != NULL && sid[0] != '\0')
		snprintf(buf, size, "statement %zu (Sid \"%.40s\")", i + 1,
		    sid);
	else
		snprintf(buf, size, "statement %zu", i + 1);
}

static void
lockout_check(const struct policy *policy,
    const struct policy_validate_options *o, struct policy_findings *out)
{
	struct policy_request	 req;
	struct policy_decision	 d;
	char			 label[96];

	for (size_t i = 0; i < o->lockout_action_count; i++) {
		memset(&req, 0, sizeof(req));
		req.principal = o->caller;
		req.action = o->lockout_actions[i];
		req.resource = o->resource;
		req.resource_account_id = o->account_id;
		req.resource_policy = policy;
		if (policy_evaluate(&req, &d) != STATUS_OK ||
		    d.effect != POLICY_EXPLICIT_DENY)
			continue;
		statement_label(policy, d.statement_index, label,
		    sizeof(label));
		validate_finding(out, POLICY_CHECK_LOCKOUT, "This resource "
		    "policy denies %s to %s (%s), so it could not be changed "
		    "or removed afterwards", o->lockout_actions[i],
		    o->caller->arn != NULL ? o->caller->arn : "the caller",
		    label);
		return;
	}
}

enum status
policy_validate(const char *json, size_t len,
    const struct policy_validate_options *o, struct policy_findings *out,
    bool *is_valid)
{
	struct policy	*policy;
	enum status	 st;
	size_t		 index;
	char		 label[96];

	memset(out, 0, sizeof(*out));
	*is_valid = false;
	if (o == NULL)
		return STATUS_INVALID_PARAMETER;
	policy = policy_compile(json, len, o->kind, out, &st);
	if (st != STATUS_OK)
		return st;
	if (policy != NULL) {
		if (o->check_public && policy_exposure(policy, o->account_id,
		    &index) == POLICY_EXPOSURE_PUBLIC) {
			statement_label(policy, index, label, sizeof(label));
			validate_finding(out, POLICY_CHECK_BROAD_ACCESS, "This "
			    "resource policy grants public access: %s allows "
			    "any principal without a condition that limits it "
			    "to known accounts or organizations (such as "
			    "aws:PrincipalAccount, aws:SourceAccount or "
			    "aws:PrincipalOrgID)", label);
		}
		if (o->caller != NULL && o->lockout_action_count > 0)
			lockout_check(policy, o, out);
		policy_free(policy);
	}
	*is_valid = out->count == 0;
	return STATUS_OK;
}
