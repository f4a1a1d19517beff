/*
 * test_policy.c: the policy engine against tables of cases kept as data
 * in tests/unit/data/policies/ (README.md there describes the formats):
 * AWS's evaluation logic and denial messages, Action/Resource matching,
 * every condition operator, malformed documents, public-access analysis.
 * Then the behaviours a table cannot express: validation listing every
 * problem, lockout and broad-access findings, the context map, request
 * hashes for decision caches, concurrent evaluation of shared policies,
 * and the speed of a typical evaluation.
 *
 * The data directory is found relative to the working directory (the
 * repository root under `make unit`), or from SESAME_POLICY_TEST_DATA.
 */
#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "auth/policy.h"
#include "auth/policy_internal.h"

#define DATA_DIR_DEFAULT	"tests/unit/data/policies"
#define MAX_POLICIES		16
#define MAX_TAGS		16

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

static size_t	cases_run;

static const char *
data_dir(void)
{
	const char *dir = getenv("SESAME_POLICY_TEST_DATA");

	return dir != NULL && dir[0] != '\0' ? dir : DATA_DIR_DEFAULT;
}

static json_t *
load_table(const char *name)
{
	char		 path[1024];
	json_error_t	 jerr;
	json_t		*root;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		fail_msg("%s: %s (line %d)", path, jerr.text, jerr.line);
	return root;
}

static struct policy *
parse_ok(const char *text, enum policy_kind kind)
{
	struct policy	*p = NULL;
	struct error	 err;

	error_clear(&err);
	if (policy_parse(text, strlen(text), kind, &p, &err) != STATUS_OK)
		fail_msg("policy did not parse: %s\n%s", err.message, text);
	return p;
}

/* ---- table support ---- */

struct table {
	const char	*file;
	json_t		*root;
	json_t		*principals;
	json_t		*policies;
	json_t		*defaults;
	size_t		 failures;
};

struct test_principal {
	struct policy_principal	 p;
	struct policy_tag	 tags[MAX_TAGS];
};

struct test_request {
	struct policy_request	 req;
	struct test_principal	 principal;
	const struct policy	*identity[MAX_POLICIES];
	const struct policy	*session[MAX_POLICIES];
	struct policy		*owned[MAX_POLICIES * 2 + 2];
	size_t			 owned_count;
	struct policy_context	*ctx;
};

