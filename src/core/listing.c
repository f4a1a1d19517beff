/*
 * listing.c: ListSecrets (and the secret selection BatchGetSecretValue
 * shares): keyset paging over secret ids with AWS's filters.
 *
 * Paging tokens name the last secret id looked at and the direction, so a
 * page boundary never moves when secrets are created or deleted between
 * calls.  Filters are applied in memory to store pages; one call examines at
 * most LIST_SCAN_LIMIT secrets and then returns what it has with a token,
 * as AWS does ("NextToken ... even when the response includes no values").
 *
 * Filter semantics (AWS's documentation of the Filter shape):
 *   name, tag-key, tag-value, primary-region, owning-service: prefix match,
 *   case-sensitive; description: prefix match, not case-sensitive; all: the
 *   value is split into words, each of which must prefix-match a word of
 *   the name, description, a tag key or a tag value, not case-sensitive.
 *   A value starting with '!' negates.  Values of one filter are ORed,
 *   filters are ANDed.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/core_internal.h"

#define TOKEN_PREFIX		"sesame-page-v1:"
#define LIST_BATCH		256
#define LIST_SCAN_LIMIT		4096

/*
 * "sesame-page-v1:<a|d>:<c|n|m|l>:<last id>[:<last sort value>]": direction,
 * sort key, and the keyset position after which the next page starts.
 */
static const char sort_chars[] = { [STORE_SORT_CREATED] = 'c',
    [STORE_SORT_NAME] = 'n', [STORE_SORT_CHANGED] = 'm',
    [STORE_SORT_ACCESSED] = 'l' };

static enum status
page_token_decode(const char *token, const struct secret_list_input *in,
    struct store_list_query *q)
{
	const char	*p;
	char		*end;
	long long	 v;

	if (strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0)
		return STATUS_INVALID_NEXT_TOKEN;
	p = token + strlen(TOKEN_PREFIX);
	if (p[0] != (in->is_descending ? 'd' : 'a') || p[1] != ':' ||
	    p[2] != sort_chars[in->sort_by] || p[3] != ':')
		return STATUS_INVALID_NEXT_TOKEN;
	p += 4;
	if (*p < '0' || *p > '9')
		return STATUS_INVALID_NEXT_TOKEN;
	v = strtoll(p, &end, 10);
	if (v <= 0)
		return STATUS_INVALID_NEXT_TOKEN;
	q->after_id = v;
	if (in->sort_by == STORE_SORT_CREATED)
		return *end == '\0' ? STATUS_OK : STATUS_INVALID_NEXT_TOKEN;
	if (*end != ':')
		return STATUS_INVALID_NEXT_TOKEN;
	p = end + 1;
	if (in->sort_by == STORE_SORT_NAME) {
		q->after_name = p;	/* points into the token */
		return secret_name_validate(p, NULL) == STATUS_OK ? STATUS_OK :
		    STATUS_INVALID_NEXT_TOKEN;
	}
	if (*p < '0' || *p > '9')
		return STATUS_INVALID_NEXT_TOKEN;
	q->after_value = strtoll(p, &end, 10);
	return *end == '\0' ? STATUS_OK : STATUS_INVALID_NEXT_TOKEN;
}

static char *
page_token_encode(const struct secret_list_input *in,
    const struct secret_record *last)
{
	char	*token = NULL;
	int	 n;

	if (in->sort_by == STORE_SORT_CREATED)
		n = asprintf(&token, TOKEN_PREFIX "%c:c:%" PRId64,
		    in->is_descending ? 'd' : 'a', last->id);
	else if (in->sort_by == STORE_SORT_NAME)
		n = asprintf(&token, TOKEN_PREFIX "%c:n:%" PRId64 ":%s",
		    in->is_descending ? 'd' : 'a', last->id, last->name);
	else
		n = asprintf(&token, TOKEN_PREFIX "%c:%c:%" PRId64 ":%" PRId64,
		    in->is_descending ? 'd' : 'a', sort_chars[in->sort_by],
		    last->id, in->sort_by == STORE_SORT_CHANGED ?
		    last->last_changed_at : last->last_accessed_at);
	return n < 0 ? NULL : token;
}

static bool
prefix_match(const char *attr, const char *prefix, bool fold_case)
{
	size_t n = strlen(prefix);

	if (attr == NULL)
		return false;
	return fold_case ? strncasecmp(attr, prefix, n) == 0 :
	    strncmp(attr, prefix, n) == 0;
}

/* Does word prefix-match any word of text (split at non-alphanumerics)? */
static bool
word_match(const char *text, const char *word, size_t word_len)
{
	if (text == NULL || word_len == 0)
		return false;
	for (const char *p = text; *p != '\0'; p++) {
		bool at_word_start = p == text ||
		    !isalnum((unsigned char)p[-1]);

		if (at_word_start && strncasecmp(p, word, word_len) == 0)
			return true;
	}
	return false;
}

static bool
all_match(const struct secret_description *d, const char *value)
{
	const char *p = value;

	while (*p != '\0') {
		size_t	 len;
		bool	 found;

		while (*p == ' ')
			p++;
		if ((len = strcspn(p, " ")) == 0)
			break;
		found = word_match(d->secret.name, p, len) ||
		    word_match(d->secret.description, p, len);
		for (size_t i = 0; !found && i < d->tag_count; i++)
			found = word_match(d->tags[i].key, p, len) ||
			    word_match(d->tags[i].value, p, len);
		if (!found)
			return false;
		p += len;
	}
	return true;
}

