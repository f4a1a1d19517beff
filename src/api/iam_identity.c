/*
 * iam_identity.c: the pipeline's key lookup for SigV4.  It hands the
 * access key id and the request's X-Amz-Security-Token (header, or query
 * parameter of a presigned request) to core_credentials_lookup, keeps the
 * resulting identity in the request's struct api_call, and describes it
 * in the struct principal that auth/ and the audit record see: fixed
 * fields copied, variable ones (tags, session policies) borrowed from the
 * call until api_call_identity_cleanup.
 *
 * Thread-safety: one call per request; reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "common/str_copy.h"

#define TOKEN_HEADER	"X-Amz-Security-Token"
#define TOKEN_PARAM	"X-Amz-Security-Token="
#define TOKEN_MAX	4096

void
api_call_identity_cleanup(struct api_call *call)
{
	core_identity_cleanup(&call->identity);
	free(call->principal_tags);
	call->principal_tags = NULL;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The token of a presigned request, percent-decoded into buf; NULL, and
 * nothing left in buf, when there is none or it does not fit. */
static const char *
token_from_query(const char *query, char *buf, size_t size)
{
	const char	*p, *v;
	size_t		 o = 0;
	int		 hi, lo;

	for (p = query; p != NULL && *p != '\0'; p = strchr(p, '&')) {
		if (*p == '&')
			p++;
		if (strncmp(p, TOKEN_PARAM, sizeof(TOKEN_PARAM) - 1) != 0)
			continue;
		for (v = p + sizeof(TOKEN_PARAM) - 1; *v != '\0' && *v != '&';
		    v++) {
			if (o + 1 >= size) {
				explicit_bzero(buf, o);
				return NULL;
			}
			if (*v == '%' && (hi = hex_value(v[1])) >= 0 &&
			    (lo = hex_value(v[2])) >= 0) {
				buf[o++] = (char)(hi << 4 | lo);
				v += 2;
			} else
				buf[o++] = *v;
		}
		buf[o] = '\0';
		return buf;
	}
	return NULL;
}

static enum status
principal_describe(struct api_call *call, struct principal *p)
{
	const struct core_identity *id = &call->identity;

	memset(p, 0, sizeof(*p));
	(void)str_copy(p->account_id, sizeof(p->account_id), id->account_id);
	(void)str_copy(p->arn, sizeof(p->arn), id->arn);
	(void)str_copy(p->user_id, sizeof(p->user_id), id->user_id);
	(void)str_copy(p->user_name, sizeof(p->user_name), id->user_name);
	(void)str_copy(p->access_key_id, sizeof(p->access_key_id),
	    id->access_key_id);
	(void)str_copy(p->type, sizeof(p->type), id->type);
	p->is_account_administrator = id->is_account_administrator;
	p->is_temporary = id->is_temporary;
	p->expires_at_ms = id->is_temporary ? id->expires_at : 0;
	(void)str_copy(p->role_arn, sizeof(p->role_arn), id->role_arn);
	(void)str_copy(p->role_id, sizeof(p->role_id), id->role_id);
	(void)str_copy(p->session_name, sizeof(p->session_name),
	    id->session_name);
	(void)str_copy(p->source_identity, sizeof(p->source_identity),
	    id->source_identity);
	if (id->tag_count > 0) {
		if ((call->principal_tags = calloc(id->tag_count,
		    sizeof(*call->principal_tags))) == NULL)
			return STATUS_NO_MEMORY;
		for (size_t i = 0; i < id->tag_count; i++) {
			call->principal_tags[i].key = id->tags[i].key;
			call->principal_tags[i].value = id->tags[i].value;
		}
		p->tags = call->principal_tags;
		p->tag_count = id->tag_count;
	}
	p->session_policy = id->session_policy;
	p->session_policy_arns = (const char *const *)id->session_policy_arns;
	p->session_policy_arn_count = id->session_policy_arn_count;
	return STATUS_OK;
}

enum status
api_credentials_lookup(void *arg, const char *access_key_id,
    struct principal *principal, struct secret_buf **secret)
{
	struct api_call	*call = arg;
	struct secret_buf *sb = NULL;
	const char	*token;
	char		 buf[TOKEN_MAX];
	enum status	 st;

	/* SigV4 looks a key up once per request; start clean regardless. */
	api_call_identity_cleanup(call);
	if ((token = http_request_header(call->http, TOKEN_HEADER)) == NULL)
		token = token_from_query(call->http->query, buf, sizeof(buf));
	if ((st = core_credentials_lookup(&call->env->core, access_key_id,
	    token, call->now_ms, &call->identity, &sb)) != STATUS_OK)
		goto out;
	if ((st = principal_describe(call, principal)) != STATUS_OK)
		goto out;
	*secret = sb;
	sb = NULL;
out:
	/* A presigned request's token was copied here (a session token is
	 * a credential); otherwise buf holds nothing. */
	if (token == buf)
		explicit_bzero(buf, sizeof(buf));
	secret_buf_free(sb);
	if (st != STATUS_OK)
		api_call_identity_cleanup(call);
	return st;
}