static void case_failed(struct table *t, const char *name, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
case_failed(struct table *t, const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  FAIL %s: %s: ", t->file, name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	t->failures++;
}

/* A case's field, or the table's default. */
static json_t *
field(const struct table *t, json_t *c, const char *key)
{
	json_t *v = json_object_get(c, key);

	if (v == NULL && t->defaults != NULL)
		v = json_object_get(t->defaults, key);
	return v;
}

static const char *
field_string(const struct table *t, json_t *c, const char *key)
{
	return json_string_value(field(t, c, key));
}

static bool
principal_from_json(json_t *j, struct test_principal *out)
{
	const char	*type = json_string_value(json_object_get(j, "type"));
	json_t		*tags, *v;
	const char	*k;

	memset(out, 0, sizeof(*out));
	if (type == NULL)
		return false;
	if (strcmp(type, "user") == 0)
		out->p.type = POLICY_PRINCIPAL_USER;
	else if (strcmp(type, "root") == 0)
		out->p.type = POLICY_PRINCIPAL_ROOT;
	else if (strcmp(type, "assumed_role") == 0)
		out->p.type = POLICY_PRINCIPAL_ASSUMED_ROLE;
	else if (strcmp(type, "federated_user") == 0)
		out->p.type = POLICY_PRINCIPAL_FEDERATED_USER;
	else if (strcmp(type, "service") == 0)
		out->p.type = POLICY_PRINCIPAL_SERVICE;
	else if (strcmp(type, "web_identity") == 0)
		out->p.type = POLICY_PRINCIPAL_WEB_IDENTITY;
	else if (strcmp(type, "anonymous") == 0)
		out->p.type = POLICY_PRINCIPAL_ANONYMOUS;
	else
		return false;
	out->p.arn = json_string_value(json_object_get(j, "arn"));
	out->p.role_arn = json_string_value(json_object_get(j, "role_arn"));
	out->p.account_id = json_string_value(json_object_get(j, "account"));
	out->p.user_id = json_string_value(json_object_get(j, "user_id"));
	out->p.user_name = json_string_value(json_object_get(j, "user_name"));
	tags = json_object_get(j, "tags");
	json_object_foreach(tags, k, v) {
		if (out->p.tag_count == MAX_TAGS)
			return false;
		out->tags[out->p.tag_count].key = k;
		out->tags[out->p.tag_count].value = json_string_value(v);
		out->p.tag_count++;
	}
	out->p.tags = out->tags;
	return true;
}

/*
 * A policy given in a case: a name from the table's policies, JSON text
 * (a string starting with '{'), a document object, or {"arn", "document"}.
 */
static struct policy *
policy_from_json(struct table *t, const char *name, json_t *v,
    enum policy_kind kind, struct test_request *tr)
{
	struct policy	*p = NULL;
	struct error	 err;
	const char	*arn = NULL;
	char		*text;
	enum status	 st;

	if (json_is_string(v) && json_string_value(v)[0] != '{') {
		json_t *named = json_object_get(t->policies,
		    json_string_value(v));

		if (named == NULL) {
			case_failed(t, name, "no policy named %s",
			    json_string_value(v));
			return NULL;
		}
		v = named;
	}
	if (json_is_object(v) && json_object_get(v, "document") != NULL) {
		arn = json_string_value(json_object_get(v, "arn"));
		v = json_object_get(v, "document");
	}
	if (json_is_string(v))
		text = strdup(json_string_value(v));
	else
		text = json_dumps(v, JSON_COMPACT);
	assert_non_null(text);
	error_clear(&err);
	st = policy_parse(text, strlen(text), kind, &p, &err);
	free(text);
	if (st != STATUS_OK) {
		case_failed(t, name, "policy does not parse: %s", err.message);
		return NULL;
	}
	if (arn != NULL)
		assert_int_equal(policy_set_arn(p, arn), STATUS_OK);
	tr->owned[tr->owned_count++] = p;
	return p;
}

static bool
context_from_json(struct policy_context *ctx, json_t *context)
{
	const char	*k;
	json_t		*v, *item;
	size_t		 i;

	json_object_foreach(context, k, v) {
		if (json_is_string(v)) {
			if (policy_context_add(ctx, k, json_string_value(v)) !=
			    STATUS_OK)
				return false;
		} else if (json_is_array(v)) {
			if (policy_context_set(ctx, k, NULL, 0) != STATUS_OK)
				return false;
			json_array_foreach(v, i, item)
				if (policy_context_add(ctx, k,
				    json_string_value(item)) != STATUS_OK)
					return false;
		} else {
			return false;
		}
	}
	return true;
}

static void
request_cleanup(struct test_request *tr)
{
	for (size_t i = 0; i < tr->owned_count; i++)
		policy_free(tr->owned[i]);
	policy_context_free(tr->ctx);
}

static bool
request_from_case(struct table *t, const char *name, json_t *c,
    struct test_request *tr, bool limited)
{
	json_t		*v, *item;
	const char	*pname;
	size_t		 i;

	memset(tr, 0, sizeof(*tr));
	pname = field_string(t, c, "principal");
	if (pname == NULL || !principal_from_json(json_object_get(t->principals,
	    pname), &tr->principal)) {
		case_failed(t, name, "unknown principal %s",
		    pname != NULL ? pname : "(none)");
		return false;
	}
	tr->req.principal = &tr->principal.p;
	tr->req.action = field_string(t, c, "action");
	tr->req.resource = field_string(t, c, "resource");
	tr->req.resource_account_id = field_string(t, c, "resource_account");
	tr->req.resource_display = field_string(t, c, "resource_display");
	tr->req.is_resource_policy_required = json_is_true(json_object_get(c,
	    "key_policy"));
	tr->req.is_via_service = json_is_true(json_object_get(c,
	    "via_service"));

	json_array_foreach(json_object_get(c, "identity"), i, item) {
		if ((tr->identity[i] = policy_from_json(t, name, item,
		    POLICY_KIND_IDENTITY, tr)) == NULL)
			return false;
		tr->req.identity_policy_count++;
	}
	tr->req.identity_policies = tr->identity;
	json_array_foreach(json_object_get(c, "session"), i, item) {
		if ((tr->session[i] = policy_from_json(t, name, item,
		    POLICY_KIND_IDENTITY, tr)) == NULL)
			return false;
		tr->req.session_policy_count++;
	}
	tr->req.session_policies = tr->session;
	if ((v = json_object_get(c, "resource_policy")) != NULL &&
	    (tr->req.resource_policy = policy_from_json(t, name, v,
	    tr->req.is_resource_policy_required ? POLICY_KIND_KEY :
	    POLICY_KIND_RESOURCE, tr)) == NULL)
		return false;
	if ((v = json_object_get(c, "trust_policy")) != NULL &&
	    (tr->req.resource_policy = policy_from_json(t, name, v,
	    POLICY_KIND_TRUST, tr)) == NULL)
		return false;
	if ((v = json_object_get(c, "boundary")) != NULL &&
	    (tr->req.permissions_boundary = policy_from_json(t, name, v,
	    POLICY_KIND_IDENTITY, tr)) == NULL)
		return false;

	assert_non_null(tr->ctx = policy_context_new());
	if (limited)
		policy_context_limit_to(tr->ctx, &tr->req);
	if (!json_is_true(json_object_get(c, "bare_context")))
		assert_int_equal(policy_context_add_principal(tr->ctx,
		    &tr->principal.p), STATUS_OK);
	if (!context_from_json(tr->ctx, json_object_get(c, "context"))) {
		case_failed(t, name, "bad context");
		return false;
	}
	tr->req.context = tr->ctx;
	return true;
}

static const char *
effect_name(enum policy_effect e)
{
	switch (e) {
	case POLICY_ALLOW:
		return "allow";
	case POLICY_EXPLICIT_DENY:
		return "explicit_deny";
	case POLICY_IMPLICIT_DENY:
		return "implicit_deny";
	}
	return "?";
}

static const char *
source_name(enum policy_source s)
{
	switch (s) {
	case POLICY_SOURCE_IDENTITY:
		return "identity";
	case POLICY_SOURCE_RESOURCE:
		return "resource";
	case POLICY_SOURCE_BOUNDARY:
		return "boundary";
	case POLICY_SOURCE_SESSION:
		return "session";
	case POLICY_SOURCE_NONE:
		return "none";
	}
	return "?";
}

static void
run_request_case(struct table *t, json_t *c)
{
	struct test_request	 tr;
	struct policy_decision	 d, again;
	const char		*name = json_string_value(json_object_get(c,
	    "name"));
	const char		*expect, *by, *message;
	char			 msg[ERROR_MESSAGE_MAX];
	uint64_t		 hash;

	cases_run++;
	if (!request_from_case(t, name, c, &tr, false))
		goto out;
	if (policy_evaluate(&tr.req, &d) != STATUS_OK) {
		case_failed(t, name, "policy_evaluate failed");
		goto out;
	}
	expect = json_string_value(json_object_get(c, "expect"));
	by = json_string_value(json_object_get(c, "by"));
	message = json_string_value(json_object_get(c, "message"));
	if (expect == NULL || strcmp(expect, effect_name(d.effect)) != 0)
		case_failed(t, name, "expected %s, got %s (by %s)", expect,
		    effect_name(d.effect), source_name(d.source));
	else if (by != NULL && strcmp(by, source_name(d.source)) != 0)
		case_failed(t, name, "expected %s by %s, got by %s", expect, by,
		    source_name(d.source));
	policy_decision_message(&tr.req, &d, msg, sizeof(msg));
	if (message != NULL && strcmp(message, msg) != 0)
		case_failed(t, name, "message\n    expected: %s\n"
		    "    got:      %s", message, msg);
	/* Deterministic, and the hash too. */
	if (policy_evaluate(&tr.req, &again) != STATUS_OK ||
	    again.effect != d.effect || again.source != d.source)
		case_failed(t, name, "second evaluation differs");
	if (policy_request_hash(&tr.req) != policy_request_hash(&tr.req))
		case_failed(t, name, "request hash unstable");
	/* A context limited to the keys the policies reference decides the
	 * same, with the same message and the same request hash. */
	hash = policy_request_hash(&tr.req);
	request_cleanup(&tr);
	if (!request_from_case(t, name, c, &tr, true))
		goto out;
	if (policy_request_hash(&tr.req) != hash)
		case_failed(t, name, "limited context's request hash differs");
	if (policy_evaluate(&tr.req, &again) != STATUS_OK ||
	    again.effect != d.effect || again.source != d.source)
		case_failed(t, name, "limited context decides %s by %s",
		    effect_name(again.effect), source_name(again.source));
	else {
		char limited_msg[ERROR_MESSAGE_MAX];

		policy_decision_message(&tr.req, &again, limited_msg,
		    sizeof(limited_msg));
		if (strcmp(msg, limited_msg) != 0)
			case_failed(t, name, "limited context's message: %s",
			    limited_msg);
	}
out:
	request_cleanup(&tr);
}

static void
run_request_table(const char *file)
{
	struct table	 t;
	json_t		*c;
	size_t		 i;

	memset(&t, 0, sizeof(t));
	t.file = file;
	t.root = load_table(file);
	t.principals = json_object_get(t.root, "principals");
	t.policies = json_object_get(t.root, "policies");
	t.defaults = json_object_get(t.root, "defaults");
	json_array_foreach(json_object_get(t.root, "cases"), i, c)
		run_request_case(&t, c);
	json_decref(t.root);
	if (t.failures > 0)
		fail_msg("%s: %zu case(s) failed", file, t.failures);
}

/* ---- the tables ---- */

static void
test_evaluation_table(void **state)
{
	(void)state;
	run_request_table("evaluation.json");
}

static void
test_matching_table(void **state)
{
	(void)state;
	run_request_table("matching.json");
}

static void
test_conditions_table(void **state)
{
	struct table	 t;
	json_t		*c;
	size_t		 i;
	static const struct policy_principal alice = {
		.type = POLICY_PRINCIPAL_USER,
		.arn = "arn:aws:iam::111122223333:user/alice",
		.account_id = "111122223333",
	};

	(void)state;
	memset(&t, 0, sizeof(t));
	t.file = "conditions.json";
	t.root = load_table(t.file);
	json_array_foreach(json_object_get(t.root, "cases"), i, c) {
		const char		*name = json_string_value(
		    json_object_get(c, "name"));
		json_t			*doc, *stmt, *version;
		struct policy		*p = NULL;
		struct policy_context	*ctx;
		struct policy_request	 req;
		struct policy_decision	 d;
		struct error		 err;
		char			*text;
		bool			 expect;

		cases_run++;
		expect = json_is_true(json_object_get(c, "expect"));
		stmt = json_pack("{s:s, s:s, s:s, s:O}", "Effect", "Allow",
		    "Action", "*", "Resource", "*", "Condition",
		    json_object_get(c, "condition"));
		doc = json_object();
		version = json_object_get(c, "version");
		if (version == NULL)
			json_object_set_new(doc, "Version",
			    json_string("2012-10-17"));
		else if (json_is_string(version))
			json_object_set(doc, "Version", version);
		json_object_set_new(doc, "Statement", stmt);
		text = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
		error_clear(&err);
		if (policy_parse(text, strlen(text), POLICY_KIND_IDENTITY, &p,
		    &err) != STATUS_OK) {
			case_failed(&t, name, "does not parse: %s",
			    err.message);
			free(text);
			continue;
		}
		free(text);
		assert_non_null(ctx = policy_context_new());
		if (!context_from_json(ctx, json_object_get(c, "context")))
			case_failed(&t, name, "bad context");
		memset(&req, 0, sizeof(req));
		req.principal = &alice;
		req.action = "test:Act";
		req.resource = "*";
		req.identity_policies = (const struct policy *const *)&p;
		req.identity_policy_count = 1;
		req.context = ctx;
		assert_int_equal(policy_evaluate(&req, &d), STATUS_OK);
		if ((d.effect == POLICY_ALLOW) != expect)
			case_failed(&t, name, "expected the condition to %s",
			    expect ? "hold" : "fail");
		policy_context_free(ctx);
		policy_free(p);
	}
	json_decref(t.root);
	if (t.failures > 0)
		fail_msg("%s: %zu case(s) failed", t.file, t.failures);
}

static enum policy_kind
kind_from_name(const char *name)
{
	if (name != NULL && strcmp(name, "resource") == 0)
		return POLICY_KIND_RESOURCE;
	if (name != NULL && strcmp(name, "trust") == 0)
		return POLICY_KIND_TRUST;
	return POLICY_KIND_IDENTITY;
}

static void
test_malformed_table(void **state)
{
	struct table	 t;
	json_t		*c, *v;
	size_t		 i;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.file = "malformed.json";
	t.root = load_table(t.file);
	json_array_foreach(json_object_get(t.root, "cases"), i, c) {
		const char			*name = json_string_value(
		    json_object_get(c, "name"));
		const char			*check, *message;
		enum policy_kind		 kind;
		struct policy			*p = NULL;
		struct policy_findings		 findings;
		struct policy_validate_options	 opt;
		struct error			 err;
		char				*text;
		bool				 valid, found = false;
		enum status			 st;

		cases_run++;
		kind = kind_from_name(json_string_value(json_object_get(c,
		    "kind")));
		v = json_object_get(c, "policy");
		text = json_is_string(v) ? strdup(json_string_value(v)) :
		    json_dumps(v, JSON_COMPACT);
		assert_non_null(text);
		error_clear(&err);
		st = policy_parse(text, strlen(text), kind, &p, &err);
		memset(&opt, 0, sizeof(opt));
		opt.kind = kind;
		assert_int_equal(policy_validate(text, strlen(text), &opt,
		    &findings, &valid), STATUS_OK);
		check = json_string_value(json_object_get(c, "check"));
		message = json_string_value(json_object_get(c, "message"));
		if (json_is_true(json_object_get(c, "valid"))) {
			if (st != STATUS_OK || !valid)
				case_failed(&t, name, "refused: %s",
				    err.message);
		} else if (st != STATUS_MALFORMED_POLICY || valid) {
			case_failed(&t, name, "accepted (status %s)",
			    status_name(st));
		} else {
			for (size_t k = 0; k < findings.count; k++)
				if (check != NULL && strcmp(check,
				    policy_check_name(
				    findings.items[k].check)) == 0)
					found = true;
			if (!found)
				case_failed(&t, name, "no %s finding; first is "
				    "%s: %s", check, findings.count > 0 ?
				    policy_check_name(findings.items[0].check) :
				    "none", findings.count > 0 ?
				    findings.items[0].message : "");
			if (message != NULL && strstr(err.message, message) ==
			    NULL)
				case_failed(&t, name, "message lacks "
				    "\"%s\": %s", message, err.message);
		}
		policy_free(p);
		free(text);
	}
	json_decref(t.root);
	if (t.failures > 0)
		fail_msg("%s: %zu case(s) failed", t.file, t.failures);
}

static void
test_exposure_table(void **state)
{
	struct table	 t;
	json_t		*c;
	size_t		 i;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.file = "exposure.json";
	t.root = load_table(t.file);
	json_array_foreach(json_object_get(t.root, "cases"), i, c) {
		static const char *const names[] = { "none", "account",
		    "cross_account", "public" };
		const char		*name = json_string_value(
		    json_object_get(c, "name"));
		const char		*expect = json_string_value(
		    json_object_get(c, "exposure"));
		const char		*account = json_string_value(
		    json_object_get(c, "account"));
		json_t			*stmt = json_object_get(c, "statement");
		struct policy		*p;
		enum policy_exposure	 e;
		char			*text;
		size_t			 index;

		cases_run++;
		if (account == NULL)
			account = "111122223333";
		text = json_dumps(json_object_get(c, "policy"), JSON_COMPACT);
		p = parse_ok(text, POLICY_KIND_RESOURCE);
		free(text);
		e = policy_exposure(p, account, &index);
		if (strcmp(names[e], expect) != 0)
			case_failed(&t, name, "expected %s, got %s", expect,
			    names[e]);
		if (policy_is_public(p, account) != (strcmp(expect, "public") ==
		    0))
			case_failed(&t, name, "policy_is_public disagrees");
		if (stmt != NULL && (size_t)json_integer_value(stmt) != index)
			case_failed(&t, name, "expected statement %lld, "
			    "got %zu", (long long)json_integer_value(stmt),
			    index);
		policy_free(p);
	}
	json_decref(t.root);
	if (t.failures > 0)
		fail_msg("%s: %zu case(s) failed", t.file, t.failures);
}

/* Every .json file in the data directory is run by one of the tests
 * above: a new table without a runner would silently not run. */
static void
test_every_table_has_a_runner(void **state)
{
	static const char *const known[] = { "evaluation.json",
	    "matching.json", "conditions.json", "malformed.json",
	    "exposure.json" };
	DIR		*dir;
	struct dirent	*de;
	size_t		 seen = 0;

	(void)state;
	assert_non_null(dir = opendir(data_dir()));
	while ((de = readdir(dir)) != NULL) {
		size_t	 n = strlen(de->d_name);
		bool	 is_known = false;

		if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(de->d_name, known[i]) == 0)
				is_known = true;
		if (!is_known)
			fail_msg("%s has no runner in test_policy.c",
			    de->d_name);
		seen++;
	}
	closedir(dir);
	assert_int_equal(seen, sizeof(known) / sizeof(known[0]));
}

