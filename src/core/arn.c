/*
 * arn.c: secret names and ARNs.
 *
 * A secret's ARN is arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX
 * where XXXXXX is six random alphanumerics chosen at creation, so a name
 * reused after deletion gets a different ARN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

enum status
secret_name_validate(const char *name, struct error *err)
{
	size_t len = strlen(name);

	if (len == 0 || len > SECRET_NAME_MAX)
		return error_set(err, STATUS_VALIDATION,
		    "Invalid name. Must be a valid name containing alphanumeric "
		    "characters, or any of the following: -/_+=.@!");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/_+=.@-!", *p) != NULL)
			continue;
		return error_set(err, STATUS_VALIDATION,
		    "Invalid name. Must be a valid name containing alphanumeric "
		    "characters, or any of the following: -/_+=.@!");
	}
	return STATUS_OK;
}

char *
secret_arn_build(const char *region, const char *account_id, const char *name,
    const char *suffix)
{
	char	*arn = NULL;

	if (asprintf(&arn, "arn:aws:secretsmanager:%s:%s:secret:%s-%s", region,
	    account_id, name, suffix) < 0)
		return NULL;
	return arn;
}

static enum status
arn_field(const char **p, char *out, size_t out_len)
{
	const char	*colon = strchr(*p, ':');
	size_t		 n;

	if (colon == NULL)
		return STATUS_INVALID_PARAMETER;
	n = (size_t)(colon - *p);
	if (n >= out_len)
		return STATUS_INVALID_PARAMETER;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p = colon + 1;
	return STATUS_OK;
}

enum status
arn_parse(const char *arn, struct arn_parts *out)
{
	struct arn_parts parts;
	const char	*p = arn;
	char		 prefix[8];

	memset(&parts, 0, sizeof(parts));
	if (arn_field(&p, prefix, sizeof(prefix)) != STATUS_OK ||
	    strcmp(prefix, "arn") != 0 ||
	    arn_field(&p, parts.partition, sizeof(parts.partition)) != STATUS_OK ||
	    arn_field(&p, parts.service, sizeof(parts.service)) != STATUS_OK ||
	    arn_field(&p, parts.region, sizeof(parts.region)) != STATUS_OK ||
	    arn_field(&p, parts.account_id, sizeof(parts.account_id)) != STATUS_OK)
		return STATUS_INVALID_PARAMETER;
	if (parts.partition[0] == '\0' || parts.service[0] == '\0' ||
	    strlen(p) >= sizeof(parts.resource))
		return STATUS_INVALID_PARAMETER;
	memcpy(parts.resource, p, strlen(p) + 1);
	*out = parts;
	return STATUS_OK;
}
