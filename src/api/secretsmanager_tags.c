/*
 * secretsmanager_tags.c: TagResource and UntagResource.
 */
#include <stdlib.h>
#include <string.h>

#include "api/secretsmanager_internal.h"

enum status
sm_tag_resource(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	const json_t	*list = json_object_get(in, "Tags");
	struct tag	*tags = NULL;
	size_t		 i, n = json_array_size(list);
	json_t		*item;
	enum status	 st;

	if (n > 0 && (tags = calloc(n, sizeof(*tags))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, item) {
		tags[i].key = (char *)api_string(item, "Key");
		tags[i].value = (char *)api_string(item, "Value");
		if (tags[i].key == NULL) {
			free(tags);
			return error_set(err, STATUS_VALIDATION, "1 validation "
			    "error detected: Value null at 'tags.%zu.member.key' "
			    "failed to satisfy constraint: Member must not be "
			    "null", i + 1);
		}
		if (tags[i].value == NULL)
			tags[i].value = (char *)"";
	}
	st = core_secret_tag(&call->core, api_string(in, "SecretId"), tags, n,
	    err);
	free(tags);
	return st;
}

enum status
sm_untag_resource(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	const json_t	*list = json_object_get(in, "TagKeys");
	const char	**keys = NULL;
	size_t		 i, n = json_array_size(list);
	json_t		*item;
	enum status	 st;

	if (n > 0 && (keys = calloc(n, sizeof(*keys))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, item) {
		keys[i] = json_string_value(item);
		if (strlen(keys[i]) < 1 || strlen(keys[i]) > 128) {
			st = error_set(err, STATUS_VALIDATION, "1 validation "
			    "error detected: Value '%s' at 'tagKeys' failed to "
			    "satisfy constraint: Member must satisfy constraint: "
			    "[Member must have length less than or equal to 128, "
			    "Member must have length greater than or equal to 1]",
			    keys[i]);
			free(keys);
			return st;
		}
	}
	st = core_secret_untag(&call->core, api_string(in, "SecretId"), keys, n,
	    err);
	free(keys);
	return st;
}