/* ---- behaviour beyond the tables ---- */

static void
test_parse_error_carries_the_first_problem(void **state)
{
	const char	*doc = "{\"Version\":\"2012-10-17\",\"Statement\":["
	    "{\"Effect\":\"Allow\",\"Action\":\"*\"},"
	    "{\"Sid\":\"Second\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
	struct policy	*p = NULL;
	struct error	 err;

	(void)state;
	error_clear(&err);
	assert_int_equal(policy_parse(doc, strlen(doc), POLICY_KIND_IDENTITY,
	    &p, &err), STATUS_MALFORMED_POLICY);
	assert_null(p);
	assert_int_equal(err.status, STATUS_MALFORMED_POLICY);
	assert_string_equal(err.message, "Statement 1: Policy statement must "
	    "contain resources; add a Resource or NotResource element");
}

static void
test_validate_lists_every_problem(void **state)
{
	const char *doc = "{\"Version\":\"2012-10-17\",\"Statement\":["
	    "{\"Effect\":\"Permit\",\"Principal\":{\"AWS\":\"111122223333\"},"
	    "\"Action\":\"GetSecretValue\"},"
	    "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
	    "\"Action\":\"secretsmanager:*\",\"Condition\":{\"StringEqual\":"
	    "{\"aws:username\":\"x\"},\"IpAddress\":{\"aws:SourceIp\":"
	    "\"300.1.1.1\"}}}]}";
	static const enum policy_check expected[] = {
		POLICY_CHECK_INVALID_EFFECT, POLICY_CHECK_INVALID_ACTION,
		POLICY_CHECK_INVALID_CONDITION_OPERATOR,
		POLICY_CHECK_INVALID_CONDITION_VALUE,
	};
	struct policy_validate_options	 opt = { .kind = POLICY_KIND_RESOURCE };
	struct policy_findings		 f;
	bool				 valid = true;

	(void)state;
	assert_int_equal(policy_validate(doc, strlen(doc), &opt, &f, &valid),
	    STATUS_OK);
	assert_false(valid);
	assert_int_equal(f.count, sizeof(expected) / sizeof(expected[0]));
	for (size_t i = 0; i < f.count; i++)
		assert_int_equal(f.items[i].check, expected[i]);
	assert_string_equal(f.items[2].message, "Statement 2: unknown "
	    "condition operator \"StringEqual\"");
	assert_string_equal(f.items[3].message, "Statement 2: condition "
	    "IpAddress on \"aws:SourceIp\": \"300.1.1.1\" is not an IPv4 or "
	    "IPv6 address or CIDR block");
}

