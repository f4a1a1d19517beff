/*
 * fuzz_arn.c: ARN parsing and secret-name validation (src/core/arn.c).
 * Every SecretId that starts with "arn:" goes through arn_parse; every
 * new name through secret_name_validate.
 *
 * Properties beyond the sanitizers: a parsed ARN has a non-empty partition
 * and service, no ':' in its first five fields, and joins back to exactly
 * the input; a name that validates is 1..512 characters of AWS's set, and
 * the ARN built for it parses back to the same region, account and
 * resource.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "fuzz_common.h"

static void
check_arn(const char *s)
{
	struct arn_parts parts;
	char		*joined = NULL;

	if (arn_parse(s, &parts) != STATUS_OK)
		return;
	FUZZ_CHECK(parts.partition[0] != '\0' && parts.service[0] != '\0');
	FUZZ_CHECK(strchr(parts.partition, ':') == NULL);
	FUZZ_CHECK(strchr(parts.service, ':') == NULL);
	FUZZ_CHECK(strchr(parts.region, ':') == NULL);
	FUZZ_CHECK(strchr(parts.account_id, ':') == NULL);
	if (asprintf(&joined, "arn:%s:%s:%s:%s:%s", parts.partition,
	    parts.service, parts.region, parts.account_id, parts.resource) < 0)
		abort();
	FUZZ_CHECK(strcmp(joined, s) == 0);
	free(joined);
}

static void
check_name(const char *s)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+=.@-!";
	struct arn_parts parts;
	struct error	 err;
	char		*arn, resource[SECRET_NAME_MAX + 32];

	memset(&err, 0, sizeof(err));
	if (secret_name_validate(s, &err) != STATUS_OK) {
		FUZZ_CHECK(err.status == STATUS_VALIDATION);
		FUZZ_CHECK_ERROR(&err);
		return;
	}
	FUZZ_CHECK(strlen(s) >= 1 && strlen(s) <= SECRET_NAME_MAX);
	FUZZ_CHECK(strspn(s, allowed) == strlen(s));
	if ((arn = secret_arn_build("us-east-1", "123456789012", s,
	    "AbCdEf")) == NULL)
		abort();
	FUZZ_CHECK(arn_parse(arn, &parts) == STATUS_OK);
	FUZZ_CHECK(strcmp(parts.partition, "aws") == 0);
	FUZZ_CHECK(strcmp(parts.service, "secretsmanager") == 0);
	FUZZ_CHECK(strcmp(parts.region, "us-east-1") == 0);
	FUZZ_CHECK(strcmp(parts.account_id, "123456789012") == 0);
	snprintf(resource, sizeof(resource), "secret:%s-AbCdEf", s);
	FUZZ_CHECK(strcmp(parts.resource, resource) == 0);
	free(arn);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s = fuzz_strndup(data, size);

	check_arn(s);
	check_name(s);
	free(s);
	return 0;
}
