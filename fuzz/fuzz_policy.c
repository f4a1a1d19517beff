/*
 * fuzz_policy.c: the policy document parser and evaluator
 * (src/auth/policy_parse.c, policy_eval.c, conditions.c, policy_context.c).
 * Resource policies arrive from PutResourcePolicy / PutKeyPolicy and
 * identity policies from IAM, so every byte is the caller's.
 *
 * Properties beyond the sanitizers: a document that parses as an identity
 * and as a resource policy evaluates without error for a fixed request,
 * gives one of the three effects, and the validator agrees that a document
 * the parser accepts has no JSON-syntax finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/policy.h"
#include "fuzz_common.h"

static void
evaluate(const struct policy *identity, const struct policy *resource)
{
	static const struct policy_tag tags[] = { { "team", "blue" } };
	struct policy_principal	 p;
	struct policy_request	 req;
	struct policy_decision	 d;
	struct policy_context	*ctx;
	const struct policy	*ids[1];
	char			 msg[1024];

	memset(&p, 0, sizeof(p));
	p.type = POLICY_PRINCIPAL_USER;
	p.arn = "arn:aws:iam::123456789012:user/alice";
	p.account_id = "123456789012";
	p.user_id = "AIDAEXAMPLE";
	p.user_name = "alice";
	p.tags = tags;
	p.tag_count = 1;
	if ((ctx = policy_context_new()) == NULL)
		abort();
	(void)policy_context_add_principal(ctx, &p);
	(void)policy_context_add_request(ctx, 1795000000, "10.1.2.3", true);
	(void)policy_context_add(ctx, "secretsmanager:ResourceTag/team", "blue");
	memset(&req, 0, sizeof(req));
	req.principal = &p;
	req.action = "secretsmanager:GetSecretValue";
	req.resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
	    "prod/app-AbCdEf";
	req.context = ctx;
	if (identity != NULL) {
		ids[0] = identity;
		req.identity_policies = ids;
		req.identity_policy_count = 1;
	}
	req.resource_policy = resource;
	if (policy_evaluate(&req, &d) == STATUS_OK) {
		FUZZ_CHECK(d.effect == POLICY_IMPLICIT_DENY ||
		    d.effect == POLICY_ALLOW || d.effect == POLICY_EXPLICIT_DENY);
		(void)policy_decision_message(&req, &d, msg, sizeof(msg));
		(void)policy_request_hash(&req);
	}
	policy_context_free(ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy		*identity = NULL, *resource = NULL;
	struct policy_findings	 findings;
	struct policy_validate_options opt;
	struct error		 err;
	bool			 is_valid = false;
	char			*text;

	if (size > 64 * 1024 || (text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&err, 0, sizeof(err));
	(void)policy_parse(text, size, POLICY_KIND_IDENTITY, &identity, &err);
	memset(&err, 0, sizeof(err));
	(void)policy_parse(text, size, POLICY_KIND_RESOURCE, &resource, &err);
	if (identity != NULL || resource != NULL)
		evaluate(identity, resource);
	if (resource != NULL)
		(void)policy_is_public(resource, "123456789012");
	memset(&opt, 0, sizeof(opt));
	opt.kind = POLICY_KIND_RESOURCE;
	opt.account_id = "123456789012";
	opt.check_public = true;
	if (policy_validate(text, size, &opt, &findings, &is_valid) ==
	    STATUS_OK && resource != NULL)
		for (size_t i = 0; i < findings.count; i++)
			FUZZ_CHECK(findings.items[i].check !=
			    POLICY_CHECK_JSON_SYNTAX);
	policy_free(identity);
	policy_free(resource);
	free(text);
	return 0;
}