static void
test_validate_caps_findings(void **state)
{
	struct policy_validate_options	 opt = { .kind = POLICY_KIND_IDENTITY };
	struct policy_findings		 f;
	char				 doc[8192];
	size_t				 n;
	bool				 valid;

	(void)state;
	n = (size_t)snprintf(doc, sizeof(doc), "{\"Statement\":[");
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n,
		    "%s{\"Effect\":\"Allow\",\"Action\":\"*\"}", i ? "," : "");
	snprintf(doc + n, sizeof(doc) - n, "]}");
	assert_int_equal(policy_validate(doc, strlen(doc), &opt, &f, &valid),
	    STATUS_OK);
	assert_false(valid);
	assert_int_equal(f.count, POLICY_FINDINGS_MAX);
	assert_true(f.is_truncated);
}

static void
test_validate_reports_broad_access(void **state)
{
	const char *doc = "{\"Version\":\"2012-10-17\",\"Statement\":["
	    "{\"Sid\":\"Own\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
	    "\"111122223333\"},\"Action\":\"secretsmanager:*\","
	    "\"Resource\":\"*\"},"
	    "{\"Sid\":\"Everyone\",\"Effect\":\"Allow\",\"Principal\":\"*\","
	    "\"Action\":\"secretsmanager:GetSecretValue\","
	    "\"Resource\":\"*\"}]}";
	struct policy_validate_options	 opt = {
		.kind = POLICY_KIND_RESOURCE,
		.account_id = "111122223333",
		.check_public = true,
	};
	struct policy_findings		 f;
	bool				 valid;

	(void)state;
	assert_int_equal(policy_validate(doc, strlen(doc), &opt, &f, &valid),
	    STATUS_OK);
	assert_false(valid);
	assert_int_equal(f.count, 1);
	assert_int_equal(f.items[0].check, POLICY_CHECK_BROAD_ACCESS);
	assert_string_equal(policy_check_name(f.items[0].check),
	    "BROAD_ACCESS");
	assert_non_null(strstr(f.items[0].message,
	    "statement 2 (Sid \"Everyone\")"));
	opt.check_public = false;
	assert_int_equal(policy_validate(doc, strlen(doc), &opt, &f, &valid),
	    STATUS_OK);
	assert_true(valid);
}

static void
test_validate_reports_lockout(void **state)
{
	const char *doc = "{\"Version\":\"2012-10-17\",\"Statement\":["
	    "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},"
	    "\"Action\":\"secretsmanager:*ResourcePolicy\","
	    "\"Resource\":\"*\"}]}";
	static const char *const actions[] = {
		"secretsmanager:PutResourcePolicy",
		"secretsmanager:DeleteResourcePolicy",
	};
	static const struct policy_principal admin = {
		.type = POLICY_PRINCIPAL_USER,
		.arn = "arn:aws:iam::111122223333:user/admin",
		.account_id = "111122223333",
	};
	struct policy_validate_options	 opt = {
		.kind = POLICY_KIND_RESOURCE,
		.account_id = "111122223333",
		.caller = &admin,
		.resource = "arn:aws:secretsmanager:us-east-1:111122223333:"
		    "secret:s-AbCdEf",
		.lockout_actions = actions,
		.lockout_action_count = 2,
	};
	struct policy_findings		 f;
	bool				 valid;

	(void)state;
	assert_int_equal(policy_validate(doc, strlen(doc), &opt, &f, &valid),
	    STATUS_OK);
	assert_false(valid);
	assert_int_equal(f.count, 1);
	assert_string_equal(policy_check_name(f.items[0].check), "LOCKOUT");
	assert_non_null(strstr(f.items[0].message,
	    "secretsmanager:PutResourcePolicy"));
}

static void
test_decision_error_is_access_denied(void **state)
{
	static const struct policy_principal bob = {
		.type = POLICY_PRINCIPAL_USER,
		.arn = "arn:aws:iam::111122223333:user/bob",
		.account_id = "111122223333",
	};
	struct policy_request	 req;
	struct policy_decision	 d;
	struct error		 err;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.principal = &bob;
	req.action = "secretsmanager:ListSecrets";
	assert_int_equal(policy_evaluate(&req, &d), STATUS_OK);
	assert_int_equal(d.effect, POLICY_IMPLICIT_DENY);
	error_clear(&err);
	assert_int_equal(policy_decision_error(&req, &d, &err),
	    STATUS_ACCESS_DENIED);
	assert_string_equal(err.message, "User: arn:aws:iam::111122223333:"
	    "user/bob is not authorized to perform: secretsmanager:ListSecrets "
	    "because no identity-based policy allows the "
	    "secretsmanager:ListSecrets action");

	req.action = NULL;
	assert_int_equal(policy_evaluate(&req, &d), STATUS_INVALID_PARAMETER);
	req.action = "x:y";
	req.principal = NULL;
	assert_int_equal(policy_evaluate(&req, &d), STATUS_INVALID_PARAMETER);
}