/* One (non-negated) value against one filter key. */
static bool
value_match(const struct secret_description *d, enum secret_filter_key key,
    const char *value)
{
	switch (key) {
	case SECRET_FILTER_NAME:
		return prefix_match(d->secret.name, value, false);
	case SECRET_FILTER_DESCRIPTION:
		return prefix_match(d->secret.description, value, true);
	case SECRET_FILTER_TAG_KEY:
		for (size_t i = 0; i < d->tag_count; i++)
			if (prefix_match(d->tags[i].key, value, false))
				return true;
		return false;
	case SECRET_FILTER_TAG_VALUE:
		for (size_t i = 0; i < d->tag_count; i++)
			if (prefix_match(d->tags[i].value, value, false))
				return true;
		return false;
	case SECRET_FILTER_PRIMARY_REGION: {
		struct arn_parts parts;

		if (d->secret.primary_arn != NULL &&
		    arn_parse(d->secret.primary_arn, &parts) == STATUS_OK)
			return prefix_match(parts.region, value, false);
		return prefix_match(d->secret.region, value, false);
	}
	case SECRET_FILTER_OWNING_SERVICE:
		return false;		/* no secret here is service-owned */
	case SECRET_FILTER_ALL:
		return all_match(d, value);
	}
	return false;
}

bool
secret_filters_match(const struct secret_description *d,
    const struct secret_filter *filters, size_t filter_count)
{
	for (size_t f = 0; f < filter_count; f++) {
		bool any = false;

		for (size_t v = 0; !any && v < filters[f].value_count; v++) {
			const char *value = filters[f].values[v];

			if (value[0] == '!')
				any = !value_match(d, filters[f].key, value + 1);
			else
				any = value_match(d, filters[f].key, value);
		}
		if (!any)
			return false;
	}
	return true;
}

enum status
core_secret_list(struct core_request *req, const struct secret_list_input *in,
    struct secret_list_output *out, struct error *err)
{
	struct store_txn		*txn = NULL;
	struct store_list_query		 q;
	struct secret_record		*recs = NULL;
	struct secret_list_output	 result;
	struct secret_description	 d;
	struct secret_record		 last;
	size_t				 fetched = 0, scanned = 0, i = 0;
	int64_t				 last_id = 0;
	bool				 is_exhausted = false;
	enum status			 st;

	memset(&result, 0, sizeof(result));
	memset(&q, 0, sizeof(q));
	memset(&d, 0, sizeof(d));
	memset(&last, 0, sizeof(last));
	q.account_id = req->account_id;
	q.region = req->region;
	q.include_deleted = in->include_planned_deletion;
	q.is_descending = in->is_descending;
	q.sort_by = in->sort_by;
	if (in->next_token != NULL && page_token_decode(in->next_token, in,
	    &q) != STATUS_OK) {
		st = error_set(err, STATUS_INVALID_NEXT_TOKEN,
		    "The NextToken value is invalid.");
		goto out;
	}
	if ((st = core_authorize(req, "*", req->account_id, err)) != STATUS_OK)
		goto out;
	if (in->max_results > 0 && (result.items = calloc(in->max_results,
	    sizeof(*result.items))) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;

	while (result.item_count < in->max_results && scanned < LIST_SCAN_LIMIT) {
		if (i == fetched) {
			secret_records_free(recs, fetched);
			recs = NULL;
			fetched = i = 0;
			if (is_exhausted)
				break;
			q.limit = LIST_BATCH;
			if ((st = store_secret_list(txn, &q, &recs, &fetched)) !=
			    STATUS_OK)
				goto out;
			if (fetched < LIST_BATCH)
				is_exhausted = true;
			if (fetched == 0)
				break;
			/* The keyset moves to this batch's last row. */
			secret_record_cleanup(&last);
			last.id = recs[fetched - 1].id;
			last.last_changed_at = recs[fetched - 1].last_changed_at;
			last.last_accessed_at = recs[fetched - 1].last_accessed_at;
			if ((last.name = strdup(recs[fetched - 1].name)) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			q.after_id = last.id;
			q.after_name = last.name;
			q.after_value = q.sort_by == STORE_SORT_CHANGED ?
			    last.last_changed_at : last.last_accessed_at;
		}
		d.secret = recs[i];
		memset(&recs[i], 0, sizeof(recs[i]));
		i++;
		scanned++;
		last_id = d.secret.id;
		secret_record_cleanup(&last);
		last.id = d.secret.id;
		last.last_changed_at = d.secret.last_changed_at;
		last.last_accessed_at = d.secret.last_accessed_at;
		if ((last.name = strdup(d.secret.name)) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		if ((st = core_description_load(txn, &d)) != STATUS_OK)
			goto out;
		if (secret_filters_match(&d, in->filters, in->filter_count)) {
			result.items[result.item_count++] = d;
			memset(&d, 0, sizeof(d));
		} else
			secret_description_cleanup(&d);
	}
	/* More may follow unless the store ran dry and this batch is used up. */
	if (!(is_exhausted && i == fetched) && last_id != 0 &&
	    (result.next_token = page_token_encode(in, &last)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = result;
	memset(&result, 0, sizeof(result));
	st = STATUS_OK;
out:
	store_rollback(txn);
	secret_record_cleanup(&last);
	secret_description_cleanup(&d);
	secret_records_free(recs, fetched);
	secret_list_output_cleanup(&result);
	return st;
}