static void
test_evaluate_refuses_policies_in_the_wrong_slot(void **state)
{
	static const struct policy_principal alice = {
		.type = POLICY_PRINCIPAL_USER,
		.arn = "arn:aws:iam::111122223333:user/alice",
		.account_id = "111122223333",
	};
	struct policy		*identity, *resource;
	struct policy_request	 req;
	struct policy_decision	 d;

	(void)state;
	identity = parse_ok("{\"Statement\":{\"Effect\":\"Allow\","
	    "\"Action\":\"*\",\"Resource\":\"*\"}}", POLICY_KIND_IDENTITY);
	/* Grants to bob only: read as an identity policy it would grant
	 * alice everything. */
	resource = parse_ok("{\"Statement\":{\"Effect\":\"Allow\","
	    "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/bob\"},"
	    "\"Action\":\"*\"}}", POLICY_KIND_RESOURCE);
	memset(&req, 0, sizeof(req));
	req.principal = &alice;
	req.action = "secretsmanager:GetSecretValue";
	req.identity_policies = (const struct policy *const *)&resource;
	req.identity_policy_count = 1;
	assert_int_equal(policy_evaluate(&req, &d), STATUS_INVALID_PARAMETER);
	assert_int_equal(d.effect, POLICY_IMPLICIT_DENY);
	req.identity_policy_count = 0;
	req.permissions_boundary = resource;
	assert_int_equal(policy_evaluate(&req, &d), STATUS_INVALID_PARAMETER);
	req.permissions_boundary = NULL;
	req.session_policies = (const struct policy *const *)&resource;
	req.session_policy_count = 1;
	assert_int_equal(policy_evaluate(&req, &d), STATUS_INVALID_PARAMETER);
	req.session_policy_count = 0;
	req.resource_policy = identity;
	assert_int_equal(policy_evaluate(&req, &d), STATUS_INVALID_PARAMETER);
	req.resource_policy = resource;
	assert_int_equal(policy_evaluate(&req, &d), STATUS_OK);
	assert_int_equal(d.effect, POLICY_IMPLICIT_DENY);
	policy_free(identity);
	policy_free(resource);
}

static void
test_context_keys_are_case_insensitive(void **state)
{
	struct policy_context	*ctx;
	const char *const	*values;
	const char		*two[] = { "a", "b" };

	(void)state;
	assert_non_null(ctx = policy_context_new());
	assert_int_equal(policy_context_add(ctx, "aws:SourceIp", "192.0.2.1"),
	    STATUS_OK);
	assert_int_equal(policy_context_get(ctx, "AWS:SOURCEIP", &values), 1);
	assert_string_equal(values[0], "192.0.2.1");
	assert_null(values[1]);
	assert_int_equal(policy_context_add(ctx, "aws:tagkeys", "a"),
	    STATUS_OK);
	assert_int_equal(policy_context_add(ctx, "AWS:TagKeys", "b"),
	    STATUS_OK);
	assert_int_equal(policy_context_get(ctx, "aws:TagKeys", &values), 2);
	assert_string_equal(values[1], "b");
	assert_int_equal(policy_context_set(ctx, "aws:TagKeys", two, 1),
	    STATUS_OK);
	assert_int_equal(policy_context_get(ctx, "aws:TagKeys", NULL), 1);
	assert_int_equal(policy_context_set(ctx, "aws:TagKeys", NULL, 0),
	    STATUS_OK);
	assert_int_equal(policy_context_get(ctx, "aws:TagKeys", &values), 0);
	assert_null(values);
	assert_int_equal(policy_context_key_count(ctx), 1);
	assert_int_equal(policy_context_add(ctx, "", "x"),
	    STATUS_INVALID_PARAMETER);
	assert_int_equal(policy_context_add(ctx, "k:k", NULL),
	    STATUS_INVALID_PARAMETER);
	policy_context_free(ctx);
}

static void
test_context_refuses_oversized_values(void **state)
{
	struct policy_context	*ctx;
	char			*big;

	(void)state;
	assert_non_null(ctx = policy_context_new());
	assert_non_null(big = malloc(POLICY_CONTEXT_VALUE_MAX + 2));
	memset(big, 'x', POLICY_CONTEXT_VALUE_MAX + 1);
	big[POLICY_CONTEXT_VALUE_MAX + 1] = '\0';
	assert_int_equal(policy_context_add(ctx, "a:b", big),
	    STATUS_INVALID_PARAMETER);
	big[POLICY_CONTEXT_VALUE_MAX] = '\0';
	assert_int_equal(policy_context_add(ctx, "a:b", big), STATUS_OK);
	for (int i = 1; i < POLICY_CONTEXT_VALUES_MAX; i++)
		assert_int_equal(policy_context_add(ctx, "a:many", "v"),
		    STATUS_OK);
	assert_int_equal(policy_context_add(ctx, "a:many", "v"), STATUS_OK);
	assert_int_equal(policy_context_add(ctx, "a:many", "v"),
	    STATUS_INVALID_PARAMETER);
	free(big);
	policy_context_free(ctx);
}

static void
test_context_principal_and_request_keys(void **state)
{
	static const struct policy_tag tags[] = { { "Team", "payments" } };
	static const struct policy_principal session = {
		.type = POLICY_PRINCIPAL_ASSUMED_ROLE,
		.arn = "arn:aws:sts::111122223333:assumed-role/Reader/s1",
		.role_arn = "arn:aws:iam::111122223333:role/Reader",
		.account_id = "111122223333",
		.user_id = "AROAEXAMPLEREADER0001:s1",
		.user_name = "ignored-for-roles",
		.tags = tags,
		.tag_count = 1,
	};
	struct policy_context	*ctx;
	const char *const	*v;

	(void)state;
	assert_non_null(ctx = policy_context_new());
	assert_int_equal(policy_context_add_principal(ctx, &session),
	    STATUS_OK);
	assert_int_equal(policy_context_add_request(ctx, 1782820800,
	    "192.0.2.1", true), STATUS_OK);
	assert_int_equal(policy_context_get(ctx, "aws:PrincipalArn", &v), 1);
	assert_string_equal(v[0], "arn:aws:iam::111122223333:role/Reader");
	assert_int_equal(policy_context_get(ctx, "aws:PrincipalType", &v), 1);
	assert_string_equal(v[0], "AssumedRole");
	assert_int_equal(policy_context_get(ctx, "aws:PrincipalAccount", &v),
	    1);
	assert_int_equal(policy_context_get(ctx, "aws:userid", &v), 1);
	assert_int_equal(policy_context_get(ctx, "aws:username", &v), 0);
	assert_int_equal(policy_context_get(ctx, "aws:principaltag/team", &v),
	    1);
	assert_string_equal(v[0], "payments");
	assert_int_equal(policy_context_get(ctx, "aws:CurrentTime", &v), 1);
	assert_string_equal(v[0], "2026-06-30T12:00:00Z");
	assert_int_equal(policy_context_get(ctx, "aws:EpochTime", &v), 1);
	assert_string_equal(v[0], "1782820800");
	assert_int_equal(policy_context_get(ctx, "aws:SecureTransport", &v), 1);
	assert_string_equal(v[0], "true");
	assert_int_equal(policy_context_get(ctx, "aws:SourceIp", &v), 1);
	/* Called again, the principal's keys are replaced, not doubled. */
	assert_int_equal(policy_context_add_principal(ctx, &session),
	    STATUS_OK);
	assert_int_equal(policy_context_get(ctx, "aws:PrincipalArn", &v), 1);
	assert_int_equal(policy_context_get(ctx, "aws:PrincipalTag/Team", &v),
	    1);
	/* Called again (a new second), the time keys are replaced. */
	assert_int_equal(policy_context_add_request(ctx, 1782820801, NULL,
	    false), STATUS_OK);
	assert_int_equal(policy_context_get(ctx, "aws:EpochTime", &v), 1);
	assert_string_equal(v[0], "1782820801");
	policy_context_free(ctx);
}

static void
test_request_hash_follows_referenced_keys(void **state)
{
	static const struct policy_principal alice = {
		.type = POLICY_PRINCIPAL_USER,
		.arn = "arn:aws:iam::111122223333:user/alice",
		.account_id = "111122223333",
	};
	static const struct policy_principal bob = {
		.type = POLICY_PRINCIPAL_USER,
		.arn = "arn:aws:iam::111122223333:user/bob",
		.account_id = "111122223333",
	};
	const char *plain = "{\"Version\":\"2012-10-17\",\"Statement\":{"
	    "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";
	const char *timed = "{\"Version\":\"2012-10-17\",\"Statement\":{"
	    "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
	    "\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":"
	    "\"2030-01-01T00:00:00Z\"}}}}";
	struct policy		*p1, *p2, *p1_again;
	struct policy_context	*c1, *c2;
	struct policy_request	 req;
	uint64_t		 h1, h2;

	(void)state;
	p1 = parse_ok(plain, POLICY_KIND_IDENTITY);
	p1_again = parse_ok(plain, POLICY_KIND_IDENTITY);
	p2 = parse_ok(timed, POLICY_KIND_IDENTITY);
	assert_int_equal(policy_hash(p1), policy_hash(p1_again));
	assert_int_not_equal(policy_hash(p1), policy_hash(p2));
	assert_non_null(c1 = policy_context_new());
	assert_non_null(c2 = policy_context_new());
	assert_int_equal(policy_context_add_request(c1, 1000, "192.0.2.1",
	    true), STATUS_OK);
	assert_int_equal(policy_context_add_request(c2, 2000, "192.0.2.1",
	    true), STATUS_OK);

	memset(&req, 0, sizeof(req));
	req.principal = &alice;
	req.action = "secretsmanager:GetSecretValue";
	req.resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:x";
	req.identity_policies = (const struct policy *const *)&p1;
	req.identity_policy_count = 1;
	/* The time is not looked at: the same hash at another second. */
	req.context = c1;
	h1 = policy_request_hash(&req);
	req.context = c2;
	h2 = policy_request_hash(&req);
	assert_int_equal(h1, h2);
	/* The same document parsed twice is the same policy. */
	req.identity_policies = (const struct policy *const *)&p1_again;
	assert_int_equal(policy_request_hash(&req), h2);
	/* Once a policy reads aws:CurrentTime, the time counts. */
	req.identity_policies = (const struct policy *const *)&p2;
	req.context = c1;
	h1 = policy_request_hash(&req);
	req.context = c2;
	h2 = policy_request_hash(&req);
	assert_int_not_equal(h1, h2);
	/* Principal, action and resource always count. */
	req.principal = &bob;
	assert_int_not_equal(policy_request_hash(&req), h2);
	req.principal = &alice;
	req.action = "secretsmanager:PutSecretValue";
	assert_int_not_equal(policy_request_hash(&req), h2);

	policy_context_free(c1);
	policy_context_free(c2);
	policy_free(p1);
	policy_free(p1_again);
	policy_free(p2);
}

static void
test_policy_arn_and_accessors(void **state)
{
	struct policy *p = parse_ok("{\"Statement\":[{\"Effect\":\"Allow\","
	    "\"Action\":\"*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\","
	    "\"Action\":\"iam:*\",\"Resource\":\"*\"}]}", POLICY_KIND_IDENTITY);

	(void)state;
	assert_null(policy_arn(p));
	assert_int_equal(policy_set_arn(p, "arn:aws:iam::aws:policy/X"),
	    STATUS_OK);
	assert_string_equal(policy_arn(p), "arn:aws:iam::aws:policy/X");
	assert_int_equal(policy_set_arn(p, NULL), STATUS_OK);
	assert_null(policy_arn(p));
	assert_int_equal(policy_statement_count(p), 2);
	assert_int_equal(policy_get_kind(p), POLICY_KIND_IDENTITY);
	policy_free(p);
	policy_free(NULL);
}

static void
test_time_parser_forms(void **state)
{
	static const struct {
		const char	*text;
		int64_t		 ms;
	} good[] = {
		{ "1970-01-01", 0 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2026-06-30T12:00:00Z", 1782820800000LL },
		{ "2026-06-30t12:00:00z", 1782820800000LL },
		{ "2026-06-30T12:00Z", 1782820800000LL },
		{ "2026-06-30T12:00:00", 1782820800000LL },
		{ "2026-06-30T12:00:00.123Z", 1782820800123LL },
		{ "2026-06-30T12:00:00.1234567Z", 1782820800123LL },
		{ "2026-06-30T13:00:00+01:00", 1782820800000LL },
		{ "2026-06-30T13:00:00+01", 1782820800000LL },
		{ "2026-06-30T11:00:00-0100", 1782820800000LL },
		{ "2000-02-29T00:00:00Z", 951782400000LL },
		{ "1782820800", 1782820800000LL },
		{ "1782820800.5", 1782820800500LL },
		{ "0", 0 },
		{ "1969-12-31T23:59:59Z", -1000 },
	};
	static const char *const bad[] = { "", "2026-02-30", "2026-13-01",
	    "2026-06-30T25:00:00Z", "2026-06-30T12:60:00Z", "2026-06-30T12",
	    "2026-06-30T12:00:00Q", "2026-06-30T12:00:00Zjunk", "yesterday",
	    "1e5", "2026/06/30", "2026-6-30", "0x10", "2026-06-30T12:00:00." };
	int64_t ms;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!condition_parse_time(good[i].text, strlen(good[i].text),
		    &ms))
			fail_msg("refused %s", good[i].text);
		if (ms != good[i].ms)
			fail_msg("%s: %lld, expected %lld", good[i].text,
			    (long long)ms, (long long)good[i].ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (condition_parse_time(bad[i], strlen(bad[i]), &ms))
			fail_msg("accepted %s", bad[i]);
}

static void
test_number_and_ip_parsers(void **state)
{
	static const char *const good_numbers[] = { "0", "-1", "+2", "3.25",
	    ".5", "5.", "1e3", "-2.5E-3" };
	static const char *const bad_numbers[] = { "", "-", "e3", "1e", "0x1",
	    "inf", "nan", "1 ", " 1", "1,5", "1e999" };
	static const char *const good_ips[] = { "0.0.0.0/0", "10.0.0.1",
	    "10.0.0.0/8", "::1", "2001:db8::/32", "::/0",
	    "2001:db8::1/128" };
	static const char *const bad_ips[] = { "", "10.0.0", "10.0.0.0/33",
	    "::/129", "10.0.0.0/", "10.0.0.0/8x", "host", "10.0.0.256",
	    "10.0.0.0/0008" };
	struct ip_cidr	 c;
	double		 d;

	(void)state;
	for (size_t i = 0; i < sizeof(good_numbers) / sizeof(*good_numbers);
	    i++)
		if (!condition_parse_number(good_numbers[i],
		    strlen(good_numbers[i]), &d))
			fail_msg("refused number %s", good_numbers[i]);
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(*bad_numbers); i++)
		if (condition_parse_number(bad_numbers[i],
		    strlen(bad_numbers[i]), &d))
			fail_msg("accepted number %s", bad_numbers[i]);
	for (size_t i = 0; i < sizeof(good_ips) / sizeof(*good_ips); i++)
		if (!condition_parse_ip(good_ips[i], strlen(good_ips[i]), true,
		    &c))
			fail_msg("refused address %s", good_ips[i]);
	for (size_t i = 0; i < sizeof(bad_ips) / sizeof(*bad_ips); i++)
		if (condition_parse_ip(bad_ips[i], strlen(bad_ips[i]), true,
		    &c))
			fail_msg("accepted address %s", bad_ips[i]);
	assert_false(condition_parse_ip("10.0.0.0/8", 10, false, &c));
}

/* ---- the matcher against a reference ---- */

/* Dynamic-programming glob: units u (0 char, 1 '*', 2 '?'). */
static bool
ref_glob(const char *p, const uint8_t *u, size_t m, const char *s, size_t n,
    bool icase)
{
	bool	*prev, *cur, *tmp, r;

	prev = calloc(n + 1, sizeof(bool));
	cur = calloc(n + 1, sizeof(bool));
	assert_non_null(prev);
	assert_non_null(cur);
	prev[0] = true;
	for (size_t j = 1; j <= n; j++)
		prev[j] = false;
	for (size_t i = 1; i <= m; i++) {
		cur[0] = prev[0] && u[i - 1] == 1;
		for (size_t j = 1; j <= n; j++) {
			if (u[i - 1] == 1)
				cur[j] = prev[j] || cur[j - 1];
			else if (u[i - 1] == 2)
				cur[j] = prev[j - 1];
			else
				cur[j] = prev[j - 1] && (p[i - 1] == s[j - 1] ||
				    (icase &&
				    tolower((unsigned char)p[i - 1]) ==
				    tolower((unsigned char)s[j - 1])));
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	r = prev[n];
	free(prev);
	free(cur);
	return r;
}

/* ARN fields one by one; a pattern short of fields whose last unit is '*'
 * takes the rest. */
static bool
ref_arn(const char *p, const uint8_t *u, size_t m, const char *s, size_t n)
{
	size_t pi = 0, si = 0;

	for (int f = 0; f < 5; f++) {
		size_t pe = pi, se = si;

		while (se < n && s[se] != ':')
			se++;
		if (se == n)
			return false;
		while (pe < m && !(p[pe] == ':' && u[pe] == 0))
			pe++;
		if (pe == m)
			return m > pi && u[m - 1] == 1 && ref_glob(p + pi,
			    u + pi, m - pi, s + si, n - si, false);
		if (!ref_glob(p + pi, u + pi, pe - pi, s + si, se - si, false))
			return false;
		pi = pe + 1;
		si = se + 1;
	}
	return ref_glob(p + pi, u + pi, m - pi, s + si, n - si, false);
}

static void
random_text(char *out, size_t max, const char *alphabet, unsigned *seed)
{
	size_t n = (size_t)rand_r(seed) % (max + 1);

	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[(size_t)rand_r(seed) % strlen(alphabet)];
	out[n] = '\0';
}

/* A string the pattern matches: '*' becomes 0-3 characters, '?' one. */
static void
instantiate(const char *units, char *out, size_t size, unsigned *seed)
{
	size_t n = 0;

	for (const char *c = units; *c != '\0' && n + 4 < size; c++) {
		if (*c == '*') {
			int k = rand_r(seed) % 4;

			while (k-- > 0)
				out[n++] = "ab:"[rand_r(seed) % 3];
		} else if (*c == '?') {
			out[n++] = "ab"[rand_r(seed) % 2];
		} else {
			out[n++] = *c;
		}
	}
	out[n] = '\0';
}

static bool
ref_match(const char *pattern_units, const char *s, enum match_mode mode)
{
	size_t	 m = strlen(pattern_units), n = strlen(s);
	uint8_t	*u = calloc(m + 1, 1);
	bool	 r;

	assert_non_null(u);
	for (size_t i = 0; i < m; i++)
		u[i] = pattern_units[i] == '*' ? 1 : pattern_units[i] == '?' ?
		    2 : 0;
	if ((mode == MATCH_ARN || mode == MATCH_RESOURCE)) {
		size_t colons = 0;

		for (size_t i = 0; i < n; i++)
			colons += s[i] == ':';
		if (colons >= 5)
			r = ref_arn(pattern_units, u, m, s, n);
		else
			r = mode == MATCH_RESOURCE && ref_glob(pattern_units, u,
			    m, s, n, false);
	} else {
		r = ref_glob(pattern_units, u, m, s, n, mode ==
		    MATCH_IGNORE_CASE);
	}
	free(u);
	return r;
}

/*
 * Random patterns A${test:v}B and subjects, with the variable short (the
 * pattern is expanded on the stack), long (matched in place) or absent
 * (the flattened form of AB): every path must agree with the reference.
 */
static void
test_matcher_paths_agree_with_reference(void **state)
{
	static const enum match_mode modes[] = { MATCH_PLAIN,
	    MATCH_IGNORE_CASE, MATCH_RESOURCE, MATCH_ARN };
	static const size_t var_lens[] = { 0, 3, 1500 };
	unsigned	 seed = 20260630;
	char		 a[16], b[16], x[16], y[16], *var, *text, *subject;
	char		*units;
	size_t		 checked = 0, matched = 0;

	(void)state;
	assert_non_null(var = malloc(1600));
	assert_non_null(text = malloc(1700));
	assert_non_null(subject = malloc(1700));
	assert_non_null(units = malloc(1700));
	for (int round = 0; round < 600; round++) {
		for (size_t vl = 0; vl < sizeof(var_lens) / sizeof(*var_lens);
		    vl++) {
			struct policy_arena	 arena = { NULL };
			struct policy_context	*ctx;
			struct pattern		 p;
			enum match_mode		 mode = modes[round % 4];
			bool			 with_var = var_lens[vl] > 0;
			enum match		 got;
			bool			 want;

			random_text(a, 12, "aB:*?", &seed);
			random_text(b, 12, "ab:*?", &seed);
			memset(var, 'v', var_lens[vl]);
			var[var_lens[vl]] = '\0';
			if (var_lens[vl] > 0)
				var[var_lens[vl] / 2] = ':';
			snprintf(text, 1700, "%s%s%s", a, with_var ?
			    "${test:v}" : "", b);
			snprintf(units, 1700, "%s%s%s", a, with_var ? var : "",
			    b);
			/* Half the subjects are drawn from the pattern (so
			 * that matches are common), some then altered. */
			random_text(x, 10, "aAb:", &seed);
			random_text(y, 10, "ab:", &seed);
			if (rand_r(&seed) % 2) {
				instantiate(units, subject, 1700, &seed);
				if (rand_r(&seed) % 4 == 0 &&
				    subject[0] != '\0')
					subject[(size_t)rand_r(&seed) %
					    strlen(subject)] = 'b';
			} else if (rand_r(&seed) % 2) {
				snprintf(subject, 1700, "%s%s%s", x,
				    with_var ? var : "", y);
			} else {
				snprintf(subject, 1700, "a:b::a:%s%s", x, y);
			}
			assert_int_equal(pattern_compile(&arena, text,
			    strlen(text), PATTERN_ALLOW_WILDCARDS |
			    PATTERN_ALLOW_VARIABLES, &p), STATUS_OK);
			assert_non_null(ctx = policy_context_new());
			assert_int_equal(policy_context_add(ctx, "test:v", var),
			    STATUS_OK);
			got = pattern_match(&p, subject, strlen(subject), mode,
			    ctx);
			want = ref_match(units, subject, mode);
			if (got != (want ? MATCH_YES : MATCH_NO))
				fail_msg("pattern \"%s\" (variable of %zu) "
				    "mode %d subject \"%.60s\": got %d, "
				    "want %d", text, var_lens[vl], mode,
				    subject, got, want);
			checked++;
			matched += want;
			policy_context_free(ctx);
			policy_arena_cleanup(&arena);
		}
	}
	free(var);
	free(text);
	free(subject);
	free(units);
	print_message("matcher: %zu patterns checked, %zu matching\n",
	    checked, matched);
	/* Both outcomes well represented, or the test proves little. */
	assert_true(matched > checked / 10);
	assert_true(matched < checked - checked / 10);
	cases_run += checked;
}

/* ---- concurrency and speed ---- */

/* A typical identity policy: a handful of statements, wildcards, tags. */
static const char typical_identity[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Sid\":\"List\",\"Effect\":\"Allow\",\"Action\":["
    "\"secretsmanager:ListSecrets\",\"secretsmanager:GetRandomPassword\"],"
    "\"Resource\":\"*\"},"
    "{\"Sid\":\"ReadApp\",\"Effect\":\"Allow\",\"Action\":["
    "\"secretsmanager:GetSecretValue\",\"secretsmanager:Describe*\"],"
    "\"Resource\":[\"arn:aws:secretsmanager:*:111122223333:secret:prod/app/*\","
    "\"arn:aws:secretsmanager:*:111122223333:secret:home/${aws:username}/*\"],"
    "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"},"
    "\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"192.0.2.0/24\"]}}},"
    "{\"Sid\":\"Team\",\"Effect\":\"Allow\",\"Action\":\"secretsmanager:*\","
    "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
    "\"aws:ResourceTag/team\":\"${aws:PrincipalTag/team}\"}}},"
    "{\"Sid\":\"NoDelete\",\"Effect\":\"Deny\",\"Action\":["
    "\"secretsmanager:DeleteSecret\",\"secretsmanager:PutResourcePolicy\"],"
    "\"Resource\":\"*\"},"
    "{\"Sid\":\"Kms\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\","
    "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":"
    "\"secretsmanager.us-east-1.amazonaws.com\"}}}]}";

static const char typical_resource[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
    "\"arn:aws:iam::444455556666:role/Partner\",\"111122223333\"]},"
    "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\","
    "\"Condition\":{\"ForAnyValue:StringEquals\":{"
    "\"secretsmanager:VersionStage\":\"AWSCURRENT\"}}},"
    "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\","
    "\"Resource\":\"*\",\"Condition\":{\"Bool\":{"
    "\"aws:SecureTransport\":\"false\"}}}]}";

struct bench {
	struct policy		*identity;
	struct policy		*resource;
	struct policy_context	*ctx;
	struct policy_principal	 principal;
	struct policy_tag	 tag;
};

static void
bench_init(struct bench *b)
{
	memset(b, 0, sizeof(*b));
	b->identity = parse_ok(typical_identity, POLICY_KIND_IDENTITY);
	b->resource = parse_ok(typical_resource, POLICY_KIND_RESOURCE);
	b->tag.key = "team";
	b->tag.value = "payments";
	b->principal.type = POLICY_PRINCIPAL_USER;
	b->principal.arn = "arn:aws:iam::111122223333:user/alice";
	b->principal.account_id = "111122223333";
	b->principal.user_id = "AIDAEXAMPLEALICE00001";
	b->principal.user_name = "alice";
	b->principal.tags = &b->tag;
	b->principal.tag_count = 1;
	assert_non_null(b->ctx = policy_context_new());
	assert_int_equal(policy_context_add_principal(b->ctx, &b->principal),
	    STATUS_OK);
	assert_int_equal(policy_context_add_request(b->ctx, time(NULL),
	    "10.1.2.3", true), STATUS_OK);
	assert_int_equal(policy_context_add(b->ctx, "aws:ResourceTag/team",
	    "search"), STATUS_OK);
	assert_int_equal(policy_context_add(b->ctx,
	    "secretsmanager:VersionStage", "AWSCURRENT"), STATUS_OK);
}

static void
bench_request(struct bench *b, struct policy_request *req, int i)
{
	static const char *const resources[] = {
#define SECRET_ARN "arn:aws:secretsmanager:us-east-1:111122223333:secret:"
		SECRET_ARN "prod/app/db-AbCdEf",
		SECRET_ARN "home/alice/t-AbCdEf",
		SECRET_ARN "other-AbCdEf",
#undef SECRET_ARN
	};

	memset(req, 0, sizeof(*req));
	req->principal = &b->principal;
	req->action = i % 4 == 3 ? "secretsmanager:DeleteSecret" :
	    "secretsmanager:GetSecretValue";
	req->resource = resources[i % 3];
	req->resource_account_id = "111122223333";
	req->identity_policies = (const struct policy *const *)&b->identity;
	req->identity_policy_count = 1;
	req->resource_policy = b->resource;
	req->context = b->ctx;
}

static void
bench_cleanup(struct bench *b)
{
	policy_free(b->identity);
	policy_free(b->resource);
	policy_context_free(b->ctx);
}

static enum policy_effect
bench_expected(int i)
{
	if (i % 4 == 3)
		return POLICY_EXPLICIT_DENY;
	return i % 3 == 2 ? POLICY_IMPLICIT_DENY : POLICY_ALLOW;
}

static void *
bench_thread(void *arg)
{
	struct bench		*b = arg;
	struct policy_request	 req;
	struct policy_decision	 d;
	intptr_t		 wrong = 0;

	for (int i = 0; i < 20000; i++) {
		bench_request(b, &req, i);
		if (policy_evaluate(&req, &d) != STATUS_OK ||
		    d.effect != bench_expected(i))
			wrong++;
	}
	return (void *)wrong;
}

static void
test_shared_policies_evaluate_concurrently(void **state)
{
	struct bench	 b;
	pthread_t	 threads[4];
	void		*wrong;

	(void)state;
	bench_init(&b);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, bench_thread,
		    &b), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(threads[i], &wrong), 0);
		assert_int_equal((intptr_t)wrong, 0);
	}
	bench_cleanup(&b);
}

static void
test_typical_evaluation_takes_microseconds(void **state)
{
	struct bench		 b;
	struct policy_request	 req;
	struct policy_decision	 d;
	struct timespec		 t0, t1;
	const int		 rounds = 200000;
	double			 ns;

	(void)state;
	bench_init(&b);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	for (int i = 0; i < rounds; i++) {
		bench_request(&b, &req, i);
		assert_int_equal(policy_evaluate(&req, &d), STATUS_OK);
		if (d.effect != bench_expected(i))
			fail_msg("round %d: effect %d", i, d.effect);
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	    (double)(t1.tv_nsec - t0.tv_nsec)) / rounds;
	print_message("policy_evaluate: %.0f ns of CPU per decision "
	    "(2 policies, 7 statements, variables and conditions)\n", ns);
	/* Generous: the target is microseconds; sanitizers slow it ~10x. */
	if (!UNDER_SANITIZER)
		assert_true(ns < 20000.0);
	bench_cleanup(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evaluation_table),
		cmocka_unit_test(test_matching_table),
		cmocka_unit_test(test_conditions_table),
		cmocka_unit_test(test_malformed_table),
		cmocka_unit_test(test_exposure_table),
		cmocka_unit_test(test_every_table_has_a_runner),
		cmocka_unit_test(test_parse_error_carries_the_first_problem),
		cmocka_unit_test(test_validate_lists_every_problem),
		cmocka_unit_test(test_validate_caps_findings),
		cmocka_unit_test(test_validate_reports_broad_access),
		cmocka_unit_test(test_validate_reports_lockout),
		cmocka_unit_test(test_decision_error_is_access_denied),
		cmocka_unit_test(
		    test_evaluate_refuses_policies_in_the_wrong_slot),
		cmocka_unit_test(test_context_keys_are_case_insensitive),
		cmocka_unit_test(test_context_refuses_oversized_values),
		cmocka_unit_test(test_context_principal_and_request_keys),
		cmocka_unit_test(test_request_hash_follows_referenced_keys),
		cmocka_unit_test(test_policy_arn_and_accessors),
		cmocka_unit_test(test_time_parser_forms),
		cmocka_unit_test(test_number_and_ip_parsers),
		cmocka_unit_test(test_matcher_paths_agree_with_reference),
		cmocka_unit_test(test_shared_policies_evaluate_concurrently),
		cmocka_unit_test(test_typical_evaluation_takes_microseconds),
	};
	int failed;

	failed = cmocka_run_group_tests(tests, NULL, NULL);
	print_message("policy table cases run: %zu\n", cases_run);
	return failed;
}
